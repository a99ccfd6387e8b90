from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector", "size_band", "region"]


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("If they do not have a Waymark account yet, one is made and they can set a password through 'Forgotten your password?'."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
