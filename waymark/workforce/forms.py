from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.frameworks.forms import GDSDateField
from waymark.signposting.models import Qualification

from .models import (
    AgeBand,
    Disability,
    Ethnicity,
    Gender,
    ManagerLevel,
    QualificationStatus,
    ServiceArea,
    Team,
)

NOT_SET = [("", _("Not recorded"))]


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the team or service"),
        max_length=200,
        error_messages={"required": _("Enter the name of the team or service")},
    )


class RecordForm(forms.Form):
    manager_level = forms.ChoiceField(
        label=_("Manager level"),
        choices=NOT_SET + list(ManagerLevel.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    service_area = forms.ChoiceField(
        label=_("Service area"),
        choices=NOT_SET + list(ServiceArea.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    team = forms.TypedChoiceField(
        label=_("Team or service"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a team or service from the list")},
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {t.pk: t for t in teams}
        self.fields["team"].choices = [("", _("None"))] + [(t.pk, t.name) for t in teams]  # type: ignore[attr-defined]

    def chosen_team(self) -> Team | None:
        pk = self.cleaned_data.get("team")
        return self.teams.get(pk) if pk else None


class QualificationForm(forms.Form):
    qualification = forms.ModelChoiceField(
        label=_("Qualification from the catalogue"),
        queryset=Qualification.objects.none(),
        required=False,
        empty_label=_("Not in the catalogue: I will name it below"),
        error_messages={"invalid_choice": _("Choose a qualification from the list")},
    )
    title = forms.CharField(
        label=_("Or name the qualification"),
        max_length=300,
        required=False,
        help_text=_("For example “BA (Hons) Social Work”"),
    )
    status = forms.ChoiceField(
        label=_("Held or being studied?"),
        choices=QualificationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the qualification is held or being studied")},
    )
    achieved_on = GDSDateField(
        label=_("Achieved on (if held)"), required=False, help_text=_("For example, 27 3 2019")
    )
    expected_on = GDSDateField(
        label=_("Expected to finish (if being studied)"),
        required=False,
        help_text=_("For example, 31 7 2027"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["qualification"].queryset = Qualification.objects.filter(  # type: ignore[attr-defined]
            status="published"
        ).order_by("title")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("qualification") and not (data.get("title") or "").strip():
            self.add_error("title", _("Choose a qualification from the catalogue, or name it"))
        if data.get("qualification") and (data.get("title") or "").strip():
            self.add_error("title", _("Choose from the catalogue or name it, not both"))
        return data


def _choices(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Not answered")), *list(choices)]


class DiversityForm(forms.Form):
    gender = forms.ChoiceField(
        label=_("What is your gender?"),
        choices=_choices(Gender.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    ethnicity = forms.ChoiceField(
        label=_("What is your ethnic group?"),
        choices=_choices(Ethnicity.choices),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The high-level groups of the 2021 census of England and Wales."),
    )
    disability = forms.ChoiceField(
        label=_("Do you consider yourself to have a disability?"),
        choices=_choices(Disability.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    age_band = forms.ChoiceField(
        label=_("What is your age?"),
        choices=_choices(AgeBand.choices),
        required=False,
        widget=forms.RadioSelect,
    )
