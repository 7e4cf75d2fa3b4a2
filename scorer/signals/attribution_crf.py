"""A linear-chain CRF that tags attribution cues, sources and contents (BIO) in one pass over an article.

The model was trained with CRFsuite on PolNeAR train (``scorer/training/
train_attribution_crf.py``) and exported as plain arrays
(``scorer/data/models/attribution_crf.npz``, read with ``allow_pickle=False``): a
transition matrix and, for each feature template, a table of label weights per
value. Decoding is our own Viterbi in NumPy, so the runtime needs neither the
CRFsuite library nor pickle.

Every feature is a *categorical value of one token* read at an offset from the
tagged token ("the lower-cased word two tokens back", "the lexicon class of the
next token", "how far the next quote mark is"). That restriction lets the
emission scores of a whole article be computed as a handful of NumPy table
look-ups instead of building feature strings per token, which keeps ``analyse``
fast. Viterbi is exact and runs on all the sentences of an article at once
(padded to the longest), so its Python loop has one step per token of the
longest sentence, not per token of the article.

Length: about 500 lines: the CRF's token features, weight file and Viterbi decoder belong together (training imports the same feature function, so the shipped weights apply).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from scorer.segment import load_lexicon

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "attribution_crf.npz"
LABELS = ("O", "B-CUE", "I-CUE", "B-SRC", "I-SRC", "B-CNT", "I-CNT")
#: Offsets at which each token-level base attribute is read (relative to the tagged token).
TEMPLATES: dict[str, tuple[int, ...]] = {
    "w": (-2, -1, 0, 1, 2),
    "suf": (-1, 0, 1),
    "shape": (-2, -1, 0, 1, 2),
    "cls": (-3, -2, -1, 0, 1, 2, 3),
    "q": (-1, 0, 1),
    "bg": (0, 1),
    "nq": (0,), "pq": (0,), "nc": (0,), "pc": (0,), "com": (0,), "pos": (0,), "rpos": (0,), "sq": (0,),
}
#: Bases computed from the token alone (cached per surface form); the others depend on position.
#: "bg" is the word pair (previous word, word), so "bg[1]" is (word, next word).
WORD_BASES = ("w", "suf", "shape", "cls")
WORD_OFFSETS = tuple(sorted({o for b in WORD_BASES for o in TEMPLATES[b]}))
POSITION_BASES = ("q", "nq", "pq", "nc", "pc", "com", "pos", "rpos", "sq")
BOS, EOS, UNK = "<s>", "</s>", "<unk>"
_QUOTE_MARKS = frozenset("\"“”„«»")
_DIST_NAMES = ("none", "1", "2", "3", "4-6", "7-12", "13+")
_POS_NAMES = ("0", "1", "2", "3-5", "6-10", "11-20", "21+")
_COM_NAMES = ("0", "1", "2", "3+")
_Q_NAMES = ("out", "in", "mark")
_SQ_NAMES = ("noq", "hasq")


@lru_cache(maxsize=1)
def word_classes() -> dict[str, tuple[str, ...]]:
    """Lexicon classes of lower-case words, from the project's word lists (one word may have several)."""
    lists = {
        "rv": "reporting_verbs", "role": "person_roles", "anon": "anonymous_nouns", "grp": "group_nouns",
        "org": "organization_words", "doc": "document_nouns", "place": "places", "aux": "source_skip_words",
        "bnd": "np_boundaries", "inv": "inversion_cues", "join": "cue_joiners",
    }
    out: dict[str, set[str]] = {}
    for cls, name in lists.items():
        for entry in load_lexicon(name):
            word = entry.split("\t")[0].strip().lower()
            if word and " " not in word:
                out.setdefault(word, set()).add(cls)
    for line in load_lexicon("pronouns"):
        out.setdefault(line.split("\t")[0].strip().lower(), set()).add("pron")
    return {w: tuple(sorted(c)) for w, c in out.items()}


