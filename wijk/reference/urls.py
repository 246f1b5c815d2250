from django.urls import path

from wijk.reference import views

app_name = "reference"
urlpatterns = [
    path("", views.list_index, name="list_index"),
    path("<slug:slug>", views.list_detail, name="list_detail"),
    path("<slug:slug>/nieuw", views.code_create_view, name="code_create"),
    path("<slug:slug>/<id:pk>", views.code_edit, name="code_edit"),
]
