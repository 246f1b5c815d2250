from django.urls import path

from wijk.residents import views

app_name = "residents"
urlpatterns = [
    path("zoeken", views.search, name="search"),
    path("registreren", views.register, name="register"),
    path("<int:pk>", views.detail, name="detail"),
    path("<int:pk>/toegang", views.break_glass, name="break_glass"),
    path("<int:pk>/inzagelog", views.access_log, name="access_log"),
    path("inzage-zonder-vaste-toegang", views.break_glass_review, name="break_glass_review"),
]
