from django.urls import path

from wijk.accounts import admin_views, views

app_name = "accounts"
urlpatterns = [
    path("inloggen", views.login_view, name="login"),
    path("code", views.verify_view, name="verify"),
    path("authenticator-koppelen", views.setup_view, name="setup"),
    path("uitloggen", views.logout_view, name="logout"),
    path("blijf-ingelogd", views.stay_view, name="stay"),
    path("account-openen/<str:token>", views.activate_view, name="activate"),
    path("goedkeuren/", admin_views.access_change_list, name="access_change_list"),
    path("goedkeuren/<id:pk>", admin_views.access_change_decide, name="access_change_decide"),
    path("gebruikers/", admin_views.user_list, name="user_list"),
    path("gebruikers/nieuw", admin_views.user_create_view, name="user_create"),
    path("gebruikers/<id:pk>", admin_views.user_edit, name="user_edit"),
    path("gebruikers/<id:pk>/uitschakelen", admin_views.user_disable_view, name="user_disable"),
    path("gebruikers/<id:pk>/inschakelen", admin_views.user_enable_view, name="user_enable"),
    path(
        "gebruikers/<id:pk>/authenticator-herstellen",
        admin_views.user_totp_reset_view,
        name="user_totp_reset",
    ),
]
