from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.accounts.models import User

from .models import Organisation, Role, SupportKind


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector", "size_band", "region"]


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_(
            "If they do not have a Waymark account yet, one is made and they can set a password through 'Forgotten your password?'."
        ),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)


class SupportForm(forms.Form):
    manager: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Manager"), queryset=User.objects.none()
    )
    supporter: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Supported by"), queryset=User.objects.none()
    )
    kind = forms.ChoiceField(label=_("As"), choices=SupportKind.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = (
            User.objects.filter(memberships__organisation=organisation)
            .distinct()
            .order_by("full_name", "email")
        )
        self.fields["manager"].queryset = people  # type: ignore[attr-defined]
        self.fields["supporter"].queryset = people  # type: ignore[attr-defined]
        self.fields["manager"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]
        self.fields["supporter"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("manager") and data.get("manager") == data.get("supporter"):
            self.add_error("supporter", _("Choose someone other than the manager."))
        return data
