from django.urls import path

from wijk.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("nieuw", views.activity_create, name="create"),
    path("cijfers", views.overview, name="overview"),
    path("<int:pk>", views.activity_detail, name="detail"),
    path("<int:pk>/bewerken", views.activity_edit, name="edit"),
    path("<int:pk>/bijeenkomst", views.session_create, name="session_create"),
    path("bijeenkomsten/<int:pk>/bewerken", views.session_edit, name="session_edit"),
    path("bijeenkomsten/<int:pk>/deelnemers", views.participants, name="participants"),
]
