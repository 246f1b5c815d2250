# PLACEHOLDER: replaced by the management-screens work.
from django.http import HttpResponse
from django.urls import path

app_name = "reference"
urlpatterns = [path("", lambda r: HttpResponse("todo"), name="list_index")]
