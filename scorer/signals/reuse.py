"""Reuse features: what provenance found across a corpus or archive, one spec per feature.

Their values cannot come from one article alone, so the specs have no value
function: :mod:`scorer.provenance` fills them from the reuse it finds (an
article scored alone, with no corpus or archive, has them at 0, "no reuse
known"). Directions follow the principle that crediting another outlet is
transparency, and that what lowers trust is taking others' text without
credit (SPJ Code of Ethics: "Never plagiarize. Always attribute.").
"""

from __future__ import annotations

from scorer.signals.spec import FeatureSpec, Signal

_SYMMETRIC = ("descriptive: an original and the copies made of it share the same text, so the amount of reuse "
              "alone cannot say which is which")
_NEUTRAL_DERIVED = ("descriptive: republishing a credited story (wire copy, syndication) is standard practice; "
                    "only uncredited reuse lowers trust")
_SPJ_PLAGIARISM = "SPJ Code of Ethics: never plagiarize; always attribute"

FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("provenance_reused_share", "provenance",
                "Share of the article's unquoted text found in other articles of the corpus (verbatim, partial or "
                "paraphrased)", "share of characters", 0, _SYMMETRIC, value=None, highlight="relayed"),
    FeatureSpec("provenance_max_origin_share", "provenance",
                "Largest share of the article's unquoted text reused from (or by) one single other article",
                "share of characters", 0, _SYMMETRIC, value=None, highlight="relayed"),
    FeatureSpec("provenance_is_derived", "provenance",
                "1 when reuse found in the corpus shows the article derives from another text: it copies an earlier "
                "article, shares a common source with one, or shares text and says it was republished", "flag", 0,
                _NEUTRAL_DERIVED, value=None, highlight="relayed"),
    FeatureSpec("provenance_undisclosed_reuse", "provenance",
                "1 when the article shares reused text with another article and neither is its identified source "
                "nor states where its text came from", "flag", -1, _SPJ_PLAGIARISM, value=None, highlight="relayed"),
    FeatureSpec("provenance_reused_by", "provenance", "Number of other articles in the corpus found to derive from this one",
                "count", 1, "Trust Project indicator 'Original reporting': others build on the article's own reporting",
                value=None),
    FeatureSpec("provenance_wire_copy", "provenance",
                "1 when the article shares text with others and is a republished wire-service story (by its own "
                "statement or its cluster's origin)", "flag", 0,
                "descriptive: a wire story carried by a member outlet must never lower a score", value=None),
)

SIGNAL = Signal("reuse", "Reuse across a corpus", features=FEATURES)
