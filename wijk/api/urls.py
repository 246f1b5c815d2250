"""The API for the municipality's systems: /api/v1/ (docs/adr/0045). Every other address under
/api/ answers with a problem document (404), never with the HTML not-found page
(`handler404` in wijk/urls.py is wijk.api.problems.page_not_found)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from wijk.api import views

app_name = "api"
urlpatterns = [
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("v1/indicatoren", views.IndicatorList.as_view(), name="indicators"),
    path("v1/indicatoren/<str:code>/cijfers", views.FigureList.as_view(), name="figures"),
    path("v1/gepubliceerd", views.PublishedSetList.as_view(), name="published_sets"),
    path(
        "v1/gepubliceerd/<id:pk>/cijfers",
        views.PublishedSetFigureList.as_view(),
        name="published_set_figures",
    ),
    path("v1/leveringen", views.DeliveryList.as_view(), name="deliveries"),
]
