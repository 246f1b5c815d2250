"""Fixtures of the API's tests: an API client with every scope and an HTTP client with its token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from wijk.accounts.models import Role, User
from wijk.api.models import ApiClient
from wijk.api.tests.factories import api_client_make, token_client


@pytest.fixture
def make_api_client(make_user: Callable[..., User]) -> Callable[..., tuple[ApiClient, str]]:
    administrator = make_user(Role.ADMINISTRATOR)

    def make(**kwargs: Any) -> tuple[ApiClient, str]:
        return api_client_make(actor=administrator, **kwargs)

    return make


@pytest.fixture
def api_token(make_api_client: Callable[..., tuple[ApiClient, str]]) -> str:
    return make_api_client()[1]


@pytest.fixture
def api(api_token: str) -> Client:
    """An HTTP client of an active API client with every scope."""
    return token_client(api_token)
