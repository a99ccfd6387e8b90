"""What is wrong with a file, and where: collected in full before anything is written."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Where a file has more problems than this, the rest are counted, not listed.
MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Problem:
    where: str  # "line 3, column 7", "CFItems[4] (identifier …)", "Items sheet, row 9, column “SCQF level”"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Problem:
        return cls(where=data.get("where", ""), message=data.get("message", ""))


class InterchangeError(Exception):
    """A file that cannot be imported. `problems` lists every problem found, with where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Collector:
    """Collects errors and warnings while a file is read. In lenient mode a repairable
    departure from the standard becomes a warning that says what was repaired; in strict
    mode it is an error."""

    def __init__(self, *, lenient: bool = True) -> None:
        self.lenient = lenient
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self._dropped = 0

    def error(self, where: str, message: str) -> None:
        if len(self.errors) >= MAX_PROBLEMS:
            self._dropped += 1
            return
        self.errors.append(Problem(where, message))

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Problem(where, message))

    def repair(self, where: str, message: str) -> bool:
        """Record a repair; True if it may be made (lenient), False if it is an error."""
        if self.lenient:
            self.warn(where, message)
            return True
        self.error(where, message + " " + _("(Strict import: not repaired.)"))
        return False

    @property
    def ok(self) -> bool:
        return not self.errors

    def all_errors(self) -> list[Problem]:
        out = list(self.errors)
        if self._dropped:
            out.append(
                Problem(
                    "", _("…and %(count)d more problems not listed.") % {"count": self._dropped}
                )
            )
        return out

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InterchangeError(self.all_errors())


def merge_warnings(warnings: list[Problem], *, keep: int = 5) -> list[Problem]:
    """One warning per distinct message, naming up to `keep` places (and how many more), so
    that a file with the same repair on 5,000 items gives one readable line."""
    groups: OrderedDict[str, list[str]] = OrderedDict()
    for w in warnings:
        groups.setdefault(w.message, []).append(w.where)
    out: list[Problem] = []
    for message, places in groups.items():
        places = [p for p in places if p]
        if len(places) <= keep:
            where = "; ".join(places)
        else:
            where = (
                "; ".join(places[:keep])
                + " "
                + _("and %(count)d more") % {"count": len(places) - keep}
            )
        out.append(Problem(where, message))
    return out
