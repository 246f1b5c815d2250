# PLACEHOLDER: replaced by the management-screens work.
from django.http import HttpResponse
from django.urls import path

app_name = "organisations"
urlpatterns = [
    path("teams/", lambda r: HttpResponse("todo"), name="team_list"),
    path("organisaties/", lambda r: HttpResponse("todo"), name="organisation_list"),
]
