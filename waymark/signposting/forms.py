"""Forms for the signposting pages, in the GOV.UK pattern (crispy-forms-gds): the filters
on every list of options (read from the query string, so a filtered page is a link),
a manager's learning preferences, and "add to my plan"."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.organisations.models import Region
from waymark.planning.forms import GOVUKDateField
from waymark.planning.models import ActivityType, Objective
from waymark.profiles.models import ManagerLevel

from .models import DeliveryMode, LearningPreference, Resource, ResourceType
from .search import CatalogueFilters

MAX_POUNDS = 1_000_000
MAX_HOURS = 10_000


def _whole_number(label: Any, *, name: Any, maximum: int, hint: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=maximum,
        help_text=hint,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": _("%(name)s must be a whole number, like 500") % {"name": name},
            "min_value": _("%(name)s must be 0 or more") % {"name": name},
            "max_value": _("%(name)s must be %(limit)s or less")
            % {"name": name, "limit": f"{maximum:,}"},
        },
    )


class FilterForm(forms.Form):
    """Filters for options and catalogue search, read from the query string. An invalid
    value is reported where it is and left out of the filtering; what was typed stays."""

    type = forms.MultipleChoiceField(
        label=_("Type"),
        required=False,
        choices=ResourceType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose types from the list")},
    )
    mode = forms.MultipleChoiceField(
        label=_("Way of learning"),
        required=False,
        choices=DeliveryMode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose ways of learning from the list")},
    )
    max_cost = _whole_number(
        _("Most it should cost (£)"), name=_("Most it should cost"), maximum=MAX_POUNDS
    )
    max_hours = _whole_number(
        _("Most hours it should take"), name=_("Most hours"), maximum=MAX_HOURS
    )
    region = forms.ChoiceField(
        label=_("Available in region"),
        required=False,
        choices=[("", _("Any region")), *Region.choices],
        error_messages={"invalid_choice": _("Choose a region from the list")},
    )
    manager_level = forms.ChoiceField(
        label=_("For managers at level"),
        required=False,
        choices=[("", _("Any level")), *ManagerLevel.choices],
        error_messages={"invalid_choice": _("Choose a manager level from the list")},
    )
    scqf_level = forms.IntegerField(
        label=_("SCQF level"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("From 1 to 12; a postgraduate certificate is level 11."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        error_messages={
            "invalid": _("SCQF level must be a whole number from 1 to 12"),
            "min_value": _("SCQF level must be a whole number from 1 to 12"),
            "max_value": _("SCQF level must be a whole number from 1 to 12"),
        },
    )

    def __init__(self, *args: Any, fields: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]

    def filters(self) -> CatalogueFilters:
        """The filters from the fields that are valid (all of them, normally)."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return CatalogueFilters(
            types=list(data.get("type") or []),
            modes=list(data.get("mode") or []),
            max_cost=data.get("max_cost"),
            region=data.get("region") or None,
            manager_level=data.get("manager_level") or None,
            max_hours=data.get("max_hours"),
            scqf_level=data.get("scqf_level"),
        )

    @property
    def is_filtering(self) -> bool:
        getlist = getattr(self.data, "getlist", None)
        for name in self.fields:
            values = getlist(name) if getlist else [self.data.get(name)]
            if any(values):
                return True
        return False


class SearchForm(FilterForm):
    q = forms.CharField(
        label=_("Search the catalogue"),
        required=False,
        max_length=200,
        help_text=_("Words from a title or description, for example “supervision” or “change”."),
        error_messages={"max_length": _("Search words must be 200 characters or fewer")},
    )
    field_order = ["q"]

    def query(self) -> str:
        self.is_valid()
        if "q" in self.errors:
            return ""
        return str(getattr(self, "cleaned_data", {}).get("q") or "").strip()


