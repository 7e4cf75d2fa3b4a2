"""One article's detail in the batch report: contributions in plain words, highlighted text, reuse links.

The highlighted text is the notebook's (:func:`scorer.notebook.views.evidence_marks`
and :func:`~scorer.notebook.views.render_marks`): the same marks, colours and
tooltips. Contributions are written as a reader would say them: the value as the
feature's spec shows it ("4 matches", "0.5 per 100 words") and what the feature
means, with a bar for its push towards or away from reliable.

Details are built in worker processes from a fresh analysis of each article
(:func:`detail_chunk`), so only small HTML strings travel back.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from scorer.reports.common import esc, num

#: Contribution bars per article.
TOP_BARS = 5
#: Phrases a batch reuse row uses for the relation to another article.
_REUSE_ENTRY = re.compile(r"^(verbatim|partial|paraphrase|shared_quotes_only) (copied from|copied by|common source|unknown) "
                          r"(.*), (\d+)% of this text$", re.S)


def feature_words(name: str) -> tuple[str, str, str]:
    """(group, meaning, unit) of a feature from its spec (the name itself when it has none)."""
    try:
        from scorer.features import spec

        s = spec(name)
        return s.group, s.meaning, s.unit
    except KeyError:
        return "other", name.replace("_", " "), ""


def shown(name: str, value: Any) -> str:
    """A feature value as its spec shows it ("5 matches")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    try:
        from scorer.features import spec

        return spec(name).shown(float(value))
    except (KeyError, TypeError, ValueError):
        return num(value)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes, '<' and line breaks escaped)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return f'"{out}"'


def glossary_css() -> str:
    """One CSS rule per feature writing "— meaning (name)" after its bars, so each meaning is in the page once."""
    from scorer.features import SPECS

    return "".join(f".f{k}::after{{content:{css_string(f' — {s.meaning} ({s.name})')};color:#5f6368}}"
                   for k, s in enumerate(SPECS))


def _feature_class(name: str) -> str | None:
    from scorer.features import FEATURE_NAMES

    try:
        return f"f{FEATURE_NAMES.index(name)}"
    except ValueError:
        return None


def bars_html(items: Iterable[tuple[str, Any, float]], intercept: float | None = None) -> str:
    """Contribution bars in plain words: one row per (feature, value, contribution in log-odds).

    Each row says the value as its spec shows it ("4 matches") followed by what
    the feature means (from the page's glossary CSS, see :func:`glossary_css`).
    """
    rows = [(n, v, c) for n, v, c in items if c is not None and math.isfinite(c)]
    if not rows:
        return '<p class="muted">No model contributions recorded.</p>'
    scale = max(abs(c) for _, _, c in rows) or 1.0
    out = ['<table class="bars">']
    for name, value, c in rows:
        width = round(50.0 * abs(c) / scale)
        left = 50 if c >= 0 else 50 - width
        cls = _feature_class(name)
        words = f'<i class="{cls}"></i>' if cls else f' — {esc(name)}'
        out.append(f'<tr><td><div class="bar"><i class="{"p" if c >= 0 else "n"}" style="left:{left}%;width:{width}%">'
                   f'</i></div><td>{c:+.2f}<td><strong>{esc(shown(name, value))}</strong>{words}</tr>')
    out.append("</table>")
    return "".join(out)


def group_sums(contributions: Mapping[str, float]) -> dict[str, float]:
    """Contribution (log-odds) summed per feature group."""
    out: dict[str, float] = {}
    for name, c in contributions.items():
        if c is None or not math.isfinite(c):
            continue
        g = feature_words(name)[0]
        out[g] = out.get(g, 0.0) + float(c)
    return out


def reuse_links(entry_text: str | None, known: Mapping[str, str]) -> list[tuple[str, str, str, str]]:
    """(kind, relation, other id, share) from a batch reuse row's text, keeping ids of this report.

    ``known`` maps ids to their anchor; an entry whose id is not in the report is kept as text (anchor "").
    """
    out = []
    for entry in (entry_text or "").split("; "):
        m = _REUSE_ENTRY.match(entry.strip())
        if not m:
            continue
        kind, relation, rest, share = m.groups()
        other = rest if rest in known else re.sub(r" \([^()]*\)$", "", rest)
        out.append((kind, relation, other, share))
    return out


