from django.urls import path

from wijk.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.wijk_list, name="wijk_list"),
    path("wijken/<id:pk>", views.wijk_detail, name="wijk_detail"),
    path("wijken/<id:pk>/stadsdeel", views.wijk_edit, name="wijk_edit"),
    path("stadsdelen/", views.district_list, name="district_list"),
    path("stadsdelen/nieuw", views.district_create_view, name="district_create"),
    path("stadsdelen/<id:pk>", views.district_edit, name="district_edit"),
]
