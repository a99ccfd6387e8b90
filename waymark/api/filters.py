"""Query-string filters of the list endpoints (django-filter)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from waymark.frameworks.models import (
    Assesses,
    Association,
    AssociationType,
    CompetenceType,
    Edition,
    EditionStatus,
    Framework,
    FrameworkKind,
    FunctionalArea,
    Node,
)


class FrameworkFilter(filters.FilterSet):
    """Filters on the framework's current edition."""

    kind = filters.ChoiceFilter(
        choices=FrameworkKind.choices, method="by_current", label=_("Kind of framework")
    )
    assesses = filters.ChoiceFilter(
        choices=Assesses.choices, method="by_current", label=_("Who it assesses")
    )
    historical = filters.BooleanFilter(method="by_current", label=_("Historical"))

    class Meta:
        model = Framework
        fields: list[str] = []

    def by_current(
        self, queryset: QuerySet[Framework], name: str, value: object
    ) -> QuerySet[Framework]:
        return queryset.filter(
            Q(editions__is_current=True) & Q(**{f"editions__{name}": value})
        ).distinct()


class EditionFilter(filters.FilterSet):
    framework = filters.CharFilter(field_name="framework__slug", label=_("Framework short name"))
    status = filters.ChoiceFilter(choices=EditionStatus.choices, label=_("Status"))
    is_current = filters.BooleanFilter(label=_("Current edition"))

    class Meta:
        model = Edition
        fields: list[str] = []


class NodeFilter(filters.FilterSet):
    edition = filters.UUIDFilter(field_name="edition__identifier", label=_("Edition identifier"))
    framework = filters.CharFilter(
        field_name="edition__framework__slug", label=_("Framework short name")
    )
    parent = filters.UUIDFilter(field_name="parent__identifier", label=_("Parent identifier"))
    top_level = filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("Top-level items only")
    )
    code = filters.CharFilter(field_name="code", lookup_expr="iexact", label=_("Code"))
    item_type = filters.CharFilter(
        field_name="item_type_label", lookup_expr="iexact", label=_("Type of item")
    )
    competence_type = filters.ChoiceFilter(
        choices=CompetenceType.choices, label=_("Competence type")
    )
    functional_area = filters.ChoiceFilter(
        choices=FunctionalArea.choices, label=_("Functional area")
    )
    scqf_level = filters.NumberFilter(label=_("SCQF level"))

    class Meta:
        model = Node
        fields: list[str] = []


class MappingFilter(filters.FilterSet):
    node = filters.UUIDFilter(method="by_node", label=_("Identifier of an item at either end"))
    type = filters.ChoiceFilter(
        field_name="association_type", choices=AssociationType.choices, label=_("Association type")
    )
    confirmed = filters.BooleanFilter(label=_("Confirmed"))
    edition = filters.UUIDFilter(field_name="edition__identifier", label=_("Edition identifier"))

    class Meta:
        model = Association
        fields: list[str] = []

    def by_node(
        self, queryset: QuerySet[Association], name: str, value: object
    ) -> QuerySet[Association]:
        return queryset.filter(Q(origin__identifier=value) | Q(destination__identifier=value))
