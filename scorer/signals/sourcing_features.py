"""The sourcing signal: attributions (who said what) and the features an editor reads from them.

Findings come from :mod:`scorer.signals.attribution` (cue, source, content)
typed by :mod:`scorer.signals.sourcing` (named person, organisation, document
or outlet, unnamed group, anonymous person, none). Each feature below is
written once, with the standard its direction rests on:

* SPJ Code of Ethics, "Seek Truth and Report It": "Identify sources clearly.
  The public is entitled to as much information as possible to judge the
  reliability and motivations of sources."
* AP, anonymous sources: use them only when the material is information, not
  opinion, is vital, and is not available otherwise on the record, and
  "explain in the story why the source requested anonymity".
* Trust Project indicator "Citations and References": facts are traced to
  where they came from.
"""

from __future__ import annotations

from scorer.analysis import Analysis
from scorer.signals.attribution import Attribution
from scorer.signals.sourcing import find_attributions
from scorer.signals.spec import (Evidence, FeatureSpec, Signal, covered_chars, dedupe, evidence_at, one_per_span,
                                 rate, sentences_hit, share, short)

SPJ_SOURCES = ("SPJ Code of Ethics: identify sources clearly; the public is entitled to as much information as "
               "possible to judge the reliability and motivations of sources")
AP_ANONYMOUS = ("AP policy on anonymous sources: use them only when the information is vital and unavailable on "
                "the record, and explain in the story why the source requested anonymity")
TRUST_CITATIONS = "Trust Project indicator 'Citations and References': facts are traced to the sources behind them"


def _note(analysis: Analysis, att: Attribution) -> str:
    text = analysis.text
    cue = att.cue.of(text) if att.cue else "?"
    src = att.source.of(text) if att.source else "(no source)"
    extra = f" = {att.resolved_source}" if att.resolved_source and att.source and att.resolved_source != src else ""
    return f"{att.source_type}: {src}{extra} / cue '{cue}'" + (" / direct quote" if att.direct else "")


def _all(analysis: Analysis) -> list[tuple[Attribution, Evidence]]:
    """Each attribution with its evidence (the sentence, the source's words marked), computed once."""
    def compute() -> list[tuple[Attribution, Evidence]]:
        return [(a, evidence_at(analysis, a.sentence, _note(analysis, a), a.source or a.cue))
                for a in analysis.found("attributions")]
    return analysis.memo("attribution_evidence", compute)


def _of_type(stype: str):
    def evidence(analysis: Analysis) -> list[Evidence]:
        return [e for a, e in _all(analysis) if a.source_type == stype]
    return evidence


def _count(analysis: Analysis, stype: str) -> int:
    return sum(a.source_type == stype for a in analysis.found("attributions"))


def _source_name(analysis: Analysis, att: Attribution) -> str | None:
    if att.resolved_source:
        return att.resolved_source.strip().lower()
    if att.source is not None:
        return att.source.of(analysis.text).strip().lower()
    return None


def distinct_named(analysis: Analysis) -> dict[str, Attribution]:
    """First attribution of each distinct named person or organisation.

    Names are compared without a leading "the", and a name that ends another
    ("the administration" / "the Biden administration", "Kirby" / "John Kirby")
    counts once. Computed once per analysis: the feature's value and its
    evidence (which asks about every attribution) share it.
    """
    return analysis.memo("distinct_named", lambda: _distinct_named(analysis))


def _distinct_named_evidence(analysis: Analysis) -> list[Evidence]:
    """The evidence of the attributions :func:`distinct_named` keeps, in text order."""
    kept = {id(att) for att in distinct_named(analysis).values()}
    return [e for x, e in _all(analysis) if id(x) in kept]


def _distinct_named(analysis: Analysis) -> dict[str, Attribution]:
    firsts: dict[str, Attribution] = {}
    for att in analysis.found("attributions"):
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


def _anonymous(analysis: Analysis) -> tuple[list[Evidence], list[Evidence], list[Evidence]]:
    """Evidence of anonymous sources: all (with reasons), those with a reason, those without."""
    anon, with_reason, without = [], [], []
    for a, e in _all(analysis):
        if a.source_type != "anonymous_person":
            continue
        anon.append(e)
        if a.anonymity_reason is not None:
            reason = evidence_at(analysis, a.anonymity_reason, "reason given for anonymity", a.anonymity_reason)
            anon.append(reason)
            with_reason.extend([e, reason])
        else:
            without.append(e)
    return dedupe(anon), dedupe(with_reason), dedupe(without)


def _attributed_sentences(analysis: Analysis) -> set[int]:
    return analysis.memo("attributed_sentences", lambda: sentences_hit(
        analysis.sentences, (a.sentence for a in analysis.found("attributions"))))


