"""One family of domain errors, rendered as an NL Design System alert in HTML and as RFC 9457
problem details in the API. Messages are translatable and contain no personal data."""

from __future__ import annotations

from django.forms import BaseForm
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: str = "domain_error"
    status: int = 400
    message: str | Promise = _("Deze actie kan niet worden uitgevoerd.")

    def __init__(self, message: str | Promise | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class NotFoundError(DomainError):
    """Raised for a record that does not exist *or* that the user may not see: one error, so
    that the answer never tells whether a record exists."""

    code = "not_found"
    status = 404
    message = _("Dit gegeven bestaat niet of u heeft er geen toegang toe.")


class BreakGlassRequired(NotFoundError):
    """The record exists outside the user's normal access, and the role may break the glass.

    It is a NotFoundError for everyone who catches the general case; the resident views catch
    it to offer the break-the-glass form. It is raised only for roles that may break the
    glass, and only after the record's existence has been checked by the same query that
    would have found it, so it tells the user nothing the form would not."""

    code = "break_glass_required"
    status = 403
    message = _("U heeft geen vaste toegang tot dit dossier.")


class ValidationFailed(DomainError):
    code = "invalid"
    status = 400

    def __init__(
        self, message: str | Promise | None = None, *, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.fields = fields or {}

    def add_to_form(self, form: BaseForm) -> None:
        """Show the error on the form: each message at its field, the rest above the form."""
        for field, message in self.fields.items():
            form.add_error(field if field in form.fields else None, message)
        if not self.fields:
            form.add_error(None, str(self.message))


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    status = 403
    message = _("U heeft geen toegang tot deze pagina.")


class TransitionRefused(ValidationFailed):
    """A lifecycle step that the app's transition table does not allow from the record's
    current status (raised by wijk.core.workflow only)."""

    code = "transition_refused"
    message = _("Deze stap kan niet.")
