from django.urls import path

from yiwang.catalog import views

app_name = "catalog"
urlpatterns = [path("", views.item_list, name="item-list")]
