"""Reads of the catalogue. `visible_resources` is the one rule for who sees which
entries: every page, search, match, export and API goes through it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from waymark.organisations.models import Organisation

from .models import CatalogueStatus, Provider, Qualification, Resource


def visible_resources(organisation: Organisation | None) -> QuerySet[Resource]:
    """Published resources anyone may see, plus the organisation's own in-house ones.
    `None` (the public gateway, a signed-out reader) gets the public catalogue only."""
    scope = Q(organisation__isnull=True)
    if organisation is not None:
        scope |= Q(organisation=organisation)
    return Resource.objects.filter(scope, status=CatalogueStatus.PUBLISHED)


def visible_providers(organisation: Organisation | None) -> QuerySet[Provider]:
    scope = Q(organisation__isnull=True)
    if organisation is not None:
        scope |= Q(organisation=organisation)
    return Provider.objects.filter(scope, status=CatalogueStatus.PUBLISHED)


def visible_qualifications() -> QuerySet[Qualification]:
    """Qualifications are national: there are no in-house ones."""
    return Qualification.objects.filter(status=CatalogueStatus.PUBLISHED)
