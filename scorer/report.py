"""Presenting results: terminal tables and JSON / CSV / JSONL / HTML writers.

Everything that reaches HTML (article text, ids, titles, outlets, URLs,
feature names, error messages) goes through :func:`html.escape`; a page
carrying ``<script>`` or event-handler attributes is shown as text, never run.
Files are written atomically (temporary file, then rename) so a reader never
sees half a report.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import os
import tempfile
import textwrap
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from scorer.scoring import CONTRIBUTION_UNIT, ScoreResult


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
    return str(v)


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
    from scorer.explain import display_value, explain

    head = f"{source or result.id}  (id {result.id})"
    if result.score is None:
        lines = [head, "  no model available: showing feature values only (no score)"]
        table = explain(result, max_evidence=1)
        for r in table.head(top * 2).itertuples(index=False):
            lines.append(f"  {r.feature:<32} {r.value:8.3f}  {r.unit}")
        return "\n".join(lines)
    verdict = "reliable" if result.score >= 0.5 else "unreliable"
    lines = [head, f"  score {result.score:.3f}  (probability reliable; leans {verdict}; model {result.model}, {result.domain or 'general'} weights)",
             f"  top {top} contributions, in {CONTRIBUTION_UNIT} (+ towards reliable), from a baseline of {result.intercept:+.2f}:"]
    table = explain(result, max_evidence=2).head(top)
    for r in table.itertuples(index=False):
        if r.contribution is None or math.isnan(r.contribution):
            continue
        lines.append(f"  {r.contribution:+7.3f}  {r.feature} = {display_value(r.value, r.unit)}")
        for e in r.evidence:
            quoted = textwrap.shorten(e["text"], width=width - 14, placeholder="…")
            lines.append(f"             “{quoted}”")
            if e.get("note"):
                lines.append(f"               ({textwrap.shorten(e['note'], width=width - 16, placeholder='…')})")
    return "\n".join(lines)


# ---------------------------------------------------------------- files


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` via a temporary file and a rename (never half-written)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report should read like any new file
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_json(obj: Any, path: str | os.PathLike[str]) -> Path:
    """JSON file (UTF-8, indented), atomically."""
    return atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(o: Any) -> Any:
    if hasattr(o, "item"):
        return o.item()
    if hasattr(o, "tolist"):
        return o.tolist()
    return str(o)


def jsonl_line(record: dict[str, Any]) -> str:
    """One JSON Lines record (no raw newlines inside, ending in ``\\n``)."""
    return json.dumps(record, ensure_ascii=False, default=_json_default) + "\n"


#: First characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A text cell safe to open in a spreadsheet: a leading formula character (or quote) gets a ``'`` in front.

    Ids, titles and URLs come from the corpus, so a record whose title is
    ``=HYPERLINK(...)`` would otherwise run as a formula when a user opens the
    output. :func:`csv_value` undoes it exactly.
    """
    return "'" + text if text.startswith(FORMULA_START + ("'",)) else text


def csv_value(cell: str) -> str:
    """The original text of a cell written by :func:`csv_cell`."""
    return cell[1:] if cell.startswith("'") else cell


def csv_line(record: dict[str, Any], columns: list[str]) -> str:
    """One CSV row for ``columns``; newlines inside values become spaces, text cells are formula-safe."""
    buf = io.StringIO()
    values = []
    for c in columns:
        v = record.get(c)
        if isinstance(v, (list, dict)):
            v = json.dumps(v, ensure_ascii=False)
        if isinstance(v, str):
            v = csv_cell(" ".join(v.splitlines()))
        values.append("" if v is None else v)
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def write_csv(rows: Iterable[dict[str, Any]], columns: list[str], path: str | os.PathLike[str]) -> Path:
    """CSV file with a header, atomically."""
    text = csv_line({c: c for c in columns}, columns) + "".join(csv_line(r, columns) for r in rows)
    return atomic_write_text(path, text)


def write_jsonl(rows: Iterable[dict[str, Any]], path: str | os.PathLike[str]) -> Path:
    """JSON Lines file, atomically."""
    return atomic_write_text(path, "".join(jsonl_line(r) for r in rows))


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}.pos{color:#1a7f37}.neg{color:#b42318}
mark{background:#fff3b0}.err{color:#b42318}.small{font-size:.85em;color:#555}
"""


def esc(value: Any) -> str:
    """HTML-escape anything (quotes included), turning None into an empty string."""
    return html.escape("" if value is None else str(value), quote=True)


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
