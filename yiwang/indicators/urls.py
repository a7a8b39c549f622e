from django.urls import path

from yiwang.indicators import views

app_name = "indicators"
urlpatterns = [
    path("workbench/indicators/", views.dashboard, name="dashboard"),
    path("workbench/indicators/report.pdf", views.report_pdf, name="report"),
    path("workbench/indicators/<str:indicator>/cases/", views.drill_down, name="drill-down"),
    path(
        "workbench/indicators/<str:indicator>/cases.xlsx",
        views.drill_down_export,
        name="drill-down-export",
    ),
    path("figures/", views.public, name="public"),
]
