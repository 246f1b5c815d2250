"""Area management for administrators: wijken per CBS year with their buurten, and the
stadsdelen the wijken are grouped into."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import ManageRequest, manage_required
from wijk.areas.forms import DistrictCreateForm, DistrictForm, WijkDistrictForm
from wijk.areas.models import District, Wijk
from wijk.areas.selectors import wijk_newest_year
from wijk.areas.services import district_create, district_rename, wijk_set_district
from wijk.core.errors import ValidationFailed


@manage_required
@require_GET
def wijk_list(request: ManageRequest) -> HttpResponse:
    wijken = (
        Wijk.objects.select_related("district")
        .annotate(buurt_count=Count("buurten"))
        .order_by("-source_year", "code")
    )
    return render(request, "areas/wijk_list.html", {"wijken": wijken})


@manage_required
@require_GET
def wijk_detail(request: ManageRequest, pk: int) -> HttpResponse:
    wijk = get_object_or_404(Wijk.objects.select_related("district", "municipality"), pk=pk)
    buurten = wijk.buurten.order_by("code")
    return render(request, "areas/wijk_detail.html", {"wijk": wijk, "buurten": buurten})


@manage_required
@require_http_methods(["GET", "POST"])
def wijk_edit(request: ManageRequest, pk: int) -> HttpResponse:
    wijk = get_object_or_404(Wijk, pk=pk)
    form = WijkDistrictForm(request.POST if request.method == "POST" else None, wijk=wijk)
    if request.method == "POST" and form.is_valid():
        try:
            wijk_set_district(actor=request.user, wijk=wijk, district=form.cleaned_data["district"])
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(
                request, _("Het stadsdeel van wijk %(name)s is opgeslagen.") % {"name": wijk.name}
            )
            return redirect("areas:wijk_list")
    return render(request, "areas/wijk_form.html", {"wijk": wijk, "form": form})


@manage_required
@require_GET
def district_list(request: ManageRequest) -> HttpResponse:
    year = wijk_newest_year()
    districts = (
        District.objects.select_related("municipality")
        .annotate(wijk_count=Count("wijken", filter=Q(wijken__source_year=year)))
        .order_by("name")
    )
    return render(request, "areas/district_list.html", {"districts": districts, "year": year})


@manage_required
@require_http_methods(["GET", "POST"])
def district_create_view(request: ManageRequest) -> HttpResponse:
    form = DistrictCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            district = district_create(
                actor=request.user,
                municipality=form.cleaned_data["municipality"],
                name=form.cleaned_data["name"],
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(
                request, _("Stadsdeel %(name)s is aangemaakt.") % {"name": district.name}
            )
            return redirect("areas:district_list")
    return render(request, "areas/district_form.html", {"form": form, "district": None})


@manage_required
@require_http_methods(["GET", "POST"])
def district_edit(request: ManageRequest, pk: int) -> HttpResponse:
    district = get_object_or_404(District.objects.select_related("municipality"), pk=pk)
    form = DistrictForm(
        request.POST if request.method == "POST" else None, initial={"name": district.name}
    )
    if request.method == "POST" and form.is_valid():
        old_name = district.name
        try:
            district_rename(actor=request.user, district=district, name=form.cleaned_data["name"])
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("Stadsdeel %(old)s heet nu %(new)s.") % {"old": old_name, "new": district.name},
            )
            return redirect("areas:district_list")
    return render(request, "areas/district_form.html", {"form": form, "district": district})
