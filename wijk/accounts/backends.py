"""Password authentication with the user's organisation loaded in the same query: every page
of a signed-in user needs it (the access log names the organisation with every entry)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from wijk.accounts.models import User


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
