"""Charts of a gap analysis as SVG strings, drawn on the server with pygal so that the
same drawing shows in the page and in the PDF record.

Each chart is self-contained: no scripts (pygal's default loads its tooltips from a
CDN, and even with `js=[]` it inlines a config script: both are removed), no links, no
external fonts or stylesheets. It carries `role="img"` with a <title> and <desc> that
say what it shows; the page always puts a data table of the same figures beside it."""

from __future__ import annotations

import uuid
from typing import Any

import pygal
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pygal.style import Style

from .selectors import GapAnalysis, level_word

SVG_NS = "{http://www.w3.org/2000/svg}"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
# GOV.UK colours: blue for the self-rating, black (dashed) for the level expected.
SELF_COLOUR = "#1d70b8"
EXPECTED_COLOUR = "#0b0c0c"
GAP_COLOUR = "#1d70b8"

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    opacity=".25",
    opacity_hover=".35",
    transition="0ms",
    colors=(EXPECTED_COLOUR, SELF_COLOUR),
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    tooltip_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    no_data_font_family=FONT,
    title_font_size=18,
    legend_font_size=16,
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
)
BAR_STYLE = Style(
    **{**STYLE.to_dict(), "colors": (GAP_COLOUR,), "opacity": ".9", "opacity_hover": "1"}
)


def _level_axis() -> list[dict[str, Any]]:
    return [{"label": f"{v} {level_word(v)}", "value": v} for v in range(5)]


def _label(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _accessible(title: str, desc: str) -> Any:
    """An xml filter: drop pygal's comments and scripts, give the chart an accessible
    name and description. Works with pygal on xml.etree or lxml."""
    key = uuid.uuid4().hex[:12]

    def apply(root: Any) -> Any:
        for parent in list(root.iter()):
            for child in list(parent):
                if not isinstance(child.tag, str) or child.tag.rsplit("}", 1)[-1] == "script":
                    parent.remove(child)  # comments (pygal's links) and scripts
        for old in [
            c
            for c in root
            if isinstance(c.tag, str) and c.tag.rsplit("}", 1)[-1] in ("title", "desc")
        ]:
            root.remove(old)
        title_el = root.makeelement("title", {"id": f"chart-title-{key}"})
        title_el.text = title
        desc_el = root.makeelement("desc", {"id": f"chart-desc-{key}"})
        desc_el.text = desc
        root.insert(0, desc_el)
        root.insert(0, title_el)
        root.set("role", "img")
        root.set("aria-labelledby", f"chart-title-{key} chart-desc-{key}")
        root.set("class", (root.get("class", "") + " waymark-chart").strip())
        return root

    return apply


def _render(chart: Any, title: str, desc: str) -> str:
    chart.add_xml_filter(_accessible(title, desc))
    svg = chart.render(is_unicode=True)
    return str(svg)


def _config(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "js": [],  # never pygal's CDN scripts
        "disable_xml_declaration": True,
        "style": extra.pop("style", STYLE),
        "print_values": False,
        "show_legend": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2,
        "truncate_legend": -1,
        "truncate_label": -1,
        "margin": 16,
        **extra,
    }


def _no_data(title: str) -> str:
    chart = pygal.Bar(**_config(title, no_data_text=_("Nothing to show yet")))
    return _render(chart, title, _("There is nothing to chart yet."))


def domain_radar_svg(analysis: GapAnalysis, *, title: str | None = None) -> str:
    """The level expected and the mean self-rating for each domain: a radar with one
    spoke per domain (three or more domains), otherwise horizontal bars."""
    title = title or _("Expected level and your rating, by domain")
    domains = analysis.domains
    if not domains:
        return _no_data(title)
    desc = _(
        "Mean level expected and mean self-rating (0 Not yet to 4 Leading) for each of "
        "%(count)d domains. The same figures are in the table “Gaps by domain”."
    ) % {"count": len(domains)}
    expected = [round(d.mean_expected, 2) for d in domains]
    rated = [None if d.mean_self is None else round(d.mean_self, 2) for d in domains]
    if len(domains) >= 3:
        chart = pygal.Radar(
            **_config(
                title,
                fill=False,
                range=(0, 4),
                height=560,
                width=660,
                dots_size=4,
                y_labels=_level_axis(),
                show_dots=True,
            )
        )
        # Spokes carry the domain's code (its name when it has none): long names
        # overlap round a radar; the table beside the chart names each domain in full.
        chart.x_labels = [d.domain.code or _label(d.domain.label, 18) for d in domains]
    else:
        chart = pygal.HorizontalBar(
            **_config(
                title,
                range=(0, 4),
                height=140 + 70 * len(domains),
                width=660,
                y_labels=_level_axis(),
                x_label_rotation=0,
            )
        )
        chart.x_labels = [_label(d.domain.label, 34) for d in domains]
    chart.add(
        _("Expected for the role"),
        expected,
        stroke_style={"width": 3, "dasharray": "8, 5"},
        dots_size=5,
    )
    chart.add(_("Your rating"), rated, stroke_style={"width": 3}, dots_size=4)
    return _render(chart, title, desc)


def competence_bars_svg(
    analysis: GapAnalysis, *, title: str | None = None, limit: int | None = None
) -> str:
    """The gap (levels below expected) of each competence rated below the level
    expected, highest priority first, as horizontal bars; `limit` keeps only the first
    so many (the table beside it lists every competence)."""
    title = title or _("Gaps by competence, highest priority first")
    rows = analysis.gaps
    if limit is not None:
        rows = rows[:limit]
    if not rows:
        chart = pygal.HorizontalBar(**_config(title, no_data_text=_("No gaps")))
        return _render(chart, title, _("No competence is rated below the level expected."))
    desc = ngettext(
        "Levels between the level expected and the self-rating for the %(count)d competence "
        "rated below the level expected. The same figures are in the table “Gaps by "
        "competence”.",
        "Levels between the level expected and the self-rating for the %(count)d competences "
        "rated below the level expected, in order of priority (the gap multiplied by the "
        "importance). The same figures are in the table “Gaps by competence”.",
        len(rows),
    ) % {"count": len(rows)}
    # pygal draws the first label at the bottom: reverse so the highest priority is on top.
    shown = list(reversed(rows))
    chart = pygal.HorizontalBar(
        **_config(
            title,
            style=BAR_STYLE,
            range=(0, 4),
            height=130 + 30 * len(shown),
            width=660,
            y_labels=[0, 1, 2, 3, 4],
            show_legend=False,
            print_values=True,
            print_values_position="top",
            print_zeroes=True,
            spacing=6,
        )
    )
    chart.x_labels = [_label(f"{r.node.code} {r.node.display_title}".strip(), 40) for r in shown]
    chart.add(
        _("Gap (levels below expected)"),
        [{"value": r.gap or 0, "label": _("priority %(p)d") % {"p": r.priority}} for r in shown],
    )
    return _render(chart, title, desc)
