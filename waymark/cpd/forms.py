"""Forms for the CPD record, in the GOV.UK pattern (crispy-forms-gds).

Plain forms, not ModelForms: views hand `EntryForm.entry_input()` to the service
functions, which hold every rule again whichever door an entry comes in by."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import ServiceErrorsMixin
from waymark.frameworks.forms import GDSDateField
from waymark.frameworks.models import Node
from waymark.frameworks.selectors import SearchHit, search_nodes
from waymark.planning.models import ActivityType, Objective

from .models import Entry, Visibility, plain_hours
from .selectors import objectives_of, pms_competences, taggable_nodes
from .services import MESSAGES, EntryInput, hours_message
from .uploads import UploadRejected, check_upload, max_upload_bytes, megabytes

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation


def node_label(node: Node) -> str:
    return f"{node.code} {node.display_title} ({node.edition.display_title})".strip()


class NodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return node_label(obj)


class ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.plan.title})"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"class": "govuk-file-upload", "multiple": True, **(attrs or {})})


class MultipleFileField(forms.FileField):
    """Any number of files; each is judged by `uploads.check_upload` in the form."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if f and getattr(f, "name", None)]


def _evidence_help() -> str:
    return str(
        _(
            "PDF, Word, Excel, PowerPoint or OpenDocument files, images (PNG, JPEG, GIF, "
            "WebP) or plain text; each %(limit)s at most. You can choose several at once."
        )
        % {"limit": megabytes(max_upload_bytes())}
    )


def check_files(files: list[UploadedFile]) -> list[UploadedFile]:
    """Every file acceptable, or a ValidationError with one message per refused file."""
    problems = []
    for upload in files:
        try:
            check_upload(upload)
        except UploadRejected as e:
            problems.append(e.message)
    if problems:
        raise ValidationError(problems)
    return files


