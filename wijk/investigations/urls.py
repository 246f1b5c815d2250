from django.urls import path

from wijk.investigations import views

app_name = "investigations"
urlpatterns = [
    path("hulpvraag/<id:pk>", views.for_request, name="for_request"),
    path("<id:pk>", views.detail, name="detail"),
    path("<id:pk>/bewerken", views.edit, name="edit"),
    path("<id:pk>/afronden", views.finish, name="finish"),
    path("<id:pk>/reactie", views.own_view, name="own_view"),
    path("<id:pk>/verslag", views.report, name="report"),
]
