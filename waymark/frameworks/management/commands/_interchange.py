"""Shared wording for the interchange commands."""

from __future__ import annotations

from django.utils.translation import gettext as _

from waymark.frameworks.interchange.problems import Problem


def problems_text(problems: list[Problem], source: str) -> str:
    lines = [
        _("Nothing was imported from %(source)s: %(count)d problem(s).")
        % {"source": source, "count": len(problems)}
    ]
    lines += [f"  - {p}" for p in problems]
    return "\n".join(lines)