class LearningPreferenceForm(forms.Form):
    preferred_modes = forms.MultipleChoiceField(
        label=_("Ways of learning that suit you"),
        required=False,
        choices=DeliveryMode.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Options in these ways come first. Choose none to use the order managers "
            "told us works best: face-to-face and blended learning with others, coaching "
            "and mentoring first; reading and e-learning on your own last."
        ),
        error_messages={"invalid_choice": _("Choose ways of learning from the list")},
    )
    avoid_modes = forms.MultipleChoiceField(
        label=_("Ways of learning to avoid"),
        required=False,
        choices=DeliveryMode.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Options only offered in these ways go to the bottom of the list."),
        error_messages={"invalid_choice": _("Choose ways of learning from the list")},
    )
    max_cost = _whole_number(
        _("Most you can spend (£)"),
        name=_("Most you can spend"),
        maximum=MAX_POUNDS,
        hint=_("Leave empty if there is no limit. 0 means free learning only."),
    )
    max_hours = _whole_number(
        _("Most hours you can give"),
        name=_("Most hours you can give"),
        maximum=MAX_HOURS,
        hint=_("In all, for one piece of learning. Leave empty if there is no limit."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions you can travel to"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For face-to-face learning. Choose none to mean your organisation's region."),
        error_messages={"invalid_choice": _("Choose regions from the list")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = set(data.get("preferred_modes") or []) & set(data.get("avoid_modes") or [])
        if both:
            labels = ", ".join(str(DeliveryMode(m).label) for m in DeliveryMode if m in both)
            self.add_error(
                "avoid_modes",
                _("%(modes)s cannot be both a way that suits you and one to avoid")
                % {"modes": labels},
            )
        return data

    @classmethod
    def initial_from(cls, preference: LearningPreference | None) -> dict[str, Any]:
        if preference is None:
            return {}
        return {
            "preferred_modes": preference.preferred_modes,
            "avoid_modes": preference.avoid_modes,
            "max_cost": preference.max_cost,
            "max_hours": preference.max_hours,
            "regions": preference.regions,
        }


NEW_OBJECTIVE = "new"

# How a catalogue entry becomes a kind of planned learning.
ACTIVITY_FOR_TYPE = {
    ResourceType.ACTION_LEARNING: ActivityType.ACTION_LEARNING,
    ResourceType.MENTORING: ActivityType.MENTORING,
    ResourceType.E_LEARNING: ActivityType.E_LEARNING,
    ResourceType.COURSE: ActivityType.EXTERNAL_COURSE,
    ResourceType.PROGRAMME: ActivityType.EXTERNAL_COURSE,
    ResourceType.VIDEO: ActivityType.E_LEARNING,
    ResourceType.WEBSITE: ActivityType.E_LEARNING,
}


def activity_type_for(resource: Resource) -> str:
    """The kind of planned learning a resource most likely is (the manager may change it)."""
    if resource.resource_type == ResourceType.PROGRAMME and resource.scqf_level:
        return ActivityType.FORMAL_STUDY.value
    if resource.resource_type == ResourceType.COURSE and resource.delivery_mode in (
        DeliveryMode.SELF_DIRECTED,
    ):
        return ActivityType.E_LEARNING.value
    found = ACTIVITY_FOR_TYPE.get(ResourceType(resource.resource_type))
    if found is not None:
        return found.value
    # Reading a guide, report or book, or using a funding source, is learning at work.
    return ActivityType.WORK_BASED.value


class AddToPlanForm(forms.Form):
    objective = forms.ChoiceField(
        label=_("Which objective is this learning for?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose an objective, or start a new one"),
            "invalid_choice": _("Choose an objective from the list, or start a new one"),
        },
    )
    title = forms.CharField(
        label=_("Name of the new objective"),
        required=False,
        max_length=300,
        help_text=_(
            "Only if you chose a new objective. You can add what exactly you will do, and "
            "how you will know, afterwards."
        ),
        error_messages={
            "max_length": _("Name of the new objective must be 300 characters or fewer")
        },
    )
    target_date = GOVUKDateField(
        label=_("By when will you meet the new objective?"),
        name=_("Target date"),
        required_message=_("Enter the target date of the new objective"),
        required=False,
        help_text=_("Only if you chose a new objective. For example, 31 3 2028"),
    )
    activity_type = forms.ChoiceField(
        label=_("Type of learning"),
        choices=ActivityType.choices,
        error_messages={
            "required": _("Choose the type of learning"),
            "invalid_choice": _("Choose the type of learning from the list"),
        },
    )

    def __init__(self, *args: Any, objectives: Sequence[Objective], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objectives = {str(o.pk): o for o in objectives}
        cast(forms.ChoiceField, self.fields["objective"]).choices = [
            *[(str(o.pk), o.title) for o in objectives],
            (NEW_OBJECTIVE, _("A new objective")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("objective") == NEW_OBJECTIVE:
            if not (data.get("title") or "").strip() and "title" not in self.errors:
                self.add_error("title", _("Enter a name for the new objective"))
            target: datetime.date | None = data.get("target_date")
            if target is None and "target_date" not in self.errors:
                self.add_error("target_date", _("Enter the target date of the new objective"))
            elif target is not None and target <= timezone.localdate():
                self.add_error("target_date", _("Target date must be in the future"))
        return data

    def chosen_objective(self) -> Objective | None:
        return self.objectives.get(str(self.cleaned_data.get("objective")))
