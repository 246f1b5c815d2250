from django.urls import path

from wijk.meldcode import views

app_name = "meldcode"
urlpatterns = [
    path("inwoners/<id:pk>", views.resident, name="resident"),
    path("inwoners/<id:pk>/nieuw", views.open_case, name="open"),
    path("<id:pk>", views.detail, name="detail"),
    path("<id:pk>/stap/<id:number>", views.step, name="step"),
    path("<id:pk>/lezers", views.readers, name="readers"),
    path("<id:pk>/afsluiten", views.close, name="close"),
]
