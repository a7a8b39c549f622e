from django.urls import path

from yiwang.cases import licence_views, procedure_views, views

app_name = "cases"
urlpatterns = [
    path("apply/<str:code>/", views.apply, name="apply"),
    path("my/cases/", views.my_cases, name="my-cases"),
    path("my/cases/<int:case_id>/", views.my_case, name="my-case"),
    path("my/cases/<int:case_id>/<str:action>/", views.my_case_act, name="my-case-act"),
    path("my/inbox/", views.inbox, name="inbox"),
    path(
        "my/licences/<str:number>/apply/<str:purpose>/",
        licence_views.licence_apply_page,
        name="licence-apply",
    ),
    path("workbench/cases/", views.queue, name="queue"),
    path("workbench/cases/accept/", views.batch_accept, name="batch-accept"),
    path("workbench/cases/applicants/", views.applicant_suggestions, name="applicant-suggestions"),
    path("workbench/cases/<int:case_id>/", views.workbench_case, name="workbench-case"),
    path("workbench/cases/<int:case_id>/<str:action>/", views.workbench_act, name="workbench-act"),
    path("files/<int:file_id>/", views.download, name="download"),
    path("prereview/<str:code>/", procedure_views.prereview_new, name="prereview-new"),
    path("my/prereviews/<int:prereview_id>/", procedure_views.my_prereview, name="my-prereview"),
    path("bundles/", procedure_views.bundle_list, name="bundles"),
    path("bundles/<slug:code>/apply/", procedure_views.bundle_apply, name="bundle-apply"),
    path("my/bundles/<str:number>/", procedure_views.my_bundle, name="my-bundle"),
    path("emergency-listings/", procedure_views.emergency_listings, name="emergency-listings"),
    path("workbench/prereviews/", procedure_views.prereview_queue, name="prereview-queue"),
    path(
        "workbench/prereviews/<int:prereview_id>/",
        procedure_views.prereview_review,
        name="prereview-review",
    ),
    path("workbench/items/<str:code>/green/", procedure_views.item_green, name="item-green"),
]