def word_class(low: str) -> str:
    """The lexicon signature of a lower-case word ("rv", "pron", "role+anon", or "-")."""
    classes = word_classes().get(low)
    return "+".join(classes) if classes else "-"


def shape(tok: str) -> str:
    """A token's shape: quote mark, punctuation itself, number, all caps, capitalised, lower case."""
    c = tok[0]
    if c in _QUOTE_MARKS or tok in ("‘", "’", "'"):
        return "Q"
    if not (c.isalnum() or c == "_"):
        return tok if len(tok) == 1 else "P"
    if c.isdigit():
        return "d"
    if tok.isupper() and len(tok) > 1:
        return "X"
    if c.isupper():
        return "Xx"
    return "x"


def suffix(low: str) -> str:
    """The last three letters of a word (the word itself when short)."""
    return low[-3:] if len(low) > 3 else low


def word_values(text: str, low: str) -> tuple[str, str, str, str]:
    """The word-level base values of a token: (word, suffix, shape, class)."""
    return low, suffix(low), shape(text), word_class(low)


def _bucket(d: np.ndarray, edges: Sequence[int]) -> np.ndarray:
    """Bucket index of each distance: 0 for none (d <= 0), then by the upper ``edges``."""
    return np.where(d <= 0, 0, 1 + np.searchsorted(np.asarray(edges), d, side="left"))


def position_codes(is_mark: np.ndarray, in_quote: np.ndarray, is_comma: np.ndarray, is_cand: np.ndarray,
                   sent_start: np.ndarray, sent_end: np.ndarray) -> dict[str, np.ndarray]:
    """Positional base values of every token as codes into the ``*_NAMES`` tuples.

    ``sent_start``/``sent_end`` give, for each token, the flat index of its
    sentence's first token and one past its last. Distances count tokens within
    the sentence only.
    """
    n = len(is_mark)
    idx = np.arange(n)
    out: dict[str, np.ndarray] = {}
    out["q"] = np.where(is_mark, 2, np.where(in_quote, 1, 0))
    for name, flags in (("q", is_mark), ("c", is_cand)):
        prev = np.maximum.accumulate(np.where(flags, idx, -1))
        prev_strict = np.concatenate(([-1], prev[:-1])) if n else prev
        d_prev = np.where(prev_strict >= sent_start, idx - prev_strict, 0)
        nxt = np.minimum.accumulate(np.where(flags, idx, n)[::-1])[::-1]
        nxt_strict = np.concatenate((nxt[1:], [n])) if n else nxt
        d_next = np.where(nxt_strict < sent_end, nxt_strict - idx, 0)
        out["p" + name] = _bucket(d_prev, (1, 2, 3, 6, 12))
        out["n" + name] = _bucket(d_next, (1, 2, 3, 6, 12))
    before = np.cumsum(is_comma) - is_comma  # commas strictly before each token, article-wide
    out["com"] = np.minimum(before - before[sent_start], 3) if n else before
    pos = idx - sent_start
    rpos = sent_end - 1 - idx
    edges = np.asarray((0, 1, 2, 5, 10, 20))
    out["pos"] = np.searchsorted(edges, pos, side="left")
    out["rpos"] = np.searchsorted(edges, rpos, side="left")
    marks = np.cumsum(is_mark.astype(np.int64))
    if n:
        in_sentence = marks[sent_end - 1] - (marks[sent_start] - is_mark[sent_start])
        out["sq"] = (in_sentence > 0).astype(np.int64)
    else:
        out["sq"] = np.zeros(0, np.int64)
    return out


POSITION_NAMES: dict[str, tuple[str, ...]] = {
    "q": _Q_NAMES, "nq": _DIST_NAMES, "pq": _DIST_NAMES, "nc": _DIST_NAMES, "pc": _DIST_NAMES,
    "com": _COM_NAMES, "pos": _POS_NAMES, "rpos": _POS_NAMES, "sq": _SQ_NAMES,
}


