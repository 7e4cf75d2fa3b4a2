"""The provenance report: who copied whom, shown as clusters with roles and graphs, and pairs with their evidence.

``provenance_page(report, texts)`` renders a :class:`~scorer.provenance.ReuseReport`:

* per cluster, each member's title, outlet, date and role (origin, copy,
  rewrite), the origins the articles state, and the notebook's graph of the
  cluster (:func:`scorer.notebook.plots.plot_provenance`, as inline SVG; a small
  hand-drawn SVG when matplotlib is not installed or the cluster is large);
* the pair list, sortable by kind, share and direction, each pair opening to its
  aligned passages side by side with the shared words marked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from typing import Any, Mapping, Sequence

from scorer.reports.common import attr_text, esc, filter_box, page, sort_button, sort_value
from scorer.reports import svg

#: Clusters with more members than this get the small hand-drawn graph (matplotlib gets slow and unreadable).
MAX_PLOT_MEMBERS = 24
#: Passages shown per pair (the rest are counted).
MAX_PASSAGES = 40
REUSE = ("verbatim", "partial", "paraphrase")
_TOKEN = re.compile(r"\w+|\W+")
DIRECTION_WORDS = {"a_from_b": "A copied from B", "b_from_a": "B copied from A", "common_source": "common source",
                   "unknown": "unknown"}


# ---------------------------------------------------------------- roles


def roles(report: Any, members: Sequence[str], origin_id: str | None) -> dict[str, str]:
    """Role of each cluster member: ``origin``, ``copy`` (verbatim or partial reuse), ``rewrite`` (paraphrase).

    A member is a copy or rewrite by the strongest reuse it derives through (a
    pair pointing to it, or one with a common source); ``member`` when it only
    shares quotes.
    """
    inside = set(members)
    rank = {"verbatim": 2, "partial": 2, "paraphrase": 1}
    best: dict[str, int] = {}
    for p in report.pairs:
        if p.a not in inside or p.b not in inside or p.kind not in rank:
            continue
        derived = {"a_from_b": [p.a], "b_from_a": [p.b]}.get(p.direction, [p.a, p.b])
        for d in derived:
            best[d] = max(best.get(d, 0), rank[p.kind])
    out = {}
    for m in members:
        if m == origin_id:
            out[m] = "origin"
        else:
            out[m] = {2: "copy", 1: "rewrite"}.get(best.get(m, 0), "member")
    return out


# ---------------------------------------------------------------- graph


def cluster_report(report: Any, members: Sequence[str], cluster: Any) -> Any:
    """The part of ``report`` inside one cluster (for drawing it alone)."""
    inside = set(members)
    pairs = [p for p in report.pairs if p.a in inside and p.b in inside]
    meta = {m: report.meta[m] for m in members if m in report.meta}
    return replace(report, pairs=pairs, clusters=[cluster], meta=meta, n_articles=len(members), n_candidates=len(pairs))


def graph_svg(report: Any, members: Sequence[str], cluster: Any) -> str:
    """The cluster's graph as inline SVG: the notebook's drawing when possible, else a small hand-made one."""
    sub = cluster_report(report, members, cluster)
    if len(members) <= MAX_PLOT_MEMBERS:
        try:
            from scorer.notebook.plots import _figure, figure_svg, plot_provenance

            fig = _figure(8, 5.5)
            plot_provenance(sub, fig.add_subplot(), all_articles=True)
            return figure_svg(fig)
        except ImportError:
            pass
    from scorer.notebook.plots import EDGE_STYLE  # plain data (matplotlib is imported lazily there)

    fills = {"origin": "#ffe8a3", "copy": "#f3d1d1", "rewrite": "#e4d4f7", "member": "#eeeeee"}
    role = roles(report, members, cluster.origin_id)
    nodes = [(m, f"{m} {report.meta[m].outlet or ''}".strip() if m in report.meta else m, fills[role[m]]) for m in members]
    edges = []
    for p in sub.pairs:
        colour = EDGE_STYLE.get(p.kind, ("#555", "-"))[0]
        width = 1 + 4 * max(p.a_share, p.b_share)
        if p.direction == "a_from_b":
            edges.append((p.b, p.a, colour, True, width))
        elif p.direction == "b_from_a":
            edges.append((p.a, p.b, colour, True, width))
        else:
            edges.append((p.a, p.b, colour, False, width))
    return svg.circle_graph(nodes, edges, size=min(900, 360 + 12 * len(members)))


# ---------------------------------------------------------------- passages


def mark_shared(a: str, b: str, exact: bool) -> tuple[str, str]:
    """Both passages escaped, the words they share (in order) wrapped in ``<mark class="same">``."""
    if exact:
        return f'<mark class="same">{esc(a)}</mark>', f'<mark class="same">{esc(b)}</mark>'
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    wa = [(k, t.lower()) for k, t in enumerate(ta) if t[0].isalnum() or t[0] == "_"]
    wb = [(k, t.lower()) for k, t in enumerate(tb) if t[0].isalnum() or t[0] == "_"]
    sm = difflib.SequenceMatcher(None, [w for _, w in wa], [w for _, w in wb], autojunk=False)
    same_a: set[int] = set()
    same_b: set[int] = set()
    for blk in sm.get_matching_blocks():
        if blk.size < 2 and not (blk.size == 1 and len(wa[blk.a][1]) >= 4):
            continue  # a lone short word ("the", "of") in common is not reuse
        same_a.update(range(wa[blk.a][0], wa[blk.a + blk.size - 1][0] + 1))
        same_b.update(range(wb[blk.b][0], wb[blk.b + blk.size - 1][0] + 1))

    def render(tokens: list[str], same: set[int]) -> str:
        out, k = [], 0
        while k < len(tokens):
            j = k
            while j < len(tokens) and (j in same) == (k in same):
                j += 1
            run = esc("".join(tokens[k:j]))
            out.append(f'<mark class="same">{run}</mark>' if k in same else run)
            k = j
        return "".join(out)

    return render(ta, same_a), render(tb, same_b)


def passages_html(p: Any, texts: Mapping[str, str]) -> str:
    """A pair's aligned passages side by side (A left, B right), shared words marked."""
    ta, tb = texts.get(p.a, ""), texts.get(p.b, "")
    cells = [f'<div><strong>A</strong> {esc(p.a)}</div><div><strong>B</strong> {esc(p.b)}</div>']
    for ps in p.passages[:MAX_PASSAGES]:
        tag = "direct quote (not counted as copying)" if ps.quoted else (
            "identical" if ps.exact else f"similarity {ps.similarity:.2f}")
        ha, hb = mark_shared(ps.a.of(ta), ps.b.of(tb), ps.exact)
        cells.append(f'<div class="tag">{esc(tag)}</div><div>{ha}</div><div>{hb}</div>')
    more = len(p.passages) - MAX_PASSAGES
    note = f'<p class="small muted">{more} more aligned passages (all in --out pairs.jsonl).</p>' if more > 0 else ""
    return f'<div class="side">{"".join(cells)}</div>{note}'


