"""Generated test corpora shared by test folders (no third-party text)."""

from __future__ import annotations

import json
import random
from pathlib import Path

SYLLABLES = ["ka", "lo", "mi", "ra", "te", "su", "no", "vi", "pe", "da", "zo", "ri", "ga", "bu", "fe"]


def write_planted_copies(path: Path, n_orig: int, n_copies: int, paragraphs: int = 6, vocab_size: int = 5000,
                         dates: tuple[str, str] | None = None) -> list[str]:
    """A ``.jsonl`` corpus of random pseudo-word originals and verbatim copies with a sentence added.

    Copy ``i`` repeats original ``i``; ``dates`` gives (originals' date, copies' date) when set.
    Returns the ids in file order.
    """
    rng = random.Random(7)
    vocab = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(vocab_size)]

    def sentence() -> str:
        words = [rng.choice(vocab) for _ in range(rng.randint(10, 18))]
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def record(rid: str, text: str, date: int) -> str:
        rec = {"id": rid, "text": text, **({"date": dates[date]} if dates else {})}
        return json.dumps(rec) + "\n"

    ids, origs = [], []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n_orig):
            origs.append("\n\n".join(" ".join(sentence() for _ in range(3)) for _ in range(paragraphs)))
            ids.append(f"orig-{i:04d}")
            fh.write(record(ids[-1], origs[-1], 0))
        for i in range(n_copies):
            ids.append(f"copy-{i:04d}")
            fh.write(record(ids[-1], origs[i] + "\n\n" + sentence(), 1))
    return ids
