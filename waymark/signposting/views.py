"""Signposting pages.

Under /o/<org>/people/<person_id>/signposting/ (about one person):
- options for the person's gaps, ranked with their preferences, each with its reasons;
  seen by the person and by those who may already see their gap analysis (her
  supervisor, the L&D lead, admins: `assessment.selectors.PAGE_RELATIONS`);
- her learning preferences (hers alone); qualification fit for her PMS; add to plan.

Under /o/<org>/signposting/ (the organisation): find learning for chosen competences or
words (any member); the organisation's aggregated gaps and qualification fit for a role
profile (L&D lead, admin); a catalogue entry, in-house ones included.

Under /catalogue/ (anyone, signed in or not): the public catalogue only.

Every entry comes through `selectors.visible_resources` and friends: another
organisation's in-house entries, drafts and withdrawn entries are not found."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from waymark.assessment.models import SelfAssessment
from waymark.assessment.selectors import PAGE_RELATIONS
from waymark.core.forms import add_service_errors
from waymark.frameworks.models import EditionStatus, Node
from waymark.organisations.access import SELF, person_view
from waymark.organisations.decorators import org_role
from waymark.organisations.models import Role
from waymark.planning import selectors as planning_selectors
from waymark.profiles.models import RoleProfile, SpecCompetence

from . import learner_services, matching
from .forms import (
    NEW_OBJECTIVE,
    AddToPlanForm,
    FilterForm,
    LearningPreferenceForm,
    SearchForm,
    activity_type_for,
)
from .models import (
    DeliveryMode,
    LearningPreference,
    Provider,
    Qualification,
    QualificationUnit,
    Resource,
    ResourceNode,
)
from .search import search_catalogue
from .selectors import visible_providers, visible_qualifications, visible_resources

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

OPTIONS_LIMIT = 10
SEARCH_PAGE_SIZE = 20
MAX_CHOSEN_NODES = 30
# How many managers share a gap is shown only from this many up ("fewer than 5" below).
SMALL_GROUP = 5
# The framework offered as a tree on "find learning" (chosen competences).
TREE_FRAMEWORK = "middle-manager-llf"


# --- helpers ------------------------------------------------------------------------------


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined]


def _person(request: HttpRequest) -> User:
    return request.person  # type: ignore[attr-defined]


def _relations(request: HttpRequest) -> frozenset[str]:
    return request.relations  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _person_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "organisation": _org(request),
        "person": _person(request),
        "relations": _relations(request),
        "is_self": SELF in _relations(request),
        **extra,
    }


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def pagination_for(
    request: HttpRequest, number: int, total: int, size: int
) -> dict[str, Any] | None:
    """Items for the GOV.UK pagination component (frameworks/_pagination.html)."""
    last = max(1, -(-total // size))
    if last <= 1:
        return None

    def url(n: int) -> str:
        q = request.GET.copy()
        q["page"] = str(n)
        return "?" + q.urlencode()

    shown = sorted({n for n in (1, number - 1, number, number + 1, last) if 1 <= n <= last})
    items: list[dict[str, Any]] = []
    previous = 0
    for n in shown:
        if previous and n - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": n, "url": url(n), "current": n == number})
        previous = n
    return {
        "items": items,
        "previous_url": url(number - 1) if number > 1 else "",
        "next_url": url(number + 1) if number < last else "",
    }


def link_health(entry: Resource | Provider | Qualification) -> dict[str, str] | None:
    """What the link checker last found, in words; None if never checked."""
    if not entry.url or entry.link_checked_at is None:
        return None
    status = entry.link_status
    if entry.link_error or status is None or status >= 400:
        state = "broken"
        text = _("The link did not work when last checked (%(problem)s).") % {
            "problem": entry.link_error or status or _("no answer")
        }
    elif entry.link_final_url and entry.link_final_url.rstrip("/") != entry.url.rstrip("/"):
        state = "moved"
        text = _("The link now leads to %(url)s.") % {"url": entry.link_final_url}
    else:
        state = "working"
        text = _("The link worked when last checked.")
    return {"state": state, "text": text, "checked": entry.link_checked_at.isoformat()}


def pounds(value: int | None) -> str:
    return "" if value is None else f"£{value:,}"


def cost_words(entry: Resource | Qualification) -> str:
    """The cost in plain words: "Free", "£450", "£300 to £1,200", "Not known"."""
    low, high = entry.cost_from, entry.cost_to
    if low is None and high is None:
        words = _("Not known")
    elif (low or 0) == 0 and (high or 0) == 0:
        words = _("Free")
    elif high is None or low == high:
        words = pounds(low if low is not None else high)
    elif low is None:
        words = _("Up to %(high)s") % {"high": pounds(high)}
    else:
        words = _("%(low)s to %(high)s") % {"low": pounds(low), "high": pounds(high)}
    return f"{words} ({entry.cost_note})" if entry.cost_note else str(words)


def hours_words(hours: Decimal | None, duration: str = "") -> str:
    parts = []
    if hours is not None:
        n = f"{hours.normalize():f}" if isinstance(hours, Decimal) else str(hours)
        parts.append(_("%(n)s hours") % {"n": n})
    if duration:
        parts.append(duration)
    return ", ".join(parts) if parts else _("Not known")


def _latest_round(organisation: Organisation, person: User) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(
            organisation=organisation, manager=person, submitted_at__isnull=False
        )
        .order_by("-submitted_at", "-id")
        .first()
    )


def _filters_form(request: HttpRequest, *, fields: list[str] | None = None) -> FilterForm:
    return FilterForm(request.GET if request.GET else None, fields=fields)


def result_rows(
    matches: list[matching.Match], *, add_url: str | None = None, pms: set[int] | None = None
) -> list[dict[str, Any]]:
    """Each match with what the result card shows and, for the manager, where "add to my
    plan" goes (with the gaps it covers that are in her PMS, to seed a new objective)."""
    rows = []
    for m in matches:
        url = ""
        if add_url is not None:
            url = add_url.replace("__slug__", m.resource.slug)
            nodes = [c.need.node.pk for c in m.covered if pms is None or c.need.node.pk in pms]
            if nodes:
                url += "?" + urlencode([("node", n) for n in dict.fromkeys(nodes)])
        rows.append(
            {
                "match": m,
                "resource": m.resource,
                "reasons": m.reasons,
                "cost": cost_words(m.resource),
                "hours": hours_words(m.resource.hours, m.resource.duration),
                "add_url": url,
            }
        )
    return rows


