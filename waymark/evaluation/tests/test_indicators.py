"""Organisation indicators (level 4): values over time, targets, and bad input."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.models import AuditEvent

from .. import selectors, services
from ..models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


def _indicator(personas: Personas, **kwargs: object) -> Indicator:
    data = services.IndicatorInput(name="Staff retention", unit="%", **kwargs)  # type: ignore[arg-type]
    return services.indicator_create(actor=personas.ld_lead, organisation=personas.org, data=data)


def test_values_are_kept_in_date_order_and_a_date_recorded_again_replaces_its_value(
    personas: Personas,
) -> None:
    indicator = _indicator(personas, target="85")
    for day, value in ((3, "81"), (1, "78"), (2, "79.5"), (3, "82")):
        services.indicator_value_add(
            actor=personas.ld_lead,
            organisation=personas.org,
            indicator_id=indicator.pk,
            date=datetime.date(2026, day, 1),
            value=value,
        )
    [series] = selectors.indicator_list(personas.org)
    assert [v.value for v in series.values] == [Decimal("78"), Decimal("79.5"), Decimal("82")]
    assert series.latest is not None and series.latest.value == Decimal("82")
    assert series.meets_target is False
    assert AuditEvent.objects.filter(action="indicator.value_change").count() == 1


def test_lower_is_better_indicators_meet_their_target_from_below(personas: Personas) -> None:
    indicator = _indicator(personas, direction="down", target="10")
    assert indicator.meets_target(Decimal("9")) is True
    assert indicator.meets_target(Decimal("11")) is False
    assert indicator.meets_target(None) is None


def test_a_value_for_an_unknown_indicator_is_refused(personas: Personas) -> None:
    theirs = Indicator.objects.create(organisation=personas.other_org, name="Theirs")
    with pytest.raises(ValidationError) as caught:
        services.indicator_value_add(
            actor=personas.ld_lead,
            organisation=personas.org,
            indicator_id=theirs.pk,
            date=datetime.date(2026, 1, 1),
            value="5",
        )
    assert caught.value.message_dict == {
        "indicator": ["There is no such indicator in this organisation"]
    }
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("bad", ["eighty", "1e400", "NaN", "12..5"])
def test_a_value_that_is_not_a_number_is_refused(personas: Personas, bad: str) -> None:
    indicator = _indicator(personas)
    with pytest.raises(ValidationError) as caught:
        services.indicator_value_add(
            actor=personas.ld_lead,
            organisation=personas.org,
            indicator_id=indicator.pk,
            date=datetime.date(2026, 1, 1),
            value=bad,
        )
    assert caught.value.message_dict == {"value": ["Enter a number, like 12 or 85.5"]}


def test_a_value_dated_in_the_future_is_refused(personas: Personas) -> None:
    indicator = _indicator(personas)
    with pytest.raises(ValidationError) as caught:
        services.indicator_value_add(
            actor=personas.ld_lead,
            organisation=personas.org,
            indicator_id=indicator.pk,
            date=timezone.localdate() + datetime.timedelta(days=1),
            value="3",
        )
    assert "date" in caught.value.message_dict


def test_two_indicators_cannot_share_a_name_in_an_organisation(personas: Personas) -> None:
    _indicator(personas)
    with pytest.raises(ValidationError) as caught:
        _indicator(personas)
    assert caught.value.message_dict == {"name": ["There is already an indicator with this name"]}
    # Another organisation may use the name.
    services.indicator_create(
        actor=personas.outsider,
        organisation=personas.other_org,
        data=services.IndicatorInput(name="Staff retention"),
    )


def test_the_chart_has_a_line_for_the_target(personas: Personas) -> None:
    indicator = _indicator(personas, target="85")
    IndicatorValue.objects.create(indicator=indicator, date=datetime.date(2026, 1, 1), value=80)
    svg = selectors.indicator_chart(
        selectors.IndicatorSeries(indicator, list(indicator.values.all()))
    )
    assert "Target" in svg and "<script" not in svg
