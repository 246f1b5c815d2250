from django.urls import path

from wijk.core import background_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("toegankelijkheid", views.accessibility, name="accessibility"),
    path("werk/", views.work, name="work"),
    path("werk/team", views.team_work, name="team_work"),
    path("achtergrond/<uuid:pk>", background_views.background_job, name="background_job"),
    path(
        "achtergrond/<uuid:pk>/bestand",
        background_views.background_job_file,
        name="background_job_file",
    ),
]
