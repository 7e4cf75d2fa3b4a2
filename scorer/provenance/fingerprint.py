"""Per-article fingerprints: pure functions of one article, so they run on any partition.

Two levels, both computed from the text alone:

* :func:`sketch` -- small and cheap, for candidate generation over the whole corpus:
  sampled hashes of normalised content-word bigrams (an inverted index finds articles
  that share part of their text, however small that part is) and a MinHash signature
  (datasketch LSH finds near-duplicates however many outlets republished them).
* :func:`detail` -- the sentence-level view used to align one candidate pair:
  per sentence, its normalised content words (synonyms folded, light stemming), its
  raw lower-cased words (for exactness) and which characters are inside direct quotes.

Normalisation folds the surface changes a "spun" rewrite makes (synonyms from
``scorer/data/provenance/synonyms.tsv``, inflections, function words) while keeping
names and numbers, which spinners leave alone.
"""

from __future__ import annotations

import bisect
import re
import zlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np

from scorer.spans import Span

#: Word tokens: letters/digits, keeping inner apostrophes, periods ("U.S") and hyphens.
_TOKEN = re.compile(r"[^\W_]+(?:[.'’\-][^\W_]+)*")
#: Fraction of content bigrams kept as index keys (hash mod SAMPLE == 0); 1/3 keeps
#: about 6 keys per 100 words, enough to find a single copied paragraph (:data:`WINNOW`
#: adds about 3 more, spread evenly so that short passages are covered too).
SAMPLE = 3
#: Winnowing window (Schleimer, Wilkerson and Aiken 2003): the smallest bigram hash of every
#: run of this many consecutive bigrams is an index key too, so any passage of this many + 1
#: content words shared word for word gives both articles a common key, where the 1-in-3
#: sample alone leaves two copied sentences (about 20 bigrams) with anywhere from 2 to 12.
WINNOW = 8
#: Fewest content words a sentence needs to be evidence at all (shorter ones are noise) ...
MIN_WORDS = 4
#: ... and how many of them must not be numbers ("Posted 7:37 July 16, 2018" is no evidence).
MIN_ALPHA = 3
#: MinHash signature length for the near-duplicate channel.
NUM_PERM = 64
_RNG = np.random.RandomState(1)
#: Multiply-shift hashing (Dietzfelbinger et al.): h(x) = ((a*x + b) mod 2^64) >> 32 with random
#: odd 64-bit a, a universal family on 32-bit keys; one (a, b) per MinHash permutation.
_PERM_A = (_RNG.randint(0, 1 << 62, size=NUM_PERM, dtype=np.int64).astype(np.uint64) << np.uint64(1)) | np.uint64(1)
_PERM_B = _RNG.randint(0, 1 << 62, size=NUM_PERM, dtype=np.int64).astype(np.uint64)