class EntryForm(ServiceErrorsMixin, forms.Form):
    date = GDSDateField(
        label=_("Date"),
        help_text=_(
            "When the learning happened: the last day, for a course over several days. "
            "For example, 27 3 2026."
        ),
    )
    activity_type = forms.ChoiceField(
        label=_("Type of learning"),
        choices=ActivityType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": MESSAGES["type_required"],
            "invalid_choice": MESSAGES["type_required"],
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("What it was, in a few words. For example, “Leading change workshop”."),
        error_messages={
            "required": MESSAGES["title_required"],
            "max_length": MESSAGES["title_long"],
        },
    )
    provider = forms.CharField(
        label=_("Provider or resource (optional)"),
        required=False,
        max_length=300,
        help_text=_("Who ran it, or the book, guide or website you used."),
        error_messages={"max_length": MESSAGES["provider_long"]},
    )
    link = forms.URLField(
        label=_("Link (optional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter a web address, like https://www.example.org/course"),
            "max_length": MESSAGES["link_long"],
        },
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        help_text=_("Time spent learning, in hours: 1.5 for an hour and a half. At most 1000."),
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-5",
                "inputmode": "decimal",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "required": MESSAGES["hours_required"],
            "invalid": MESSAGES["hours_invalid"],
        },
    )
    nodes = NodeChoiceField(
        label=_("Competences from your person management specification"),
        queryset=Node.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose each competence this learning helped you develop."),
    )
    node_query = forms.CharField(
        label=_("Find a competence in any framework"),
        required=False,
        max_length=200,
        help_text=_("Words or a code, like “MM3.02” or “managing change”."),
    )
    other_nodes = forms.MultipleChoiceField(
        label=_("Other competences"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objective = ObjectiveChoiceField(
        label=_("Development plan objective (optional)"),
        queryset=Objective.objects.none(),
        required=False,
        empty_label=_("Not linked to an objective"),
        help_text=_("The objective in your development plan that this learning works towards."),
        error_messages={"invalid_choice": MESSAGES["objective_not_hers"]},
    )
    what_happened = forms.CharField(
        label=Entry._meta.get_field("what_happened").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    what_learnt = forms.CharField(
        label=Entry._meta.get_field("what_learnt").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    how_use = forms.CharField(
        label=Entry._meta.get_field("how_use").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    difference = forms.CharField(
        label=Entry._meta.get_field("difference").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this entry"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
        help_text=_(
            "A private entry is seen by you alone. A shared entry is seen by your supervisor, "
            "mentors and coaches, and your supervisor can confirm it. Your organisation's "
            "learning and development lead and admins do not see your CPD record."
        ),
        error_messages={
            "required": MESSAGES["visibility"],
            "invalid_choice": MESSAGES["visibility"],
        },
    )
    evidence = MultipleFileField(label=_("Evidence files (optional)"), required=False)

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        organisation: Organisation,
        person: User,
        entry: Entry | None = None,
    ) -> None:
        super().__init__(data, files, initial=self._initial_from(entry))
        self.organisation, self.person, self.entry = organisation, person, entry
        self.fields["evidence"].help_text = _evidence_help()
        pms = pms_competences(person=person, organisation=organisation)
        self.pms_nodes = pms
        pms_ids = {n.pk for n in pms}
        nodes_field: forms.ModelMultipleChoiceField = self.fields["nodes"]  # type: ignore[assignment]
        nodes_field.queryset = Node.objects.filter(pk__in=pms_ids).select_related(
            "edition__framework"
        )
        if not pms:
            del self.fields["nodes"]
        objective_field: forms.ModelChoiceField = self.fields["objective"]  # type: ignore[assignment]
        objective_field.queryset = objectives_of(person=person, organisation=organisation)

        # Competences from outside the PMS: the ones already chosen, then search results.
        chosen_ids = self._chosen_other_ids(entry, pms_ids)
        self.searching = bool(self.is_bound and self.data.get("find_competences"))
        self.search_query = (self.data.get("node_query") or "").strip() if self.searching else ""
        self.search_hits: list[SearchHit] = []
        if self.search_query:
            self.search_hits = search_nodes(self.search_query, limit=10).hits
        hit_ids = [h.node.pk for h in self.search_hits if h.node.pk not in pms_ids]
        wanted = list(dict.fromkeys([*chosen_ids, *hit_ids]))
        found = (
            taggable_nodes().filter(pk__in=wanted).select_related("edition__framework").in_bulk()
        )
        self.other_choices = [found[i] for i in wanted if i in found]
        other_field = self.fields["other_nodes"]
        assert isinstance(other_field, forms.MultipleChoiceField)
        other_field.choices = [(str(n.pk), node_label(n)) for n in self.other_choices]
        other_field.help_text = _("Untick any you do not want.") if self.other_choices else ""

    @staticmethod
    def _initial_from(entry: Entry | None) -> dict[str, Any]:
        if entry is None:
            return {"visibility": Visibility.PRIVATE}
        return {
            "date": entry.date,
            "activity_type": entry.activity_type,
            "title": entry.title,
            "provider": entry.provider,
            "link": entry.link,
            "hours": plain_hours(entry.hours),
            "objective": entry.objective_id,
            "what_happened": entry.what_happened,
            "what_learnt": entry.what_learnt,
            "how_use": entry.how_use,
            "difference": entry.difference,
            "visibility": entry.visibility,
        }

    def _chosen_other_ids(self, entry: Entry | None, pms_ids: set[int]) -> list[int]:
        if self.is_bound:
            raw = (
                self.data.getlist("other_nodes")
                if hasattr(self.data, "getlist")
                else self.data.get("other_nodes", [])
            )
            ids = []
            for value in raw:
                try:
                    ids.append(int(value))
                except (TypeError, ValueError):
                    continue
            return ids
        if entry is None:
            return []
        tagged = [n.pk for n in entry.nodes.all()]
        self.initial["nodes"] = [i for i in tagged if i in pms_ids]
        chosen = [i for i in tagged if i not in pms_ids]
        self.initial["other_nodes"] = [str(i) for i in chosen]
        return chosen

    def show_without_errors(self) -> None:
        """Re-show what was typed (after a competence search) without judging it yet."""
        self._errors = ErrorDict()
        self.cleaned_data = {}

    # --- validation -----------------------------------------------------------------------

    def clean_date(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("date")
        if value and value > timezone.localdate():
            raise ValidationError(MESSAGES["date_future"], code="future")
        return value

    def clean_hours(self) -> Decimal | None:
        value: Decimal | None = self.cleaned_data.get("hours")
        problem = hours_message(value)
        if problem:
            raise ValidationError(problem, code="hours")
        return value

    def clean_other_nodes(self) -> list[Node]:
        by_id = {str(n.pk): n for n in self.other_choices}
        return [by_id[v] for v in self.cleaned_data.get("other_nodes", []) if v in by_id]

    def clean_evidence(self) -> list[UploadedFile]:
        return check_files(self.cleaned_data.get("evidence") or [])

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        nodes = list(data.get("nodes") or []) + list(data.get("other_nodes") or [])
        unique = list({n.pk: n for n in nodes}.values())
        return EntryInput(
            date=data["date"],
            activity_type=data["activity_type"],
            title=data["title"].strip(),
            hours=data["hours"],
            provider=data.get("provider", "").strip(),
            link=data.get("link", ""),
            nodes=tuple(unique),
            objective=data.get("objective"),
            what_happened=data.get("what_happened", ""),
            what_learnt=data.get("what_learnt", ""),
            how_use=data.get("how_use", ""),
            difference=data.get("difference", ""),
            visibility=data["visibility"],
        )


class EvidenceForm(forms.Form):
    evidence = MultipleFileField(label=_("Add evidence files"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _evidence_help()
        self.fields["evidence"].required = True

    def clean_evidence(self) -> list[UploadedFile]:
        files = self.cleaned_data.get("evidence") or []
        if not files:
            raise ValidationError(_("Choose one or more files to upload"), code="required")
        return check_files(files)


class PeriodForm(forms.Form):
    """A date range, both ends optional (GET)."""

    date_from = GDSDateField(label=_("From"), required=False, help_text=_("For example, 1 4 2026."))
    date_to = GDSDateField(label=_("To"), required=False, help_text=_("For example, 31 3 2027."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return data

    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")


class FilterForm(PeriodForm):
    CONFIRMATION = [
        ("", _("Any")),
        ("awaiting", _("Shared, awaiting confirmation")),
        ("confirmed", _("Confirmed by a supervisor")),
    ]

    activity_type = forms.ChoiceField(
        label=_("Type of learning"),
        required=False,
        choices=[("", _("Any type")), *ActivityType.choices],
    )
    node = forms.TypedChoiceField(
        label=_("Competence"), required=False, coerce=int, empty_value=None
    )
    confirmation = forms.ChoiceField(label=_("Confirmation"), required=False, choices=CONFIRMATION)

    def __init__(self, *args: Any, nodes: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        node_field = self.fields["node"]
        assert isinstance(node_field, forms.TypedChoiceField)
        node_field.choices = [("", _("Any competence")), *((n.pk, node_label(n)) for n in nodes)]
        self.fields["node"].error_messages["invalid_choice"] = _(
            "Choose a competence from the list"
        )
        self.fields["activity_type"].error_messages["invalid_choice"] = _(
            "Choose a type from the list"
        )

    def filtered(self, entries: Any) -> Any:
        if not self.is_bound or not self.is_valid():
            return entries
        data = self.cleaned_data
        if data.get("date_from"):
            entries = entries.filter(date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(date__lte=data["date_to"])
        if data.get("activity_type"):
            entries = entries.filter(activity_type=data["activity_type"])
        if data.get("node"):
            entries = entries.filter(nodes__id=data["node"])
        if data.get("confirmation") == "awaiting":
            entries = entries.filter(visibility=Visibility.SUPPORTERS, confirmed_at__isnull=True)
        elif data.get("confirmation") == "confirmed":
            entries = entries.filter(confirmed_at__isnull=False)
        return entries

    @property
    def is_filtering(self) -> bool:
        return self.is_bound and any(
            v not in (None, "", [])
            for k, v in (self.cleaned_data if self.is_valid() else {}).items()
        )
