from django.urls import path

from wijk.letters import views

app_name = "letters"
urlpatterns = [
    path("brieven/<id:pk>", views.letter_file, name="file"),
]
