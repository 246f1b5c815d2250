from django.urls import path

from wijk.feed import views

app_name = "feed"
urlpatterns = [
    path("leveringen", views.deliveries, name="deliveries"),
]
