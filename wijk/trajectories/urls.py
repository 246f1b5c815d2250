from django.urls import path

from wijk.trajectories import views

app_name = "trajectories"
urlpatterns = [
    path("", views.trajectory_list, name="list"),
    path("bijna-18", views.turning_18, name="turning_18"),
    path("starten", views.start, name="start"),
    path("<id:pk>", views.detail, name="detail"),
    path("<id:pk>/status", views.transition, name="transition"),
    path("<id:pk>/zrm", views.zrm, name="zrm"),
    path("<id:pk>/regisseur", views.coordinator, name="coordinator"),
]
