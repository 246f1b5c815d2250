from django.urls import path

from wijk.organisations import views

app_name = "organisations"
urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/nieuw", views.team_create_view, name="team_create"),
    path("teams/<id:pk>", views.team_edit, name="team_edit"),
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/nieuw", views.organisation_create_view, name="organisation_create"),
    path("organisaties/<id:pk>", views.organisation_edit, name="organisation_edit"),
]
