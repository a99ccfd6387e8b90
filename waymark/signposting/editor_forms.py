"""Forms for the catalogue editor pages and organisations' in-house resources (GOV.UK
pattern through crispy-forms-gds). Views pass `cleaned_data` to `services`."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waymark.frameworks.models import Framework, Node
from waymark.organisations.models import Region
from waymark.profiles.models import ManagerLevel

from .models import (
    CatalogueStatus,
    Coverage,
    DeliveryMode,
    Provider,
    ProviderScope,
    Qualification,
    QualificationUnit,
    Resource,
    ResourceType,
)

_SLUG_HELP = _(
    "Lower-case letters, numbers and hyphens. It identifies the entry in imports and "
    "exports, so it cannot be changed later."
)


def _url_field() -> forms.URLField:
    return forms.URLField(
        label=_("Web address"), max_length=500, required=False, assume_scheme="https"
    )


def _tidy_choices(form: forms.BaseForm, blank_labels: dict[str, Any]) -> None:
    """Radios offer no "---------" choice when an answer is required; an optional choice
    says in words what leaving it empty means."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
            continue
        if isinstance(field, forms.MultipleChoiceField):
            continue
        choices = list(field.choices)  # type: ignore[arg-type]
        if not choices or choices[0][0] != "":
            continue
        if field.required:
            field.choices = choices[1:]
        elif name in blank_labels:
            field.choices = [("", blank_labels[name]), *choices[1:]]


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _checkboxes(label: Any, choices: Any, help_text: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class _CostsMixin(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("cost_from"), data.get("cost_to")
        if low is not None and high is not None and high < low:
            self.add_error(
                "cost_to", _("The cost up to must be the same as or more than the cost from")
            )
        scqf = data.get("scqf_level")
        if scqf is not None and not 1 <= scqf <= 12:
            self.add_error("scqf_level", _("Enter an SCQF level from 1 to 12, or leave it empty"))
        if data.get("historical") and not data.get("historical_as_of"):
            self.add_error(
                "historical_as_of",
                _("Enter the year or date a historical entry is described as of, like 2006"),
            )
        return data


class _SlugMixin(forms.ModelForm):
    """The slug is asked for when an entry is created and shown, fixed, afterwards."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].help_text = _SLUG_HELP
            if self.instance.pk:
                self.fields["slug"].disabled = True
                self.fields["slug"].help_text = _("Fixed: imports and exports match entries by it.")


class ResourceForm(_SlugMixin, _CostsMixin):
    url = _url_field()
    manager_levels = _checkboxes(
        _("For manager levels"),
        ManagerLevel.choices,
        _("Leave all unticked if it suits any level."),
    )
    regions = _checkboxes(
        _("Regions"), Region.choices, _("Leave all unticked if it is available anywhere or online.")
    )

    class Meta:
        model = Resource
        fields = [
            "slug",
            "title",
            "resource_type",
            "description",
            "provider",
            "url",
            "delivery_mode",
            "cost_from",
            "cost_to",
            "cost_note",
            "hours",
            "duration",
            "scqf_level",
            "manager_levels",
            "regions",
            "source",
            "historical",
            "historical_as_of",
            "status",
        ]
        widgets = {
            "description": _textarea(),
            "resource_type": forms.RadioSelect,
            "delivery_mode": forms.RadioSelect,
            "status": forms.RadioSelect,
        }
        help_texts = {
            "description": _("What it is and what a manager gets from it, in 1 to 4 sentences."),
            "cost_from": _("Whole pounds. Enter 0 for free; leave empty if not known."),
            "hours": _("Notional hours of learning, such as 3 or 7.5."),
            "duration": _("In words, such as “10 months” or “one day”."),
            "source": _("Where this entry comes from."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Provider.objects.filter(organisation__isnull=True).order_by("name")
        field.empty_label = _("No provider")
        _tidy_choices(self, {})


class InhouseResourceForm(_CostsMixin):
    url = _url_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy_choices(self, {})

    manager_levels = _checkboxes(
        _("For manager levels"),
        ManagerLevel.choices,
        _("Leave all unticked if it suits any level."),
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "resource_type",
            "description",
            "url",
            "delivery_mode",
            "cost_from",
            "cost_to",
            "cost_note",
            "hours",
            "duration",
            "manager_levels",
        ]
        widgets = {
            "description": _textarea(),
            "resource_type": forms.RadioSelect,
            "delivery_mode": forms.RadioSelect,
        }
        help_texts = {
            "description": _("What it is and what a manager gets from it, in 1 to 4 sentences."),
            "url": _("A page on your intranet or learning system, if it has one."),
            "cost_from": _("Whole pounds. Enter 0 for free; leave empty if not known."),
            "hours": _("Notional hours of learning, such as 3 or 7.5."),
        }


class ProviderForm(_SlugMixin):
    url = _url_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy_choices(self, {"region": _("No region (national)")})

    class Meta:
        model = Provider
        fields = [
            "slug",
            "name",
            "scope",
            "region",
            "url",
            "description",
            "source",
            "historical",
            "historical_as_of",
            "status",
        ]
        widgets = {
            "description": _textarea(),
            "scope": forms.RadioSelect,
            "status": forms.RadioSelect,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") in (ProviderScope.REGIONAL, ProviderScope.LOCAL) and not data.get(
            "region"
        ):
            self.add_error("region", _("Choose the region of a regional or local provider"))
        if data.get("historical") and not data.get("historical_as_of"):
            self.add_error(
                "historical_as_of",
                _("Enter the year or date a historical entry is described as of, like 2006"),
            )
        return data


class QualificationForm(_SlugMixin, _CostsMixin):
    url = _url_field()
    manager_levels = _checkboxes(
        _("For manager levels"),
        ManagerLevel.choices,
        _("Leave all unticked if it suits any level."),
    )
    providers = forms.ModelMultipleChoiceField(
        label=_("Providers"),
        queryset=Provider.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Qualification
        fields = [
            "slug",
            "title",
            "awarding_body",
            "description",
            "scqf_level",
            "credit_points",
            "hours",
            "duration",
            "cost_from",
            "cost_to",
            "cost_note",
            "delivery_mode",
            "required_by",
            "manager_levels",
            "url",
            "source",
            "historical",
            "historical_as_of",
            "status",
        ]
        widgets = {
            "description": _textarea(),
            "required_by": _textarea(2),
            "delivery_mode": forms.RadioSelect,
            "status": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["providers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Provider.objects.filter(organisation__isnull=True).order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["providers"] = list(self.instance.providers.values_list("pk", flat=True))
        _tidy_choices(self, {"delivery_mode": _("Not stated")})


def resolve_node(framework_slug: str, code: str) -> Node | None:
    """The item with this code in the framework's current edition."""
    return (
        Node.objects.select_related("edition__framework")
        .filter(edition__framework__slug=framework_slug, edition__is_current=True, code=code)
        .order_by("path", "id")
        .first()
    )


_NODE_LINE = re.compile(r"^\s*([a-z0-9-]+)\s*[:\s]\s*(\S+)\s*$")


class UnitForm(forms.ModelForm):
    node_lines = forms.CharField(
        label=_("Framework items this unit covers"),
        required=False,
        widget=_textarea(5),
        help_text=_(
            "One a line: the framework's short name and the item's code, such as "
            "middle-manager-llf:MM3.04. Items are looked up in the framework's current edition."
        ),
    )

    class Meta:
        model = QualificationUnit
        fields = ["code", "title", "mandatory", "credit_points"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nodes: list[Node] = []
        if self.instance.pk and not self.is_bound:
            self.initial["node_lines"] = "\n".join(
                f"{n.edition.framework.slug}:{n.code}"
                for n in self.instance.nodes.select_related("edition__framework")
            )

    def clean_node_lines(self) -> str:
        text: str = self.cleaned_data.get("node_lines", "")
        problems: list[str] = []
        nodes: list[Node] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            match = _NODE_LINE.match(line)
            if not match:
                problems.append(
                    str(
                        _(
                            "Line %(n)d: write the framework's short name and the code, like middle-manager-llf:MM3.04"
                        )
                    )
                    % {"n": number}
                )
                continue
            node = resolve_node(match.group(1), match.group(2))
            if node is None:
                problems.append(
                    str(_("Line %(n)d: no item %(code)s in the current edition of %(framework)s"))
                    % {"n": number, "code": match.group(2), "framework": match.group(1)}
                )
                continue
            if node not in nodes:
                nodes.append(node)
        if problems:
            raise ValidationError(problems)
        self.nodes = nodes
        return text


class TagForm(forms.Form):
    """Tag a resource with a framework item, chosen by framework and code."""

    framework = forms.ChoiceField(label=_("Framework"))
    code = forms.CharField(
        label=_("Item code"),
        max_length=100,
        help_text=_("Such as MM3.04. Search the standards below if you do not know it."),
    )
    coverage = forms.ChoiceField(
        label=_("How well does the resource cover it?"),
        choices=Coverage.choices,
        initial=Coverage.MAIN,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a framework")),
            *Framework.objects.filter(editions__is_current=True)
            .order_by("title")
            .values_list("slug", "title"),
        ]
        self.node: Node | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        framework, code = data.get("framework"), (data.get("code") or "").strip()
        if framework and code:
            self.node = resolve_node(framework, code)
            if self.node is None:
                self.add_error(
                    "code",
                    _("There is no item %(code)s in the current edition of this framework")
                    % {"code": code},
                )
        return data


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a catalogue file"),
        help_text=_(
            "JSON or YAML in the catalogue format, or a CSV of providers, resources or "
            "qualifications. A file with any problem imports nothing."
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check the file: do not import it"), required=False)


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or short name contains"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *CatalogueStatus.choices],
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any type"))])

    def __init__(self, *args: Any, kinds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["kind"].choices = [("", _("Any type")), *kinds]  # type: ignore[attr-defined]
        else:
            del self.fields["kind"]

    def apply(self, qs: Any, *, title: str, kind_field: str | None = None) -> Any:
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("q"):
            qs = qs.filter(Q(**{f"{title}__icontains": data["q"]}) | Q(slug__icontains=data["q"]))
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if kind_field and data.get("kind"):
            qs = qs.filter(**{kind_field: data["kind"]})
        return qs


RESOURCE_KINDS = ResourceType.choices
DELIVERY_MODES = DeliveryMode.choices
