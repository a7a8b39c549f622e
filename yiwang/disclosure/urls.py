from django.urls import path

from yiwang.disclosure import views
from yiwang.disclosure.opendata import NewRecordsFeed

app_name = "disclosure"
urlpatterns = [
    path("disclosure/", views.records, name="records"),
    path("disclosure/feed.atom", NewRecordsFeed(), name="feed"),
    path("disclosure/<int:publication_id>/", views.record, name="record"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/<int:document_id>/", views.policy_page, name="policy"),
    path("workbench/disclosure/", views.queue, name="queue"),
    path("workbench/disclosure/<int:publication_id>/<str:action>/", views.queue_act, name="act"),
    path("workbench/policies/", views.policy_desk, name="policy-desk"),
    path("workbench/policies/<int:document_id>/", views.policy_edit, name="policy-edit"),
]
