"""The residents' own pages, open to everyone (see PUBLIC_VIEW_NAMES in wijk.accounts)."""

from django.urls import path

from wijk.portal import views

app_name = "portal"
urlpatterns = [
    path("aanmelden", views.request_form, name="request_form"),
    path("aanmelden/bedankt", views.request_received, name="request_received"),
]
