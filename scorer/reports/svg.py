"""Small hand-made SVG charts for the reports: score histogram, ROC curve, calibration, a fallback graph.

They are drawn directly as inline SVG (no plotting library, no ``<img>``, no
data URI), so the page stays within its Content-Security-Policy and a 20,000
article report pays a few kilobytes for its charts. Every label is escaped.
"""

from __future__ import annotations

import math
from typing import Sequence

from scorer.reports.common import esc

W, H, PAD_L, PAD_B, PAD_T, PAD_R = 340, 240, 44, 40, 14, 12
#: Colours of the label groups in the histogram.
LABEL_COLOURS = {"reliable": "#2e8b57", "unreliable": "#c0392b", "unlabelled": "#8a8f98"}


def _frame(title: str, xlabel: str, ylabel: str, ymax: float, yticks: Sequence[float], body: str,
           legend: str = "") -> str:
    """Axes, ticks and labels around ``body`` (already in plot coordinates)."""
    pw, ph = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
             f'aria-label="{esc(title)}"><title>{esc(title)}</title>',
             f'<g transform="translate({PAD_L},{PAD_T})">',
             f'<rect width="{pw}" height="{ph}" fill="#fafafa" stroke="#ccc"/>']
    for t in (0, 0.25, 0.5, 0.75, 1.0):
        x = t * pw
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{ph}" y2="{ph + 4}" stroke="#666"/>'
                     f'<text x="{x:.1f}" y="{ph + 15}" font-size="10" text-anchor="middle">{t:g}</text>')
    for t in yticks:
        y = ph - ph * t / ymax if ymax else ph
        parts.append(f'<line x1="-4" x2="0" y1="{y:.1f}" y2="{y:.1f}" stroke="#666"/>'
                     f'<text x="-6" y="{y + 3:.1f}" font-size="10" text-anchor="end">{t:g}</text>')
    parts.append(body)
    parts.append(f'<text x="{pw / 2}" y="{ph + 30}" font-size="11" text-anchor="middle">{esc(xlabel)}</text>'
                 f'<text transform="translate({-32},{ph / 2}) rotate(-90)" font-size="11" text-anchor="middle">'
                 f'{esc(ylabel)}</text>{legend}</g></svg>')
    return "".join(parts)


