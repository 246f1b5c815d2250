"""The administrators' pages for API clients (under /beheer/)."""

from django.urls import path

from wijk.api import admin_views

app_name = "api_clients"
urlpatterns = [
    path("", admin_views.api_client_list_view, name="list"),
    path("nieuw", admin_views.api_client_create_view, name="create"),
    path("<id:pk>/intrekken", admin_views.api_client_revoke_view, name="revoke"),
]
