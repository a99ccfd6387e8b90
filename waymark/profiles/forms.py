"""Forms for role profiles and the PMS, in the GOV.UK pattern. Views pass
`cleaned_data` to the service functions; a form that fails re-renders with what was
typed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from waymark.frameworks.models import Node

from .files import check_job_description, max_bytes
from .models import BasicKind, Importance, Level, ManagerLevel, RoleProfile
from .selectors import CompetenceRow, pickable_editions

LEVEL_CHOICES = [(v, label) for v, label in Level.choices]
IMPORTANCE_CHOICES = [(v, label) for v, label in Importance.choices]


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ChangeNoteMixin(forms.Form):
    change_note = forms.CharField(
        label=_("What changed and why (optional)"),
        help_text=_("Kept with this revision. Left blank, Waymark writes what changed."),
        max_length=500,
        required=False,
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- role profiles -------------------------------------------------------------------------


class RoleProfileForm(forms.Form):
    title = forms.CharField(
        label=_("Role"),
        help_text=_("For example, first line manager, residential children's services"),
        max_length=200,
        error_messages={"required": _("Enter the name of the role")},
    )
    manager_level = forms.ChoiceField(
        label=_("Manager level"),
        choices=ManagerLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the manager level of the role")},
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        help_text=_("What the role is for, who holds it, where it sits in the organisation."),
        widget=_textarea(),
        required=False,
    )


class QualificationForm(forms.Form):
    title = forms.CharField(
        label=_("Qualification"),
        help_text=_(
            "For example, SVQ 4 Leadership and Management for Care Services, or the Registered Manager Award"
        ),
        max_length=300,
        error_messages={"required": _("Enter the qualification")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        help_text=_("For example, within two years of starting in the role"),
        max_length=500,
        required=False,
    )


class BasicForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of learning"),
        choices=BasicKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose induction or foundation learning")},
    )
    title = forms.CharField(
        label=_("What the manager needs to learn or do"),
        help_text=_("For example, the organisation's safeguarding procedures"),
        max_length=300,
        error_messages={"required": _("Enter what the manager needs to learn or do")},
    )


class PmsQualificationForm(QualificationForm, ChangeNoteMixin):
    field_order = ["title", "note", "change_note"]


class PmsBasicForm(BasicForm, ChangeNoteMixin):
    field_order = ["kind", "title", "change_note"]


@dataclass
class LevelsRow:
    node: Node
    row: CompetenceRow
    level: forms.BoundField
    importance: forms.BoundField
    remove: forms.BoundField


class CompetenceLevelsForm(forms.Form):
    """One form for every row: the level expected, the importance, and whether to remove
    it. Fields are named level_<node id>, importance_<node id>, remove_<node id>."""

    def __init__(self, *args: Any, rows: Sequence[CompetenceRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for r in self.rows:
            pk = r.node.pk
            code = r.node.code or r.node.display_title
            self.fields[f"level_{pk}"] = forms.TypedChoiceField(
                label=_("Level expected for %(code)s") % {"code": code},
                choices=LEVEL_CHOICES,
                coerce=int,
                initial=r.expected_level,
                widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={
                    "required": _("Choose the level expected"),
                    "invalid_choice": _("Choose one of the levels 0 to 4"),
                },
            )
            self.fields[f"importance_{pk}"] = forms.TypedChoiceField(
                label=_("Importance of %(code)s") % {"code": code},
                choices=IMPORTANCE_CHOICES,
                coerce=int,
                initial=r.importance,
                widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={
                    "required": _("Choose how important it is"),
                    "invalid_choice": _("Choose useful, important or essential"),
                },
            )
            self.fields[f"remove_{pk}"] = forms.BooleanField(
                label=_("Remove %(code)s") % {"code": code},
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
            )

    def table_rows(self) -> list[LevelsRow]:
        """The form's fields row by row, for a table grouped by domain."""
        return [
            LevelsRow(
                r.node,
                r,
                self[f"level_{r.node.pk}"],
                self[f"importance_{r.node.pk}"],
                self[f"remove_{r.node.pk}"],
            )
            for r in self.rows
        ]

    def chosen_rows(self) -> list[CompetenceRow]:
        """The rows to keep, with the levels and importance chosen."""
        out = []
        for r in self.rows:
            pk = r.node.pk
            if self.cleaned_data.get(f"remove_{pk}"):
                continue
            out.append(
                CompetenceRow(
                    r.node,
                    self.cleaned_data[f"level_{pk}"],
                    self.cleaned_data[f"importance_{pk}"],
                    r.from_role_profile,
                )
            )
        return out

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) for the error summary."""
        return [
            (self[name].auto_id, f"{self.fields[name].label}: {e}")
            for name, errors in self.errors.items()
            if name in self.fields
            for e in errors
        ] + [("", str(e)) for e in self.non_field_errors()]


class PmsCompetenceLevelsForm(CompetenceLevelsForm, ChangeNoteMixin):
    pass


def _leaves_under(nodes: Iterable[Node]) -> list[Node]:
    """Each node that has no children itself, and every item without children below the
    others, in tree order, without repeats."""
    nodes = list(nodes)
    out: dict[int, Node] = {}
    by_edition: dict[int, list[Node]] = {}
    for n in nodes:
        by_edition.setdefault(n.edition_id, []).append(n)
    for edition_id, picked in by_edition.items():
        tree = list(
            Node.objects.filter(edition_id=edition_id)
            .select_related("edition__framework")
            .order_by("path")
        )
        parents = {n.parent_id for n in tree if n.parent_id}
        picked_paths = [(p.pk, p.path) for p in picked]
        for n in tree:
            if n.pk in parents:
                continue
            if any(n.pk == pk or n.path.startswith(path) for pk, path in picked_paths):
                out[n.pk] = n
    return sorted(out.values(), key=lambda n: (n.edition.framework.title, n.path))


class PickForm(forms.Form):
    """Competences picked from a framework's tree or from search results. A picked item
    with items below it stands for all of them (a whole domain)."""

    nodes = forms.TypedMultipleChoiceField(
        label=_("Competences to add"),
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Choose at least one competence to add"),
            "invalid_choice": _("Choose competences from the list"),
        },
    )

    already_held = _("Everything you chose is already in the profile.")

    def __init__(self, *args: Any, held: set[int], organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held = held
        self.organisation = organisation
        self.fields["nodes"].choices = [  # type: ignore[attr-defined]
            (v, v)
            for v in (self.data.getlist("nodes") if hasattr(self.data, "getlist") else [])
            if str(v).isdigit()
        ]

    def clean_nodes(self) -> list[Node]:
        ids = self.cleaned_data["nodes"]
        picked = list(
            Node.objects.filter(
                pk__in=ids, edition__in=pickable_editions(self.organisation)
            ).select_related("edition__framework")
        )
        if len(picked) != len(set(ids)):
            raise ValidationError(
                _("Some of the chosen items are not in a current framework any more. Choose again.")
            )
        leaves = _leaves_under(picked)
        # An organisation's archived own competences are no longer offered (tailoring).
        archived = set(
            Node.objects.filter(
                pk__in=[n.pk for n in leaves], own_competence__archived_at__isnull=False
            ).values_list("pk", flat=True)
        )
        new = [n for n in leaves if n.pk not in self.held and n.pk not in archived]
        if not new:
            raise ValidationError(self.already_held)
        return new


class PmsPickForm(PickForm, ChangeNoteMixin):
    already_held = _("Everything you chose is already in your specification.")


# --- the PMS -------------------------------------------------------------------------------

NOTHING = "nothing"


class PmsStartForm(forms.Form):
    start_from = forms.ChoiceField(
        label=_("Start from"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role profile, or start from nothing")},
    )
    job_title = forms.CharField(
        label=_("Your job title"),
        help_text=_("Left blank, the role profile's name is used."),
        max_length=200,
        required=False,
    )
    manager_level = forms.ChoiceField(
        label=_("Your manager level"),
        help_text=_("Left blank, the role profile's level is used."),
        choices=[("", _("As the role profile says")), *ManagerLevel.choices],
        required=False,
    )

    def __init__(self, *args: Any, profiles: Sequence[RoleProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profiles = {str(p.pk): p for p in profiles}
        self.fields["start_from"].choices = [  # type: ignore[attr-defined]
            *((str(p.pk), f"{p.title} ({p.get_manager_level_display()})") for p in profiles),
            (NOTHING, _("Start from nothing: I will choose the competences myself")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_from") == NOTHING:
            if not data.get("job_title", "").strip():
                self.add_error("job_title", _("Enter your job title"))
            if not data.get("manager_level"):
                self.add_error("manager_level", _("Choose your manager level"))
        return data

    def role_profile(self) -> RoleProfile | None:
        return self.profiles.get(self.cleaned_data["start_from"])


class JobDescriptionFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Job description file (optional)"))
        kwargs.setdefault(
            "help_text",
            _(
                "A PDF, Word (DOCX), OpenDocument text (ODT) or plain text file, smaller than %(size)d MB."
            )
            % {"size": max_bytes() // (1024 * 1024)},
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            check_job_description(value)
        return value


class PmsDetailsForm(ChangeNoteMixin):
    field_order = [
        "job_title",
        "manager_level",
        "job_description",
        "job_description_file",
        "remove_file",
        "change_note",
        "based_on",
    ]

    job_title = forms.CharField(
        label=_("Job title"),
        max_length=200,
        error_messages={"required": _("Enter your job title")},
    )
    manager_level = forms.ChoiceField(
        label=_("Manager level"),
        choices=ManagerLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your manager level")},
    )
    job_description = forms.CharField(
        label=_("Job description (optional)"),
        help_text=_("Paste it, or the parts that matter, or attach the file below."),
        widget=_textarea(8),
        required=False,
    )
    job_description_file = JobDescriptionFileField()
    remove_file = forms.BooleanField(label=_("Remove the attached file"), required=False)

    def __init__(self, *args: Any, has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_file:
            del self.fields["remove_file"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove_file") and data.get("job_description_file"):
            self.add_error(
                "remove_file", _("Either remove the attached file or choose a new one, not both")
            )
        return data


class ConfirmForm(forms.Form):
    """A confirmation that carries the revision number the person saw."""

    based_on = forms.IntegerField(widget=forms.HiddenInput)
    change_note = forms.CharField(
        label=_("What changed and why (optional)"), max_length=500, required=False
    )
