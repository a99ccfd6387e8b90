"""Signposting quality on the judged relevance set.

Loads the shipped frameworks and starting catalogue into a fresh database, then for each
judged learning need (bench/data/signposting_relevance.yaml) ranks the catalogue two ways
and prints nDCG@5, precision@5 (relevant = grade >= 2) and recall@10 (of grade >= 2),
averaged over the needs:

(a) baseline: plain Okapi BM25 (k1 = 1.2, b = 0.75) over each resource's title,
    description and provider name; query = the need's text plus the statements of its
    framework nodes; lower-cased words, common words dropped, no stemming;
(b) the shipped ranker: `waymark.signposting.matching.match` with the need's nodes as
    needs (gap 2, importance 3), the need's text, and its preference, manager level and
    region.

Two ablations of (b) are printed too (nodes only; text only), so that it shows where the
gain comes from. The judgements are read here only; the ranker never sees them.

    .venv/bin/python bench/signposting_quality.py [--relevance PATH] [--verbose]
"""

from __future__ import annotations

import argparse
import io
import math
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import django_with_fresh_database

ROOT = Path(__file__).resolve().parent
DEFAULT_RELEVANCE = ROOT / "data" / "signposting_relevance.yaml"
WORD = re.compile(r"[a-z0-9]+")


@dataclass
class JudgedNeed:
    id: str
    text: str
    nodes: list[tuple[str, str]]
    judgements: dict[str, int]
    manager_level: str | None = None
    region: str | None = None
    preference: dict[str, Any] = field(default_factory=dict)


def read_needs(path: Path) -> list[JudgedNeed]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for n in data["needs"]:
        out.append(
            JudgedNeed(
                id=str(n["id"]),
                text=n.get("text", ""),
                nodes=[(x["framework"], x["code"]) for x in n.get("nodes", [])],
                judgements={str(k): int(v) for k, v in (n.get("judgements") or {}).items()},
                manager_level=n.get("manager_level"),
                region=n.get("region"),
                preference=n.get("preference") or {},
            )
        )
    return out


# --- metrics ------------------------------------------------------------------------------


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at(ranked: list[str], judgements: dict[str, int], k: int) -> float:
    ideal = dcg(sorted(judgements.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judgements.get(s, 0) for s in ranked[:k]]) / ideal


def precision_at(ranked: list[str], judgements: dict[str, int], k: int) -> float:
    return sum(1 for s in ranked[:k] if judgements.get(s, 0) >= 2) / k


def recall_at(ranked: list[str], judgements: dict[str, int], k: int) -> float | None:
    relevant = {s for s, g in judgements.items() if g >= 2}
    if not relevant:
        return None
    return len(relevant & set(ranked[:k])) / len(relevant)


# --- baseline: Okapi BM25 -----------------------------------------------------------------


class BM25:
    def __init__(
        self, docs: dict[str, str], stopwords: frozenset[str], k1: float = 1.2, b: float = 0.75
    ):
        self.k1, self.b, self.stop = k1, b, stopwords
        self.tf = {slug: Counter(self.tokens(text)) for slug, text in docs.items()}
        self.len = {slug: sum(c.values()) for slug, c in self.tf.items()}
        self.avg = sum(self.len.values()) / max(len(self.len), 1)
        df: Counter[str] = Counter()
        for c in self.tf.values():
            df.update(c.keys())
        n = len(self.tf)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def tokens(self, text: str) -> list[str]:
        return [w for w in WORD.findall(text.lower()) if w not in self.stop]

    def rank(self, query: str, k: int = 10) -> list[str]:
        terms = set(self.tokens(query))
        scores = {}
        for slug, tf in self.tf.items():
            s = 0.0
            norm = self.k1 * (1 - self.b + self.b * self.len[slug] / self.avg)
            for t in terms:
                f = tf.get(t)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm)
            if s > 0:
                scores[slug] = s
        return sorted(scores, key=lambda s: (-scores[s], s))[:k]


# --- run ----------------------------------------------------------------------------------


