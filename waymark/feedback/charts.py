"""The results chart: self, each group shown and the level expected, by domain, drawn
with pygal exactly as the gap analysis charts are (no scripts, accessible name and
description); the page puts the same figures in a table beside it."""

from __future__ import annotations

import pygal
from django.utils.translation import gettext as _

from waymark.assessment.charts import STYLE, _config, _label, _level_axis, _no_data, _render

from .selectors import Results

# GOV.UK colours: black (dashed) expected, blue self, then one colour per group shown.
COLOURS = ("#0b0c0c", "#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#5694ca")


def results_svg(results: Results) -> str:
    title = _("Expected, your rating and others' views, by domain")
    if not results.domains or not results.columns:
        return _no_data(title)
    desc = _(
        "Mean level (0 Not yet to 4 Leading) expected, from your self-assessment and from "
        "each group of raters shown, for each of %(count)d domains. The same figures are "
        "in the table “Results by domain”."
    ) % {"count": len(results.domains)}
    series = 2 + len(results.columns)
    style = STYLE.__class__(**{**STYLE.to_dict(), "colors": COLOURS})
    chart = pygal.HorizontalBar(
        **_config(
            title,
            style=style,
            range=(0, 4),
            height=170 + 26 * len(results.domains) * series + 30 * -(-series // 2),
            width=660,
            margin_right=48,
            margin_bottom=36,
            y_labels=_level_axis(),
            legend_at_bottom_columns=2,
        )
    )
    # pygal draws the first label at the bottom: reverse so the first domain is on top.
    domains = list(reversed(results.domains))
    chart.x_labels = [_label(d.domain.code or d.domain.label, 34) for d in domains]

    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 2)

    chart.add(_("Expected for the role"), [r(d.mean_expected) for d in domains])
    chart.add(_("Your rating"), [r(d.mean_self) for d in domains])
    for column in results.columns:
        chart.add(column.label, [r(d.mean_for(column.key)) for d in domains])
    return _render(chart, title, desc)
