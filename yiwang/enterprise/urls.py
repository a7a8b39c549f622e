from django.urls import path

from yiwang.enterprise import views

app_name = "enterprise"
urlpatterns = [
    path("enterprise/", views.portal, name="portal"),
    path("enterprise/<int:applicant_id>/problems/", views.problem_report, name="problem-report"),
    path("enterprise/front-services/", views.front_service_request, name="front-request"),
    path("enterprise/expert/", views.expert, name="expert"),
    path("enterprise/expert/<int:request_id>/advice/", views.advise, name="advise"),
    path(
        "enterprise/advice/<int:advice_id>/files/<int:file_id>/",
        views.advice_file,
        name="advice-file",
    ),
    path("workbench/enterprise/", views.secretary, name="secretary"),
    path("workbench/enterprise/<int:applicant_id>/", views.enterprise_lists, name="lists"),
    path("workbench/enterprise/<int:applicant_id>/entries/", views.entry_add, name="entry-add"),
    path("workbench/enterprise/entries/<int:entry_id>/", views.entry_update, name="entry-update"),
    path(
        "workbench/enterprise/front-services/<int:request_id>/assign/",
        views.assign_expert,
        name="assign-expert",
    ),
]
