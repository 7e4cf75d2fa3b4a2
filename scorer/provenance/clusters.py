"""Clusters of articles that share one origin: a wire story and its republications, a rewrite family.

Connected components of the graph whose edges are republications: verbatim pairs, and
partial or paraphrase pairs where each article is at least half made of the shared text
(:data:`CLUSTER_SHARE`), or are each other's main reuse partner (a loose rewrite of one
story, :data:`MUTUAL_SHARE`). Looser reuse (a borrowed paragraph) stays a pair and does not
chain unrelated stories into one family; shared quotes never join articles. Each
cluster names its likely origin: a member
the others derive from, else the outlet most members disclose (often a wire service
outside the corpus), else the earliest dated member.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scorer.provenance.direction import ArticleMeta

#: Pair kinds that are reuse of text (shared quotes are not).
REUSE_KINDS = ("verbatim", "partial", "paraphrase")
#: Least share of both articles for a partial or paraphrase pair to join a cluster.
CLUSTER_SHARE = 0.5
#: Least share of both for a pair of mutual main partners to join (a loose rewrite of one story).
MUTUAL_SHARE = 0.15


def joins_cluster(pair) -> bool:
    """True for a republication: verbatim, or both articles mostly made of the shared text."""
    return pair.kind == "verbatim" or (pair.kind in REUSE_KINDS
                                       and min(pair.a_share, pair.b_share) >= CLUSTER_SHARE)


@dataclass
class Cluster:
    """A group of articles sharing one origin."""

    members: list[str]
    origin_id: str | None = None  # a member identified as the origin
    origin_outlet: str | None = None  # the outlet named as origin (may be outside the corpus)
    wire: bool = False
    kinds: dict[str, int] = field(default_factory=dict)


def _components(ids: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def build_clusters(pairs: list, meta: dict[str, ArticleMeta], wires: frozenset[str]) -> list[Cluster]:
    """Clusters from reuse pairs (objects with a, b, kind, direction), largest first."""
    best: dict[str, tuple[float, str]] = {}
    for p in pairs:
        if p.kind in REUSE_KINDS:
            for x, y, share in ((p.a, p.b, p.a_share), (p.b, p.a, p.b_share)):
                if share > best.get(x, (-1.0, ""))[0]:
                    best[x] = (share, y)

    def mutual(p) -> bool:  # each is the other's main partner: one story rewritten, even loosely
        return (p.kind in REUSE_KINDS and min(p.a_share, p.b_share) >= MUTUAL_SHARE
                and best[p.a][1] == p.b and best[p.b][1] == p.a)

    joined = [p for p in pairs if joins_cluster(p) or mutual(p)]
    edges = [(p.a, p.b) for p in joined]
    ids = sorted({x for e in edges for x in e})
    out: list[Cluster] = []
    components = _components(ids, edges)
    where = {m: k for k, members in enumerate(components) for m in members}
    by_component: dict[int, list] = {}
    for p in joined:
        by_component.setdefault(where[p.a], []).append(p)
    for k, members in enumerate(components):
        inner = by_component.get(k, [])
        sources = Counter()
        for p in inner:
            if p.direction == "a_from_b":
                sources[p.b] += 1
            elif p.direction == "b_from_a":
                sources[p.a] += 1
        disclosed = Counter(o for m in members for o in meta[m].derived_from) if meta else Counter()
        origin_id = sources.most_common(1)[0][0] if sources else None
        origin_outlet = meta[origin_id].outlet if origin_id and meta.get(origin_id) else None
        if origin_id is None and disclosed:
            origin_outlet = disclosed.most_common(1)[0][0]
        if origin_id is None and origin_outlet is None:
            dated = [m for m in members if meta.get(m) and meta[m].date]
            dates = {meta[m].date for m in dated}
            if len(dates) > 1:
                origin_id = min(dated, key=lambda m: meta[m].date)
                origin_outlet = meta[origin_id].outlet
        kinds = Counter(p.kind for p in inner)
        out.append(Cluster(members, origin_id, origin_outlet, bool(origin_outlet in wires), dict(kinds)))
    return sorted(out, key=lambda c: (-len(c.members), c.members[0]))
