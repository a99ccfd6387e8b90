"""The record page: the person chooses what goes into her PDF record and downloads it,
or downloads all her own data as JSON. Only the person herself: her supervisor, mentors,
coaches, L&D lead and admins get 403, anyone else 404 (`person_view`). Administrators
answering a subject access request use `waymark export-record` instead."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from waymark.accounts.models import User
from waymark.organisations.access import SELF, person_view
from waymark.organisations.decorators import org_role

from .export import to_json
from .forms import RecordForm
from .record import entries_with_reflections
from .services import record_data_export, record_pdf_export


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def download_name(person: User, extension: str) -> str:
    """waymark-record-maya-manager-2026-03-27.pdf"""
    name = slugify(person.display_name.split("@")[0]) or "person"
    return f"waymark-record-{name}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_role()
@person_view(SELF)
@never_cache
def record(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """GET: the choices. POST: the PDF, or the choices again with what was wrong."""
    organisation = request.organisation  # type: ignore[attr-defined]
    person = request.person  # type: ignore[attr-defined]
    entries = entries_with_reflections(person=person, organisation=organisation)
    form = RecordForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        pdf = record_pdf_export(
            actor=_actor(request), person=person, organisation=organisation, options=form.options()
        )
        return _download(pdf.content, "application/pdf", download_name(person, "pdf"))
    person_url = reverse(
        "organisations:person", kwargs={"org_slug": organisation.slug, "person_id": person.pk}
    )
    return render(
        request,
        "records/record.html",
        {
            "organisation": organisation,
            "person": person,
            "form": form,
            "breadcrumbs": [
                (organisation.name, reverse("organisations:dashboard", args=[organisation.slug])),
                (_("Your development"), person_url),
            ],
        },
    )


@org_role()
@person_view(SELF)
@never_cache
@require_safe
def record_data(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """All her own data in this organisation as JSON (see `export.py` for the shape)."""
    organisation = request.organisation  # type: ignore[attr-defined]
    person = request.person  # type: ignore[attr-defined]
    data = record_data_export(actor=_actor(request), person=person, organisations=[organisation])
    return _download(to_json(data), "application/json", download_name(person, "json"))
