from django.urls import path

from yiwang.cases import views

app_name = "cases"
urlpatterns = [
    path("apply/<str:code>/", views.apply, name="apply"),
    path("my/cases/", views.my_cases, name="my-cases"),
    path("my/cases/<int:case_id>/", views.my_case, name="my-case"),
    path("my/cases/<int:case_id>/<str:action>/", views.my_case_act, name="my-case-act"),
    path("my/inbox/", views.inbox, name="inbox"),
    path("workbench/cases/", views.queue, name="queue"),
    path("workbench/cases/accept/", views.batch_accept, name="batch-accept"),
    path("workbench/cases/<int:case_id>/", views.workbench_case, name="workbench-case"),
    path("workbench/cases/<int:case_id>/<str:action>/", views.workbench_act, name="workbench-act"),
    path("files/<int:file_id>/", views.download, name="download"),
]
