# PLACEHOLDER: replaced by the management-screens work.
from django.http import HttpResponse
from django.urls import path

app_name = "areas"
urlpatterns = [path("", lambda r: HttpResponse("todo"), name="wijk_list")]
