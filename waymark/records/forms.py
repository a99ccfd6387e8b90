"""The record page's one form: what to put in the PDF record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waymark.cpd.models import Entry, Visibility
from waymark.frameworks.forms import GDSDateField

from .record import SECTIONS, RecordOptions

SECTION_CHOICES = [
    ("pms", _("Person management specification (the current revision)")),
    ("gaps", _("Gap analysis from the latest completed self-assessment, with its charts")),
    ("plan", _("Development plan: objectives, planned learning, milestones and agreement")),
    ("cpd", _("CPD record: the learning log, with hours and credits")),
]
assert tuple(k for k, _label in SECTION_CHOICES) == SECTIONS

MESSAGES = {
    "sections_required": _("Choose at least one part to include in your record"),
    "period_order": _("The end date must be the same as or after the start date"),
    "reflections_required": _(
        "Choose at least one entry whose reflections to include, or untick “Include my reflections”"
    ),
    "reflection_not_yours": _("Choose entries from the list"),
}


def entry_label(entry: Entry) -> str:
    label = f"{date_format(entry.date, 'j M Y')}: {entry.title}"
    if entry.visibility == Visibility.PRIVATE:
        label += " " + gettext("(private)")
    return label


class RecordForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label=_("What to include"),
        choices=SECTION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=list(SECTIONS),
        error_messages={
            "required": MESSAGES["sections_required"],
            "invalid_choice": MESSAGES["sections_required"],
        },
    )
    date_from = GDSDateField(
        label=_("CPD entries from (optional)"),
        required=False,
        help_text=_("Leave both dates empty for every entry. For example, 1 4 2026."),
    )
    date_to = GDSDateField(
        label=_("CPD entries up to (optional)"),
        required=False,
        help_text=_("For example, 31 3 2027."),
    )
    include_reflections = forms.BooleanField(
        label=_("Include my reflections"),
        required=False,
        help_text=_(
            "What happened, what you learnt, how you will use it and the difference for "
            "people who use services. They are yours, including those of private "
            "entries: only what you choose goes into the record."
        ),
    )
    reflection_entries = forms.TypedMultipleChoiceField(
        label=_("Entries whose reflections to include"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Untick any entry whose reflections you want to leave out. Entries outside "
            "the dates above are not in the record."
        ),
        error_messages={"invalid_choice": MESSAGES["reflection_not_yours"]},
    )

    def __init__(self, *args: Any, entries: Sequence[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reflection_entries"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(e.pk, entry_label(e)) for e in entries]
        field.initial = [e.pk for e in entries]
        self.has_reflections = bool(entries)
        if not entries:
            self.fields["include_reflections"].disabled = True
            self.fields["include_reflections"].help_text = _(
                "None of your CPD entries has a reflection written yet."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", MESSAGES["period_order"])
        if (
            data.get("include_reflections")
            and "reflection_entries" not in self.errors
            and not data.get("reflection_entries")
        ):
            self.add_error("reflection_entries", MESSAGES["reflections_required"])
        return data

    def options(self) -> RecordOptions:
        data = self.cleaned_data
        include = bool(data.get("include_reflections"))
        return RecordOptions(
            sections=frozenset(data["sections"]),
            cpd_from=data.get("date_from"),
            cpd_to=data.get("date_to"),
            include_reflections=include,
            reflection_entry_ids=frozenset(data.get("reflection_entries") or ()),
        )