def _data_lines(name: str) -> list[str]:
    text = resources.files("scorer.data.provenance").joinpath(name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words left out of comparisons (data file ``stopwords.txt``)."""
    return frozenset(w.strip().lower() for w in _data_lines("stopwords.txt"))


@lru_cache(maxsize=1)
def attribution_words() -> frozenset[str]:
    """Normalised words of attribution boilerplate around a quote ("said", "told reporters", titles)."""
    return frozenset(normalise_word(w.strip()) for w in _data_lines("attribution_words.txt"))


@lru_cache(maxsize=1)
def boilerplate_cues() -> tuple[str, ...]:
    """Phrases marking a sentence as page furniture or publisher boilerplate (``boilerplate.txt``)."""
    return tuple(w.strip().lower() for w in _data_lines("boilerplate.txt"))


@lru_cache(maxsize=1)
def _boilerplate_index() -> dict[str, tuple[str, ...]]:
    """Cues keyed by their first word, so a sentence is only searched for cues whose first word it has."""
    index: dict[str, list[str]] = {}
    for cue in boilerplate_cues():
        words = re.findall(r"[a-z0-9]+", cue)
        if words:
            index.setdefault(words[0], []).append(cue)
    return {k: tuple(v) for k, v in index.items()}


#: Photo captions in wire style: "Trump, left, and Putin ... in Helsinki, Finland, Monday, July 16, 2018."
_CAPTION = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,? (?:jan|feb|march|april|may|june|july|aug|sept?|"
                      r"oct|nov|dec)[a-z]*\.? \d{1,2}, \d{4}|, (?:left|right|center|centre|second (?:left|right)),")


def is_boilerplate(sentence: str) -> bool:
    """True for web-interface and publisher boilerplate sentences, and wire-style photo captions.

    Neither is the article's reporting, so neither ever counts as reuse: two articles
    illustrated with the same agency photo share its caption without copying each other.
    """
    low = sentence.lower().replace("’", "'")
    if _CAPTION.search(low):
        return True
    index = _boilerplate_index()
    for word in set(re.findall(r"[a-z0-9]+", low)):
        cues = index.get(word)
        if cues and any(cue in low for cue in cues):
            return True
    return False


@lru_cache(maxsize=1)
def synonym_table() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """Single-word and multi-word synonym maps to each group's canonical form."""
    single: dict[str, str] = {}
    multi: dict[tuple[str, ...], str] = {}
    for line in _data_lines("synonyms.tsv"):
        words = [w.strip().lower() for w in re.split(r"[\t,]", line) if w.strip()]
        if not words:
            continue
        canon = words[0]
        for w in words:
            parts = tuple(w.split())
            if len(parts) > 1:
                multi.setdefault(parts, canon)
            else:
                single.setdefault(w, canon)
    return single, multi


@lru_cache(maxsize=200_000)
def normalise_word(word: str) -> str:
    """Lower-case, drop possessive 's, fold synonyms, then strip common inflections."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace(".", "").replace("'", "") if not w.isdigit() else w
    single, _ = synonym_table()
    if w in single:
        return single[w]
    stem = _stem(w)
    return single.get(stem, stem)


def _stem(w: str) -> str:
    """A deliberately light suffix stripper: enough to match "drones"/"drone", "attacked"/"attack"."""
    if len(w) <= 4 or w.isdigit():
        return w
    for suffix, keep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: len(w) - len(suffix)] + keep
            if suffix in ("es",) and not base.endswith(("s", "x", "z", "ch", "sh")):
                base = w[:-1]
            if suffix == "s" and w.endswith("ss"):
                return w
            return base
    return w


@dataclass
class Sentence:
    """One sentence of an article as the aligner sees it.

    ``content_set`` and ``linkable`` are computed at once (every sentence is looked up by
    them); the other word sets only when the aligner first asks, for the few sentences
    that share words with the other article of a pair.
    """

    span: Span
    #: Normalised content words with flags: inside a direct quote; capitalised mid-sentence (a name).
    content: list[tuple[str, bool, bool]]
    #: Lower-cased raw words (function words kept), for telling verbatim from rewritten.
    words: list[str]
    #: Characters of this sentence outside direct quotes.
    free_chars: int
    #: Distinct normalised content words.
    content_set: frozenset[str] = field(init=False)
    #: Enough content to be evidence (see :func:`scorer.provenance.align.linkable`).
    linkable: bool = field(init=False)

    def __post_init__(self) -> None:
        self.content_set = frozenset(w for w, _, _ in self.content)
        self.linkable = (len(self.content_set) >= MIN_WORDS
                         and sum(1 for w in self.content_set if not w.isdigit()) >= MIN_ALPHA)

    @cached_property
    def free_set(self) -> frozenset[str]:
        """Content words that occur at least once outside quotes."""
        return frozenset(w for w, quoted, _ in self.content if not quoted)

    @cached_property
    def plain_set(self) -> frozenset[str]:
        """Free words that are not names nor attribution words: what is left once a quote's
        "said Chris Butler, who ..." boilerplate is set aside."""
        attribution = attribution_words()
        return frozenset(w for w, quoted, cap in self.content if not quoted and not cap and w not in attribution)

    @cached_property
    def lower_set(self) -> frozenset[str]:
        """Content words not capitalised mid-sentence (names alone never link two sentences)."""
        return frozenset(w for w, _, cap in self.content if not cap)

    @cached_property
    def has_quote(self) -> bool:
        """True when part of the sentence is a direct quote."""
        return any(quoted for _, quoted, _ in self.content)


@dataclass
class Detail:
    """The sentence-level fingerprint of one article."""

    id: str
    length: int
    sentences: list[Sentence]
    quotes: list[Span]
    free_chars: int = field(default=0)


@dataclass
class Sketch:
    """The corpus-level fingerprint of one article: index keys and a MinHash signature."""

    id: str
    keys: np.ndarray  # uint32, sorted, unique
    minhash: np.ndarray  # uint64, NUM_PERM values
    n_bigrams: int


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for every word of ``text``."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=1)
def _multi_starts() -> frozenset[str]:
    """First words of the multi-word synonym entries (so most positions skip the phrase lookup)."""
    return frozenset(k[0] for k in synonym_table()[1])


#: raw word -> (lower-cased key, normalised content word or "" for a function word); bounded below.
_WORD_CACHE: dict[str, tuple[str, str]] = {}


def _word_info(word: str) -> tuple[str, str]:
    """Lower-cased key of a raw word and its normalised content form ("" for function words)."""
    info = _WORD_CACHE.get(word)
    if info is None:
        stops = stopwords()
        low = word.lower().replace("’", "'").replace(".", "")
        norm = "" if low in stops else normalise_word(word)
        info = (low, "" if norm in stops else norm)
        if len(_WORD_CACHE) > 500_000:
            _WORD_CACHE.clear()
        _WORD_CACHE[word] = info
    return info


def content_positions(words: list[str], infos: list[tuple[str, str]] | None = None) -> list[tuple[str, int]]:
    """(normalised content word, index of its first source word) for a word sequence.

    Multi-word synonyms ("united states", "shot down") are folded to one word. ``infos``,
    when the caller has them, are the words' :func:`_word_info` (saves looking them up twice).
    """
    _, multi = synonym_table()
    starts = _multi_starts()
    if infos is None:
        infos = [_word_info(w) for w in words]
    out: list[tuple[str, int]] = []
    i, n_words = 0, len(infos)
    while i < n_words:
        low, norm = infos[i]
        if low in starts:
            hit = None
            for n in (3, 2):
                if i + n <= n_words:
                    key = tuple(x[0] for x in infos[i:i + n])
                    if key in multi:
                        hit = (multi[key], n)
                        break
            if hit is not None:
                out.append((hit[0], i))
                i += hit[1]
                continue
        if norm:
            out.append((norm, i))
        i += 1
    return out


def content_words(words: list[str]) -> list[str]:
    """Normalised content words of a word sequence, with multi-word synonyms folded."""
    return [w for w, _ in content_positions(words)]


def _hash(s: str) -> int:
    return zlib.crc32(s.encode("utf-8"))


def sketch(article_id: str, text: str) -> Sketch:
    """Index keys and MinHash of one article (pure: same text, same sketch, on any worker).

    Words are normalised as in :func:`detail` (multi-word synonyms aside: a sketch only
    has to bring candidates together, the alignment decides). The keys are the sampled
    bigram hashes (:data:`SAMPLE`) and the winnowed ones (:data:`WINNOW`).
    """
    cache = _WORD_CACHE
    content = [n for n in ((cache.get(w) or _word_info(w))[1] for w in _TOKEN.findall(text)) if n]
    seq = np.fromiter((zlib.crc32(f"{a} {b}".encode()) for a, b in zip(content, content[1:])), dtype=np.uint64,
                      count=max(0, len(content) - 1))
    if not len(seq):
        seq = np.array(sorted({_hash(w) for w in content} or {0}), dtype=np.uint64)
    hv = np.unique(seq)
    keys = np.union1d(hv[hv % SAMPLE == 0], _winnowed(seq, WINNOW)).astype(np.uint32)
    with np.errstate(over="ignore"):
        perm = (hv[:, None] * _PERM_A[None, :] + _PERM_B[None, :]) >> np.uint64(32)
    minhash = perm.min(axis=0)
    return Sketch(article_id, keys, minhash, len(hv))


def _winnowed(seq: np.ndarray, window: int) -> np.ndarray:
    """The smallest hash of every ``window`` consecutive ones, in text order (winnowing)."""
    if len(seq) <= window:
        return seq[[int(seq.argmin())]]
    return np.unique(np.lib.stride_tricks.sliding_window_view(seq, window).min(axis=1))


#: The signature line of an embedded post: "— Donald J. Trump (@realDonaldTrump) July 15, 2018".
_EMBED_SIGNATURE = re.compile(r"[—–-]\s?[^\n()]{1,80}\(@\w{1,30}\)\s{0,3}[A-Z][a-z]{2,9}\.? \d{1,2}, \d{4}")


def embedded_posts(text: str) -> list[Span]:
    """Embedded social-media posts (the post's paragraph and its signature line).

    An embedded tweet is a quotation of its author: two articles embedding the same
    post share it the way they share a quote, so it is masked like one.
    """
    out = []
    for m in _EMBED_SIGNATURE.finditer(text):
        para_start = text.rfind("\n\n", 0, m.start())
        start = text.rfind("\n\n", 0, para_start) if para_start > 0 and m.start() - para_start < 4 else para_start
        out.append(Span(max(0, start), m.end()))
    return out


def detail(article_id: str, text: str, sentences: list[Span], quotes: list[Span]) -> Detail:
    """Sentence-level fingerprint of one article, given its sentence and direct-quote spans.

    Embedded social-media posts are treated as quotes too. The text is tokenised once;
    each sentence takes its slice of the tokens by binary search.
    """
    quotes = merge_spans(list(quotes) + embedded_posts(text))
    cache = _WORD_CACHE
    words_all, starts, ends = [], [], []
    for m in _TOKEN.finditer(text):
        words_all.append(m.group())
        starts.append(m.start())
        ends.append(m.end())
    infos_all = [cache.get(w) or _word_info(w) for w in words_all]
    out: list[Sentence] = []
    total_free = 0
    for sent in sentences:
        lo = bisect.bisect_left(starts, sent.start)
        hi = max(lo, bisect.bisect_right(ends, sent.end))
        if hi > lo and is_boilerplate(sent.of(text)):
            hi = lo  # furniture: kept in place (offsets stay valid) but gives no evidence
        words, infos = words_all[lo:hi], infos_all[lo:hi]
        if quotes:
            content = [(c, _in_quotes(starts[lo + k], ends[lo + k], quotes), k > 0 and words[k][:1].isupper())
                       for c, k in content_positions(words, infos)]
            quoted_chars = sum(max(0, min(sent.end, q.end) - max(sent.start, q.start)) for q in quotes
                               if q.start < sent.end and sent.start < q.end)
        else:
            content = [(c, False, k > 0 and words[k][:1].isupper()) for c, k in content_positions(words, infos)]
            quoted_chars = 0
        free = max(0, sent.length - quoted_chars)
        total_free += free
        out.append(Sentence(sent, content, [info[0] for info in infos], free))
    return Detail(article_id, len(text), out, quotes, total_free)


def _in_quotes(start: int, end: int, quotes: list[Span]) -> bool:
    """True when the token [start, end) lies inside one of the (sorted, non-nested) quote spans."""
    k = bisect.bisect_right(quotes, (start, 1 << 62)) - 1
    return k >= 0 and quotes[k].start <= start and end <= quotes[k].end


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sorted union of possibly overlapping or nested spans."""
    out: list[Span] = []
    for sp in sorted(spans):
        if out and sp.start <= out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, sp.end))
        else:
            out.append(Span(sp.start, sp.end))
    return out
