from django.urls import path

from wijk.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.register, name="register"),
    path("turven", views.tally, name="tally"),
    path("cijfers", views.overview, name="overview"),
]
