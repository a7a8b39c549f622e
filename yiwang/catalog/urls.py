from django.urls import path, re_path

from yiwang.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("standardization/", views.standardization, name="standardization"),
    path("manage/", views.manage, name="manage"),
    path("manage/export.xlsx", views.export, name="export"),
    path("manage/import/", views.import_upload, name="import"),
    path("manage/import/<int:job_id>/", views.import_detail, name="import-detail"),
    re_path(r"^(?P<code>\d{12})/$", views.item_guide, name="item-guide"),
    re_path(r"^manage/(?P<code>\d{12})/$", views.item_provenance, name="item-provenance"),
    re_path(
        r"^(?P<code>\d{12})/materials/(?P<material_code>M\d{2})/template\.xlsx$",
        views.material_template,
        name="material-template",
    ),
]
