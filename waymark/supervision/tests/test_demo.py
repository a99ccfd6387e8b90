"""The demo story's supervision: made once, with one action done and one carried and
overdue; running it again changes nothing."""

from __future__ import annotations

from waymark.conftest import Personas
from waymark.supervision.demo import seed_supervision
from waymark.supervision.models import ActionPoint, SupervisionRecord
from waymark.supervision.selectors import record_actions

from .factories import support


def test_the_demo_gives_maya_a_past_and_a_current_record(personas: Personas) -> None:
    support(personas.org, personas.manager, personas.supervisor, "supervisor")
    seed_supervision(write=lambda s: None)
    seed_supervision(write=lambda s: None)
    past, current = SupervisionRecord.objects.order_by("date")
    assert past.is_final and not current.is_final
    done, rota = ActionPoint.objects.order_by("due_date")
    assert done.status == "done"
    assert rota.is_overdue()
    assert [a.pk for a in record_actions(current).carried] == [rota.pk]