def links_html(links: list[tuple[str, str, str, str]], anchors: Mapping[str, str]) -> str:
    """The articles this one reuses or is reused by, linked to their rows."""
    if not links:
        return ""
    items = []
    for kind, relation, other, share in links:
        target = anchors.get(other)
        name = f'<a href="#{target}">{esc(other)}</a>' if target else esc(other)
        items.append(f"<li>{esc(relation)} {name}: {esc(kind.replace('_', ' '))}, {esc(share)}% of this text</li>")
    return '<div><strong>Shared text with other articles of this corpus</strong><ul class="small">' + "".join(items) + "</ul></div>"


def text_html(result: Any, max_chars: int | None) -> str:
    """The article text with the notebook's evidence marks (cut at ``max_chars``)."""
    from scorer.notebook.views import Mark, evidence_marks, render_marks

    text = result.analysis.text
    marks = evidence_marks(result)
    cut = ""
    if max_chars == 0:
        return ""
    if max_chars is not None and len(text) > max_chars:
        marks = [Mark(m.start, min(m.end, max_chars), m.category, m.note) for m in marks if m.start < max_chars]
        cut = f'<p class="small muted">… {len(text) - max_chars} more characters not shown (report size limit).</p>'
        text = text[:max_chars]
    return f'<div class="sc-text">{_compact(render_marks(text, marks))}</div>{cut}'


_MARK_EXTRAS = re.compile(r'(<span class="sc-mark [^"]*") data-start="\d+" data-end="\d+"( title="[^"]*") style="[^"]*"')


def _compact(marked: str) -> str:
    """The notebook's marked text without per-span offsets and inline colours (the page's CSS colours by class)."""
    return _MARK_EXTRAS.sub(r"\1\2", marked)


def marks_css() -> str:
    """Colours of the evidence classes, the first category winning where several cover one run (as in the notebook)."""
    from scorer.notebook.views import CATEGORIES, REUSED_LINE

    rules = [f".sc-mark.sc-{c.name}{{background:{c.colour}}}" for c in reversed(list(CATEGORIES.values()))]
    return "".join(rules) + f".sc-mark{{border-radius:2px}}.sc-mark.sc-reused{{border-bottom:3px solid {REUSED_LINE}}}"


def detail_from_result(result: Any, max_chars: int | None) -> tuple[str, dict[str, float]]:
    """(detail HTML, contribution per group) for a scored article with its analysis."""
    items = sorted(((n, result.features.get(n), c) for n, c in result.contributions.items()),
                   key=lambda t: -abs(t[2]))[:TOP_BARS]
    html_ = bars_html(items)
    if result.analysis is not None:
        html_ += text_html(result, max_chars)
    return html_, group_sums(result.contributions)


def detail_from_row(row: Mapping[str, Any]) -> str:
    """Detail HTML from a batch row alone (no analysis): its top contributions in plain words."""
    return bars_html((t.get("feature", ""), t.get("value"), t.get("contribution")) for t in row.get("top") or [])


def detail_chunk(articles: list[Any], model: str | None, reuse: Mapping[str, Mapping[str, float]],
                 max_chars: int | None) -> dict[str, tuple[str, dict[str, float]]]:
    """Analyse and score ``articles`` again (as the batch did) and build each one's detail."""
    from scorer.featurizer import features_of
    from scorer.linear import DEFAULT_MODEL
    from scorer.model_file import load_cached
    from scorer.pipeline import analyse
    from scorer.scoring import score_features

    out: dict[str, tuple[str, dict[str, float]]] = {}
    pipe, _ = load_cached(model)
    for art in articles:
        try:
            analysis = analyse(art)
            feats = features_of(analysis)
            feats.update(reuse.get(art.id, {}))
            result = score_features(art.id, feats, pipe, analysis=analysis,
                                    model_name=Path(model).name if model else DEFAULT_MODEL.name)
            out[art.id] = detail_from_result(result, max_chars)
        except Exception:  # noqa: BLE001 - the row's own top contributions are shown instead
            continue
    return out
