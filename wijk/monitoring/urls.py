from django.urls import path

from wijk.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("termijnen", views.compliance, name="compliance"),
    path("wachtlijst", views.waiting, name="waiting"),
    path("instroom-uitstroom", views.flows, name="flows"),
    path("instroom-uitstroom/redenen", views.flow_reasons, name="flow_reasons"),
    path("bereik", views.reach, name="reach"),
    path("datakwaliteit", views.quality, name="quality"),
    path("dashboard", views.dashboard_page, name="dashboard"),
    path("dashboard/download", views.dashboard_download, name="dashboard_download"),
    path("dashboard/alle-cijfers", views.dashboard_everything, name="dashboard_everything"),
]