@dataclass
class Flat:
    """The tokens of a run of sentences, flattened, with what the features need."""

    texts: list[str]
    lows: list[str]
    starts: list[int]
    ends: list[int]
    sent_start: np.ndarray  # per token: flat index of its sentence's first token
    sent_end: np.ndarray  # per token: flat index one past its sentence's last token
    in_quote: np.ndarray  # per token: inside a quotation (between its marks)


def flatten(sentences: Sequence[object], quote_inners: Sequence[tuple[int, int]]) -> Flat:
    """Flatten per-sentence token objects (with ``texts``/``lows``/``starts``/``ends``) into one :class:`Flat`.

    ``quote_inners`` are the (start, end) character bounds of each quotation's inside, sorted.
    """
    texts: list[str] = []
    lows: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    s_start: list[int] = []
    s_end: list[int] = []
    for toks in sentences:
        k = len(texts)
        m = len(toks.texts)  # type: ignore[attr-defined]
        texts += toks.texts  # type: ignore[attr-defined]
        lows += toks.lows  # type: ignore[attr-defined]
        starts += toks.starts  # type: ignore[attr-defined]
        ends += toks.ends  # type: ignore[attr-defined]
        s_start += [k] * m
        s_end += [k + m] * m
    st = np.asarray(starts, dtype=np.int64)
    if quote_inners:
        qs = np.asarray([q[0] for q in quote_inners], dtype=np.int64)
        qe = np.asarray([q[1] for q in quote_inners], dtype=np.int64)
        k = np.searchsorted(qs, st, side="right") - 1
        in_q = (k >= 0) & (st < qe[np.maximum(k, 0)])
    else:
        in_q = np.zeros(len(st), dtype=bool)
    return Flat(texts, lows, starts, ends, np.asarray(s_start, dtype=np.int64), np.asarray(s_end, dtype=np.int64),
                in_q)


def feature_strings(flat: Flat, candidates: frozenset[str], vocab: set[str] | None = None) -> list[list[str]]:
    """CRFsuite attribute strings of every token ("w[-1]=said", "nq[0]=2") — for training only.

    The values are the same as :meth:`CrfModel.emissions` reads, so the exported
    weights apply unchanged; words outside ``vocab`` (when given) read as <unk>.
    """
    words = [word_values(t, lw) for t, lw in zip(flat.texts, flat.lows)]
    if vocab is not None:
        words = [(w[0] if w[0] in vocab else UNK,) + w[1:] for w in words]
    codes = _position_codes(flat, candidates)
    n = len(words)
    out: list[list[str]] = []
    for i in range(n):
        lo, hi = int(flat.sent_start[i]), int(flat.sent_end[i])
        feats = []
        for b, base in enumerate(WORD_BASES):
            for off in TEMPLATES[base]:
                j = i + off
                val = BOS if j < lo else EOS if j >= hi else words[j][b]
                feats.append(f"{base}[{off}]={val}")
        for off in TEMPLATES["bg"]:
            j = i + off
            if j >= hi:
                val = EOS
            else:
                prev = words[j - 1][0] if j - 1 >= lo else BOS
                val = prev + "|" + words[j][0]
            feats.append(f"bg[{off}]={val}")
        for base in POSITION_BASES:
            names = POSITION_NAMES[base]
            for off in TEMPLATES[base]:
                j = i + off
                val = BOS if j < lo else EOS if j >= hi else names[int(codes[base][j])]
                feats.append(f"{base}[{off}]={val}")
        out.append(feats)
    return out


