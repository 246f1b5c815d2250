"""Every URL of wijk. Each pattern has a row in the authorization matrix
(wijk/core/tests/test_authorization_matrix.py); a pattern without one fails the suite."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("wijk.core.urls")),
    path("account/", include("wijk.accounts.urls")),
    path("beheer/gebieden/", include("wijk.areas.urls")),
    path("beheer/keuzelijsten/", include("wijk.reference.urls")),
    path("beheer/api-koppelingen/", include("wijk.api.admin_urls")),
    path("beheer/", include("wijk.organisations.urls")),
    path("inwoners/", include("wijk.residents.urls")),
    path("hulpvragen/", include("wijk.requests.urls")),
    path("trajecten/", include("wijk.trajectories.urls")),
    path("", include("wijk.notes.urls")),
    path("korte-contacten/", include("wijk.contacts.urls")),
    path("activiteiten/", include("wijk.activities.urls")),
    path("meldcode/", include("wijk.meldcode.urls")),
    path("", include("wijk.letters.urls")),
    path("onderzoeken/", include("wijk.investigations.urls")),
    path("plannen/", include("wijk.plans.urls")),
    path("besluiten/", include("wijk.decisions.urls")),
    path("sturing/", include("wijk.monitoring.urls")),
    path("sturing/", include("wijk.feed.urls")),
    path("", include("wijk.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("wijk.api.urls")),
]
# A page that does not exist: our 404.html, or under /api/ a problem document (RFC 9457).
handler404 = "wijk.api.problems.page_not_found"
