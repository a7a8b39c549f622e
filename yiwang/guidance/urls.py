from django.urls import path

from yiwang.guidance import views

app_name = "guidance"
urlpatterns = [
    path("layout/", views.layout_page, name="layout"),
    path("layout/check/", views.layout_check, name="layout-check"),
    path("compliance/", views.compliance_index, name="compliance"),
    path("compliance/print/", views.compliance_print, name="compliance-print"),
    path("compliance/violations/<str:code>/", views.violation_detail, name="violation"),
]
