from django.urls import path

from yiwang.supervision import penalty_views, views

app_name = "supervision"
urlpatterns = [
    path("workbench/supervision/", views.directory_page, name="directory"),
    path("workbench/supervision/entities/<int:applicant_id>/", views.entity_page, name="entity"),
    path("workbench/supervision/plans/", views.plan_list, name="plans"),
    path("workbench/supervision/plans/<int:plan_id>/", views.plan_page, name="plan"),
    path(
        "workbench/supervision/plans/<int:plan_id>/<str:action>/", views.plan_act, name="plan-act"
    ),
    path("workbench/supervision/tasks/", views.task_list, name="tasks"),
    path("workbench/supervision/tasks/<int:task_id>/", views.task_page, name="task"),
    path(
        "workbench/supervision/tasks/<int:task_id>/<str:action>/", views.task_act, name="task-act"
    ),
    path("workbench/supervision/proposals/", penalty_views.proposals_partial, name="proposals"),
    path("workbench/supervision/penalties/", penalty_views.penalty_list, name="penalties"),
    path(
        "workbench/supervision/penalties/<int:penalty_id>/",
        penalty_views.penalty_page,
        name="penalty",
    ),
    path("workbench/supervision/publication/", views.publication_page, name="publication"),
    path("workbench/supervision/conflicts/", views.conflicts_page, name="conflicts"),
    path("supervision/results/", views.public_results, name="public-results"),
    path("supervision/draws/<int:draw_id>/", views.public_draw, name="public-draw"),
]
