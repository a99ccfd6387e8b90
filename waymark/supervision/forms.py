"""Forms for supervision and appraisal (GOV.UK pattern through crispy-forms-gds). Plain
forms: views hand the cleaned data to the services, which hold every rule again, and
a service's ValidationError is put back on the field it names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import ServiceErrorsMixin
from waymark.frameworks.forms import GDSDateField
from waymark.profiles.models import ManagerLevel

from .services import Outcome

if TYPE_CHECKING:
    from waymark.accounts.models import User


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class RecordForm(ServiceErrorsMixin, forms.Form):
    date = GDSDateField(label=_("Date of the supervision"), help_text=_("For example, 27 3 2026."))
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=_textarea(4),
        help_text=_("What you will talk about, one item a line."),
    )
    notes = forms.CharField(
        label=_("Notes of the discussion"),
        required=False,
        widget=_textarea(8),
        help_text=_("Seen by the two of you only."),
    )
    review_date = GDSDateField(
        label=_("Date the action points will be reviewed"),
        help_text=_("Usually the date of the next supervision. For example, 24 4 2026."),
    )


class ActionForm(ServiceErrorsMixin, forms.Form):
    description = forms.CharField(
        label=_("Action"), max_length=500, widget=_textarea(3), help_text=_("What is to be done.")
    )
    owner = forms.ChoiceField(
        label=_("Who will do it"),
        required=False,
        help_text=_("Choose a member of the organisation, or type a name below."),
    )
    owner_name = forms.CharField(
        label=_("Or the name of someone outside Waymark"),
        required=False,
        max_length=200,
        help_text=_("For example, a colleague in a partner agency."),
    )
    due_date = GDSDateField(label=_("By when"), help_text=_("For example, 24 4 2026."))

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [
            ("", _("Choose a person")),
            *[(str(m.pk), m.display_name) for m in members],
        ]

    def owner_user(self) -> User | None:
        return self.members.get(self.cleaned_data.get("owner") or "")


class ActionReviewForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happens to this action point?"),
        widget=forms.RadioSelect,
        choices=[
            (Outcome.DONE, _("It is done")),
            (Outcome.KEEP_OPEN, _("Keep it open with the same date")),
            (Outcome.REDATE, _("Keep it open with a new date")),
            (Outcome.DROP, _("Drop it")),
        ],
    )
    due_date = GDSDateField(
        label=_("New due date"),
        required=False,
        help_text=_("Only when you give it a new date. For example, 24 4 2026."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=_textarea(2))

    def __init__(self, *args: Any, is_open: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_open:
            outcome = self.fields["outcome"]
            assert isinstance(outcome, forms.ChoiceField)
            outcome.choices = [(Outcome.REOPEN, _("Open it again"))]


class AppraisalForm(ServiceErrorsMixin, forms.Form):
    date = GDSDateField(label=_("Date of the appraisal"), help_text=_("For example, 27 3 2026."))
    period_start = GDSDateField(
        label=_("Looking back from"),
        help_text=_("Usually the last appraisal. For example, 1 4 2025."),
    )
    period_end = GDSDateField(label=_("Looking back to"), help_text=_("For example, 31 3 2026."))
    discussion = forms.CharField(
        label=_("What you said about the period"),
        required=False,
        widget=_textarea(8),
        help_text=_("Achievements, what was hard, what the CPD record and plan show."),
    )


class PmsForm(ServiceErrorsMixin, forms.Form):
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    manager_level = forms.ChoiceField(label=_("Manager level"), choices=ManagerLevel.choices)
    job_description = forms.CharField(
        label=_("Job description"), required=False, widget=_textarea(8)
    )
    change_note = forms.CharField(
        label=_("What changed and why"),
        required=False,
        max_length=500,
        help_text=_("Left blank, it says the PMS was revised at this appraisal."),
    )


class ObjectiveForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Objective"), max_length=300)
    specific = forms.CharField(
        label=_("What exactly will be done or changed?"), widget=_textarea(3)
    )
    measure = forms.CharField(label=_("How will we know it has succeeded?"), widget=_textarea(3))
    target_date = GDSDateField(label=_("By when"), help_text=_("For example, 31 3 2027."))


class ReopenForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why does the appraisal need to change?"), max_length=500, widget=_textarea(3)
    )
