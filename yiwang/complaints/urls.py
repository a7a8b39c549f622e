from django.urls import path

from yiwang.complaints import views

app_name = "complaints"
urlpatterns = [
    path("complaints/new/", views.web_complaint, name="web"),
    path("complaints/lookup/", views.lookup, name="lookup"),
    path("workbench/complaints/", views.queue, name="queue"),
    path("workbench/complaints/intake/", views.intake, name="intake"),
    path("workbench/complaints/export.csv", views.export, name="export"),
    path("workbench/complaints/<int:ticket_id>/", views.ticket_page, name="ticket"),
    path("workbench/complaints/<int:ticket_id>/<str:action>/", views.ticket_act, name="ticket-act"),
]
