"""Pages of a list: `limit` (1 to MAX_LIMIT, default DEFAULT_LIMIT) and `offset` (from 0).
A value that is not such a number is a 400 problem, never silently replaced: the caller
would otherwise page through something other than they asked for."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from wijk.core.params import INTEGER_MAX, parse_int

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class ApiPagination(LimitOffsetPagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def _number(self, request: Request, name: str, *, minimum: int, maximum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        number = parse_int(raw, minimum=minimum, maximum=maximum)
        if number is None:
            raise ValidationError(
                {
                    name: [
                        _("Geef een heel getal van %(min)s tot en met %(max)s.")
                        % {"min": minimum, "max": maximum}
                    ]
                }
            )
        return number

    def get_limit(self, request: Request) -> int:
        number = self._number(request, self.limit_query_param, minimum=1, maximum=MAX_LIMIT)
        return DEFAULT_LIMIT if number is None else number

    def get_offset(self, request: Request) -> int:
        number = self._number(request, self.offset_query_param, minimum=0, maximum=INTEGER_MAX)
        return 0 if number is None else number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": "Hoeveel resultaten op een pagina.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_LIMIT,
                    "default": DEFAULT_LIMIT,
                },
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "Vanaf het hoeveelste resultaat (het eerste is 0).",
                "schema": {"type": "integer", "minimum": 0, "maximum": INTEGER_MAX, "default": 0},
            },
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated: dict[str, Any] = super().get_paginated_response_schema(schema)
        properties = paginated["properties"]
        properties["count"]["description"] = "Hoeveel resultaten er in totaal zijn."
        properties["next"]["description"] = "De volgende pagina; leeg op de laatste."
        properties["next"]["example"] = (
            "https://wijk.example.nl/api/v1/indicatoren?limit=100&offset=200"
        )
        properties["previous"]["description"] = "De vorige pagina; leeg op de eerste."
        properties["previous"]["example"] = "https://wijk.example.nl/api/v1/indicatoren?limit=100"
        return paginated
