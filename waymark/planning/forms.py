"""Forms for the development plan, in the GOV.UK pattern (crispy-forms-gds). Forms only
validate: views pass `cleaned_data` to the service functions, which re-check the rules
that matter (the target date, competences from the PMS) for the API too."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from waymark.frameworks.models import Node

from .models import ActivityType, ObjectiveStatus, PlanLevel, Route

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LONG_TEXT = 5000

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


def _month(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        n = int(text)
        return n if 1 <= n <= 12 else None
    return MONTHS.get(text)


class GOVUKDateField(forms.MultiValueField):
    """The GOV.UK date input (day, month, year) with the Design System's error messages:
    "Enter the target date", "Target date must include a month", "Target date must be a
    real date", "Year must include 4 numbers". Months may be typed as numbers or names.
    Each message is also put on the first part it concerns, so the error summary links
    to that box."""

    widget = DateInputWidget

    def __init__(
        self, *, name: StrOrPromise, required_message: StrOrPromise, **kwargs: Any
    ) -> None:
        self.name = name
        self.required_message = required_message
        parts = (
            forms.CharField(label=_("Day"), required=False),
            forms.CharField(label=_("Month"), required=False),
            forms.CharField(label=_("Year"), required=False),
        )
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields=parts, **kwargs)

    def _fail(self, message: str, part: int) -> ValidationError:
        for i, sub in enumerate(self.fields):
            sub.widget.errors = [message] if i == part else []
        return ValidationError(message, code="invalid")

    def clean(self, value: Any) -> datetime.date | None:
        for sub in self.fields:
            sub.widget.errors = []
        if not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        day, month, year = (
            str(v).strip() if v is not None else "" for v in [*value, None, None, None][:3]
        )
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.required_message, code="required")
            return None
        missing = [i for i, v in enumerate((day, month, year)) if not v]
        if missing:
            words = {
                (0,): _("%(name)s must include a day"),
                (1,): _("%(name)s must include a month"),
                (2,): _("%(name)s must include a year"),
                (0, 1): _("%(name)s must include a day and month"),
                (0, 2): _("%(name)s must include a day and year"),
                (1, 2): _("%(name)s must include a month and year"),
            }[tuple(missing)]
            raise self._fail(str(words) % {"name": self.name}, missing[0])
        month_number = _month(month)
        real = _("%(name)s must be a real date") % {"name": self.name}
        if not day.isdigit():
            raise self._fail(real, 0)
        if month_number is None:
            raise self._fail(real, 1)
        if not year.isdigit():
            raise self._fail(real, 2)
        if len(year) != 4:
            raise self._fail(str(_("Year must include 4 numbers")), 2)
        try:
            date = datetime.date(int(year), month_number, int(day))
        except ValueError:
            raise self._fail(real, 0) from None
        self.validate(date)
        self.run_validators(date)
        return date

    def compress(
        self, data_list: Any
    ) -> datetime.date | None:  # pragma: no cover - clean() does it
        return None


def _text(
    label: StrOrPromise,
    *,
    required: bool = True,
    missing: StrOrPromise = "",
    max_length: int = LONG_TEXT,
    rows: int = 4,
    hint: StrOrPromise = "",
    name: StrOrPromise = "",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": missing,
            "max_length": format_lazy(
                _("{name} must be {limit} characters or fewer"),
                name=name or label,
                limit=f"{max_length:,}",
            ),
        },
    )


# --- plans ------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    title = forms.CharField(
        label=_("Name of the plan"),
        max_length=200,
        help_text=_("For example, “My development plan 2027 to 2028”."),
        error_messages={
            "required": _("Enter a name for the plan"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    period_start = GOVUKDateField(
        label=_("When does the plan start?"),
        name=_("Start date"),
        required_message=_("Enter the date the plan starts"),
        help_text=_("For example, 1 4 2027"),
    )
    period_end = GOVUKDateField(
        label=_("When does the plan end?"),
        name=_("End date"),
        required_message=_("Enter the date the plan ends"),
        help_text=_("Most plans run for a year, until the next appraisal. For example, 31 3 2028"),
    )
    route = forms.ChoiceField(
        label=_("How would you like to build your plan?"),
        choices=Route.choices,
        widget=forms.RadioSelect,
        help_text=_("You can change this later, and use both."),
        error_messages={"required": _("Choose how you would like to build your plan")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("End date must be after the start date"))
        return data


class SwotForm(forms.Form):
    strengths = _text(
        _("Strengths"),
        required=False,
        hint=_("What you do well, and what helps you reach your goals."),
    )
    weaknesses = _text(_("Weaknesses"), required=False, hint=_("What could hold you back."))
    opportunities = _text(
        _("Opportunities"),
        required=False,
        hint=_("Chances around you: a programme, a project, a mentor, a change at work."),
    )
    threats = _text(
        _("Threats"),
        required=False,
        hint=_("What around you could get in the way: workload, staffing, funding."),
    )


class StageForm(forms.Form):
    """One stage of the guided route. The label is the page's heading (set per stage)."""

    answer = _text(_("Your answer"), required=False, rows=8, name=_("Your answer"))


