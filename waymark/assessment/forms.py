"""The rating form: one page of competences (one domain, or the whole of a short PMS),
each with the scale as radios described in plain words, "not sure yet", and an optional
evidence note. Rendered by hand in assessment/rate.html in the GOV.UK pattern."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waymark.frameworks.models import Node
from waymark.frameworks.selectors import CountsTowards
from waymark.profiles.models import Level, SpecCompetence

from .models import Rating
from .selectors import DomainGroup, level_description, level_word
from .services import EVIDENCE_MAX_LENGTH, RatingInput

NOT_SURE = ""


def level_name(node_id: int) -> str:
    return f"level-{node_id}"


def evidence_name(node_id: int) -> str:
    return f"evidence-{node_id}"


@dataclass
class Option:
    value: str
    word: str
    description: str
    input_id: str
    checked: bool


@dataclass
class Question:
    """One competence on the page, ready for the template."""

    node: Node
    level_field: forms.BoundField
    evidence_field: forms.BoundField
    options: list[Option]
    not_sure: Option
    counts_towards: list[CountsTowards]

    @property
    def level_id(self) -> str:
        return self.options[0].input_id

    @property
    def evidence_id(self) -> str:
        return evidence_name(self.node.pk)

    @property
    def level_errors(self) -> list[str]:
        return [str(e) for e in self.level_field.errors]

    @property
    def evidence_errors(self) -> list[str]:
        return [str(e) for e in self.evidence_field.errors]


class RatingPageForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        groups: list[DomainGroup],
        ratings: dict[int, Rating],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.competences: list[SpecCompetence] = [c for g in groups for c in g.competences]
        choices = [(str(v), str(label)) for v, label in Level.choices] + [
            (NOT_SURE, gettext_lazy("Not sure yet"))
        ]
        for c in self.competences:
            code = c.node.code or c.node.display_title
            rating = ratings.get(c.node_id)
            self.fields[level_name(c.node_id)] = forms.TypedChoiceField(
                label=code,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(rating.level) if rating and rating.level is not None else NOT_SURE,
                error_messages={
                    "invalid_choice": _("Choose one of the levels for %(code)s, or “Not sure yet”.")
                    % {"code": code}
                },
            )
            self.fields[evidence_name(c.node_id)] = forms.CharField(
                label=_("Evidence for %(code)s (optional)") % {"code": code},
                required=False,
                max_length=EVIDENCE_MAX_LENGTH,
                initial=rating.evidence if rating else "",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _(
                        "The evidence note for %(code)s must be %(max)s characters or fewer: "
                        "shorten it, and keep the detail in your CPD record."
                    )
                    % {"code": code, "max": f"{EVIDENCE_MAX_LENGTH:,}"}
                },
            )

    def answers(self) -> dict[int, RatingInput]:
        """The answers on this page, keyed by node id (after is_valid)."""
        return {
            c.node_id: RatingInput(
                level=self.cleaned_data.get(level_name(c.node_id)),
                evidence=self.cleaned_data.get(evidence_name(c.node_id)) or "",
            )
            for c in self.competences
        }

    def questions(
        self, counts: dict[int, list[CountsTowards]] | None = None
    ) -> list[tuple[DomainGroup, list[Question]]]:
        counts = counts or {}
        out: list[tuple[DomainGroup, list[Question]]] = []
        for group in self.groups:
            items = []
            for c in group.competences:
                level_field = self[level_name(c.node_id)]
                value = level_field.value()
                current = "" if value is None else str(value)
                base = level_name(c.node_id)
                options = [
                    Option(
                        value=str(v),
                        word=level_word(v),
                        description=level_description(v),
                        input_id=base if i == 0 else f"{base}-{i + 1}",
                        checked=current == str(v),
                    )
                    for i, v in enumerate(Level.values)
                ]
                not_sure = Option(
                    value=NOT_SURE,
                    word=_("Not sure yet"),
                    description=_("Leave it for now and come back to it."),
                    input_id=f"{base}-not-sure",
                    checked=current == NOT_SURE,
                )
                items.append(
                    Question(
                        node=c.node,
                        level_field=level_field,
                        evidence_field=self[evidence_name(c.node_id)],
                        options=options,
                        not_sure=not_sure,
                        counts_towards=counts.get(c.node_id, []),
                    )
                )
            out.append((group, items))
        return out