def _position_codes(flat: Flat, candidates: frozenset[str]) -> dict[str, np.ndarray]:
    is_mark = np.fromiter((t[:1] in _QUOTE_MARKS for t in flat.texts), dtype=bool, count=len(flat.texts))
    is_comma = np.fromiter((t == "," for t in flat.texts), dtype=np.int64, count=len(flat.texts))
    is_cand = np.fromiter((lw in candidates for lw in flat.lows), dtype=bool, count=len(flat.lows))
    return position_codes(is_mark, flat.in_quote, is_comma, is_cand, flat.sent_start, flat.sent_end)


#: Padding slots on each side of a sentence in :class:`Padding` (the farthest offset any template reads).
PAD = max(abs(o) for offsets in TEMPLATES.values() for o in offsets)


@dataclass
class Padding:
    """Tokens laid out sentence by sentence with :data:`PAD` slots before and after each sentence.

    ``slots[i]`` is token ``i``'s place in the layout; the slots before a
    sentence stand for <s>, those after it for </s>, so ``slots + off`` reads
    the token ``off`` away, or the right padding value past the sentence's ends.
    """

    slots: np.ndarray
    size: int
    after: np.ndarray  # the </s> slots

    def values(self, per_token: np.ndarray, bos: int, eos: int) -> np.ndarray:
        """``per_token`` spread over the layout, with ``bos`` and ``eos`` in the padding slots."""
        out = np.full(self.size, bos, dtype=per_token.dtype)
        out[self.after] = eos
        out[self.slots] = per_token
        return out


def padding(sent_start: np.ndarray, sent_end: np.ndarray) -> Padding:
    """The padded layout of tokens whose sentences run from ``sent_start`` to ``sent_end`` (per token)."""
    n = len(sent_start)
    idx = np.arange(n)
    first = idx == sent_start
    slots = idx + PAD + 2 * PAD * (np.cumsum(first) - 1)
    last_slots = slots[idx == sent_end - 1]
    after = (last_slots[:, None] + np.arange(1, PAD + 1)).ravel()
    return Padding(slots, n + 2 * PAD * int(first.sum()), after)


