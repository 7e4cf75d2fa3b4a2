"""Which weights score an article: the HealthNewsReview scope rule.

HealthNewsReview.org's criteria (costs, quantified benefits, harms, quality
of evidence, alternatives, availability) judge stories about a medical
treatment, test, product or procedure, not every article that mentions a
virus, a hospital or a study. The rule (``scorer/data/model/health_scope.json``)
puts an article in that scope when words naming an intervention make up
enough of its words; it was written before any scope label was read, and
``benchmarks/health_scope.py`` measures it against hand-labelled articles.
The earlier rule (generic medical vocabulary, ``domains.json``) is kept for
comparison. Whether the model fits health weights at all is set in
``model_features.json`` (``routing``); a model file that routes carries its
rule, so it always routes as it was trained.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

RULE_PATH = Path(__file__).resolve().parent / "data" / "model" / "health_scope.json"
#: The earlier rule (generic medical vocabulary), kept to compare against in benchmarks/transfer.py.
LEGACY_RULE_PATH = RULE_PATH.with_name("domains.json")
#: The domain every article falls into unless the rule says otherwise.
GENERAL = "general"


def load_rule(path: Path = RULE_PATH) -> dict[str, Any]:
    """The routing rule: ``domain`` name, ``patterns`` and ``min_per_100_words``."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    return {"domain": str(spec["domain"]), "patterns": [str(p) for p in spec["patterns"]],
            "min_per_100_words": float(spec["min_per_100_words"])}


#: The only pattern shape a rule may hold: a word, optionally ``s?``/``\w*``, between word boundaries.
_PLAIN_TERM = re.compile(r"\\b[A-Za-z][A-Za-z-]*(?:s\?|\\w\*)?(?:\\b)?")
#: Most patterns a rule may hold.
MAX_PATTERNS = 1000


def rule_problem(rule: Any) -> str | None:
    r"""What is wrong with a routing rule read from a model file (None when it is sound).

    A model file carries its rule, so a hostile file could carry a regular
    expression that takes forever on some text; only plain word patterns
    (``\bpatients?\b``, ``\bdiagnos\w*``) and a positive threshold are accepted.
    """
    if not isinstance(rule, dict):
        return "routing rule is not a mapping"
    name, pats, thr = rule.get("domain"), rule.get("patterns"), rule.get("min_per_100_words")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z_]{1,32}", name):
        return "routing rule has no plain domain name"
    if not isinstance(pats, list) or not 0 < len(pats) <= MAX_PATTERNS:
        return "routing rule has no pattern list"
    bad = [p for p in pats if not isinstance(p, str) or not _PLAIN_TERM.fullmatch(p)]
    if bad:
        return f"routing rule holds patterns that are not plain words ({str(bad[0])[:40]!r})"
    if not isinstance(thr, (int, float)) or not 0 < float(thr) < 100:
        return "routing rule has no threshold between 0 and 100"
    return None


@lru_cache(maxsize=8)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def terms_per_100_words(text: str, rule: dict[str, Any]) -> float:
    """How many of the rule's terms the text holds per 100 words."""
    words = len(text.split())
    return 100.0 * len(_compiled(tuple(rule["patterns"])).findall(text)) / words if words else 0.0


def domain_of(text: str, rule: dict[str, Any] | None = None) -> str:
    """The rule's domain (e.g. ``health``) when the text is dense enough in its terms, else ``general``."""
    rule = rule or default_rule()
    return rule["domain"] if terms_per_100_words(text, rule) >= rule["min_per_100_words"] else GENERAL


@lru_cache(maxsize=1)
def default_rule() -> dict[str, Any]:
    """The rule shipped in ``scorer/data/model/domains.json``."""
    return load_rule()
