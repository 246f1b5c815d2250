"""The municipality's decision desk and the consortium's pages about decisions, mounted at
/besluiten/. Every pattern has a row in wijk/decisions/tests/matrix.py."""

from django.urls import URLPattern, path

from wijk.decisions import views

app_name = "decisions"
urlpatterns: list[URLPattern] = [
    # The decision desk (the municipality's decision officers).
    path("", views.queue, name="queue"),
    path("<id:pk>", views.desk_case, name="desk_case"),
    path("<id:pk>/concept", views.desk_draft, name="desk_draft"),
    # The consortium.
    path("plan/<id:pk>/besluit", views.place, name="place"),
    path("plan/<id:pk>/pgb", views.pgb_request, name="pgb_request"),
    path("zaak/<id:pk>", views.case, name="case"),
    path("zaak/<id:pk>/pgb-evaluatie", views.pgb_evaluation, name="pgb_evaluation"),
]
