from django.urls import path

from yiwang.appointments import views

app_name = "appointments"
urlpatterns = [
    path("appointments/", views.book, name="book"),
    path("appointments/mine/", views.mine, name="mine"),
    path("appointments/tickets/<str:ticket>/", views.ticket, name="ticket"),
    path("appointments/tickets/<str:ticket>/cancel/", views.cancel, name="cancel"),
    path("workbench/appointments/", views.day_sheet, name="day"),
    path("workbench/appointments/<str:ticket>/<str:action>/", views.desk_act, name="desk-act"),
]
