"""Reference-list management for administrators: the lists, their codes with validity, adding
a code and changing one (never its code, never deleting it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import ManageRequest, manage_required
from wijk.core.errors import ValidationFailed
from wijk.reference.forms import CodeCreateForm, CodeForm
from wijk.reference.models import Code, CodeList
from wijk.reference.services import code_create, code_update

_FIELDS = ["label_nl", "label_en", "parent", "valid_from", "valid_until", "sort_order"]


@manage_required
@require_GET
def list_index(request: ManageRequest) -> HttpResponse:
    today = timezone.localdate()
    valid_today = Q(codes__valid_from__lte=today) & (
        Q(codes__valid_until__isnull=True) | Q(codes__valid_until__gte=today)
    )
    code_lists = CodeList.objects.annotate(
        code_count=Count("codes"), valid_count=Count("codes", filter=valid_today)
    ).order_by("name_nl")
    return render(request, "reference/list_index.html", {"code_lists": code_lists})


@manage_required
@require_GET
def list_detail(request: ManageRequest, slug: str) -> HttpResponse:
    code_list = get_object_or_404(CodeList, slug=slug)
    codes = list(code_list.codes.select_related("parent").order_by("sort_order", "code"))
    context = {
        "code_list": code_list,
        "codes": codes,
        "has_parents": any(code.parent_id for code in codes),
        "today": timezone.localdate(),
    }
    return render(request, "reference/list_detail.html", context)


@manage_required
@require_http_methods(["GET", "POST"])
def code_create_view(request: ManageRequest, slug: str) -> HttpResponse:
    code_list = get_object_or_404(CodeList, slug=slug)
    last = code_list.codes.order_by("-sort_order").values_list("sort_order", flat=True).first()
    initial = {"valid_from": timezone.localdate(), "sort_order": (last or 0) + 10}
    form = CodeCreateForm(
        request.POST if request.method == "POST" else None, code_list=code_list, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = {name: form.cleaned_data[name] for name in _FIELDS}
        try:
            code = code_create(
                actor=request.user, code_list=code_list, code=form.cleaned_data["code"], **data
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("De code %(code)s is toegevoegd aan %(list)s.")
                % {"code": code.code, "list": code_list.name},
            )
            return redirect("reference:list_detail", slug=code_list.slug)
    context = {"form": form, "code_list": code_list, "code": None}
    return render(request, "reference/code_form.html", context)


@manage_required
@require_http_methods(["GET", "POST"])
def code_edit(request: ManageRequest, slug: str, pk: int) -> HttpResponse:
    code = get_object_or_404(Code.objects.select_related("code_list"), code_list__slug=slug, pk=pk)
    initial = {name: getattr(code, name) for name in _FIELDS}
    form = CodeForm(
        request.POST if request.method == "POST" else None,
        code_list=code.code_list,
        code=code,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = {name: form.cleaned_data[name] for name in _FIELDS}
        try:
            code_update(actor=request.user, code=code, **data)
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("De code %(code)s is opgeslagen.") % {"code": code.code})
            return redirect("reference:list_detail", slug=slug)
    context = {"form": form, "code_list": code.code_list, "code": code}
    return render(request, "reference/code_form.html", context)
