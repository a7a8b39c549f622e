from django.urls import path

from yiwang.credit import views

app_name = "credit"
urlpatterns = [
    path("credit/", views.lookup, name="lookup"),
    path("credit/lists/<str:list_kind>/", views.public_list, name="list"),
    path("credit/<str:code>/", views.public_entity, name="public"),
    path("my/credit/", views.mine, name="mine"),
    path("my/credit/facts/<int:fact_id>/object/", views.object_to, name="object"),
    path("my/credit/facts/<int:fact_id>/repair/", views.repair, name="repair"),
    path("workbench/credit/", views.desk, name="desk"),
    path("workbench/credit/scorecards/", views.scorecards, name="scorecards"),
    path("workbench/credit/scorecards/<int:version>/", views.scorecard, name="scorecard"),
    path(
        "workbench/credit/scorecards/<int:version>/preview/",
        views.scorecard_preview_page,
        name="scorecard_preview",
    ),
    path(
        "workbench/credit/scorecards/<int:version>/activate/",
        views.scorecard_activate_page,
        name="scorecard_activate",
    ),
    path("workbench/credit/entities/<int:applicant_id>/", views.entity, name="entity"),
    path("workbench/credit/objections/<int:objection_id>/answer/", views.answer, name="answer"),
    path("workbench/credit/repairs/<int:repair_id>/decide/", views.decide, name="decide"),
]
