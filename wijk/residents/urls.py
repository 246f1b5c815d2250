from django.urls import path

from wijk.casefiles import views as casefile_views
from wijk.residents import views

app_name = "residents"
urlpatterns = [
    path("zoeken", views.search, name="search"),
    path("registreren", views.register, name="register"),
    path("<id:pk>", casefile_views.detail, name="detail"),
    path("<id:pk>/toegang", views.break_glass, name="break_glass"),
    path("<id:pk>/inzagelog", views.access_log, name="access_log"),
    path("inzage-zonder-vaste-toegang", views.break_glass_review, name="break_glass_review"),
]