# ---------------------------------------------------------------- page


def _who(report: Any, rid: str) -> str:
    m = report.meta.get(rid)
    bits = [m.outlet if m and m.outlet else "outlet unknown", str(m.date) if m and m.date else None]
    return f"{esc(m.title if m and m.title else rid)} <span class='muted small'>({esc(', '.join(b for b in bits if b))})</span>"


def _stated(m: Any) -> str:
    return "; ".join(f"{o.kind}: {o.outlet or '-'}" for o in m.origin) if m and m.origin else ""


def clusters_html(report: Any, anchors: Mapping[str, str], graphs: bool = True) -> str:
    """One section per cluster: members with roles, stated origins, the graph."""
    out = []
    for k, c in enumerate(report.clusters, 1):
        role = roles(report, c.members, c.origin_id)
        origin = c.origin_id or c.origin_outlet or "unknown"
        rows = []
        for mid in sorted(c.members, key=lambda i: (["origin", "copy", "rewrite", "member"].index(role[i]), i)):
            m = report.meta.get(mid)
            rows.append(f'<tr><td><span class="badge role-{role[mid]}">{role[mid]}</span></td>'
                        f'<td>{esc(m.title if m and m.title else "-")}<div class="small muted">{esc(mid)}</div></td>'
                        f'<td>{esc(m.outlet if m and m.outlet else "-")}</td><td>{esc(m.date if m and m.date else "-")}</td>'
                        f'<td class="small">{esc(_stated(m) or "-")}</td></tr>')
        kinds = ", ".join(f"{n} {kd.replace('_', ' ')}" for kd, n in sorted(c.kinds.items())) if c.kinds else ""
        pair_links = " ".join(f'<a href="#{anchors[(p.a, p.b)]}">{esc(p.a)} ~ {esc(p.b)}</a>'
                              for p in report.pairs if p.a in c.members and p.b in c.members and p.kind in REUSE)[:4000]
        graph = f'<div class="graph">{graph_svg(report, c.members, c)}</div>' if graphs else ""
        out.append(f'<section class="cluster" id="c{k}"><h3>Cluster {k}: {len(c.members)} articles, origin '
                   f'{esc(origin)}{" (wire)" if c.wire else ""}</h3><p class="small muted">{esc(kinds)}</p>'
                   f'<table><thead><tr><th>role</th><th>title</th><th>outlet</th><th>date</th><th>states its origin as'
                   f'</th></tr></thead><tbody>{"".join(rows)}</tbody></table>{graph}'
                   f'<details><summary class="small">pairs in this cluster</summary><p class="small">{pair_links}</p>'
                   f'</details></section>')
    return "".join(out)