@dataclass
class CrfModel:
    """Exported CRF weights: transitions and one table of label scores per (base, offset)."""

    labels: tuple[str, ...]
    transitions: np.ndarray  # (L, L): from label i to label j
    vocab: dict[str, dict[str, int]]  # base -> value -> row (rows 0, 1, 2 are <unk>, <s>, </s>)
    tables: dict[tuple[str, int], np.ndarray]  # (base, offset) -> (rows, L)
    candidates: frozenset[str]
    _word_cache: dict[str, int]
    pair_keys: np.ndarray  # sorted (previous word row * words + word row) of every weighted word pair
    pair_rows: np.ndarray  # the table row of each key

    @classmethod
    def from_json(cls, data: dict) -> "CrfModel":
        """Build from the exported JSON (see the training script for its layout)."""
        labels = tuple(data["labels"])
        L = len(labels)
        trans = np.zeros((L, L))
        for a, b, w in data["transitions"]:
            trans[labels.index(a), labels.index(b)] = w
        vocab: dict[str, dict[str, int]] = {}
        tables: dict[tuple[str, int], np.ndarray] = {}
        for base, offsets in TEMPLATES.items():
            values = [UNK, BOS, EOS]
            if base == "bg":
                continue
            if base == "w":
                values += [v for v in data["words"] if v not in (UNK, BOS, EOS)]
            elif base in POSITION_NAMES:
                values += list(POSITION_NAMES[base])
            else:
                values += sorted({v for off in offsets for v in data["states"].get(f"{base}[{off}]", {})}
                                 - {UNK, BOS, EOS})
            vocab[base] = {v: i for i, v in enumerate(values)}
            for off in offsets:
                table = np.zeros((len(values), L))
                for value, weights in data["states"].get(f"{base}[{off}]", {}).items():
                    row = vocab[base].get(value)
                    if row is None:
                        continue
                    for label, w in weights.items():
                        table[row, labels.index(label)] = w
                tables[(base, off)] = table
        n_words = len(vocab["w"])
        pairs: dict[int, int] = {}
        for off in TEMPLATES["bg"]:
            for value in data["states"].get(f"bg[{off}]", {}):
                if value != EOS:
                    a, _, b = value.partition("|")
                    ra, rb = vocab["w"].get(a), vocab["w"].get(b)
                    if ra is not None and rb is not None:
                        pairs.setdefault(ra * n_words + rb, len(pairs) + 2)
        keys = np.array(sorted(pairs), dtype=np.int64)
        rows = np.array([pairs[k] for k in keys], dtype=np.int64)
        for off in TEMPLATES["bg"]:
            table = np.zeros((len(pairs) + 2, L))  # row 0: unseen pair, row 1: </s>
            for value, weights in data["states"].get(f"bg[{off}]", {}).items():
                if value == EOS:
                    row = 1
                else:
                    a, _, b = value.partition("|")
                    ra, rb = vocab["w"].get(a), vocab["w"].get(b)
                    if ra is None or rb is None:
                        continue
                    row = pairs[ra * n_words + rb]
                for label, w in weights.items():
                    table[row, labels.index(label)] = w
            tables[("bg", off)] = table
        return cls(labels, trans, vocab, tables, frozenset(data["candidates"]), {}, keys, rows)

    def save(self, path: Path) -> Path:
        """Write the weights as a NumPy ``.npz`` of plain arrays (no pickle), the layout :meth:`load` reads.

        Tables are stored sparse (row, label, weight of each non-zero cell) and
        vocabularies as newline-joined UTF-8: loading is a few array copies,
        where decoding the JSON export took a third of a second per process.
        """
        arrays: dict[str, np.ndarray] = {
            "labels": joined_strings(self.labels), "transitions": self.transitions,
            "candidates": joined_strings(sorted(self.candidates)), "pair_keys": self.pair_keys, "pair_rows": self.pair_rows}
        for base, index in self.vocab.items():
            arrays[f"vocab.{base}"] = joined_strings(sorted(index, key=index.__getitem__))
        for (base, off), table in self.tables.items():
            rows, cols = np.nonzero(table)
            arrays[f"table.{base}.{off}"] = np.array([len(table), table.shape[1]], dtype=np.int64)
            arrays[f"rows.{base}.{off}"] = rows.astype(np.int32)
            arrays[f"cols.{base}.{off}"] = cols.astype(np.int8)
            arrays[f"weights.{base}.{off}"] = table[rows, cols]
        with open(path, "wb") as fh:
            np.savez(fh, **arrays)
        return path

    @classmethod
    def load(cls, path: Path) -> "CrfModel":
        """Read weights written by :meth:`save` (``allow_pickle=False``: plain arrays only)."""
        with np.load(path, allow_pickle=False) as z:
            labels = tuple(split_strings(z["labels"]))
            vocab = {base: {v: i for i, v in enumerate(split_strings(z[f"vocab.{base}"]))}
                     for base in TEMPLATES if f"vocab.{base}" in z.files}
            tables = {}
            for base in sorted(TEMPLATES, key=lambda b: b == "bg"):  # the order from_json builds them in
                for off in TEMPLATES[base]:
                    n_rows, n_labels = (int(v) for v in z[f"table.{base}.{off}"])
                    table = np.zeros((n_rows, n_labels))
                    table[z[f"rows.{base}.{off}"], z[f"cols.{base}.{off}"]] = z[f"weights.{base}.{off}"]
                    tables[(base, off)] = table
            return cls(labels, z["transitions"], vocab, tables, frozenset(split_strings(z["candidates"])), {},
                       z["pair_keys"], z["pair_rows"])

    def __post_init__(self) -> None:
        self._type_vecs: np.ndarray | None = None
        self._type_info = np.zeros((0, 4), dtype=np.int64)

    def _add_types(self, texts: list[str]) -> None:
        """Cache new surface forms: per offset the summed weights of their word-level features
        (``_type_vecs``), their word row (for word pairs), and whether each is a quote mark, a comma
        and a cue candidate (``_type_info``). All new forms of an article are done in one go."""
        k0 = len(self._word_cache) + 2  # rows 0 and 1: <s> and </s>
        while self._type_vecs is None or k0 + len(texts) > self._type_vecs.shape[1]:
            self._grow_types()
        lows = [t.lower() for t in texts]
        ids = np.array([[self.vocab[b].get(v, 0) for b, v in zip(WORD_BASES, word_values(t, lw))]
                        for t, lw in zip(texts, lows)], dtype=np.int64)
        rows = slice(k0, k0 + len(texts))
        vecs = self._type_vecs
        for oi, off in enumerate(WORD_OFFSETS):
            for bi, b in enumerate(WORD_BASES):
                if off in TEMPLATES[b]:
                    vecs[oi, rows] += self.tables[(b, off)][ids[:, bi]]  # type: ignore[index]
        self._type_info[rows, 0] = ids[:, 0]
        self._type_info[rows, 1] = [t[:1] in _QUOTE_MARKS for t in texts]
        self._type_info[rows, 2] = [t == "," for t in texts]
        self._type_info[rows, 3] = [lw in self.candidates for lw in lows]
        for i, t in enumerate(texts):
            self._word_cache[t] = k0 + i

    def _grow_types(self) -> None:
        """Allocate (or double) the per-type caches; rows 0/1 hold the <s>/</s> padding values.

        ``_type_vecs`` is laid out (offset, type, label), so the scores of one
        offset are one contiguous table that :meth:`emissions` indexes by type.
        """
        L = len(self.labels)
        old = self._type_vecs
        size = 4096 if old is None else 2 * old.shape[1]
        vecs = np.zeros((len(WORD_OFFSETS), size, L))
        info = np.zeros((size, 4), dtype=np.int64)
        if old is None:
            for oi, off in enumerate(WORD_OFFSETS):
                for row in (1, 2):  # table rows of <s> and </s>
                    vecs[oi, row - 1] = sum(self.tables[(b, off)][row] for b in WORD_BASES if off in TEMPLATES[b])
            info[1, 0] = 2
            info[0, 0] = 1
        else:
            vecs[:, :old.shape[1]] = old
            info[:old.shape[1]] = self._type_info
        self._type_vecs, self._type_info = vecs, info

    def emissions(self, flat: Flat) -> np.ndarray:
        """(tokens, labels) emission scores of every token.

        Features read at an offset from the token are looked up through a padded
        layout (:func:`padding`): each sentence's tokens sit between three <s>
        and three </s> slots, so the value at offset ``off`` of every token is
        one gather, with no test for the sentence's bounds. The scores are added
        in the same order as the feature templates, so they are the same to the
        last bit whatever the layout.
        """
        n = len(flat.texts)
        L = len(self.labels)
        if n == 0:
            return np.zeros((0, L))
        if len(self._word_cache) > 200_000:  # bound the caches on an endless stream of new word forms
            self._word_cache.clear()
            self._type_vecs = None
        cache = self._word_cache
        new = [t for t in dict.fromkeys(flat.texts) if t not in cache]
        if new:
            self._add_types(new)
        tids = np.fromiter(map(cache.__getitem__, flat.texts), dtype=np.int64, count=n)
        vecs, info = self._type_vecs, self._type_info[tids]
        codes = position_codes(info[:, 1].astype(bool), flat.in_quote, info[:, 2], info[:, 3].astype(bool),
                               flat.sent_start, flat.sent_end)
        pad = padding(flat.sent_start, flat.sent_end)
        em = vecs[WORD_OFFSETS.index(0)][tids]  # type: ignore[index]
        words = pad.values(tids, 0, 1)  # type rows 0 and 1 hold <s> and </s>
        for oi, off in enumerate(WORD_OFFSETS):
            if off:
                em += vecs[oi][words[pad.slots + off]]  # type: ignore[index]
        for base in POSITION_BASES:
            ids = codes[base] + 3
            offsets = TEMPLATES[base]
            padded = pad.values(ids, 1, 2) if any(offsets) else ids  # table rows 1 and 2 hold <s> and </s>
            for off in offsets:
                em += self.tables[(base, off)][padded[pad.slots + off] if off else ids]
        em += self._pair_emissions(info[:, 0], flat)
        return em

    def _pair_emissions(self, word_rows: np.ndarray, flat: Flat) -> np.ndarray:
        """Emission scores of the word-pair features bg[0] (previous, word) and bg[1] (word, next)."""
        n = len(word_rows)
        n_words = len(self.vocab["w"])
        idx = np.arange(n)
        prev = np.where(idx > flat.sent_start, word_rows[np.maximum(idx - 1, 0)], 1)  # row 1 is <s>
        keys = prev * n_words + word_rows
        k = np.searchsorted(self.pair_keys, keys)
        k = np.minimum(k, max(len(self.pair_keys) - 1, 0))
        found = (self.pair_keys[k] == keys) if len(self.pair_keys) else np.zeros(n, dtype=bool)
        pair_row = np.where(found, self.pair_rows[k] if len(self.pair_rows) else 0, 0)
        out = self.tables[("bg", 0)][pair_row]
        nxt = np.where(idx + 1 < flat.sent_end, pair_row[np.minimum(idx + 1, n - 1)], 1)  # row 1 is </s>
        return out + self.tables[("bg", 1)][nxt]

    def decode(self, em: np.ndarray, sent_start: np.ndarray, sent_end: np.ndarray) -> np.ndarray:
        """Best label index of every token: exact Viterbi, run on all sentences at once (padded).

        Sentences are laid out longest first and time-major (step ``t`` of every sentence is one
        contiguous block), so the sentences still running at step ``t`` are a prefix and each step
        is four NumPy calls on views made once per prefix length. The arithmetic is that of a
        plain Viterbi loop, into preallocated arrays (no temporaries).
        """
        n, L = em.shape
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        starts = _distinct(sent_start)
        lens = sent_end[starts] - starts
        S, M = len(starts), int(lens.max())
        order = np.argsort(-lens, kind="stable")
        rank = np.empty(S, dtype=np.int64)
        rank[order] = np.arange(S)
        row = rank[np.searchsorted(starts, sent_start)]
        col = np.arange(n) - sent_start
        E = np.zeros((M, S, L))
        E[col, row] = em
        running = np.searchsorted(-lens[order], -np.arange(M), side="left").tolist()  # sentences with len > t
        T = self.transitions
        back = np.empty((M, S, L), dtype=np.int64)
        back[:] = np.arange(L)  # a finished sentence keeps its label through the padding
        score = E[0].copy()
        cand = np.empty((S, L, L))
        add, best_of = np.add, np.maximum.reduce
        k_views = -1
        for t in range(1, M):
            k = running[t]
            if k != k_views:
                k_views, score_k, score_col, cand_k = k, score[:k], score[:k, :, None], cand[:k]
            add(score_col, T, out=cand_k)
            cand_k.argmax(axis=1, out=back[t, :k])
            best_of(cand_k, axis=1, out=score_k)
            add(score_k, E[t, :k], out=score_k)
        # back-pointers as positions in a step's (sentence, label) block, so one take per step follows them
        row_base = np.arange(S) * L
        back += row_base[:, None]
        flat_back = back.reshape(M, S * L)
        out = np.empty((M, S), dtype=np.int64)
        cur = score.argmax(axis=1) + row_base
        out[M - 1] = cur
        for t in range(M - 1, 0, -1):
            cur = flat_back[t].take(cur)
            out[t - 1] = cur
        out -= row_base
        return out[col, row]

    def _viterbi(self, em: np.ndarray, prev_o: bool, next_o: bool) -> np.ndarray:
        """Exact Viterbi on one stretch; ``prev_o``/``next_o``: a (surely) O token stands before/after it."""
        T = self.transitions
        m, L = em.shape
        score = em[0] + (T[0] if prev_o else 0.0)
        back = np.zeros((m, L), dtype=np.int64)
        for t in range(1, m):
            cand = score[:, None] + T
            back[t] = cand.argmax(axis=0)
            score = cand.max(axis=0) + em[t]
        if next_o:
            score = score + T[:, 0]
        out = np.zeros(m, dtype=np.int64)
        out[-1] = int(score.argmax())
        for t in range(m - 1, 0, -1):
            out[t - 1] = back[t, out[t]]
        return out


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-d integer array: ``np.unique`` without its masked-array
    check, which imports ``numpy.ma`` (~15 ms of a cold ``scorer score FILE``)."""
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def joined_strings(values: Sequence[str]) -> np.ndarray:
    """Strings as one newline-joined UTF-8 byte array (none may hold a newline): how weight files store names."""
    if any("\n" in v for v in values):
        raise ValueError("a weight file's name holds a newline")
    return np.frombuffer("\n".join(values).encode("utf-8"), dtype=np.uint8)


def split_strings(data: np.ndarray) -> list[str]:
    """The strings :func:`_joined` wrote."""
    text = data.tobytes().decode("utf-8")
    return text.split("\n") if text else []


@lru_cache(maxsize=1)
def crf_model() -> CrfModel:
    """The shipped CRF (loaded once)."""
    return CrfModel.load(MODEL_PATH)


def spans_of(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """(kind, first token, last token) of every BIO span; an I- without its B- opens a span too."""
    out: list[tuple[str, int, int]] = []
    cur: list = []
    for i, lab in enumerate(labels):
        kind = lab[2:] if lab != "O" else ""
        if lab.startswith("B-") or (lab.startswith("I-") and (not cur or cur[0] != kind)):
            if cur:
                out.append((cur[0], cur[1], cur[2]))
            cur = [kind, i, i]
        elif lab.startswith("I-"):
            cur[2] = i
        else:
            if cur:
                out.append((cur[0], cur[1], cur[2]))
            cur = []
    if cur:
        out.append((cur[0], cur[1], cur[2]))
    return out


def label_spans(labels: Sequence[str], tags: np.ndarray, starts: np.ndarray) -> list[tuple[str, int, int]]:
    """(kind, first, last) of every BIO span in ``tags`` (indices into ``labels``), none crossing a segment start.

    ``starts`` flags the first token of each segment (a sentence decoded on its
    own). The spans are those :func:`spans_of` finds in each segment, found
    with array operations over all segments at once.
    """
    if len(tags) == 0:
        return []
    kinds = sorted({lab[2:] for lab in labels if lab != "O"})
    kind_of = np.array([kinds.index(lab[2:]) if lab != "O" else -1 for lab in labels])[tags]
    inside = np.array([lab.startswith("I-") for lab in labels])[tags]
    # token i continues the span of token i - 1: an I- of the same kind in the same segment
    cont = np.zeros(len(tags), dtype=bool)
    cont[1:] = inside[1:] & (kind_of[1:] == kind_of[:-1]) & ~starts[1:]
    tagged = kind_of >= 0
    first = np.flatnonzero(tagged & ~cont)
    last = np.flatnonzero(tagged & ~np.append(cont[1:], False))
    return [(kinds[k], int(a), int(b)) for k, a, b in zip(kind_of[first].tolist(), first.tolist(), last.tolist())]


def tag(flat: Flat, model: CrfModel | None = None) -> list[str]:
    """The label of every token of ``flat``."""
    model = model or crf_model()
    em = model.emissions(flat)
    return [model.labels[k] for k in model.decode(em, flat.sent_start, flat.sent_end)]
