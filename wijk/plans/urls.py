"""The support plans, mounted at /plannen/. Every pattern has a row in
wijk/plans/tests/matrix.py."""

from django.urls import path

from wijk.plans import views

app_name = "plans"
urlpatterns = [
    # -- The plan, its versions and its coordinator
    path("nieuw", views.start, name="start"),
    path("<id:pk>", views.detail, name="detail"),
    path("<id:pk>/bewerken", views.edit, name="edit"),
    path("<id:pk>/versies", views.versions, name="versions"),
    path("<id:pk>/regisseur", views.coordinator, name="coordinator"),
    # -- Evaluations and the explanation of rights
    path("<id:pk>/evaluaties/nieuw", views.evaluation_new, name="evaluation_new"),
    path(
        "<id:pk>/evaluaties/<id:evaluation_pk>",
        views.evaluation_detail,
        name="evaluation_detail",
    ),
    path("<id:pk>/rechten", views.rights, name="rights"),
    # -- Signing
    path("<id:pk>/versies/<id:number>/ondertekenen", views.version_sign, name="version_sign"),
    path("<id:pk>/versies/<id:number>/handtekening", views.signature_file, name="signature_file"),
    path("<id:pk>/versies/<id:number>/samenvatting", views.summary_letter, name="summary_letter"),
    # -- Ending
    path("<id:pk>/afsluiten", views.end, name="end"),
]
