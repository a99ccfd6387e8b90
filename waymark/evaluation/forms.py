"""Forms for evaluation and action plans (GOV.UK pattern). Plain forms: each hands a
typed input to the services, which hold every rule; numbers are taken as text so that
the service answers "enter a number" the same way for pages and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.frameworks.forms import GDSDateField
from waymark.planning.models import Activity
from waymark.programmes.forms import PersonField, ServiceErrors, members_of
from waymark.programmes.models import Module, Programme

from .models import (
    ActionPlan,
    ActionPlanObjective,
    Direction,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    Indicator,
    ObjectiveStatus,
    PlanStatus,
    Purpose,
    StakeholderGroup,
)
from .services import (
    ActionPlanInput,
    EvaluationInput,
    IndicatorInput,
    ObjectiveInput,
    StakeholderInput,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.frameworks.models import Node
    from waymark.organisations.models import Organisation

RATING_CHOICES = [("", _("Not rated")), *[(str(i), str(i)) for i in range(1, 6)]]
LEVEL_CHOICES = [("", _("Not rated")), *[(str(i), str(i)) for i in range(0, 5)]]


def _text(label: Any, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


def _rating(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=RATING_CHOICES, coerce=int, empty_value=None, required=False
    )


class ModuleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.programme.title}: {obj.title}"


_FIELDS = [
    "title",
    "programme",
    "module",
    "activity",
    "kind",
    "purpose",
    "period_start",
    "period_end",
    "status",
    "learning_after",
    "reaction_rating",
    "reaction_comment",
    "manager_account",
    "findings_reactions",
    "findings_learning",
    "findings_application",
    "findings_organisation",
    "findings_stakeholders",
]


class EvaluationForm(ServiceErrors, forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    programme = forms.ModelChoiceField(
        label=_("Programme evaluated"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    module = ModuleChoice(
        label=_("Or one module of a programme"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    activity = forms.ModelChoiceField(
        label=_("Or a learning activity from your development plan"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    kind = forms.ChoiceField(
        label=_("Type of evaluation"),
        choices=EvaluationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose formative or summative")},
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose proving or improving")},
    )
    period_start = GDSDateField(label=_("Period from"), help_text=_("For example, 1 9 2026"))
    period_end = GDSDateField(label=_("Period to"), help_text=_("For example, 30 6 2027"))
    status = forms.ChoiceField(
        label=_("Status"), choices=EvaluationStatus.choices, initial=EvaluationStatus.PLANNED
    )
    learning_after = GDSDateField(
        label=_("Level 2: count self-assessment rounds completed from"),
        required=False,
        help_text=_(
            "Leave empty to use the end of the programme or period. For example, 1 3 2027."
        ),
    )
    reaction_rating = _rating(_("Level 1: how useful was the learning? (1 to 5)"))
    reaction_comment = _text(_("Level 1: your reaction to the learning"))
    manager_account = _text(_("Level 3: how have you applied the learning in your work?"), 4)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Level 4: organisation indicators"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings_reactions = _text(_("Findings: level 1, reactions"))
    findings_learning = _text(_("Findings: level 2, the learning"))
    findings_application = _text(_("Findings: level 3, application"))
    findings_organisation = _text(_("Findings: level 4, the organisation"))
    findings_stakeholders = _text(_("Findings: level 5, stakeholders"))

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        manager: User | None = None,
        instance: Evaluation | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs["initial"] = {
                **{f: getattr(instance, f) for f in _FIELDS},
                "indicators": list(instance.indicators.all()),
            }
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["programme"].queryset = Programme.objects.filter(organisation=organisation)
        fields["module"].queryset = Module.objects.filter(
            programme__organisation=organisation
        ).select_related("programme")
        if manager is None:
            for name in ("activity", "reaction_rating", "reaction_comment", "manager_account"):
                del fields[name]
            fields["indicators"].queryset = Indicator.objects.filter(organisation=organisation)
        else:
            fields["activity"].queryset = Activity.objects.filter(
                objective__plan__manager=manager, objective__plan__organisation=organisation
            )
            for name in ("indicators", "findings_organisation", "findings_stakeholders"):
                del fields[name]

    def evaluation_input(self) -> EvaluationInput:
        d = self.cleaned_data
        return EvaluationInput(
            title=d["title"],
            kind=d["kind"],
            purpose=d["purpose"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            status=d["status"],
            programme=d.get("programme"),
            module=d.get("module"),
            activity=d.get("activity"),
            learning_after=d.get("learning_after"),
            reaction_rating=d.get("reaction_rating"),
            reaction_comment=d.get("reaction_comment", ""),
            manager_account=d.get("manager_account", ""),
            findings_reactions=d.get("findings_reactions", ""),
            findings_learning=d.get("findings_learning", ""),
            findings_application=d.get("findings_application", ""),
            findings_organisation=d.get("findings_organisation", ""),
            findings_stakeholders=d.get("findings_stakeholders", ""),
            indicators=list(d.get("indicators") or []),
        )


class StakeholderForm(ServiceErrors, forms.Form):
    group = forms.ChoiceField(
        label=_("Whose views"),
        choices=StakeholderGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whose views these are")},
    )
    date = GDSDateField(label=_("Date"), help_text=_("For example, 14 5 2026"))
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("For example, a survey or a meeting. Do not give personal names."),
        error_messages={"required": _("Enter where the views came from")},
    )
    summary = forms.CharField(
        label=_("Summary of the views"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter a summary of the views")},
    )
    rating = _rating(_("Overall rating (1 to 5)"))

    def stakeholder_input(self) -> StakeholderInput:
        d = self.cleaned_data
        return StakeholderInput(
            group=d["group"],
            date=d["date"],
            source=d["source"],
            summary=d["summary"],
            rating=d.get("rating"),
        )


class RerateForm(ServiceErrors, forms.Form):
    rated_on = GDSDateField(label=_("Date of the re-rating"))

    def __init__(
        self, *args: Any, nodes: list[Node], current: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.nodes = nodes
        for node in nodes:
            self.fields[f"node_{node.pk}"] = forms.TypedChoiceField(
                label=f"{node.code} {node.display_title}".strip(),
                choices=LEVEL_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(current[node.pk]) if node.pk in current else "",
            )

    def levels(self) -> dict[Node, int | None]:
        return {n: self.cleaned_data.get(f"node_{n.pk}") for n in self.nodes}


class IndicatorForm(ServiceErrors, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("For example, staff retention"),
        error_messages={"required": _("Enter the indicator's name")},
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=40, required=False, help_text=_("For example, %")
    )
    direction = forms.ChoiceField(
        label=_("Which way is better"),
        choices=Direction.choices,
        widget=forms.RadioSelect,
        initial=Direction.UP,
    )
    target = forms.CharField(label=_("Target"), required=False, max_length=30)
    description = _text(_("Description"))

    def indicator_input(self) -> IndicatorInput:
        d = self.cleaned_data
        return IndicatorInput(
            name=d["name"],
            unit=d["unit"],
            direction=d["direction"],
            target=d["target"],
            description=d["description"],
        )


class IndicatorValueForm(ServiceErrors, forms.Form):
    date = GDSDateField(label=_("Date of the value"), help_text=_("For example, 31 3 2026"))
    value = forms.CharField(
        label=_("Value"), max_length=30, error_messages={"required": _("Enter the value")}
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ActionPlanForm(ServiceErrors, forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    aims = _text(_("Agreed aims"), 4)
    start_date = GDSDateField(label=_("Start date"))
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices)
    reports_to = PersonField(
        label=_("Reports to (a member)"),
        queryset=None,
        required=False,
        empty_label=_("Nobody chosen"),
    )
    reports_to_text = forms.CharField(
        label=_("Or reports to (anyone else)"),
        max_length=200,
        required=False,
        help_text=_("For example, the senior management team"),
    )
    evaluations = forms.ModelMultipleChoiceField(
        label=_("Evaluations this plan follows from"),
        queryset=Evaluation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    report_names = forms.MultipleChoiceField(
        label=_("Reports this plan follows from"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        reports: dict[str, str],
        instance: ActionPlan | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs["initial"] = {
                "title": instance.title,
                "aims": instance.aims,
                "start_date": instance.start_date,
                "status": instance.status,
                "reports_to": instance.reports_to,
                "reports_to_text": instance.reports_to_text,
                "evaluations": list(instance.evaluations.all()),
                "report_names": instance.report_names,
            }
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["reports_to"].queryset = members_of(organisation)
        fields["evaluations"].queryset = Evaluation.objects.filter(
            organisation=organisation, manager__isnull=True
        )
        if reports:
            fields["report_names"].choices = list(reports.items())
        else:
            del fields["report_names"]

    def plan_input(self) -> ActionPlanInput:
        d = self.cleaned_data
        return ActionPlanInput(
            title=d["title"],
            aims=d["aims"],
            start_date=d["start_date"],
            status=d["status"],
            reports_to=d.get("reports_to"),
            reports_to_text=d["reports_to_text"],
            evaluations=list(d.get("evaluations") or []),
            report_names=list(d.get("report_names") or []),
        )


class ObjectiveForm(ServiceErrors, forms.Form):
    objective = forms.CharField(
        label=_("Objective"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the objective")},
    )
    performance_indicator = forms.CharField(
        label=_("Indicator of success"), max_length=500, required=False
    )
    indicator = forms.ModelChoiceField(
        label=_("Organisation indicator (optional)"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    target = forms.CharField(
        label=_("Target"),
        max_length=200,
        required=False,
        help_text=_("For example, 90% of first line managers hold the qualification"),
    )
    target_value = forms.CharField(
        label=_("Target value (a number)"), max_length=30, required=False
    )
    due_date = GDSDateField(label=_("Timescale: due by"), help_text=_("For example, 31 3 2027"))
    responsible = PersonField(
        label=_("Responsible (a member)"),
        queryset=None,
        required=False,
        empty_label=_("Nobody chosen"),
    )
    responsible_text = forms.CharField(
        label=_("Or responsible (anyone else)"), max_length=200, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=ObjectiveStatus.choices)

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        instance: ActionPlanObjective | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs["initial"] = {
                "objective": instance.objective,
                "performance_indicator": instance.performance_indicator,
                "indicator": instance.indicator,
                "target": instance.target,
                "target_value": "" if instance.target_value is None else instance.target_value,
                "due_date": instance.due_date,
                "responsible": instance.responsible,
                "responsible_text": instance.responsible_text,
                "status": instance.status,
            }
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["indicator"].queryset = Indicator.objects.filter(organisation=organisation)
        fields["responsible"].queryset = members_of(organisation)

    def objective_input(self) -> ObjectiveInput:
        d = self.cleaned_data
        return ObjectiveInput(
            objective=d["objective"],
            performance_indicator=d["performance_indicator"],
            indicator=d.get("indicator"),
            target=d["target"],
            target_value=d["target_value"],
            due_date=d["due_date"],
            responsible=d.get("responsible"),
            responsible_text=d["responsible_text"],
            status=d["status"],
        )


class ProgressForm(ServiceErrors, forms.Form):
    date = GDSDateField(label=_("Date"))
    note = forms.CharField(
        label=_("Progress"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the progress made")},
    )
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[("", _("Unchanged")), *ObjectiveStatus.choices],
        required=False,
    )
    value = forms.CharField(label=_("Value towards the target"), max_length=30, required=False)
