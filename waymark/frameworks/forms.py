"""Forms for the standards editor pages, in the GOV.UK pattern (crispy-forms-gds).

ModelForms here are used for their fields and validation only: views pass
`form.cleaned_data` to the service functions, which read a fresh copy of the row, so the
instance a ModelForm mutates while validating is never saved."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Edition, EditionStatus, Framework, MappingKind, Node
from .services import MAX_SEQUENCE, descendant_ids, mappings_between

RESERVED_SLUGS = frozenset(
    {"new", "search", "import", "export", "interchange", "editions", "items", "mappings"}
)

KIND_CHOICES = [
    (MappingKind.EXACT.value, _("Exact match: the two items say the same thing")),
    (MappingKind.BROADER.value, _("Broader: the other item is wider and contains this one")),
    (MappingKind.NARROWER.value, _("Narrower: this item is wider and contains the other one")),
    (MappingKind.RELATED.value, _("Related: they overlap, but neither contains the other")),
]


class GDSDateField(DateInputField):
    """The GOV.UK date input (day, month, year) with messages in plain words."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.error_messages.update(
            {
                "required": _("Enter the day, month and year"),
                "incomplete": _("Enter the day, month and year"),
            }
        )
        for sub, missing in zip(
            self.fields,
            (_("Enter the day"), _("Enter the month"), _("Enter the year")),
            strict=True,
        ):
            sub.error_messages["incomplete"] = missing
            # Non-numbers are caught by `compress`, with one message for the whole date.
            sub.validators = [v for v in sub.validators if not hasattr(v, "regex")]

    def compress(self, data_list: Any) -> datetime.date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return datetime.date(day=int(day), month=int(month), year=int(year))
        except (TypeError, ValueError) as e:
            raise ValidationError(
                _("The date must be a real date, like 1 3 2015"), code="invalid"
            ) from e


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


EDITION_FORM_FIELDS = [
    "title",
    "short_title",
    "publisher",
    "version",
    "publication_date",
    "kind",
    "assesses",
    "description",
    "source",
    "official_source_url",
    "licence",
    "historical",
]


class EditionForm(forms.ModelForm):
    official_source_url = forms.URLField(
        label=_("Official source web address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Optional. Where the publisher keeps the original, for example "
            "https://www.sssc.uk.com/."
        ),
    )
    publication_date = GDSDateField(
        label=_("Date of publication"),
        required=False,
        help_text=_(
            "Of the original, as far as it is known. For example, 1 3 2015. "
            "Use day 1 where only the month is known."
        ),
    )

    class Meta:
        model = Edition
        fields = EDITION_FORM_FIELDS
        widgets = {
            "kind": forms.RadioSelect,
            "assesses": forms.RadioSelect,
            "description": _textarea(5),
            "source": _textarea(3),
            "licence": _textarea(3),
        }
        labels = {
            "version": _("Edition"),
            "assesses": _("Who it assesses"),
            "historical": _(
                "Historical: described by the sources but since replaced or no longer maintained"
            ),
        }
        help_texts = {
            "short_title": _(
                "Optional. Used where space is tight, for example “Middle Manager framework”."
            ),
            "version": _("The publisher's version label, for example 2015 or 2nd edition."),
            "source": _("Where the text comes from: the document, its authors and date."),
            "licence": _("Who holds the rights and how the text may be used."),
            "historical": "",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "assesses"):
            field = self.fields[name]
            field.choices = [c for c in field.choices if c[0]]  # type: ignore[attr-defined]
        self.fields["publisher"].error_messages["required"] = _("Enter the publisher")
        self.fields["title"].error_messages["required"] = _("Enter the title")
        self.fields["kind"].error_messages["required"] = _("Choose what kind of framework it is")


