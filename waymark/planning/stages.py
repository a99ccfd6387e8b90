"""The guided route: Boyatzis's five stages of self-directed learning, as the Middle
Manager framework describes them [seed 000 §4.4-4.9], one question a page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Stage:
    slug: str
    field: str  # the Plan field that holds the answer
    name: StrOrPromise  # "Ideal self"
    question: StrOrPromise  # the page's heading and the label of its one field
    hint: StrOrPromise
    prompts: tuple[StrOrPromise, ...]

    @property
    def number(self) -> int:
        return STAGE_SLUGS.index(self.slug) + 1


STAGES: tuple[Stage, ...] = (
    Stage(
        slug="ideal-self",
        field="ideal_self",
        name=_("Ideal self"),
        question=_("Who do you want to be as a leader?"),
        hint=_(
            "Think about your role and what it asks of you where you work now, and about "
            "the leader you hope to become, even beyond what your post requires."
        ),
        prompts=(
            _(
                "What would people who use services, your team and partners say about you at your best?"
            ),
            _("Which parts of the framework matter most for the role you want?"),
        ),
    ),
    Stage(
        slug="real-self",
        field="real_self",
        name=_("Real self"),
        question=_("Where are you now: what are your strengths and your gaps?"),
        hint=_(
            "Look back at what you already do well, from your experience and earlier "
            "learning, and where you have had little chance to develop yet."
        ),
        prompts=(
            _("Which learning outcomes can you already show?"),
            _("Where would you like more experience or confidence?"),
        ),
    ),
    Stage(
        slug="learning-agenda",
        field="learning_agenda",
        name=_("Learning agenda"),
        question=_("What will you work on, building on your strengths and reducing your gaps?"),
        hint=_(
            "Your own priorities, how you like to learn and what is realistic alongside "
            "your work. Aim for enough challenge to keep you going, not so much it discourages you."
        ),
        prompts=(
            _("Which two or three things matter most this year?"),
            _("How do you learn best: with peers, a coach, courses, reading?"),
        ),
    ),
    Stage(
        slug="practice",
        field="practice",
        name=_("Practice"),
        question=_("How will you practise new ways of working until they become second nature?"),
        hint=_(
            "Changing familiar habits is harder than learning something new. Plan chances "
            "to try things out in your everyday work, and to keep trying."
        ),
        prompts=(
            _("Where in your week could you try something differently?"),
            _("Which habits would you like to unlearn?"),
        ),
    ),
    Stage(
        slug="supportive-relationships",
        field="supportive_relationships",
        name=_("Supportive relationships"),
        question=_("Who will support you, and help you see your progress?"),
        hint=_(
            "Motivation can dip. Your supervisor, a mentor or coach, colleagues learning "
            "the same things, an action learning set or peer consultation can all help."
        ),
        prompts=(
            _("Who could you ask for feedback?"),
            _("Is there a group you could learn with?"),
        ),
    ),
)

STAGE_SLUGS: tuple[str, ...] = tuple(s.slug for s in STAGES)
STAGE_FIELDS: tuple[str, ...] = tuple(s.field for s in STAGES)


def stage_by_slug(slug: str) -> Stage | None:
    return next((s for s in STAGES if s.slug == slug), None)


def previous_stage(stage: Stage) -> Stage | None:
    i = STAGE_SLUGS.index(stage.slug)
    return STAGES[i - 1] if i > 0 else None


def next_stage(stage: Stage) -> Stage | None:
    i = STAGE_SLUGS.index(stage.slug)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None
