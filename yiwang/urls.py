from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from yiwang.api.routes import api
from yiwang.audit import views as audit_views
from yiwang.portal import views as portal_views
from yiwang.workbench import views as workbench_views

admin.site.site_header = "一网 Yiwang"
admin.site.site_title = "一网 Yiwang"

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("welcome/", portal_views.after_login, name="after-login"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("workbench/", workbench_views.home, name="workbench"),
    path("workbench/applicants/", workbench_views.applicant_list, name="applicant-list"),
    path(
        "workbench/applicants/<int:applicant_id>/",
        workbench_views.applicant_detail,
        name="applicant-detail",
    ),
    path("", include("yiwang.cases.urls")),
    path("", include("yiwang.licences.urls")),
    path("", include("yiwang.credit.urls")),
    path("", include("yiwang.appointments.urls")),
    path("", include("yiwang.enterprise.urls")),
    path("guidance/", include("yiwang.guidance.urls")),
    path("", include("yiwang.supervision.urls")),
    path("", include("yiwang.complaints.urls")),
    path("calendar/", include("yiwang.workdays.urls")),
    path("", include("yiwang.ratings.urls")),
    path("", include("yiwang.disclosure.urls")),
    path("items/", include("yiwang.catalog.urls")),
    path("", include("yiwang.indicators.urls")),
    path("audit/heads/", audit_views.heads_page, name="audit-heads"),
    path("audit/heads.jsonl", audit_views.heads_feed, name="audit-heads-feed"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
