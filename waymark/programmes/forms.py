"""Forms for development programmes, in the GOV.UK pattern (crispy-forms-gds). Plain
forms: views hand their `*_input()` to the services, which hold every rule."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waymark.accounts.models import User
from waymark.core.forms import ServiceErrorsMixin
from waymark.frameworks.forms import GDSDateField
from waymark.frameworks.models import EditionStatus, Framework, Node
from waymark.planning.models import ActivityType

from .models import (
    AttendanceStatus,
    Cohort,
    GroupKind,
    GroupRole,
    Module,
    ModuleKind,
    Programme,
    ProgrammeStatus,
    Score,
    Template,
)
from .services import (
    FeedbackInput,
    GroupInput,
    ModuleInput,
    ProgrammeInput,
    SessionInput,
    TemplateInput,
)

if TYPE_CHECKING:
    from waymark.organisations.models import Organisation


ServiceErrors = ServiceErrorsMixin  # the shared helper, under the name this app uses


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.email})"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.email})"


class NodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.display_title} ({obj.edition.framework.title})".strip()


def members_of(organisation: Organisation) -> Any:
    return (
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("full_name", "email")
    )


def _time_field(label: Any, initial: datetime.time) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        initial=initial,
        help_text=_("Use the 24-hour clock, like 09:30 or 14:00."),
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input govuk-input--width-5"}),
        error_messages={
            "required": _("Enter a time, like 09:30"),
            "invalid": _("Enter a real time, like 09:30"),
        },
    )


def _days_field(help_text: Any, label: Any = None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label or _("Length in days"),
        help_text=help_text,
        max_digits=3,
        decimal_places=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the length in days, like 2 or 0.5"),
            "invalid": _("Enter the length as a number of days, like 2 or 0.5"),
            "max_decimal_places": _("Use whole or half days, like 1.5"),
            "max_digits": _("Enter the length as a number of days, like 2 or 0.5"),
        },
    )


class TemplateForm(ServiceErrors, forms.Form):
    template = forms.ChoiceField(
        label=_("Template"),
        choices=[
            (Template.MODULAR.value, Template.MODULAR.label),
            (Template.MONTHLY.value, Template.MONTHLY.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a template")},
        help_text=_(
            "Both make the modules and propose session dates; change any of them afterwards."
        ),
    )
    title = forms.CharField(
        label=_("Programme title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the programme")},
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_date = GDSDateField(
        label=_("Start date"), help_text=_("The first session. For example, 12 1 2027.")
    )
    cohort_name = forms.CharField(
        label=_("Name of the first cohort"),
        max_length=200,
        required=False,
        help_text=_("For example, “Spring 2027”. Leave empty for “Cohort 1”."),
    )
    module_count = forms.IntegerField(
        label=_("Number of further modules (introductory module template)"),
        initial=6,
        min_value=0,
        max_value=6,
        help_text=_(
            "Between the introductory module and the final review: no more than 6, "
            "spread over about ten months."
        ),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter how many further modules, from 0 to 6"),
            "invalid": _("Enter how many further modules as a whole number, from 0 to 6"),
            "max_value": _("Choose between 0 and 6 further modules"),
            "min_value": _("Choose between 0 and 6 further modules"),
        },
    )
    module_days = _days_field(
        _("At most 3 days (introductory module template)."), _("Days in each further module")
    )
    framework = forms.ModelChoiceField(
        label=_("Framework whose domains the sessions follow (monthly template)"),
        queryset=Framework.objects.none(),
        required=False,
        help_text=_(
            "One session a month for each domain, for example the nine domains of "
            "the Middle Manager framework."
        ),
    )
    start_time = _time_field(_("Sessions start at"), datetime.time(9, 30))
    end_time = _time_field(_("Sessions end at"), datetime.time(16, 30))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module_days"].initial = Decimal("2")
        self.fields["framework"].queryset = (  # type: ignore[attr-defined]
            Framework.objects.filter(editions__status=EditionStatus.PUBLISHED)
            .distinct()
            .order_by("title")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("template") == Template.MONTHLY and not data.get("framework"):
            self.add_error("framework", _("Choose the framework whose domains the sessions follow"))
        days = data.get("module_days")
        if data.get("template") == Template.MODULAR and days is not None and days > 3:
            self.add_error(
                "module_days", _("A module in this programme can be at most 3 days long")
            )
        return data

    def template_input(self) -> TemplateInput:
        d = self.cleaned_data
        return TemplateInput(
            template=d["template"],
            title=d["title"],
            description=d["description"],
            start_date=d["start_date"],
            cohort_name=d["cohort_name"],
            module_count=d["module_count"] if d.get("module_count") is not None else 6,
            module_days=d["module_days"] if d.get("module_days") is not None else Decimal("2"),
            framework=d.get("framework"),
            start_time=d["start_time"],
            end_time=d["end_time"],
            place=d["place"],
        )


class ProgrammeForm(ServiceErrors, forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ProgrammeStatus.choices, widget=forms.RadioSelect
    )
    start_date = GDSDateField(label=_("Start date"))
    end_date = GDSDateField(label=_("End date"))

    @classmethod
    def for_programme(cls, programme: Programme, data: Any = None) -> ProgrammeForm:
        return cls(
            data,
            initial={
                "title": programme.title,
                "description": programme.description,
                "status": programme.status,
                "start_date": programme.start_date,
                "end_date": programme.end_date,
            },
        )

    def programme_input(self) -> ProgrammeInput:
        d = self.cleaned_data
        return ProgrammeInput(
            title=d["title"],
            description=d["description"],
            status=d["status"],
            start_date=d["start_date"],
            end_date=d["end_date"],
        )


class ModuleForm(ServiceErrors, forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ModuleKind.choices, widget=forms.RadioSelect)
    sequence = forms.IntegerField(
        label=_("Order in the programme"),
        min_value=1,
        max_value=99,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the order as a whole number, like 3")},
    )
    days = _days_field(_("Whole or half days. A module of a modular programme is at most 3 days."))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    activity_type = forms.ChoiceField(
        label=_("Type of learning in participants' CPD records"),
        choices=ActivityType.choices,
    )
    nodes = NodeChoiceField(
        label=_("Framework domains and competences it addresses"),
        queryset=Node.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the domains (and, if you like, the outcomes) the module covers."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        # Offer the domains of the programme's framework (or of the frameworks already
        # used), and any outcomes already mapped, without listing whole frameworks.
        chosen = Node.objects.filter(programme_modules__programme=programme)
        frameworks = set(chosen.values_list("edition__framework_id", flat=True))
        if programme.framework_id:
            frameworks.add(programme.framework_id)
        if not frameworks:
            frameworks = set(
                Framework.objects.filter(slug="middle-manager-llf").values_list("pk", flat=True)
            )
        queryset = (
            Node.objects.filter(
                Q(
                    edition__framework_id__in=frameworks,
                    edition__is_current=True,
                    edition__status=EditionStatus.PUBLISHED,
                    depth=0,
                )
                | Q(pk__in=chosen.values("pk"))
            )
            .select_related("edition__framework")
            .order_by("edition__framework__title", "path")
            .distinct()
        )
        self.fields["nodes"].queryset = queryset  # type: ignore[attr-defined]

    @classmethod
    def for_module(cls, module: Module, data: Any = None) -> ModuleForm:
        return cls(
            data,
            programme=module.programme,
            initial={
                "title": module.title,
                "kind": module.kind,
                "sequence": module.sequence,
                "days": module.days,
                "description": module.description,
                "activity_type": module.activity_type,
                "nodes": list(module.nodes.all()),
            },
        )

    def module_input(self) -> ModuleInput:
        d = self.cleaned_data
        return ModuleInput(
            title=d["title"],
            kind=d["kind"],
            days=d["days"],
            sequence=d["sequence"],
            description=d["description"],
            activity_type=d["activity_type"],
            nodes=tuple(d["nodes"]),
        )


class SessionForm(ServiceErrors, forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())
    date = GDSDateField(label=_("Date"), help_text=_("For example, 12 3 2027."))
    start_time = _time_field(_("Start time"), datetime.time(9, 30))
    end_time = _time_field(_("End time"), datetime.time(16, 30))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, like https://meet.example.org/abc")},
    )
    facilitators = PersonChoiceField(
        label=_("Facilitators from the organisation"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    external_facilitators = forms.CharField(
        label=_("Other facilitators"),
        max_length=500,
        required=False,
        help_text=_("Names of facilitators from outside, separated by commas."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = programme.modules.all()  # type: ignore[attr-defined]
        self.fields["cohort"].queryset = programme.cohorts.all()  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = members_of(  # type: ignore[attr-defined]
            programme.organisation
        )

    def session_input(self) -> SessionInput:
        d = self.cleaned_data
        return SessionInput(
            module=d["module"],
            cohort=d["cohort"],
            date=d["date"],
            start_time=d["start_time"],
            end_time=d["end_time"],
            place=d["place"],
            online_link=d["online_link"],
            facilitators=tuple(d["facilitators"]),
            external_facilitators=d["external_facilitators"],
        )


class CohortForm(ServiceErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    start_date = GDSDateField(label=_("Start date"))
    end_date = GDSDateField(label=_("End date"))


class ParticipantsForm(ServiceErrors, forms.Form):
    users = PersonChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the members of the organisation who take part in this cohort."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = members_of(organisation)  # type: ignore[attr-defined]


class AttendanceForm(ServiceErrors, forms.Form):
    """One radio group per participant: present, absent or sent apologies."""

    def __init__(self, *args: Any, participants: list[Any], marks: dict[int, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.participants = participants
        for p in participants:
            self.fields[f"p{p.pk}"] = forms.ChoiceField(
                label=p.user.display_name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                initial=marks.get(p.pk),
                error_messages={
                    "required": _("Choose present, absent or sent apologies for %(name)s")
                    % {"name": p.user.display_name}
                },
            )

    def marks(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"p{p.pk}"] for p in self.participants}


class FeedbackForm(ServiceErrors, forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was the session?"),
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how useful the session was, from 1 to 5")},
    )
    met_needs = forms.TypedChoiceField(
        label=_("How well did it meet your learning needs?"),
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how well it met your needs, from 1 to 5")},
    )
    will_use = forms.CharField(
        label=_("What will you use from it in your work?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    improve = forms.CharField(
        label=_("What would have made it better?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def feedback_input(self) -> FeedbackInput:
        d = self.cleaned_data
        return FeedbackInput(
            usefulness=d["usefulness"],
            met_needs=d["met_needs"],
            will_use=d["will_use"],
            improve=d["improve"],
        )


class GroupForm(ServiceErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        help_text=_("Optional: the programme the group belongs to."),
    )
    members = PersonChoiceField(
        label=_("Members (action learning set)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mentor = PersonField(
        label=_("Mentor (mentoring pair)"), queryset=User.objects.none(), required=False
    )
    mentee = PersonField(
        label=_("Mentee (mentoring pair)"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = members_of(organisation)
        for name in ("members", "mentor", "mentee"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        self.fields["programme"].queryset = Programme.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == GroupKind.MENTORING_PAIR:
            if not data.get("mentor"):
                self.add_error("mentor", _("Choose the mentor"))
            if not data.get("mentee"):
                self.add_error("mentee", _("Choose the mentee"))
            if data.get("mentor") and data.get("mentor") == data.get("mentee"):
                self.add_error("mentee", _("The mentor and the mentee must be different people"))
        elif data.get("kind") == GroupKind.ACTION_LEARNING_SET and not data.get("members"):
            self.add_error("members", _("Choose at least one member"))
        return data

    def group_input(self) -> GroupInput:
        d = self.cleaned_data
        if d["kind"] == GroupKind.MENTORING_PAIR:
            members: tuple[tuple[User, str], ...] = (
                (d["mentor"], GroupRole.MENTOR.value),
                (d["mentee"], GroupRole.MENTEE.value),
            )
        else:
            members = tuple((u, GroupRole.MEMBER.value) for u in d["members"])
        return GroupInput(
            kind=d["kind"], name=d["name"], programme=d.get("programme"), members=members
        )
