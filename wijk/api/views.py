"""The API's endpoints (/api/v1/): read-only, aggregates only, for API clients with the scope
each view names. Thin: parse the query, read the figures from wijk.monitoring.indicators (the
one place that computes them), answer. Every error is a problem document (wijk.api.problems)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from wijk.api.models import ApiScope
from wijk.api.pagination import ApiPagination
from wijk.api.selectors import published_set_rows
from wijk.api.serializers import (
    DefinitionSerializer,
    DeliverySerializer,
    FigureSerializer,
    FiguresQuery,
    PublishedSetSerializer,
)
from wijk.core.replica import reporting_reads
from wijk.feed.selectors import DeliveryRow, recent_deliveries
from wijk.monitoring.indicators import (
    AREA_LEVELS,
    Definition,
    IndicatorRow,
    definitions,
    indicator_codes,
    municipality_rows,
)
from wijk.monitoring.models import PublishedSet
from wijk.monitoring.selectors import published_sets

UNKNOWN_PARAMETER = _("Deze parameter kent de API niet.")
BLANK_PARAMETER = _("Leeg kan niet: geef een waarde, of laat de parameter weg.")


class ApiListView(generics.ListAPIView[Any]):
    """A paged, read-only list (ApiMiddleware logs each answer with the client's id)."""

    required_scope: ApiScope
    pagination_class = ApiPagination
    http_method_names = ["get", "head"]
    # The query parameters the view reads besides the page's; any other is a 400: a
    # misspelt one ("perode") would otherwise be ignored without a word.
    query_names: frozenset[str] = frozenset()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        known = {"limit", "offset", *self.query_names}
        unknown = sorted(name for name in request.query_params if name not in known)
        if unknown:
            raise ValidationError({name[:100]: [UNKNOWN_PARAMETER] for name in unknown})
        # An empty value is no value: leave the parameter out for its default (a blank that
        # meant the default would pass unnoticed where the client meant something else).
        blank = sorted(name for name, value in request.query_params.items() if value == "")
        if blank:
            raise ValidationError({name: [BLANK_PARAMETER] for name in blank})
        with reporting_reads():  # on the read replica, when there is one (docs/adr/0048)
            return super().list(request, *args, **kwargs)


@extend_schema(
    summary="Indicatoren",
    description=(
        "Elke versie van de definitie van elke indicator: wat telt, vanaf welke datums, "
        "welke gegevens, en vanaf welke dag de versie geldt."
    ),
    tags=["indicatoren"],
)
class IndicatorList(ApiListView):
    required_scope = ApiScope.INDICATORS
    serializer_class = DefinitionSerializer

    def get_queryset(self) -> Sequence[Definition]:  # type: ignore[override]
        return definitions()


@extend_schema(
    summary="Cijfers van een indicator",
    description=(
        "De cijfers van één indicator per periode, per gebied (stad, stadsdeel, wijk) en per "
        "categorie van de uitsplitsing, zoals de gemeente ze mag zien: kleine aantallen "
        "afgeschermd. Elke periode is berekend onder de versie van de definitie die gold op "
        "haar eerste dag. Voor een periode die gepubliceerd is, zijn het de cijfers van de "
        "nieuwste gepubliceerde set: zoals ze geleverd zijn."
    ),
    parameters=[
        FiguresQuery,
        OpenApiParameter(
            "code",
            str,
            OpenApiParameter.PATH,
            description="De code van de indicator (zie /indicatoren).",
            enum=indicator_codes(),
        ),
    ],
    tags=["indicatoren"],
)
class FigureList(ApiListView):
    required_scope = ApiScope.INDICATORS
    serializer_class = FigureSerializer
    query_names = frozenset(FiguresQuery().fields)

    def get_queryset(self) -> Sequence[IndicatorRow]:  # type: ignore[override]
        if self.kwargs["code"] not in indicator_codes():
            raise NotFound
        query = FiguresQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        level = query.validated_data.get("niveau")
        # The municipality's figures: a published set's rows for a period that has one.
        return list(
            municipality_rows(
                periods=query.validated_data["periods"],
                codes=[self.kwargs["code"]],
                levels=[level] if level else AREA_LEVELS,
            )
        )


# The deliveries listed: the newest runs, about three years of days.
DELIVERIES_LISTED = 1000


@extend_schema(
    summary="Leveringen",
    description=(
        "De leveringen van het dagelijkse bestand, de nieuwste eerst (ten hoogste de laatste "
        "1000): de dag, volledig of wijzigingen, de vormen, hoe het ging en het controlegetal "
        "van het manifest."
    ),
    tags=["leveringen"],
)
class DeliveryList(ApiListView):
    required_scope = ApiScope.DELIVERIES
    serializer_class = DeliverySerializer

    def get_queryset(self) -> Sequence[DeliveryRow]:  # type: ignore[override]
        return recent_deliveries(limit=DELIVERIES_LISTED)


# The published sets listed: the newest periods, with their corrections.
PUBLISHED_SETS_LISTED = 1000


@extend_schema(
    summary="Gepubliceerde sets",
    description=(
        "De cijfers zoals ze per periode geleverd zijn, bevroren: de nieuwste periode eerst, "
        "van elke periode de correcties eerst. Een set verandert nooit; een correctie is een "
        "nieuwe set met een hoger nummer en een reden. De cijfers van een set staan op "
        "/gepubliceerd/{id}/cijfers."
    ),
    tags=["gepubliceerd"],
)
class PublishedSetList(ApiListView):
    required_scope = ApiScope.PUBLISHED
    serializer_class = PublishedSetSerializer

    def get_queryset(self) -> Sequence[PublishedSet]:  # type: ignore[override]
        return published_sets(limit=PUBLISHED_SETS_LISTED)


@extend_schema(
    summary="Cijfers van een gepubliceerde set",
    description="De cijfers van één gepubliceerde set, precies zoals ze bevroren zijn.",
    parameters=[
        OpenApiParameter(
            "id", int, OpenApiParameter.PATH, description="Het id van de set (zie /gepubliceerd)."
        )
    ],
    tags=["gepubliceerd"],
)
class PublishedSetFigureList(ApiListView):
    required_scope = ApiScope.PUBLISHED
    serializer_class = FigureSerializer

    def get_queryset(self) -> Sequence[dict[str, Any]]:  # type: ignore[override]
        rows = published_set_rows(pk=self.kwargs["pk"])
        if rows is None:
            raise NotFound
        return rows