class CommentForm(forms.Form):
    body = _text(_("Comment"), missing=_("Enter your comment"), rows=4, name=_("Comment"))


# --- objectives -------------------------------------------------------------------------------


class NodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Node) -> str:
        framework = obj.edition.display_title
        return f"{obj.code} {obj.display_title} ({framework})".strip()


class ObjectiveForm(forms.Form):
    title = forms.CharField(
        label=_("Objective"),
        max_length=300,
        help_text=_(
            "A short name you will recognise, for example “Lead my team through the move to the new rota”."
        ),
        error_messages={
            "required": _("Enter a short name for the objective"),
            "max_length": _("Objective must be 300 characters or fewer"),
        },
    )
    specific = _text(
        _("What exactly will you do or change?"),
        missing=_("Enter what exactly you will do or change"),
        name=_("What you will do"),
    )
    measure = _text(
        _("How will you and others know you have succeeded?"),
        missing=_("Enter how you and others will know you have succeeded"),
        name=_("How you will know"),
        hint=_("What will be different, and who will notice?"),
    )
    achievable = _text(
        _("How will you make it achievable?"),
        missing=_("Enter how you will make it achievable"),
        name=_("How you will make it achievable"),
        hint=_("The time, support and resources you have or will need."),
    )
    relevant = _text(
        _("Why does it matter to people who use services?"),
        missing=_("Enter why it matters to people who use services"),
        name=_("Why it matters"),
    )
    target_date = GOVUKDateField(
        label=_("By when?"),
        name=_("Target date"),
        required_message=_("Enter the target date"),
        help_text=_("For example, 31 3 2028"),
    )
    nodes = NodeChoiceField(
        label=_("Competences it addresses"),
        queryset=Node.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From your person management specification. Select all that apply."),
        error_messages={
            "invalid_choice": _(
                "A competence you chose is not in your current person management "
                "specification. Choose from the list."
            ),
            "invalid_pk_value": _("Choose competences from the list"),
        },
    )
    support_needed = _text(
        _("What support will you need? (optional)"),
        required=False,
        name=_("Support needed"),
        hint=_("From your supervisor, your organisation or others."),
    )
    level = forms.ChoiceField(
        label=_("Which part of your plan is it?"),
        choices=PlanLevel.choices,
        widget=forms.RadioSelect,
        initial=PlanLevel.OTHER.value,
        error_messages={"required": _("Choose which part of your plan it is")},
    )

    def __init__(
        self,
        *args: Any,
        node_ids: set[int],
        original_date: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        """`node_ids`: the competences that may be chosen; `original_date`: an existing
        objective's target date, which may stay in the past."""
        super().__init__(*args, **kwargs)
        self.original_date = original_date
        if not node_ids:
            del self.fields["nodes"]  # nothing to choose from: no PMS yet
            return
        field = self.fields["nodes"]
        assert isinstance(field, NodeChoiceField)
        field.queryset = (
            Node.objects.filter(pk__in=node_ids)
            .select_related("edition")
            .order_by("edition__framework__title", "edition_id", "path")
        )

    def clean_target_date(self) -> datetime.date | None:
        date = self.cleaned_data.get("target_date")
        if date is not None and date != self.original_date and date <= timezone.localdate():
            raise ValidationError(_("Target date must be in the future"))
        return date


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ObjectiveStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the status of the objective")},
    )


class ActivityForm(forms.Form):
    activity_type = forms.ChoiceField(
        label=_("Type of learning"),
        choices=[("", _("Choose the type of learning")), *ActivityType.choices],
        error_messages={
            "required": _("Choose the type of learning"),
            "invalid_choice": _("Choose the type of learning from the list"),
        },
    )
    description = forms.CharField(
        label=_("What will you do?"),
        max_length=500,
        help_text=_("For example, “Shadow the registered manager at Oak House for a day”."),
        error_messages={
            "required": _("Enter what you will do"),
            "max_length": _("What you will do must be 500 characters or fewer"),
        },
    )
    planned_date = GOVUKDateField(
        label=_("When? (optional)"),
        name=_("Date"),
        required=False,
        required_message=_("Enter the date"),
        help_text=_("For example, 14 9 2027"),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label=_("Milestone"),
        max_length=300,
        help_text=_("A step on the way you can tick off, for example “First action learning set”."),
        error_messages={
            "required": _("Enter the milestone"),
            "max_length": _("Milestone must be 300 characters or fewer"),
        },
    )
    due_date = GOVUKDateField(
        label=_("Date"),
        name=_("Date"),
        required_message=_("Enter the date of the milestone"),
        help_text=_("For example, 30 11 2027"),
    )


class MilestoneEditForm(MilestoneForm):
    done = forms.BooleanField(label=_("Done"), required=False)
