"""The result of a corpus run: reuse pairs, clusters, per-article evidence, and their output forms.

Output files are written atomically (a temporary file in the same folder, then
``os.replace``), so an interrupted run never leaves a half-written file; the HTML
report escapes every piece of article text and metadata.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from scorer.errors import InputError
from scorer.outputs import atomic_write_text, csv_line
from scorer.provenance.align import Passage
from scorer.provenance.clusters import REUSE_KINDS, Cluster
from scorer.provenance.direction import ArticleMeta
from scorer.spans import Span

#: Columns of the pairs table, in order.
PAIR_COLUMNS = ("a", "b", "kind", "a_share", "b_share", "direction", "a_discloses", "b_discloses",
                "derived_discloses", "a_outlet", "b_outlet", "passages")


@dataclass
class ReusePair:
    """Two articles with reused text (or only shared quotes), and the evidence."""

    a: str
    b: str
    kind: str
    a_share: float
    b_share: float
    direction: str
    a_discloses: bool
    b_discloses: bool
    passages: list[Passage] = field(default_factory=list)

    @property
    def derived_discloses(self) -> bool | None:
        """Whether the derived text states its origin (None when the direction is unknown)."""
        if self.direction == "a_from_b":
            return self.a_discloses
        if self.direction == "b_from_a":
            return self.b_discloses
        if self.direction == "common_source":
            return self.a_discloses and self.b_discloses
        return None


@dataclass
class ReusedPassage:
    """One reused passage seen from one article: where it is here and where in the other article."""

    span: Span
    other_id: str
    other_outlet: str | None
    other_span: Span
    kind: str
    direction: str  # "from_other", "to_other", "common_source" or "unknown"
    similarity: float
    exact: bool


@dataclass
class ReuseReport:
    """Everything ``find_reuse`` found in a corpus."""

    pairs: list[ReusePair]
    clusters: list[Cluster]
    meta: dict[str, ArticleMeta]
    #: Per article: its unquoted characters, and the unquoted characters of each reused sentence.
    free_chars: dict[str, int] = field(default_factory=dict)
    reused_sentences: dict[str, dict[Span, int]] = field(default_factory=dict)
    n_articles: int = 0
    n_candidates: int = 0
    #: Seconds spent in each step (sketch, candidates, fingerprint, align, assemble).
    timings: dict[str, float] = field(default_factory=dict)
    _by_article: dict[str, list[ReusePair]] | None = field(default=None, init=False, repr=False, compare=False)

    # ------------------------------------------------------------ queries

    def pairs_of(self, article_id: str) -> list[ReusePair]:
        """Pairs that involve one article."""
        if self._by_article is None:
            index: dict[str, list[ReusePair]] = {}
            for p in self.pairs:
                index.setdefault(p.a, []).append(p)
                index.setdefault(p.b, []).append(p)
            self._by_article = index
        return list(self._by_article.get(article_id, []))

    def evidence_for(self, article_id: str, *, include_quotes: bool = False) -> list[ReusedPassage]:
        """Reused passages of one article (offsets into its text), with the other article of each."""
        out: list[ReusedPassage] = []
        for p in self.pairs_of(article_id):
            if p.kind not in REUSE_KINDS and not include_quotes:
                continue
            here_a = p.a == article_id
            other = p.b if here_a else p.a
            if p.direction in ("a_from_b", "b_from_a"):
                derived_here = (p.direction == "a_from_b") == here_a
                rel = "from_other" if derived_here else "to_other"
            else:
                rel = p.direction
            for ps in p.passages:
                if ps.quoted and not include_quotes:
                    continue
                out.append(ReusedPassage(ps.a if here_a else ps.b, other, self.meta[other].outlet if other in self.meta else None,
                                    ps.b if here_a else ps.a, p.kind, rel, ps.similarity, ps.exact))
        return sorted(out, key=lambda e: (e.span.start, e.other_id))

    def cluster_of(self, article_id: str) -> Cluster | None:
        """The cluster an article belongs to, if any."""
        return next((c for c in self.clusters if article_id in c.members), None)

    # ------------------------------------------------------------ tables

    def rows(self, texts: dict[str, str] | None = None) -> list[dict]:
        """One dict per pair (the pairs table); passages carry offsets, and text when ``texts`` is given."""
        out = []
        for p in self.pairs:
            passages = []
            for ps in p.passages:
                item = {"a_start": ps.a.start, "a_end": ps.a.end, "b_start": ps.b.start, "b_end": ps.b.end,
                        "similarity": ps.similarity, "exact": ps.exact, "quoted": ps.quoted}
                if texts is not None:
                    item["a_text"] = ps.a.of(texts.get(p.a, ""))
                    item["b_text"] = ps.b.of(texts.get(p.b, ""))
                passages.append(item)
            out.append({"a": p.a, "b": p.b, "kind": p.kind, "a_share": p.a_share, "b_share": p.b_share,
                        "direction": p.direction, "a_discloses": p.a_discloses, "b_discloses": p.b_discloses,
                        "derived_discloses": p.derived_discloses,
                        "a_outlet": self.meta[p.a].outlet if p.a in self.meta else None,
                        "b_outlet": self.meta[p.b].outlet if p.b in self.meta else None,
                        "passages": passages})
        return out

    def cluster_rows(self) -> list[dict]:
        """One dict per cluster."""
        return [asdict(c) for c in self.clusters]

    def summary(self, texts: dict[str, str] | None = None, *, max_pairs: int = 50) -> str:
        """A readable account of the pairs and clusters found."""
        buf = io.StringIO()
        n_reuse = sum(1 for p in self.pairs if p.kind in REUSE_KINDS)
        n_quotes = len(self.pairs) - n_reuse
        buf.write(f"{self.n_articles} articles, {self.n_candidates} candidate pairs aligned: "
                  f"{n_reuse} with reused text, {n_quotes} sharing only quotes; {len(self.clusters)} clusters.\n")
        for p in self.pairs[:max_pairs]:
            buf.write(f"\n{p.a} ~ {p.b}: {p.kind}, shares {p.a_share:.2f}/{p.b_share:.2f}, direction {p.direction}"
                      f"{_disclosure(p)}\n")
            for side, m in (("a", self.meta.get(p.a)), ("b", self.meta.get(p.b))):
                if m and m.origin:
                    stated = "; ".join(f"{o.kind}: {o.outlet or '-'}" for o in m.origin)
                    buf.write(f"    {m.id} states its origin: {stated}\n")
            if texts is not None:
                for ps in p.passages[:3]:
                    tag = "quote" if ps.quoted else ("exact" if ps.exact else f"sim {ps.similarity:.2f}")
                    buf.write(f"    [{tag}] {_short(ps.a.of(texts.get(p.a, '')))}\n")
                    buf.write(f"    {' ' * (len(tag) + 2)} {_short(ps.b.of(texts.get(p.b, '')))}\n")
        if len(self.pairs) > max_pairs:
            buf.write(f"\n... and {len(self.pairs) - max_pairs} more pairs (see --out)\n")
        for k, c in enumerate(self.clusters, 1):
            origin = c.origin_id or c.origin_outlet or "unknown"
            buf.write(f"\ncluster {k}: {len(c.members)} articles, origin {origin}{' (wire)' if c.wire else ''}: "
                      f"{', '.join(c.members[:12])}{' ...' if len(c.members) > 12 else ''}\n")
        return buf.getvalue()


def _disclosure(p: ReusePair) -> str:
    """"; a discloses its origin, b does not" for the derived side(s) of a reuse pair."""
    if p.kind not in REUSE_KINDS:
        return ""
    sides = {"a_from_b": [(p.a, p.a_discloses)], "b_from_a": [(p.b, p.b_discloses)]}.get(
        p.direction, [(p.a, p.a_discloses), (p.b, p.b_discloses)])
    return "; " + ", ".join(f"{i} {'discloses its origin' if d else 'does not disclose its origin'}" for i, d in sides)


def _short(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# ------------------------------------------------------------ writing


def write_atomic(path: str | os.PathLike[str], content: str) -> None:
    """Write ``content`` to ``path`` atomically, with a plain file's mode (:func:`scorer.outputs.atomic_write_text`)."""
    atomic_write_text(path, content, make_parents=False)


