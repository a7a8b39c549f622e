from django.urls import path

from yiwang.licences import views

app_name = "licences"
urlpatterns = [
    path("verify/", views.verify_form, name="verify-form"),
    path("verify/<str:number>/", views.verify_page, name="verify"),
    path("my/licences/", views.my_licences, name="my-licences"),
    path("my/licences/<str:number>/", views.my_licence, name="my-licence"),
    path("my/licences/<str:number>/document/", views.document, name="document"),
    path("workbench/licences/", views.search, name="search"),
    path("workbench/licences/policies/", views.policy_list, name="policies"),
    path("workbench/licences/policies/<int:policy_id>/", views.policy_detail, name="policy"),
    path(
        "workbench/licences/policies/<int:policy_id>/<str:action>/",
        views.policy_act,
        name="policy-act",
    ),
    path("workbench/licences/import/", views.import_register, name="import"),
    path("workbench/licences/verifications/", views.verifications, name="verifications"),
    path(
        "workbench/licences/verifications/<int:verification_id>/",
        views.verification_decide,
        name="verification-decide",
    ),
    path("workbench/licences/<str:number>/", views.workbench_licence, name="detail"),
    path("workbench/licences/<str:number>/act/", views.workbench_act, name="act"),
]