# --- pages about one person -------------------------------------------------------------------


@org_role()
@person_view(*PAGE_RELATIONS)
def person_options(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """Learning options for the person's gaps, ranked with her preferences and limits."""
    org, person = _org(request), _person(request)
    form = _filters_form(request)
    # The same needs and ranking as the API and `waymark signpost --email`.
    needs, matches = matching.signpost_person(
        person=person, organisation=org, filters=form.filters(), limit=OPTIONS_LIMIT
    )
    preference = LearningPreference.objects.filter(user=person).first()
    is_self = SELF in _relations(request)
    add_url = None
    pms: set[int] | None = None
    if is_self:
        add_url = reverse(
            "signposting:add_to_plan",
            kwargs={"org_slug": org.slug, "person_id": person.pk, "slug": "__slug__"},
        )
        pms = planning_selectors.pms_node_ids(organisation=org, manager=person)
    latest = _latest_round(org, person)
    return render(
        request,
        "signposting/person_options.html",
        _person_context(
            request,
            needs=needs,
            results=result_rows(matches, add_url=add_url, pms=pms),
            form=form,
            preference=preference,
            preference_words=_preference_words(preference),
            latest=latest,
        ),
    )


def _preference_words(preference: LearningPreference | None) -> list[str]:
    if preference is None:
        return []
    words = []
    if preference.preferred_modes:
        words.append(
            _("ways that suit: %(modes)s")
            % {"modes": ", ".join(_mode_label(m) for m in preference.preferred_modes)}
        )
    if preference.avoid_modes:
        words.append(
            _("ways to avoid: %(modes)s")
            % {"modes": ", ".join(_mode_label(m) for m in preference.avoid_modes)}
        )
    if preference.max_cost is not None:
        words.append(_("up to %(cost)s") % {"cost": pounds(preference.max_cost)})
    if preference.max_hours is not None:
        words.append(_("up to %(n)s hours") % {"n": preference.max_hours})
    if preference.regions:
        from waymark.organisations.models import Region

        labels = dict(Region.choices)
        words.append(
            _("can travel to: %(regions)s")
            % {"regions": ", ".join(str(labels.get(r, r)) for r in preference.regions)}
        )
    return words


def _mode_label(mode: str) -> str:
    return str(dict(DeliveryMode.choices).get(mode, mode))


@org_role()
@person_view(SELF)
def preferences(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """What works for the manager, and her limits: they change the ranking of her options."""
    person = _person(request)
    preference = LearningPreference.objects.filter(user=person).first()
    form = LearningPreferenceForm(
        request.POST or None, initial=LearningPreferenceForm.initial_from(preference)
    )
    back = reverse("signposting:person", kwargs={"org_slug": org_slug, "person_id": person.pk})
    if request.method == "POST" and form.is_valid():
        try:
            learner_services.learning_preference_save(
                actor=_actor(request), user=person, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("Your preferences are saved. Your options are now ranked using them.")
            )
            return redirect(back)
    return render(
        request,
        "signposting/preferences.html",
        _person_context(request, form=form, back_url=back),
    )


def _competences_of_revision(revision_id: int) -> list[tuple[Node, int, int]]:
    return [
        (sc.node, sc.expected_level, sc.importance)
        for sc in SpecCompetence.objects.filter(revision_id=revision_id)
        .select_related("node__edition__framework")
        .order_by("node__edition_id", "node__path")
    ]


def _fits(fits: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "fit": f,
            "qualification": f.qualification,
            "percent": round(f.coverage_ratio * 100),
            "covered_count": len(f.covered),
            "total": len(f.covered) + len(f.remaining),
            "cost": cost_words(f.qualification),
            "hours": hours_words(f.qualification.hours, f.qualification.duration),
        }
        for f in fits
    ]


@org_role()
@person_view(*PAGE_RELATIONS)
def person_qualifications(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """How much of the person's current PMS each qualification covers, and what remains."""
    org, person = _org(request), _person(request)
    revision = planning_selectors.current_revision(organisation=org, manager=person)
    fits = []
    if revision is not None:
        fits = matching.qualification_fit(
            competences=_competences_of_revision(revision.pk),
            manager_level=revision.manager_level,
        )
    return render(
        request,
        "signposting/qualifications.html",
        _person_context(
            request,
            revision=revision,
            fits=_fits(fits),
            subject=_("your person management specification")
            if SELF in _relations(request)
            else _("the person management specification of %(name)s")
            % {"name": person.display_name},
            back_url=reverse(
                "signposting:person", kwargs={"org_slug": org_slug, "person_id": person.pk}
            ),
            back_label=_("Learning options"),
        ),
    )


def _requested_node_ids(request: HttpRequest) -> list[int]:
    out: list[int] = []
    for raw in request.GET.getlist("node")[:MAX_CHOSEN_NODES]:
        try:
            out.append(int(raw))
        except ValueError:
            continue
    return list(dict.fromkeys(out))


@org_role()
@person_view(SELF)
def add_to_plan(request: HttpRequest, org_slug: str, person_id: int, slug: str) -> HttpResponse:
    """Plan to use a catalogue entry: under an objective of the current plan, or a new one
    seeded from the gaps the entry covers. A failed save keeps everything typed."""
    org, person = _org(request), _person(request)
    resource = get_object_or_404(visible_resources(org).select_related("provider"), slug=slug)
    plan = planning_selectors.current_plan(organisation=org, manager=person)
    if plan is None:
        messages.info(request, _("First, start your plan. Then you can add this learning to it."))
        return redirect(
            reverse("planning:plan_new", kwargs={"org_slug": org_slug, "person_id": person.pk})
            + "?"
            + urlencode({"next": request.get_full_path()})
        )
    allowed = planning_selectors.pms_node_ids(organisation=org, manager=person)
    wanted = [n for n in _requested_node_ids(request) if n in allowed]
    nodes = list(
        Node.objects.filter(pk__in=wanted).select_related("edition__framework").order_by("path")
    )
    objectives = list(
        plan.objectives.exclude(status__in=["achieved", "dropped"]).order_by(
            "level", "sequence", "id"
        )
    )
    default_title = (
        _("Develop %(gap)s") % {"gap": f"{nodes[0].code} {nodes[0].display_title}".strip()}
        if nodes
        else _("Learn from: %(title)s") % {"title": resource.title}
    )[:300]
    initial = {
        "objective": (
            NEW_OBJECTIVE
            if not objectives
            else str(objectives[0].pk)
            if len(objectives) == 1
            else None
        ),
        "title": default_title,
        "target_date": plan.period_end,
        "activity_type": activity_type_for(resource),
    }
    form = AddToPlanForm(request.POST or None, objectives=objectives, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        is_new = data["objective"] == NEW_OBJECTIVE
        try:
            activity = learner_services.resource_add_to_plan(
                actor=_actor(request),
                plan=plan,
                resource=resource,
                activity_type=data["activity_type"],
                objective=None if is_new else form.chosen_objective(),
                new_objective_title=data.get("title") or "",
                target_date=data.get("target_date"),
                nodes=nodes if is_new else (),
            )
        except ValidationError as e:
            for field, errors in getattr(e, "error_dict", {None: e.error_list}).items():
                target = {"nodes": None}.get(field, field)
                form.add_error(target if target in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("“%(title)s” is in your plan, under the objective “%(objective)s”.")
                % {"title": resource.title, "objective": activity.objective.title},
            )
            return redirect(
                reverse(
                    "planning:plan_detail",
                    kwargs={"org_slug": org_slug, "person_id": person.pk, "plan_id": plan.pk},
                )
                + "#levels"
            )
    return render(
        request,
        "signposting/add_to_plan.html",
        _person_context(
            request,
            resource=resource,
            plan=plan,
            form=form,
            nodes=nodes,
            new_value=NEW_OBJECTIVE,
            back_url=reverse(
                "signposting:person", kwargs={"org_slug": org_slug, "person_id": person.pk}
            ),
        ),
    )


# --- organisation pages -----------------------------------------------------------------------


def _tree_nodes() -> list[Node]:
    """The current edition of the framework offered for choosing competences, in order."""
    return list(
        Node.objects.filter(
            edition__framework__slug=TREE_FRAMEWORK,
            edition__is_current=True,
            edition__status=EditionStatus.PUBLISHED,
        )
        .only("id", "code", "title", "statement", "depth", "path", "parent_id", "edition_id")
        .order_by("path")
    )


def chosen_nodes(
    ids: list[int], codes: list[str], *, organisation: Organisation | None = None
) -> list[Node]:
    """Nodes of current, published editions chosen by id or by code; a code may name its
    framework ("middle-manager-llf:MM3.04") when the same code is in several. Only the
    shared standards, and the organisation's own competences when one is given: never
    another organisation's."""
    from django.db.models import Q

    codes = [c.strip() for c in codes if c.strip()][:MAX_CHOSEN_NODES]
    if not ids and not codes:
        return []
    wanted = Q(pk__in=ids) if ids else Q(pk__in=[])
    for code in codes:
        framework, sep, bare = code.rpartition(":")
        if sep and framework:
            wanted |= Q(code=bare, edition__framework__slug=framework, edition__is_current=True)
        else:
            wanted |= Q(code=code, edition__is_current=True)
    return list(
        Node.objects.filter(wanted, edition__status=EditionStatus.PUBLISHED)
        .filter(
            Q(edition__framework__organisation__isnull=True)
            | Q(edition__framework__organisation=organisation)
            if organisation is not None
            else Q(edition__framework__organisation__isnull=True)
        )
        .select_related("edition__framework")
        .order_by("edition__framework__title", "path")[:MAX_CHOSEN_NODES]
    )


def unknown_codes(codes: list[str], nodes: list[Node]) -> list[str]:
    found = {n.code for n in nodes} | {f"{n.edition.framework.slug}:{n.code}" for n in nodes}
    return [c for c in codes if c.strip() and c.strip() not in found]


@org_role()
def find(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Find learning: options for chosen competences and/or words, and catalogue search,
    including the organisation's own in-house resources."""
    org = _org(request)
    form = SearchForm(request.GET if request.GET else None)
    q = form.query() if form.is_bound else ""
    filters = form.filters() if form.is_bound else None
    codes = request.GET.get("codes", "").replace(",", " ").split()
    nodes = chosen_nodes(_requested_node_ids(request), codes, organisation=org)
    options: list[dict[str, Any]] = []
    if nodes or q:
        options = result_rows(
            matching.match(
                needs=matching.needs_from_nodes(nodes),
                text=q,
                organisation=org,
                region=org.region,
                filters=filters,
                limit=OPTIONS_LIMIT,
            )
        )
    result = None
    pagination = None
    if q or (filters is not None and not filters.is_empty):
        number = _page_number(request)
        result = search_catalogue(
            q,
            organisation=org,
            filters=filters,
            limit=SEARCH_PAGE_SIZE,
            offset=(number - 1) * SEARCH_PAGE_SIZE,
        )
        pagination = pagination_for(request, number, result.total, SEARCH_PAGE_SIZE)
    chosen_ids = {n.pk for n in nodes}
    return render(
        request,
        "signposting/find.html",
        {
            "organisation": org,
            "form": form,
            "q": q,
            "nodes": nodes,
            "codes": request.GET.get("codes", ""),
            "unknown_codes": unknown_codes(codes, nodes),
            "tree": [(n, n.pk in chosen_ids) for n in _tree_nodes()],
            "options": options,
            "result": result,
            "hits": hit_rows(result.hits) if result else [],
            "pagination": pagination,
        },
    )


def hit_rows(hits: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "resource": h.resource,
            "snippet": h.snippet,
            "cost": cost_words(h.resource),
            "hours": hours_words(h.resource.hours, h.resource.duration),
        }
        for h in hits
    ]


def _share_words(count: int) -> str:
    if count < SMALL_GROUP:
        return _("fewer than %(n)s managers") % {"n": SMALL_GROUP}
    return _("%(n)s managers") % {"n": count}


@org_role(Role.LD_LEAD, Role.ADMIN)
def organisation_options(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Options for the organisation's aggregated gaps. How many managers share a gap is
    shown only when five or more do, so that no one can be singled out."""
    org = _org(request)
    needs = matching.needs_for_organisation(organisation=org)
    form = _filters_form(request)
    matches = (
        matching.match(
            needs=needs,
            organisation=org,
            region=org.region,
            filters=form.filters(),
            limit=OPTIONS_LIMIT,
        )
        if needs
        else []
    )
    return render(
        request,
        "signposting/organisation_options.html",
        {
            "organisation": org,
            "needs": [(n, _share_words(n.managers)) for n in needs],
            "results": result_rows(matches),
            "form": form,
            "small_group": SMALL_GROUP,
        },
    )


@org_role(Role.LD_LEAD, Role.ADMIN)
def role_profile_qualifications(
    request: HttpRequest, org_slug: str, profile_id: int
) -> HttpResponse:
    org = _org(request)
    profile = get_object_or_404(RoleProfile, organisation=org, pk=profile_id)
    competences = [
        (rc.node, rc.expected_level, rc.importance)
        for rc in profile.competences.select_related("node__edition__framework").order_by(
            "node__edition_id", "node__path"
        )
    ]
    fits = matching.qualification_fit(competences=competences, manager_level=profile.manager_level)
    return render(
        request,
        "signposting/qualifications.html",
        {
            "organisation": org,
            "profile": profile,
            "fits": _fits(fits),
            "has_competences": bool(competences),
            "subject": _("the role profile “%(title)s”") % {"title": profile.title},
            "back_url": reverse(
                "profiles:role_profile", kwargs={"org_slug": org_slug, "profile_id": profile.pk}
            ),
            "back_label": profile.title,
        },
    )


def _resource_with_details(qs: QuerySet[Resource], slug: str) -> Resource:
    resource = (
        qs.select_related("provider", "organisation")
        .prefetch_related(
            Prefetch(
                "tags",
                queryset=ResourceNode.objects.select_related("node__edition__framework").order_by(
                    "node__edition__framework__title", "node__path"
                ),
            )
        )
        .filter(slug=slug)
        .first()
    )
    if resource is None:
        raise Http404
    return resource


def _resource_context(resource: Resource) -> dict[str, Any]:
    from waymark.organisations.models import Region
    from waymark.profiles.models import ManagerLevel

    regions = dict(Region.choices)
    levels = dict(ManagerLevel.choices)
    return {
        "resource": resource,
        "tags": list(resource.tags.all()),
        "cost": cost_words(resource),
        "hours": hours_words(resource.hours, resource.duration),
        "regions": [str(regions.get(r, r)) for r in resource.regions],
        "levels": [str(levels.get(m, m)) for m in resource.manager_levels],
        "health": link_health(resource),
    }


@org_role()
def resource(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    """A catalogue entry as a member sees it: public entries and the organisation's own."""
    org = _org(request)
    entry = _resource_with_details(visible_resources(org), slug)
    return render(
        request,
        "signposting/resource.html",
        {
            "organisation": org,
            **_resource_context(entry),
            "back_url": reverse("signposting:find", kwargs={"org_slug": org_slug}),
        },
    )


# --- the public catalogue ---------------------------------------------------------------------


def catalogue_search(request: HttpRequest) -> HttpResponse:
    """Search the public catalogue, with filters; qualifications and providers listed."""
    form = SearchForm(request.GET if request.GET else None)
    q = form.query() if form.is_bound else ""
    filters = form.filters() if form.is_bound else None
    number = _page_number(request)
    result = search_catalogue(
        q,
        organisation=None,
        filters=filters,
        limit=SEARCH_PAGE_SIZE,
        offset=(number - 1) * SEARCH_PAGE_SIZE,
    )
    return render(
        request,
        "signposting/catalogue/search.html",
        {
            "nav_section": "catalogue",
            "form": form,
            "q": q,
            "result": result,
            "hits": hit_rows(result.hits),
            "pagination": pagination_for(request, number, result.total, SEARCH_PAGE_SIZE),
            "qualifications": list(
                visible_qualifications().only("slug", "title", "scqf_level", "historical")
            ),
            "providers": list(
                visible_providers(None).only("slug", "name", "scope", "region", "historical")
            ),
        },
    )


def catalogue_resource(request: HttpRequest, slug: str) -> HttpResponse:
    entry = _resource_with_details(visible_resources(None), slug)
    return render(
        request,
        "signposting/catalogue/resource.html",
        {"nav_section": "catalogue", **_resource_context(entry)},
    )


def catalogue_qualification(request: HttpRequest, slug: str) -> HttpResponse:
    qualification = get_object_or_404(
        visible_qualifications().prefetch_related(
            Prefetch("providers", queryset=visible_providers(None)),
            Prefetch(
                "units",
                queryset=QualificationUnit.objects.prefetch_related(
                    Prefetch(
                        "nodes",
                        queryset=Node.objects.select_related("edition__framework").order_by(
                            "edition__framework__title", "path"
                        ),
                    )
                ).order_by("sequence", "id"),
            ),
        ),
        slug=slug,
    )
    return render(
        request,
        "signposting/catalogue/qualification.html",
        {
            "nav_section": "catalogue",
            "qualification": qualification,
            "units": list(qualification.units.all()),
            "providers": list(qualification.providers.all()),
            "cost": cost_words(qualification),
            "hours": hours_words(qualification.hours, qualification.duration),
            "health": link_health(qualification),
        },
    )


def catalogue_provider(request: HttpRequest, slug: str) -> HttpResponse:
    provider = get_object_or_404(visible_providers(None), slug=slug)
    return render(
        request,
        "signposting/catalogue/provider.html",
        {
            "nav_section": "catalogue",
            "provider": provider,
            "resources": list(visible_resources(None).filter(provider=provider).order_by("title")),
            "qualifications": list(visible_qualifications().filter(providers=provider)),
            "health": link_health(provider),
        },
    )
