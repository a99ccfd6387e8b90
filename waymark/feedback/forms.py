"""Forms for 360° feedback: starting a round, inviting raters, and the rater's form."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waymark.assessment.selectors import DomainGroup, level_description, level_word
from waymark.core.forms import ServiceErrorsMixin
from waymark.profiles.models import Level

from . import services
from .models import RaterGroup

CANT_JUDGE = "na"
MAX_RATERS_AT_ONCE = 50


class RoundForm(forms.Form):
    competences = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Competences to ask about"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": services.MESSAGES["no_competences"],
            "invalid_choice": services.MESSAGES["foreign_competence"],
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note to raters (optional)"),
        help_text=gettext_lazy(
            "Say what you would most like feedback on. Raters see this on their form."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.MAX_NOTE,
        error_messages={"max_length": services.MESSAGES["note_long"]},
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Raters can answer until"),
        help_text=gettext_lazy("For example, 27/3/2027. At most 90 days from today."),
        input_formats=["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"],
        error_messages={
            "required": gettext_lazy("Enter the date raters can answer until"),
            "invalid": gettext_lazy("Enter a real date, like 27/3/2027"),
        },
    )

    def __init__(self, *args: Any, groups: list[DomainGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.fields["competences"].choices = [  # type: ignore[attr-defined]
            (c.pk, f"{c.node.code} {c.node.display_title}".strip())
            for g in groups
            for c in g.competences
        ]
        if not self.is_bound:
            self.initial.setdefault("competences", [c.pk for g in groups for c in g.competences])
            self.initial.setdefault(
                "closes_on",
                (timezone.localdate() + datetime.timedelta(days=services.DEFAULT_DAYS)).strftime(
                    "%d/%m/%Y"
                ),
            )

    def chosen(self) -> set[int]:
        if self.is_bound:
            raw = self.data.getlist("competences") if hasattr(self.data, "getlist") else []
            out = set()
            for v in raw:
                try:
                    out.add(int(v))
                except ValueError:
                    continue
            return out
        return set(self.initial.get("competences") or [])


@dataclass(frozen=True)
class ParsedRater:
    line: int
    email: str
    name: str


# "Name <email>", "email, name", "name, email" or just "email".
_ANGLE = re.compile(r"^(?P<name>[^<]*)<(?P<email>[^>]+)>\s*$")


def parse_rater_line(text: str) -> tuple[str, str]:
    text = text.strip()
    m = _ANGLE.match(text)
    if m:
        return m.group("email").strip(), m.group("name").strip().strip('"')
    parts = [p.strip() for p in re.split(r"[,;\t]", text) if p.strip()]
    emails = [p for p in parts if "@" in p]
    names = [p for p in parts if "@" not in p]
    if len(emails) == 1:
        return emails[0], " ".join(names)
    return text, ""


class InviteForm(forms.Form):
    group = forms.ChoiceField(
        label=gettext_lazy("Which group are these raters in?"),
        choices=RaterGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the group these raters are in")},
    )
    raters = forms.CharField(
        label=gettext_lazy("Raters' email addresses"),
        help_text=gettext_lazy(
            "One person a line: their email address, and their name if you like, "
            "for example “Jo Bloggs, jo@example.org”."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter at least one email address")},
    )

    def clean_raters(self) -> list[ParsedRater]:
        text: str = self.cleaned_data["raters"]
        parsed: list[ParsedRater] = []
        problems: list[str] = []
        seen: set[str] = set()
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            email, name = parse_rater_line(line)
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    _("Line %(line)d: “%(text)s” is not an email address like name@example.org")
                    % {"line": number, "text": line.strip()[:80]}
                )
                continue
            if len(name) > 200:
                problems.append(
                    _("Line %(line)d: the name must be 200 characters or fewer") % {"line": number}
                )
                continue
            key = email.lower()
            if key in seen:
                problems.append(
                    _("Line %(line)d: %(email)s is already in the list")
                    % {"line": number, "email": email}
                )
                continue
            seen.add(key)
            parsed.append(ParsedRater(line=number, email=email, name=name))
        if problems:
            raise ValidationError(problems)
        if not parsed:
            raise ValidationError(_("Enter at least one email address"))
        if len(parsed) > MAX_RATERS_AT_ONCE:
            raise ValidationError(
                _("Invite at most %(count)d people at once") % {"count": MAX_RATERS_AT_ONCE}
            )
        return parsed


# The scale's descriptions are written for the manager about herself ("I do this well
# …"); a rater describes someone else, so the form keeps the scale's words (level_word)
# and says the same thing about "them".
RATER_DESCRIPTIONS = {
    Level.NOT_YET: gettext_lazy("As far as you have seen, they have not had the chance to do this"),
    Level.AWARE: gettext_lazy("They know what it involves but rarely do it"),
    Level.DEVELOPING: gettext_lazy("They do this with support, or now and then"),
    Level.CONFIDENT: gettext_lazy("They do this well and consistently on their own"),
    Level.LEADING: gettext_lazy("They do this in complex situations and help others to"),
}


def level_choices() -> list[tuple[str, str, str]]:
    """(value, word, description) for each level, then "I can't judge this"."""
    return [
        (
            str(int(v)),
            level_word(int(v)),
            str(RATER_DESCRIPTIONS.get(v, "")) or level_description(int(v)),
        )
        for v in Level
    ] + [(CANT_JUDGE, _("I can't judge this"), "")]


class RaterForm(ServiceErrorsMixin, forms.Form):
    """One radio question per competence (levels, or "I can't judge this"), and two
    comments. Every question may be left out; sending needs at least one answer or one
    comment (services.rater_submit)."""

    strengths = forms.CharField(
        label=gettext_lazy("What does this person do well?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.MAX_COMMENT,
        error_messages={"max_length": services.MESSAGES["comment_long"]},
    )
    develop = forms.CharField(
        label=gettext_lazy("What could this person develop or do differently?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.MAX_COMMENT,
        error_messages={"max_length": services.MESSAGES["comment_long"]},
    )

    def __init__(self, *args: Any, nodes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nodes = nodes
        choices = [(v, w) for v, w, _d in level_choices()]
        for node in nodes:
            self.fields[f"level_{node.pk}"] = forms.ChoiceField(
                label=node.statement or node.display_title,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": services.MESSAGES["level"]},
            )

    def answers(self) -> services.Answers:
        levels: dict[int, int | None] = {}
        for node in self.nodes:
            value = self.cleaned_data.get(f"level_{node.pk}")
            if value in (None, ""):
                continue
            levels[node.pk] = None if value == CANT_JUDGE else int(value)
        return services.Answers(
            levels=levels,
            strengths=self.cleaned_data.get("strengths", ""),
            develop=self.cleaned_data.get("develop", ""),
        )

    @staticmethod
    def initial_from(answers: services.Answers) -> dict[str, Any]:
        out: dict[str, Any] = {"strengths": answers.strengths, "develop": answers.develop}
        for node_id, level in answers.levels.items():
            out[f"level_{node_id}"] = CANT_JUDGE if level is None else str(level)
        return out
