from django.urls import path

from wijk.notes import views

app_name = "notes"
urlpatterns = [
    path("inwoners/<id:pk>/notities/nieuw", views.write, name="write"),
    path("notities/<id:pk>", views.detail, name="detail"),
    path("notities/<id:pk>/bewerken", views.edit, name="edit"),
]
