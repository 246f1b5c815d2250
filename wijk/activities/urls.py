from django.urls import path

from wijk.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("nieuw", views.activity_create, name="create"),
    path("cijfers", views.overview, name="overview"),
    path("<id:pk>", views.activity_detail, name="detail"),
    path("<id:pk>/bewerken", views.activity_edit, name="edit"),
    path("<id:pk>/bijeenkomst", views.session_create, name="session_create"),
    path("bijeenkomsten/<id:pk>/bewerken", views.session_edit, name="session_edit"),
    path("bijeenkomsten/<id:pk>/deelnemers", views.participants, name="participants"),
    path("verhuizingen", views.move_list, name="move_list"),
    path("verhuizingen/<id:pk>", views.move_review, name="move_review"),
]