class FrameworkCreateForm(EditionForm):
    slug = forms.SlugField(
        label=_("Short name for web addresses"),
        max_length=100,
        help_text=_(
            "Lower-case letters, numbers and hyphens, for example middle-manager-llf. "
            "It cannot be changed later."
        ),
        error_messages={
            "required": _("Enter a short name for web addresses"),
            "invalid": _("Use only lower-case letters, numbers and hyphens"),
        },
    )
    status = forms.ChoiceField(
        label=_("Publish it now?"),
        choices=[
            (EditionStatus.DRAFT.value, _("No, keep it as a draft that only editors can see")),
            (EditionStatus.PUBLISHED.value, _("Yes, publish it for everyone")),
        ],
        initial=EditionStatus.DRAFT.value,
        widget=forms.RadioSelect,
    )

    class Meta(EditionForm.Meta):
        fields = ["title", "slug", *EDITION_FORM_FIELDS[1:]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["title", "slug", *EDITION_FORM_FIELDS[1:], "status"])

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("“%(slug)s” is used by Waymark itself; choose another"), params={"slug": slug}
            )
        if Framework.objects.filter(slug=slug).exists():
            raise ValidationError(_("A framework with this short name already exists"))
        return slug


class EditionNewForm(forms.Form):
    version = forms.CharField(
        label=_("Edition"),
        max_length=50,
        help_text=_("The version label of the new edition, for example 2026."),
        error_messages={"required": _("Enter the edition of the new version")},
    )
    title = forms.CharField(
        label=_("Title"), max_length=300, error_messages={"required": _("Enter the title")}
    )
    publication_date = GDSDateField(
        label=_("Date of publication"),
        required=False,
        help_text=_("Optional. For example, 1 3 2026."),
    )

    def __init__(self, *args: Any, source: Edition, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"title": source.title})
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_version(self) -> str:
        version = self.cleaned_data["version"].strip()
        if Edition.objects.filter(
            framework_id=self.source.framework_id, version__iexact=version
        ).exists():
            raise ValidationError(
                _("This framework already has an edition %(version)s"), params={"version": version}
            )
        return version


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Node) -> str:
        return "\u00a0\u00a0" * obj.depth + f"{obj.code} {obj.display_title}".strip()