def pairs_csv(report: ReuseReport, texts: dict[str, str] | None = None) -> str:
    """The pairs table as CSV (passages as a JSON list in one column; text cells formula-safe)."""
    cols = list(PAIR_COLUMNS)
    return csv_line({c: c for c in cols}, cols) + "".join(csv_line(row, cols) for row in report.rows(texts))


def pairs_jsonl(report: ReuseReport, texts: dict[str, str] | None = None) -> str:
    """The pairs table as JSON lines, then one line per cluster (``"cluster": true``)."""
    lines = [json.dumps(r, ensure_ascii=False) for r in report.rows(texts)]
    lines += [json.dumps({"cluster": True, **c}, ensure_ascii=False) for c in report.cluster_rows()]
    return "\n".join(lines) + ("\n" if lines else "")


def write_pairs(report: ReuseReport, path: str | os.PathLike[str], texts: dict[str, str] | None = None) -> None:
    """Write the pairs table to ``.csv`` or ``.jsonl`` (chosen by suffix), atomically."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        write_atomic(path, pairs_csv(report, texts))
    elif suffix in (".jsonl", ".json"):
        write_atomic(path, pairs_jsonl(report, texts))
    else:
        raise InputError(path, "output must end in .csv or .jsonl")


def step_timer() -> tuple[dict[str, float], Callable[[str], None]]:
    """(timings, lap): ``lap(name)`` records the seconds since the previous lap (or the start) as
    ``timings[name]``; what ``ReuseReport.timings`` holds for each step of a run."""
    import time

    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 2)
        clock[0] = now

    return timings, lap

