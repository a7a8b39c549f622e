from django.urls import path

from yiwang.ratings import views

app_name = "ratings"
urlpatterns = [
    path("rate/<str:token>/", views.rate_by_link, name="link"),
    path("my/ratings/", views.my_ratings, name="mine"),
    path("my/ratings/<int:invitation_id>/", views.my_rate, name="my-rate"),
    path("ratings/figures/", views.figures, name="figures"),
    path("workbench/ratings/", views.workbench, name="workbench"),
    path("workbench/ratings/entry/<str:channel>/", views.staff_entry, name="entry"),
    path("workbench/ratings/pad/", views.staff_entry, {"channel": "window"}, name="pad"),
    path(
        "workbench/ratings/rectifications/<int:rectification_id>/",
        views.rectification,
        name="rectification",
    ),
]
