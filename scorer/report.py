"""Presenting results: terminal tables and JSON / CSV / JSONL / HTML writers.

Everything that reaches HTML (article text, ids, titles, outlets, URLs,
feature names, error messages) goes through :func:`scorer.outputs.esc`; a page
carrying ``<script>`` or event-handler attributes is shown as text, never run.
Files are written atomically by :mod:`scorer.outputs` (temporary file, then
rename) so a reader never sees half a report.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

from scorer.outputs import (FORMULA_START, atomic_write_text, csv_cell, csv_line, csv_value, esc, jsonl_line,
                            terminal_safe, write_csv, write_json, write_jsonl)
from scorer.scoring import CONTRIBUTION_UNIT, ScoreResult

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMULA_START", "atomic_write_text", "batch_html", "csv_cell", "csv_line", "csv_value", "dataframe_text",
           "esc", "format_result", "format_table", "jsonl_line", "metrics_text", "write_csv", "write_json",
           "write_jsonl"]


# ---------------------------------------------------------------- terminal


def _fmt_num(v: Any, digits: int = 3) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return terminal_safe(v)  # ids, outlets and errors come from the corpus


def format_table(rows: list[dict[str, Any]], columns: list[str], digits: int = 3) -> str:
    """A plain fixed-width text table (numbers right-aligned)."""
    cells = [[_fmt_num(r.get(c), digits) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in rows) for c in columns]
    def line(vals: list[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(vals, widths, numeric)).rstrip()
    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(out)


def format_result(result: ScoreResult, source: str | None = None, top: int = 5, width: int = 100) -> str:
    """One article's score and its top contributing features with evidence sentences."""
    from scorer.explain import display_value, explain_rows

    head = terminal_safe(f"{source or result.id}  (id {result.id})")  # a file name cannot drive the terminal
    if result.score is None:
        lines = [head, "  no model available: showing feature values only (no score)"]
        for r in explain_rows(result, max_evidence=1)[: top * 2]:
            lines.append(f"  {r['feature']:<32} {r['value']:8.3f}  {r['unit']}")
        return "\n".join(lines)
    verdict = "reliable" if result.score >= 0.5 else "unreliable"
    lines = [head, f"  score {result.score:.3f}  (probability reliable; leans {verdict}; model {result.model}, {result.domain or 'general'} weights)",
             f"  top {top} contributions, in {CONTRIBUTION_UNIT} (+ towards reliable), from a baseline of {result.intercept:+.2f}:"]
    rows = explain_rows(result, max_evidence=2)
    shown = set()
    for r in rows[:top]:
        if r["contribution"] is None or math.isnan(r["contribution"]):
            continue
        shown.add(r["feature"])
        lines.append(f"  {r['contribution']:+7.3f}  {r['feature']} = {display_value(r['value'], r['unit'])}")
        lines.extend(_evidence_lines(r["evidence"], width, whole_notes=r["feature"].startswith("provenance_")))
    reuse = [r for r in rows if result.extra_evidence.get(r["feature"]) and r["value"] and r["feature"] not in shown]
    if reuse:  # an archive check found reuse: shown even where the model gives it no weight
        lines.append("  reuse found (described; weighted only when undisclosed, since crediting and syndication are not faults):")
        lines.extend(f"           {r['feature']} = {display_value(r['value'], r['unit'])}" for r in reuse)
        lines.extend(_evidence_lines(result.archive_reuse()[:2], width, whole_notes=True))
    return "\n".join(lines)


def _evidence_lines(evidence: list[dict[str, Any]], width: int, whole_notes: bool = False) -> list[str]:
    """Evidence items as terminal lines: each sentence, then its note (in full with ``whole_notes``:
    a provenance note names the other article and its passage)."""
    lines = []
    for e in evidence:
        quoted = textwrap.shorten(e["text"], width=width - 14, placeholder="…")
        lines.append(f"             “{quoted}”")
        if e.get("note") and whole_notes:
            lines.extend(textwrap.wrap(f"({e['note']})", width=width, initial_indent=" " * 15,
                                       subsequent_indent=" " * 16))
        elif e.get("note"):
            lines.append(f"               ({textwrap.shorten(e['note'], width=width - 16, placeholder='…')})")
    return lines


# ---------------------------------------------------------------- files
# The writers and escapers live in the leaf module ``scorer.outputs``; they are
# re-exported here for callers that know them as ``scorer.report.*``.

# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}.pos{color:#1a7f37}.neg{color:#b42318}
mark{background:#fff3b0}.err{color:#b42318}.small{font-size:.85em;color:#555}
"""


def batch_html(rows: list[dict[str, Any]], metrics: dict[str, Any] | None, title: str = "scorer batch report") -> str:
    """A standalone HTML report of batch rows (and metrics when labels were known), all escaped (see scorer.reports)."""
    from scorer.reports.batch import batch_page

    return batch_page(rows, metrics, title=title)


def metrics_text(metrics: dict[str, Any], max_outlets: int = 25) -> str:
    """Metrics and the per-outlet table (largest ``max_outlets`` outlets) as terminal text."""
    lines = [f"articles with labels: {metrics.get('n', 0)}"]
    for k in ("auc", "accuracy", "macro_f1", "brier"):
        if k in metrics:
            lines.append(f"  {k:<9} {_fmt_num(metrics[k])}")
    cm = metrics.get("confusion")
    if cm:
        lines += ["  confusion (rows true, columns predicted):",
                  f"    {'':<12}{'unreliable':>12}{'reliable':>10}",
                  f"    {'unreliable':<12}{cm[0][0]:>12}{cm[0][1]:>10}",
                  f"    {'reliable':<12}{cm[1][0]:>12}{cm[1][1]:>10}"]
    per = metrics.get("per_outlet") or []
    if per:
        more = f" (largest {max_outlets} of {len(per)}; all in the metrics file)" if len(per) > max_outlets else ""
        lines += ["", f"per outlet{more}:", format_table(per[:max_outlets], list(per[0].keys()))]
    return "\n".join(lines)


def dataframe_text(df: pd.DataFrame) -> str:
    """A DataFrame as a plain text table."""
    return format_table(df.to_dict("records"), [str(c) for c in df.columns])
