"""Per-article features computed from one :class:`~scorer.analysis.Analysis`, with their evidence.

The feature catalogue (``scorer/data/features.csv``: name, group, meaning,
unit, direction) documents every column; this module computes the rows of
groups ``sourcing``, ``hedging``, ``transparency`` and ``origin``. Rates are
per 100 words or shares, so long and short articles compare; every value is a
finite float. :func:`feature_evidence` returns the spans behind each value, so
an explanation can quote the sentence that moved a feature.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from scorer.analysis import Analysis, Attribution
from scorer.spans import Span

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "features.csv"
#: Catalogue groups computed here (others, e.g. ``provenance``, are computed elsewhere).
GROUPS = ("sourcing", "hedging", "transparency", "origin")


def load_catalogue(path: Path = CATALOGUE_PATH) -> pd.DataFrame:
    """The feature catalogue as a DataFrame with columns name, group, meaning, unit, direction."""
    cat = pd.read_csv(path, dtype={"name": str, "group": str, "meaning": str, "unit": str})
    cat["direction"] = cat["direction"].astype(int)
    return cat


CATALOGUE: pd.DataFrame = load_catalogue()
#: Names of the features :func:`article_features` computes, in catalogue order.
FEATURE_NAMES: tuple[str, ...] = tuple(CATALOGUE.loc[CATALOGUE["group"].isin(GROUPS), "name"])

_TYPE_FEATURES = {
    "named_person": ("named_person_sources", "named_person_share"),
    "named_organization": ("named_organization_sources", "named_organization_share"),
    "document_or_outlet": ("document_or_outlet_sources", "document_or_outlet_share"),
    "unnamed_group": ("unnamed_group_sources", "unnamed_group_share"),
    "anonymous_person": ("anonymous_person_sources", "anonymous_person_share"),
}
_HEARSAY_KINDS = frozenset({"hearsay"})
_WIRE_KINDS = frozenset({"wire_byline"})
_REPUBLISHED_KINDS = frozenset({"originally_appeared", "credits", "aggregator", "citation"})
_CONTRIBUTED_KINDS = frozenset({"contributed"})


@dataclass(frozen=True)
class Evidence:
    """A piece of text behind a feature value: where it is, what it says, and why it counts."""

    span: Span
    text: str
    note: str


def _rate(count: float, words: int) -> float:
    return 100.0 * count / words if words else 0.0


def _share(part: float, whole: float, empty: float = 0.0) -> float:
    return part / whole if whole else empty


def _covered_chars(spans: Iterable[Span]) -> int:
    """Characters covered by the union of ``spans``."""
    total, reach = 0, -1
    for s in sorted(spans):
        start = max(s.start, reach)
        if s.end > start:
            total += s.end - start
        reach = max(reach, s.end)
    return total


def _sentences_hit(sentences: list[Span], spans: Iterable[Span]) -> set[int]:
    """Indices of ``sentences`` that overlap any of ``spans``."""
    starts = [s.start for s in sentences]
    hit: set[int] = set()
    for sp in spans:
        i = max(0, bisect.bisect_right(starts, sp.start) - 1)
        while i < len(sentences) and sentences[i].start < max(sp.end, sp.start + 1):
            if sentences[i].overlaps(sp) or (sp.length == 0 and sentences[i].start <= sp.start < sentences[i].end):
                hit.add(i)
            i += 1
    return hit


def _source_name(analysis: Analysis, att: Attribution) -> str | None:
    if att.resolved_source:
        return att.resolved_source.strip().lower()
    if att.source is not None:
        return att.source.of(analysis.text).strip().lower()
    return None


def _distinct_named(analysis: Analysis) -> dict[str, Attribution]:
    """First attribution of each distinct named person or organisation.

    Names are compared without a leading "the", and a name that ends another
    ("the administration" / "the Biden administration", "Kirby" / "John Kirby")
    counts once.
    """
    firsts: dict[str, Attribution] = {}
    for att in analysis.attributions:
        if att.source_type not in ("named_person", "named_organization"):
            continue
        name = _source_name(analysis, att)
        if not name:
            continue
        words = name.split()
        if words and words[0] == "the":
            words = words[1:]
        if not words:
            continue
        key = " ".join(words)
        match = next((k for k in firsts if k.endswith(" " + key) or key.endswith(" " + k) or k == key), None)
        if match is None:
            firsts[key] = att
        elif len(key) > len(match):
            firsts[key] = firsts.pop(match)
    return firsts


def article_features(analysis: Analysis) -> dict[str, float]:
    """One finite float per catalogue row of groups sourcing, hedging, transparency and origin."""
    words = analysis.word_count
    atts = analysis.attributions
    n_att = len(atts)
    out: dict[str, float] = {}

    att_sents = _sentences_hit(analysis.sentences, (a.sentence for a in atts))
    out["attribution_density"] = _rate(n_att, words)
    out["attributed_sentence_share"] = _share(len(att_sents), len(analysis.sentences))
    out["direct_quote_share"] = _share(sum(a.direct for a in atts), n_att)
    out["quoted_text_share"] = _share(_covered_chars(q.span for q in analysis.quotes), len(analysis.text))

    by_type: dict[str, int] = {}
    for a in atts:
        by_type[a.source_type] = by_type.get(a.source_type, 0) + 1
    for stype, (rate_name, share_name) in _TYPE_FEATURES.items():
        out[rate_name] = _rate(by_type.get(stype, 0), words)
        out[share_name] = _share(by_type.get(stype, 0), n_att)
    out["no_source_share"] = _share(by_type.get("none", 0), n_att)
    out["distinct_named_sources"] = float(len(_distinct_named(analysis)))
    anon = [a for a in atts if a.source_type == "anonymous_person"]
    with_reason = sum(a.anonymity_reason is not None for a in anon)
    out["anonymous_sources"] = float(len(anon))
    out["anonymous_with_reason"] = float(with_reason)
    out["anonymous_without_reason"] = float(len(anon) - with_reason)
    out["anonymous_reason_share"] = _share(with_reason, len(anon), empty=1.0)

    hedges = analysis.hedges
    hedge_sents = _sentences_hit(analysis.sentences, (h.sentence for h in hedges))
    own = [i for i in range(len(analysis.sentences)) if i not in att_sents]
    out["hedge_density"] = _rate(len(hedges), words)
    out["hedged_sentence_share"] = _share(len(hedge_sents), len(analysis.sentences))
    out["hedged_claim_share"] = _share(sum(i in hedge_sents for i in own), len(own))
    out["hearsay_hedge_density"] = _rate(sum(h.kind in _HEARSAY_KINDS for h in hedges), words)

    art = analysis.article
    out["byline_present"] = 1.0 if art is not None and any(a.strip() for a in art.authors) else 0.0
    out["date_present"] = 1.0 if art is not None and bool(art.date) else 0.0

    kinds = [o.kind for o in analysis.origin]
    out["origin_disclosed"] = 1.0 if kinds else 0.0
    out["origin_statements"] = float(len(kinds))
    out["origin_wire"] = 1.0 if any(k in _WIRE_KINDS for k in kinds) else 0.0
    out["origin_republished"] = 1.0 if any(k in _REPUBLISHED_KINDS for k in kinds) else 0.0
    out["origin_contributed"] = 1.0 if any(k in _CONTRIBUTED_KINDS for k in kinds) else 0.0

    return {name: (float(out[name]) if math.isfinite(out.get(name, 0.0)) else 0.0) for name in FEATURE_NAMES}


def _ev(analysis: Analysis, span: Span, note: str) -> Evidence:
    return Evidence(span, span.of(analysis.text), note)


def _attribution_note(analysis: Analysis, att: Attribution) -> str:
    text = analysis.text
    cue = att.cue.of(text) if att.cue else "?"
    src = att.source.of(text) if att.source else "(no source)"
    extra = f" = {att.resolved_source}" if att.resolved_source and att.source and att.resolved_source != src else ""
    return f"{att.source_type}: {src}{extra} / cue '{cue}'" + (" / direct quote" if att.direct else "")


def _dedupe(items: list[Evidence]) -> list[Evidence]:
    """Evidence in order with repeats of the same span and note dropped (a reason shared by several mentions)."""
    seen: set[tuple[Span, str]] = set()
    out = []
    for e in items:
        if (e.span, e.note) not in seen:
            seen.add((e.span, e.note))
            out.append(e)
    return out


def feature_evidence(analysis: Analysis) -> dict[str, list[Evidence]]:
    """For each feature, the spans behind its value (empty list when it has no textual evidence)."""
    ev: dict[str, list[Evidence]] = {name: [] for name in FEATURE_NAMES}
    atts = analysis.attributions
    all_atts = [_ev(analysis, a.sentence, _attribution_note(analysis, a)) for a in atts]
    ev["attribution_density"] = all_atts
    ev["attributed_sentence_share"] = list({e.span: e for e in all_atts}.values())
    ev["direct_quote_share"] = [e for e, a in zip(all_atts, atts) if a.direct]
    ev["quoted_text_share"] = [_ev(analysis, q.span, "direct quotation" + ("" if q.closed else " (unclosed)"))
                               for q in analysis.quotes]
    for stype, (rate_name, share_name) in _TYPE_FEATURES.items():
        items = [e for e, a in zip(all_atts, atts) if a.source_type == stype]
        ev[rate_name] = items
        ev[share_name] = list(items)
    ev["no_source_share"] = [e for e, a in zip(all_atts, atts) if a.source_type == "none"]
    firsts = {id(a) for a in _distinct_named(analysis).values()}
    ev["distinct_named_sources"] = [e for e, a in zip(all_atts, atts) if id(a) in firsts]
    anon, with_reason, without = [], [], []
    for e, a in zip(all_atts, atts):
        if a.source_type != "anonymous_person":
            continue
        anon.append(e)
        if a.anonymity_reason is not None:
            reason = _ev(analysis, a.anonymity_reason, "reason given for anonymity")
            anon.append(reason)
            with_reason.extend([e, reason])
        else:
            without.append(e)
    ev["anonymous_sources"] = _dedupe(anon)
    ev["anonymous_with_reason"] = _dedupe(with_reason)
    ev["anonymous_without_reason"] = _dedupe(without)
    ev["anonymous_reason_share"] = _dedupe(anon)

    hedge_ev = [_ev(analysis, h.sentence, f"hedge '{h.cue.of(analysis.text)}' ({h.kind or 'hedge'})")
                for h in analysis.hedges]
    ev["hedge_density"] = hedge_ev
    ev["hedged_sentence_share"] = list({e.span: e for e in hedge_ev}.values())
    att_spans = [a.sentence for a in atts]
    ev["hedged_claim_share"] = [e for e in ev["hedged_sentence_share"]
                                if not any(e.span.overlaps(s) for s in att_spans)]
    ev["hearsay_hedge_density"] = [e for e, h in zip(hedge_ev, analysis.hedges) if h.kind in _HEARSAY_KINDS]

    origin_ev = [Evidence(o.span, o.quote(analysis.text),
                          f"origin statement ({o.kind}{', ' + o.outlet if o.outlet else ''})")
                 for o in analysis.origin]
    ev["origin_disclosed"] = origin_ev
    ev["origin_statements"] = list(origin_ev)
    ev["origin_wire"] = [e for e, o in zip(origin_ev, analysis.origin) if o.kind in _WIRE_KINDS]
    ev["origin_republished"] = [e for e, o in zip(origin_ev, analysis.origin) if o.kind in _REPUBLISHED_KINDS]
    ev["origin_contributed"] = [e for e, o in zip(origin_ev, analysis.origin) if o.kind in _CONTRIBUTED_KINDS]
    return {name: ev.get(name, []) for name in FEATURE_NAMES}


def feature_table(analyses: Iterable[Analysis]) -> pd.DataFrame:
    """One row per analysis (indexed by article id, or position without an article), catalogue-ordered columns."""
    rows, index = [], []
    for pos, analysis in enumerate(analyses):
        rows.append(article_features(analysis))
        index.append(analysis.article.id if analysis.article is not None else pos)
    table = pd.DataFrame(rows, index=pd.Index(index, name="id"), columns=list(FEATURE_NAMES), dtype=float)
    return table
