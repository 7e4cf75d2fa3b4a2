"""Helpers of the report tests: the seeds, their labels, and a hostile corpus."""

from __future__ import annotations

import json
from pathlib import Path

from scorer.paths import REPO

SEEDS = REPO / "seeds"
MARK = "document.documentElement.setAttribute('data-xss','ran')"
PAYLOADS = [f"<script>{MARK}</script>", f'<img src=x onerror="{MARK}">', f'" autofocus onfocus="{MARK}" x="',
            f"</style></title><script>{MARK}</script>", f"<svg onload=\"{MARK}\"></svg>", f"javascript:{MARK}"]


def seed_labels(path: Path) -> Path:
    """labels/seeds.csv's 1-5 judgements as reliable (>= 3) / unreliable."""
    import csv

    rows = list(csv.DictReader(open(REPO / "labels" / "seeds.csv", encoding="utf-8")))
    path.write_text("id,label\n" + "".join(f"{r['id']},{'reliable' if int(r['reliability']) >= 3 else 'unreliable'}\n"
                                           for r in rows), encoding="utf-8")
    return path


def hostile_corpus(path: Path) -> Path:
    """Articles whose every field carries a payload, each with a near copy (so pairs and clusters exist)."""
    base = ('Officials said on Tuesday that the bridge would reopen. "{p}," said Maria Lopez, a spokeswoman for {p}. '
            'A senior official, who spoke on condition of anonymity, said {p} the costs may rise. According to the '
            'agency, the repairs reportedly cost millions. Mr. Lopez told reporters: "{p}".')
    records = []
    for i, p in enumerate(PAYLOADS):
        text = "\n\n".join(base.format(p=p) for _ in range(3)) + f"\n\nStory {i}."
        common = {"title": p, "domain": p, "source_name": p, "url": f"javascript:{MARK}", "authors": [p], "date": p}
        records.append({"id": f"{p}-{i}", "text": text, "label": "reliable" if i % 2 else "unreliable", **common})
        records.append({"id": f"copy{i}-{p}", "text": text + " " + p, "label": "reliable", **common})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
