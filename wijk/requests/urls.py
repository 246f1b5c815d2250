"""The neighbourhood team's requests, mounted at /hulpvragen/. Every pattern has a row in
wijk/requests/tests/matrix.py."""

from django.urls import path

from wijk.requests import views

app_name = "requests"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("team", views.team_worklist, name="team_worklist"),
    path("team/toewijzen", views.team_assign, name="team_assign"),
    path("wachtlijst", views.waiting_list, name="waiting_list"),
    path("open", views.team_open, name="team_open"),
    path("registreren", views.register, name="register"),
    path("<id:pk>", views.detail, name="detail"),
    path("<id:pk>/contact", views.attempt, name="attempt"),
    path("<id:pk>/oppakken", views.pick_up, name="pick_up"),
    path("<id:pk>/toewijzen", views.assign, name="assign"),
    path("<id:pk>/afronden", views.close, name="close"),
    path("<id:pk>/inwoner", views.link_resident, name="link_resident"),
]