def evaluate(
    needs: list[JudgedNeed], rank: Callable[[JudgedNeed], list[str]]
) -> tuple[dict[str, float], dict[str, list[str]]]:
    nd, p5, r10 = [], [], []
    runs = {}
    for need in needs:
        ranked = rank(need)
        runs[need.id] = ranked
        nd.append(ndcg_at(ranked, need.judgements, 5))
        p5.append(precision_at(ranked, need.judgements, 5))
        r = recall_at(ranked, need.judgements, 10)
        if r is not None:
            r10.append(r)
    return (
        {
            "nDCG@5": sum(nd) / len(nd),
            "P@5": sum(p5) / len(p5),
            "R@10": sum(r10) / len(r10) if r10 else 0.0,
        },
        runs,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--relevance", type=Path, default=DEFAULT_RELEVANCE)
    parser.add_argument("--catalogue", type=Path, default=None, help="Catalogue folder to load.")
    parser.add_argument("--verbose", action="store_true", help="Per-need misses.")
    args = parser.parse_args()

    django_with_fresh_database()
    from django.core.management import call_command

    from waymark.frameworks.models import Node
    from waymark.signposting.matching import Need, match
    from waymark.signposting.models import LearningPreference, Resource
    from waymark.signposting.search import STOPWORDS

    call_command("load_standards", verbosity=0, stdout=io.StringIO())
    load_args = ["--path", str(args.catalogue)] if args.catalogue else []
    call_command("load_catalogue", *load_args, verbosity=0, stdout=io.StringIO())
    needs = read_needs(args.relevance)
    resources = list(Resource.objects.select_related("provider"))
    known = {r.slug for r in resources}
    unknown = sorted({s for n in needs for s in n.judgements} - known)
    print(f"catalogue: {len(resources)} resources; judged needs: {len(needs)}")
    if unknown:
        print(f"warning: judged slugs not in the catalogue: {', '.join(unknown)}")

    nodes = {
        (n.edition.framework.slug, n.code): n
        for n in Node.objects.filter(edition__is_current=True).select_related("edition__framework")
    }
    missing = sorted({k for need in needs for k in need.nodes if k not in nodes})
    if missing:
        print(f"warning: nodes not found: {missing}")

    bm25 = BM25(
        {
            r.slug: " ".join([r.title, r.description, r.provider.name if r.provider else ""])
            for r in resources
        },
        STOPWORDS,
    )

    def baseline(need: JudgedNeed) -> list[str]:
        statements = " ".join(nodes[k].statement for k in need.nodes if k in nodes)
        return bm25.rank(f"{need.text} {statements}", 10)

    def ranker(use_nodes: bool = True, use_text: bool = True) -> Callable[[JudgedNeed], list[str]]:
        def run(need: JudgedNeed) -> list[str]:
            pref = None
            if need.preference:
                p = need.preference
                pref = LearningPreference(
                    preferred_modes=p.get("preferred_modes", []),
                    avoid_modes=p.get("avoid_modes", []),
                    max_cost=p.get("max_cost"),
                    max_hours=p.get("max_hours"),
                    regions=p.get("regions", []),
                )
            needs_ = (
                [
                    Need(node=nodes[k], gap=2, importance=3, label=str(nodes[k]))
                    for k in need.nodes
                    if k in nodes
                ]
                if use_nodes
                else []
            )
            found = match(
                needs=needs_,
                text=need.text if use_text else "",
                organisation=None,
                preference=pref,
                manager_level=need.manager_level,
                region=need.region,
                limit=10,
            )
            return [m.resource.slug for m in found]

        return run

    rows = [
        ("(a) BM25 baseline (text + node statements)", baseline),
        ("(b) shipped ranker (nodes + text + preferences)", ranker()),
        ("    ablation: ranker, nodes only", ranker(use_text=False)),
        ("    ablation: ranker, text only", ranker(use_nodes=False)),
    ]
    print()
    print(f"{'':<52}{'nDCG@5':>8}{'P@5':>8}{'R@10':>8}")
    results = {}
    for label, fn in rows:
        scores, runs = evaluate(needs, fn)
        results[label] = (scores, runs)
        print(f"{label:<52}{scores['nDCG@5']:>8.3f}{scores['P@5']:>8.3f}{scores['R@10']:>8.3f}")
    base = results[rows[0][0]][0]
    ours = results[rows[1][0]][0]
    beats = all(ours[m] > base[m] for m in ("nDCG@5", "P@5", "R@10"))
    print(f"\nshipped ranker beats the baseline on all three: {'yes' if beats else 'NO'}")

    if args.verbose:
        _b_scores, b_runs = results[rows[0][0]]
        _o_scores, o_runs = results[rows[1][0]]
        for need in needs:
            ranked = o_runs[need.id]
            relevant = {s for s, g in need.judgements.items() if g >= 2}
            missed = sorted(relevant - set(ranked))
            wrong = [s for s in ranked[:5] if need.judgements.get(s, 0) < 2]
            n5 = ndcg_at(ranked, need.judgements, 5)
            b5 = ndcg_at(b_runs[need.id], need.judgements, 5)
            print(f"\n{need.id} nDCG@5 ranker {n5:.2f} / baseline {b5:.2f}: {need.text[:70]}")
            if missed:
                print(f"  relevant, not in the top 10: {', '.join(missed)}")
            if wrong:
                print(
                    "  in the top 5, judged < 2: "
                    + ", ".join(f"{s} ({need.judgements.get(s, 0)})" for s in wrong)
                )


if __name__ == "__main__":
    main()
