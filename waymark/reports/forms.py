from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.organisations.models import Organisation, Region, Sector, SizeBand
from waymark.profiles.models import ManagerLevel
from waymark.workforce.models import Team


class _Choices(forms.Form):
    def _choices(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


class OrgFilterForm(_Choices):
    team = forms.TypedChoiceField(
        label=_("Team or service"), required=False, coerce=int, empty_value=None
    )
    level = forms.ChoiceField(label=_("Manager level"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(organisation=organisation).order_by("name")
        self._choices("team").choices = [("", _("All teams"))] + [(t.pk, t.name) for t in teams]
        self._choices("level").choices = [("", _("All levels")), *ManagerLevel.choices]


class NationalFilterForm(_Choices):
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    size_band = forms.ChoiceField(label=_("Size"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("sector").choices = [("", _("All sectors")), *Sector.choices]
        self._choices("size_band").choices = [("", _("All sizes")), *SizeBand.choices]
        self._choices("region").choices = [("", _("All regions")), *Region.choices]