def _nice_ticks(top: float) -> list[float]:
    """About four round tick values from 0 to ``top``."""
    if top <= 0:
        return [0]
    step = 10 ** math.floor(math.log10(top / 4)) if top >= 4 else 1
    for mult in (1, 2, 5, 10):
        if top / (step * mult) <= 5:
            step *= mult
            break
    return [k * step for k in range(int(top // step) + 1)]


def histogram(groups: dict[str, Sequence[float]], bins: int = 20) -> str:
    """Scores (0-1) per group, as side-by-side bars in each bin (one group: plain bars)."""
    names = [g for g in groups if len(groups[g])]
    counts = {g: [0] * bins for g in names}
    for g in names:
        for s in groups[g]:
            counts[g][min(bins - 1, max(0, int(float(s) * bins)))] += 1
    top = max([max(c) for c in counts.values()] + [1])
    ticks = _nice_ticks(top)
    ymax = max(top, ticks[-1])
    pw, ph = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    bw = pw / bins
    sub = bw / max(1, len(names))
    body = []
    for k, g in enumerate(names):
        colour = LABEL_COLOURS.get(g, "#4c78a8")
        for b, n in enumerate(counts[g]):
            if n:
                h = ph * n / ymax
                body.append(f'<rect x="{b * bw + k * sub:.1f}" y="{ph - h:.1f}" width="{max(sub - 0.5, 0.5):.1f}" '
                            f'height="{h:.1f}" fill="{colour}"><title>{esc(g)}: {n} articles scored '
                            f'{b / bins:.2f}-{(b + 1) / bins:.2f}</title></rect>')
    legend = "".join(f'<rect x="{8}" y="{6 + 14 * k}" width="10" height="10" fill="{LABEL_COLOURS.get(g, "#4c78a8")}"/>'
                     f'<text x="22" y="{15 + 14 * k}" font-size="10">{esc(g)} ({len(groups[g])})</text>'
                     for k, g in enumerate(names)) if len(names) > 1 else ""
    return _frame("Score distribution", "score (probability reliable)", "articles", ymax, ticks, "".join(body), legend)


def roc_curve(fpr: Sequence[float], tpr: Sequence[float], auc: float | None) -> str:
    """The ROC curve with the chance diagonal."""
    pw, ph = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    pts = " ".join(f"{x * pw:.1f},{ph - y * ph:.1f}" for x, y in zip(fpr, tpr))
    body = (f'<line x1="0" y1="{ph}" x2="{pw}" y2="0" stroke="#999" stroke-dasharray="4 3"/>'
            f'<polyline points="{pts}" fill="none" stroke="#1f6feb" stroke-width="2"/>')
    label = f"AUC {auc:.3f}" if auc is not None else "AUC -"
    legend = f'<text x="{pw - 6}" y="{ph - 8}" font-size="11" text-anchor="end">{esc(label)}</text>'
    return _frame("ROC curve", "false positive rate", "true positive rate", 1.0, [0, 0.25, 0.5, 0.75, 1.0],
                  body, legend)


def calibration(points: Sequence[tuple[float, float, int]]) -> str:
    """Observed share reliable against mean predicted score per bin; dot area follows the bin's size."""
    pw, ph = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    biggest = max([n for _, _, n in points] + [1])
    line = " ".join(f"{x * pw:.1f},{ph - y * ph:.1f}" for x, y, _ in points)
    dots = "".join(f'<circle cx="{x * pw:.1f}" cy="{ph - y * ph:.1f}" r="{2.5 + 6 * math.sqrt(n / biggest):.1f}" '
                   f'fill="#1f6feb" fill-opacity=".7"><title>{n} articles: mean score {x:.2f}, '
                   f'{y:.0%} reliable</title></circle>' for x, y, n in points)
    body = (f'<line x1="0" y1="{ph}" x2="{pw}" y2="0" stroke="#999" stroke-dasharray="4 3"/>'
            f'<polyline points="{line}" fill="none" stroke="#1f6feb"/>{dots}')
    return _frame("Calibration", "mean predicted probability reliable", "observed share reliable", 1.0,
                  [0, 0.25, 0.5, 0.75, 1.0], body)


def circle_graph(nodes: Sequence[tuple[str, str, str]], edges: Sequence[tuple[str, str, str, bool, float]],
                 size: int = 420) -> str:
    """A small provenance graph: ``nodes`` (id, label, fill) on a circle; ``edges`` (src, dst, colour, arrow, width).

    Used when matplotlib (the notebook's drawing) is not installed.
    """
    n = max(1, len(nodes))
    r = size / 2 - 70
    cx = cy = size / 2
    pos = {nid: (cx + r * math.cos(-math.pi / 2 + 2 * math.pi * k / n), cy + r * math.sin(-math.pi / 2 + 2 * math.pi * k / n))
           for k, (nid, _, _) in enumerate(nodes)} if n > 1 else {nodes[0][0]: (cx, cy)} if nodes else {}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
             'role="img" aria-label="provenance graph"><defs><marker id="ah" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#555"/>'
             '</marker></defs>']
    for src, dst, colour, arrow, width in edges:
        if src not in pos or dst not in pos:
            continue
        (x1, y1), (x2, y2) = pos[src], pos[dst]
        d = math.hypot(x2 - x1, y2 - y1) or 1
        x2, y2 = x2 - (x2 - x1) * 26 / d, y2 - (y2 - y1) * 26 / d
        head = ' marker-end="url(#ah)"' if arrow else ' stroke-dasharray="5 3"'
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
                     f'stroke-width="{width:.1f}"{head}/>')
    for nid, label, fill in nodes:
        x, y = pos[nid]
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(f'<g><title>{esc(label)}</title><rect x="{x - 62:.1f}" y="{y - 11:.1f}" width="124" height="22" '
                     f'rx="5" fill="{fill}" stroke="#444"/><text x="{x:.1f}" y="{y + 4:.1f}" font-size="10" '
                     f'text-anchor="middle">{esc(short)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
