"""Who may see whose development records, in one place.

Pages about one person's development live under /o/<org>/people/<person_id>/… . The
`person_view` decorator resolves `request.person` and `request.relation`: "self" for
the person; "supervisor", "mentor" or "coach" for those in a SupportRelationship with
them; "ld-lead" and "admin" for those organisation roles. Anyone else, and anyone
asking about a person who is not a member of the organisation, gets 404.

What each relation may see is decided by the app that owns the data (for example, CPD
entries: private ones only to "self"); `relation_allows` helps views say it once."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from waymark.accounts.models import User

from .models import Membership, Role, SupportRelationship

SELF = "self"
SUPPORTER_RELATIONS = frozenset({"supervisor", "mentor", "coach"})
ORGANISATION_RELATIONS = frozenset({Role.LD_LEAD.value, Role.ADMIN.value})


def relations_to(
    *, viewer: User, person: User, organisation_id: int, viewer_roles: frozenset[str]
) -> frozenset[str]:
    """Every way `viewer` relates to `person` in the organisation (may be empty)."""
    if viewer.pk == person.pk:
        return frozenset({SELF})
    found = set(
        SupportRelationship.objects.filter(
            organisation_id=organisation_id, manager=person, supporter=viewer
        ).values_list("kind", flat=True)
    )
    found |= set(viewer_roles & ORGANISATION_RELATIONS)
    return frozenset(found)


def person_view(
    *allowed: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Resolve the `person_id` URL argument within request.organisation.

    `allowed` lists the relations that may use the view ("self", "supervisor", "mentor",
    "coach", "ld-lead", "admin"); with none given, only the person. A viewer with no
    relation to the person gets 404; one with a relation not allowed here gets 403."""
    permitted = frozenset(allowed or (SELF,))

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, person_id: int, **kwargs: Any
        ) -> HttpResponse:
            organisation = getattr(request, "organisation", None)
            if organisation is None:
                raise Http404
            person = (
                User.objects.filter(pk=person_id, memberships__organisation=organisation)
                .distinct()
                .first()
            )
            if person is None:
                raise Http404
            relations = relations_to(
                viewer=request.user,  # type: ignore[arg-type]
                person=person,
                organisation_id=organisation.pk,
                viewer_roles=getattr(request, "roles", frozenset()),
            )
            if not relations:
                raise Http404
            if not relations & permitted:
                raise PermissionDenied
            request.person = person  # type: ignore[attr-defined]
            request.relations = relations  # type: ignore[attr-defined]
            return view(request, *args, person_id=person_id, **kwargs)

        wrapper.org_roles = ()  # type: ignore[attr-defined]
        wrapper.person_relations = tuple(sorted(permitted))  # type: ignore[attr-defined]
        return wrapper

    return decorator


def is_member(user: User, organisation_id: int) -> bool:
    return Membership.objects.filter(user=user, organisation_id=organisation_id).exists()


def supporters_of(person: User, organisation_id: int, kind: str | None = None) -> list[User]:
    qs = SupportRelationship.objects.filter(organisation_id=organisation_id, manager=person)
    if kind:
        qs = qs.filter(kind=kind)
    return [r.supporter for r in qs.select_related("supporter")]