class NodeForm(forms.ModelForm):
    parent = ParentChoiceField(
        label=_("Placed under"),
        queryset=Node.objects.none(),
        required=False,
        empty_label=str(_("Nothing: a top-level item")),
    )
    sequence = forms.IntegerField(
        label=_("Position among the items beside it"),
        required=False,
        min_value=0,
        max_value=MAX_SEQUENCE,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        help_text=_(
            "Lower numbers come first. An item given the number of another is placed "
            "before it. Leave empty to put it last."
        ),
        error_messages={"invalid": _("Enter the position as a whole number")},
    )
    scqf_level = forms.IntegerField(
        label=_("SCQF level"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        help_text=_("Optional. A whole number from 1 to 12."),
        error_messages={"invalid": _("Enter the SCQF level as a whole number from 1 to 12")},
    )

    class Meta:
        model = Node
        fields = [
            "parent",
            "code",
            "title",
            "statement",
            "item_type_label",
            "competence_type",
            "functional_area",
            "scqf_level",
            "is_central",
            "notes",
            "sequence",
        ]
        widgets = {
            "code": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            "statement": _textarea(5),
            "notes": _textarea(3),
        }
        labels = {
            "title": _("Short title"),
            "item_type_label": _("Type of item"),
            "is_central": _("Central to the framework"),
        }
        help_texts = {
            "code": _("Unique within this edition, for example MM1.04."),
            "title": _("Optional. A heading for the item, for example the name of a domain."),
            "item_type_label": _(
                "The framework's own word for it, for example Domain, "
                "Learning outcome or Capability."
            ),
            "notes": _("Optional. Anything else the source says about this item."),
        }

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        parents = edition.nodes.order_by("path", "id").only(
            "id", "code", "title", "statement", "depth", "parent_id"
        )
        if self.instance.pk:
            parents = parents.exclude(pk__in={self.instance.pk, *descendant_ids(self.instance)})
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["code"].required = True
        self.fields["code"].error_messages["required"] = _("Enter the item's code")
        self.fields["statement"].error_messages["required"] = _("Enter the statement")
        for name, empty in (("competence_type", _("Not set")), ("functional_area", _("Not set"))):
            field = self.fields[name]
            field.choices = [("", empty), *[c for c in field.choices if c[0]]]  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        clash = Node.objects.filter(edition=self.edition, code__iexact=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(
                _("Another item in this edition already has the code %(code)s"),
                params={"code": code},
            )
        return code

    def clean_scqf_level(self) -> int | None:
        level = self.cleaned_data.get("scqf_level")
        if level is not None and not 1 <= level <= 12:
            raise ValidationError(_("Enter the SCQF level as a whole number from 1 to 12"))
        return level

    def clean_statement(self) -> str:
        statement = self.cleaned_data["statement"].strip()
        if not statement:
            raise ValidationError(_("Enter the statement"))
        return statement


class MappingForm(forms.Form):
    """Map an item to another: chosen from search results (`target`), or named by framework
    and code (in the framework's current edition)."""

    target = forms.UUIDField(required=False, widget=forms.HiddenInput)
    framework = forms.ModelChoiceField(
        label=_("Framework of the other item"),
        queryset=Framework.objects.none(),
        required=False,
        empty_label=str(_("Choose a framework")),
    )
    code = forms.CharField(
        label=_("Code of the other item"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        help_text=_("For example C3. Or find the item with the search above."),
    )
    kind = forms.ChoiceField(
        label=_("How does the other item relate to this one?"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the other item relates to this one")},
    )
    confirmed = forms.BooleanField(
        label=_("Confirmed: the mapping has been checked and agreed"), required=False
    )
    note = forms.CharField(
        label=_("Reasoning"),
        required=False,
        widget=_textarea(3),
        help_text=_("One or two lines in plain words: why the two items match."),
    )

    def __init__(self, *args: Any, from_node: Node, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.from_node = from_node
        self.to_node: Node | None = None
        self.chosen = self._target_node()
        if self.chosen is not None:
            # Chosen from search results: no need to name it again.
            del self.fields["framework"], self.fields["code"]
        else:
            frameworks = Framework.objects.public().filter(editions__is_current=True)
            self.fields["framework"].queryset = frameworks.order_by("title")  # type: ignore[attr-defined]

    def _target_node(self) -> Node | None:
        """The node chosen in search results, if the bound or initial data name one."""
        raw = self.data.get("target") if self.is_bound else self.initial.get("target")
        if not raw:
            return None
        try:
            return Node.objects.public().select_related("edition__framework").get(identifier=raw)
        except (Node.DoesNotExist, ValidationError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        to_node: Node | None = None
        if self.chosen is not None:
            to_node = self.chosen
        else:
            framework = data.get("framework")
            code = (data.get("code") or "").strip()
            if framework is None:
                self.add_error("framework", _("Choose the framework of the other item"))
            if not code:
                self.add_error("code", _("Enter the code of the other item"))
            if framework is None or not code:
                return data
            nodes = (
                Node.objects.public()
                .select_related("edition__framework")
                .filter(edition__framework=framework, edition__is_current=True)
            )
            to_node = nodes.filter(code=code).first() or nodes.filter(code__iexact=code).first()
            if to_node is None:
                self.add_error(
                    "code",
                    _("There is no item %(code)s in the current edition of %(framework)s")
                    % {"code": code, "framework": framework.title},
                )
                return data
        where = "code" if "code" in self.fields else None
        if to_node.pk == self.from_node.pk:
            self.add_error(where, _("An item cannot be mapped to itself; choose another item"))
            return data
        if next(iter(mappings_between(self.from_node, to_node)), None) is not None:
            self.add_error(where, _("These items are already mapped; change that mapping instead"))
            return data
        self.to_node = to_node
        return data


class MappingEditForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How does the other item relate to this one?"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the other item relates to this one")},
    )
    confirmed = forms.BooleanField(
        label=_("Confirmed: the mapping has been checked and agreed"), required=False
    )
    note = forms.CharField(label=_("Reasoning"), required=False, widget=_textarea(3))