def _type_specs(stype: str, rate_meaning: str, share_meaning: str, direction: int, standard: str,
                highlight: str) -> tuple[FeatureSpec, FeatureSpec]:
    """The rate and share features of one source type."""
    return (
        FeatureSpec(f"{stype}_sources", "sourcing", rate_meaning, "per 100 words", direction, standard,
                    value=lambda a: rate(_count(a, stype), a.word_count), evidence=_of_type(stype),
                    highlight=highlight),
        FeatureSpec(f"{stype}_share", "sourcing", share_meaning, "share of attributions", direction, standard,
                    value=lambda a: share(_count(a, stype), len(a.found("attributions"))),
                    evidence=_of_type(stype), highlight=highlight),
    )


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("attribution_density", "sourcing",
                "Attributions (someone said, reported, believes...) per 100 words", "per 100 words", 1, SPJ_SOURCES,
                value=lambda a: rate(len(a.found("attributions")), a.word_count),
                evidence=lambda a: [e for _, e in _all(a)]),
    FeatureSpec("attributed_sentence_share", "sourcing", "Share of sentences that carry at least one attribution",
                "share of sentences", 1, TRUST_CITATIONS,
                value=lambda a: share(len(_attributed_sentences(a)), len(a.sentences)),
                evidence=lambda a: one_per_span(e for _, e in _all(a))),
    FeatureSpec("direct_quote_share", "sourcing", "Share of attributions whose content is a direct quotation",
                "share of attributions", 1, SPJ_SOURCES,
                value=lambda a: share(sum(x.direct for x in a.found("attributions")), len(a.found("attributions"))),
                evidence=lambda a: [e for x, e in _all(a) if x.direct]),
    FeatureSpec("quoted_text_share", "sourcing", "Share of the article's characters inside direct quotation marks",
                "share of characters", 0,
                "descriptive: how much of a story is quotation says nothing on its own about its reliability",
                value=lambda a: share(covered_chars(q.span for q in a.found("quotes")), len(a.text)),
                evidence=lambda a: [evidence_at(a, q.span, "direct quotation" + ("" if q.closed else " (unclosed)"))
                                    for q in a.found("quotes")]),
    *_type_specs("named_person",
                 "Attributions to a named person per 100 words (including later references such as 'Kirby' or 'he')",
                 "Share of attributions whose source is a named person", 1, SPJ_SOURCES, "named"),
    *_type_specs("named_organization",
                 "Attributions to a named organisation or government speaking ('the Pentagon', 'Tehran') per 100 words",
                 "Share of attributions whose source is a named organisation or government", 1, SPJ_SOURCES, "named"),
    *_type_specs("document_or_outlet",
                 "Attributions to a document or news outlet ('a statement said', 'The Washington Post reported') "
                 "per 100 words",
                 "Share of attributions whose source is a document or outlet", 1, TRUST_CITATIONS, "named"),
    *_type_specs("unnamed_group", "Attributions to an unnamed group ('analysts', 'Western officials') per 100 words",
                 "Share of attributions whose source is an unnamed group", -1, SPJ_SOURCES, "vague"),
    *_type_specs("anonymous_person",
                 "Attributions to an anonymous person ('a senior official', 'a person familiar with the matter') "
                 "per 100 words",
                 "Share of attributions whose source is an anonymous person", -1, AP_ANONYMOUS, "anonymous"),
    FeatureSpec("no_source_share", "sourcing", "Share of attributions with no stated source ('it is said', 'reportedly')",
                "share of attributions", -1, SPJ_SOURCES,
                value=lambda a: share(_count(a, "none"), len(a.found("attributions"))),
                evidence=_of_type("none"), highlight="vague"),
    FeatureSpec("distinct_named_sources", "sourcing", "Number of distinct named people and organisations the article cites",
                "count", 1, SPJ_SOURCES,
                value=lambda a: float(len(distinct_named(a))),
                evidence=_distinct_named_evidence,
                highlight="named"),
    FeatureSpec("anonymous_sources", "sourcing", "Number of attributions to anonymous people", "count", -1, AP_ANONYMOUS,
                value=lambda a: float(_count(a, "anonymous_person")),
                evidence=lambda a: _anonymous(a)[0], highlight="anonymous"),
    FeatureSpec("anonymous_with_reason", "sourcing",
                "Anonymous-person attributions whose anonymity the article explains "
                "('on condition of anonymity because...')", "count", 1, AP_ANONYMOUS,
                value=lambda a: float(sum(x.source_type == "anonymous_person" and x.anonymity_reason is not None
                                          for x in a.found("attributions"))),
                evidence=lambda a: _anonymous(a)[1], highlight="anonymous"),
    FeatureSpec("anonymous_without_reason", "sourcing", "Anonymous-person attributions with no stated reason for anonymity",
                "count", -1, AP_ANONYMOUS,
                value=lambda a: float(sum(x.source_type == "anonymous_person" and x.anonymity_reason is None
                                          for x in a.found("attributions"))),
                evidence=lambda a: _anonymous(a)[2], highlight="anonymous"),
    FeatureSpec("anonymous_reason_share", "sourcing",
                "Share of anonymous-person attributions with a stated reason (1 when there are none)",
                "share of anonymous attributions", 1, AP_ANONYMOUS,
                value=lambda a: share(sum(x.anonymity_reason is not None for x in a.found("attributions")
                                          if x.source_type == "anonymous_person"),
                                      _count(a, "anonymous_person"), empty=1.0),
                evidence=lambda a: _anonymous(a)[0], highlight="anonymous"),
)


def describe(att: Attribution, text: str) -> list[str]:
    """``scorer inspect`` lines for one attribution."""
    source = att.source.of(text) if att.source else "-"
    resolved = f" (= {att.resolved_source})" if att.resolved_source and att.resolved_source != source else ""
    cue = att.cue.of(text) if att.cue else "-"
    kind = "direct" if att.direct else "indirect"
    lines = [f"  {att.source_type:<19} {short(source, 40)}{resolved} | cue: {cue} | {kind}"]
    if att.content:
        lines.append(f"      content: {short(att.content.of(text), 88)}")
    if att.anonymity_reason:
        lines.append(f"      anonymity reason: {short(att.anonymity_reason.of(text), 80)}")
    return lines


SIGNAL = Signal("attributions", "Attributions", find=find_attributions, features=FEATURES, describe=describe)