def pairs_html(report: Any, texts: Mapping[str, str], anchors: Mapping[tuple[str, str], str]) -> str:
    """The sortable, filterable pair list; each pair opens to its passages."""
    style = "grid-template-columns:9em 5em 5em 9em minmax(10em,1fr) minmax(10em,1fr)"
    head = (f'<div class="head grid" style="{style}">' + sort_button("kind", "kind") + sort_button("share", "share", True,
            "largest share of either article reused") + "<span>A / B</span>" + sort_button("direction", "direction")
            + "<span>A</span><span>B</span></div>")
    order = {"verbatim": 0, "partial": 1, "paraphrase": 2, "shared_quotes_only": 3}
    items = []
    for p in sorted(report.pairs, key=lambda p: (order.get(p.kind, 9), -max(p.a_share, p.b_share))):
        share = max(p.a_share, p.b_share)
        disc = p.derived_discloses
        disc_text = "" if disc is None or p.kind not in REUSE else (
            " · derived text states its origin" if disc else " · derived text does not state its origin")
        ma, mb = report.meta.get(p.a), report.meta.get(p.b)
        attrs = (f'data-kind="{attr_text(order.get(p.kind, 9))}" data-share="{sort_value(share)}" '
                 f'data-direction="{attr_text(p.direction)}" data-text="{attr_text(p.a, p.b, p.kind, ma and ma.outlet, mb and mb.outlet, ma and ma.title, mb and mb.title)}"')
        stated = "".join(f'<p class="small">{side} states its origin: {esc(_stated(m))}</p>'
                         for side, m in (("A", ma), ("B", mb)) if _stated(m))
        items.append(f'<details class="row" id="{anchors[(p.a, p.b)]}" {attrs}><summary class="grid" style="{style}">'
                     f'<span>{esc(p.kind.replace("_", " "))}</span><span class="cell-num">{share:.2f}</span>'
                     f'<span class="cell-num small">{p.a_share:.2f} / {p.b_share:.2f}</span>'
                     f'<span>{esc(DIRECTION_WORDS.get(p.direction, p.direction))}</span>'
                     f'<span class="clip">{_who(report, p.a)}</span><span class="clip">{_who(report, p.b)}</span></summary>'
                     f'<div class="detail"><p class="small">A {esc(p.a)} · B {esc(p.b)}{esc(disc_text)}</p>{stated}'
                     f'{passages_html(p, texts)}</div></details>')
    return (f'<div data-list class="list pairs">{filter_box("filter by id, outlet, title or kind", len(items))}'
            f'{head}<div class="rows">{"".join(items)}</div></div>')


def provenance_page(report: Any, texts: Mapping[str, str], *, title: str = "Provenance report",
                    corpus: str | None = None, graphs: bool = True) -> str:
    """The whole provenance report page (all text escaped)."""
    anchors = {(p.a, p.b): f"p{k}" for k, p in enumerate(report.pairs)}
    n_reuse = sum(1 for p in report.pairs if p.kind in REUSE)
    facts = [("articles", report.n_articles), ("candidate pairs aligned", report.n_candidates),
             ("pairs with reused text", n_reuse), ("sharing only quotes", len(report.pairs) - n_reuse),
             ("clusters", len(report.clusters))]
    body = [f"<header><h1>{esc(title)}</h1><p class='muted'>corpus <strong>{esc(corpus or '-')}</strong></p><div class='facts'>"
            + "".join(f"<span><strong>{v}</strong> {esc(k)}</span>" for k, v in facts) + "</div>"
            "<p class='small muted'>A cluster is a group of articles sharing one origin. Roles: <span class='badge "
            "role-origin'>origin</span> the article the others derive from, <span class='badge role-copy'>copy</span> "
            "verbatim or partial reuse, <span class='badge role-rewrite'>rewrite</span> paraphrase. In the graphs an "
            "arrow runs from source to derived text. Direct quotes are never counted as copying.</p></header>",
            "<h2>Clusters</h2>", clusters_html(report, anchors, graphs) or "<p>No clusters.</p>",
            "<h2>Pairs</h2><p class='small muted'>Open a pair to read its aligned passages side by side; "
            "<mark class='same'>marked</mark> words appear in both.</p>",
            pairs_html(report, texts, anchors) if report.pairs else "<p>No pairs.</p>"]
    return page(title, body)
