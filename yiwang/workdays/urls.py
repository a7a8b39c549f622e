from django.urls import path

from yiwang.workdays import views

app_name = "workdays"
urlpatterns = [path("", views.month, name="month")]
