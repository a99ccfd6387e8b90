from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waymark.cpd.uploads import CheckedFile, UploadRejected, check_upload
from waymark.frameworks.models import Edition, MappingKind, Node
from waymark.organisations.models import Organisation

from .services import sanitise


class FocusForm(forms.Form):
    frameworks = forms.TypedMultipleChoiceField(
        label=_("Frameworks that matter to the organisation"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose frameworks from the list")},
    )
    domains = forms.TypedMultipleChoiceField(
        label=_("Domains to put first"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose domains from the list")},
    )

    def __init__(self, *args: Any, editions: list[Edition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editions = editions
        self.fields["frameworks"].choices = [  # type: ignore[attr-defined]
            (e.framework_id, e.display_title) for e in editions
        ]
        self.fields["domains"].choices = [  # type: ignore[attr-defined]
            (d.pk, str(d)) for e in editions for d in getattr(e, "domains", [])
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = set(data.get("frameworks") or [])
        domains = set(data.get("domains") or [])
        owner = {d.pk: e.framework_id for e in self.editions for d in getattr(e, "domains", [])}
        if any(owner.get(d) not in chosen for d in domains):
            self.add_error(
                "domains",
                _("Tick the framework of each domain you chose, or untick the domain"),
            )
        return data

    def chosen_frameworks(self) -> list[Any]:
        ids = set(self.cleaned_data["frameworks"])
        return [e.framework for e in self.editions if e.framework_id in ids]

    def chosen_domains(self) -> list[Node]:
        ids = set(self.cleaned_data["domains"])
        out = []
        for e in self.editions:
            for d in getattr(e, "domains", []):
                if d.pk in ids:
                    d.edition = e
                    out.append(d)
        return out


class DomainForm(forms.Form):
    title = forms.CharField(
        label=_("Name of the domain"),
        max_length=200,
        error_messages={"required": _("Enter the name of the domain")},
    )
    statement = forms.CharField(
        label=_("What it covers (optional)"), required=False, widget=forms.Textarea({"rows": 3})
    )


class CompetenceForm(forms.Form):
    domain = forms.TypedChoiceField(
        label=_("Domain"),
        coerce=int,
        error_messages={
            "required": _("Choose the domain the competence belongs to"),
            "invalid_choice": _("Choose a domain from the list"),
        },
    )
    code = forms.CharField(
        label=_("Code (optional)"),
        max_length=30,
        required=False,
        help_text=_("Leave blank and Waymark numbers it, for example BC1.03."),
    )
    title = forms.CharField(label=_("Short title (optional)"), max_length=200, required=False)
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea({"rows": 4}),
        help_text=_("What a manager in the organisation is expected to do or know."),
        error_messages={"required": _("Enter what the competence expects")},
    )

    def __init__(self, *args: Any, domains: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.domains = {d.pk: d for d in domains}
        self.fields["domain"].choices = [(d.pk, str(d)) for d in domains]  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if code and not re.fullmatch(r"[\w.\-]+", code):
            raise ValidationError(_("A code uses letters, numbers, dots and hyphens only"))
        return code


class CompetenceEditForm(forms.Form):
    title = forms.CharField(label=_("Short title (optional)"), max_length=200, required=False)
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea({"rows": 4}),
        error_messages={"required": _("Enter what the competence expects")},
    )


class MappingForm(forms.Form):
    target = forms.TypedChoiceField(
        label=_("National item"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the national item to map to"),
            "invalid_choice": _("Choose a national item from the search results"),
        },
    )
    kind = forms.ChoiceField(
        label=_("How they relate"),
        choices=MappingKind.choices,
        initial=MappingKind.RELATED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the items relate")},
    )
    note = forms.CharField(
        label=_("Reasoning (optional)"), required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, hits: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hits = {n.pk: n for n in hits}
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (n.pk, f"{n} ({n.edition.display_title})") for n in hits
        ]


class PolicyForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=300, error_messages={"required": _("Enter a title")}
    )
    description = forms.CharField(
        label=_("What it covers (optional)"), required=False, widget=forms.Textarea({"rows": 3})
    )
    file = forms.FileField(
        label=_("Upload a file"),
        required=False,
        help_text=_("PDF, Word, OpenDocument or plain text. Or give a web address below."),
    )
    url = forms.URLField(
        label=_("Or a web address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, like https://example.org/policy")},
    )
    codes = forms.CharField(
        label=_("Competences it relates to (optional)"),
        required=False,
        help_text=_("Codes separated by commas, for example MM1.01, MM4.02"),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.checked: CheckedFile | None = None
        self.nodes: list[Node] = []

    def clean_codes(self) -> str:
        raw = self.cleaned_data["codes"]
        codes = [c.strip() for c in re.split(r"[,;\s]+", raw) if c.strip()]
        if not codes:
            return raw
        found: dict[str, Node] = {}
        for n in Node.objects.filter(code__in=codes, edition__is_current=True).filter(
            Q(edition__framework__organisation__isnull=True)
            | Q(edition__framework__organisation=self.organisation)
        ):
            found.setdefault(n.code, n)
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(
                _("No current competence has the code %(codes)s. Check the codes")
                % {"codes": ", ".join(missing)}
            )
        self.nodes = [found[c] for c in dict.fromkeys(codes)]
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        url = data.get("url")
        if upload and url:
            self.add_error("url", _("Give either a file or a web address, not both"))
        elif not upload and not url and not self.errors.get("url"):
            self.add_error("file", _("Choose a file to upload, or give a web address"))
        elif upload:
            try:
                self.checked = check_upload(upload)
            except UploadRejected as e:
                self.add_error("file", e.message)
        return data


class FrontPageForm(forms.Form):
    html = forms.CharField(
        label=_("Front page text"),
        required=False,
        max_length=20000,
        widget=forms.Textarea({"rows": 12}),
        help_text=_(
            "Shown to every member on the organisation's page, written in HTML. You can "
            "use paragraphs (p), headings (h2, h3), lists (ul, ol, li), bold (strong), "
            "italic (em) and links (a href). Anything else is removed."
        ),
    )

    def cleaned_html(self) -> str:
        return sanitise(self.cleaned_data.get("html") or "")
