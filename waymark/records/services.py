"""Producing a person's record, with an audit record of who took which data out.

A record is read-only work, but data leaving Waymark is worth a trace: each export
leaves an audit event naming the person, what was included and why (her own download,
or a subject access request answered by an administrator). The event never carries
the content: no entry titles, no reflections.

The PDF is set *before* the audit transaction opens: setting takes seconds for a long
record, and an open write transaction would hold SQLite's write lock meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from django.db import transaction

from waymark.core import audit

from .export import organisations_of, person_data
from .pdf import RenderedPdf, render_record_pdf
from .record import EVERYTHING, RecordOptions, build_record

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

Reason = Literal["self", "subject-access-request"]


def record_pdf_export(
    *,
    actor: User | None,
    person: User,
    organisation: Organisation,
    options: RecordOptions = EVERYTHING,
    reason: Reason = "self",
) -> RenderedPdf:
    """The person's record in `organisation` as a PDF, with what `options` include."""
    record = build_record(person=person, organisation=organisation, options=options)
    pdf = render_record_pdf(record)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="records.pdf.export",
            obj=person,
            organisation=organisation,
            summary=(
                f"Record of {person.email} produced as a PDF ({pdf.pages} pages)"
                + (" for a subject access request" if reason != "self" else "")
            ),
            changes={
                "reason": reason,
                "sections": sorted(options.sections),
                "cpd_from": options.cpd_from.isoformat() if options.cpd_from else None,
                "cpd_to": options.cpd_to.isoformat() if options.cpd_to else None,
                "reflections_included": record.cpd.reflections_included if record.cpd else 0,
                "pages": pdf.pages,
            },
        )
    return pdf


def record_data_export(
    *,
    actor: User | None,
    person: User,
    organisations: Sequence[Organisation] | None,
    reason: Reason = "self",
) -> dict[str, Any]:
    """All the person's own data in `organisations` (every one she has data in when
    None), in the shape `export.py` documents (`export.to_json` writes it)."""
    orgs = list(organisations) if organisations is not None else organisations_of(person)
    data = person_data(person=person, organisations=orgs)
    slugs = [o.slug for o in orgs]
    with transaction.atomic():
        # One event in each organisation's trail (one without an organisation if none).
        targets: list[Organisation | None] = [*orgs] or [None]
        for organisation in targets:
            audit.record(
                actor=actor,
                action="records.data.export",
                obj=person,
                organisation=organisation,
                summary=(
                    f"All data of {person.email} exported as JSON"
                    + (" for a subject access request" if reason != "self" else "")
                ),
                changes={"reason": reason, "organisations": slugs},
            )
    return data
