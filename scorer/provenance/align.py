"""Align two articles sentence by sentence and say what kind of reuse links them.

``align(a, b)`` is a pure function of two :class:`~scorer.provenance.fingerprint.Detail`
objects (so it runs on any worker). It links sentences whose normalised content
words overlap strongly, keeps the best order-preserving chain of links (a rewrite
keeps the order of its source even when it swaps every other word) plus any
verbatim sentences outside that chain (a copy with its sentences reordered), and
then classifies the pair:

* ``verbatim`` -- nearly all linked text is word-for-word and covers most of both articles;
* ``partial`` -- word-for-word passages that cover only part of one article;
* ``paraphrase`` -- an ordered run of rewritten sentences (synonym spinning, deletions,
  insertions, merged sentences);
* ``shared_quotes_only`` -- what the two share lies inside direct quotation marks
  (two reports quoting the same official) or is too little to be copying.

Words inside direct quotes never count as evidence of copying: a link whose shared
words are quoted in either article is a quote link.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from scorer.provenance.fingerprint import MIN_ALPHA, Detail, Sentence
from scorer.spans import Span

#: Dice overlap of content words for two sentences to be linked.
LINK_SIM = 0.5
#: Overlap relative to the shorter sentence for a merged/split sentence to be linked.
LINK_CONTAINMENT = 0.8
#: Share of raw word trigrams two sentences must share to count as word-for-word.
EXACT_TRIGRAMS = 0.7
#: Share of the linked text that must be word-for-word for verbatim/partial (else paraphrase).
EXACT_SHARE = 0.8
#: Consecutive word-for-word sentences that count as a copied passage, quotes included.
RUN_LENGTH = 2
#: Fewest free (unquoted) sentence links that make a pair reuse.
MIN_LINKS = 2
#: A paraphrase needs this many ordered, unquoted links at least this similar ...
MIN_PARAPHRASE_LINKS = 3
PARAPHRASE_SIM = 0.6
#: ... covering this share of the shorter article's sentences.
PARAPHRASE_DENSITY = 0.15
#: An embedded passage (a few wire sentences inside a local story): a run of at least
#: :data:`EMBEDDED_RUN` links adjacent in both articles (at most :data:`PASSAGE_GAP` unlinked
#: sentences between two, as a copier drops a short sentence), each word for word or keeping
#: at least :data:`PASSAGE_ORDER` of the word order, with at least one unquoted link this
#: similar and :data:`EMBEDDED_WORDS` content words in its unquoted links, is reuse however
#: long the articles around it are; quotes inside the run are part of the copied passage.
EMBEDDED_RUN = 2
EMBEDDED_SIM = 0.7
EMBEDDED_WORDS = 10
PASSAGE_GAP = 1
#: Most sentences of any length between two links of one block (see :func:`_gap`).
GAP_SPAN = 2
#: Share of the shorter sentence's consecutive content-word pairs the other must keep for a
#: link to belong to a passage: a light edit (words dropped, clauses swapped around a comma)
#: keeps most of them, two reporters telling the same fact in their own words rarely do.
PASSAGE_ORDER = 0.5
#: Fewest content words (in the shorter sentence) of a sentence beside a passage link that
#: joins the passage on the weaker test of :func:`_neighbour_link`.
NEIGHBOUR_WORDS = 3
#: Fewest words a trimmed copy cuts off for the rest to count as left word for word (:func:`_word_for_word`).
MIN_TRIM = 3
#: Shares that make word-for-word reuse "verbatim" rather than "partial".
VERBATIM_MIN_SHARE = 0.5
VERBATIM_MAX_SHARE = 0.7
#: Fewest quoted words two sentences must share for a shared-quote link.
MIN_QUOTE_WORDS = 4


@dataclass(frozen=True)
class Link:
    """Two linked sentences: indices into each article's sentences and how they match."""

    i: int
    j: int
    sim: float
    exact: bool
    quoted: bool


@dataclass
class Passage:
    """Evidence: a reused passage, with offsets into each article's text."""

    a: Span
    b: Span
    similarity: float
    exact: bool
    quoted: bool


@dataclass
class Alignment:
    """The outcome of aligning one pair."""

    a: str
    b: str
    kind: str | None  # None: no reuse at all
    a_share: float
    b_share: float
    passages: list[Passage] = field(default_factory=list)
    score: float = 0.0


def _trigrams(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return set(zip(words, words[1:], words[2:]))


def _is_exact(x: Sentence, y: Sentence) -> bool:
    """Word-for-word: most raw word trigrams shared (allowing a trimmed or extended sentence)."""
    tx, ty = _trigrams(x.words), _trigrams(y.words)
    if not tx or not ty:
        return False
    inter = len(tx & ty)
    jacc = inter / len(tx | ty)
    small = min(len(tx), len(ty))
    return jacc >= EXACT_TRIGRAMS or (small >= 6 and inter / small >= 0.9)


def _word_for_word(x: Sentence, y: Sentence) -> bool:
    """True when one sentence's words are the other's, or a contiguous part of them missing at
    least :data:`MIN_TRIM` words (a trimmed copy: a clause cut off).

    Stricter than :func:`_is_exact`, which forgives a dropped word or a changed number: a
    passage none of whose sentences is left word for word was edited, so it is a paraphrase.
    A sentence that lost only its first or last word or two ("... glucose drinkers." ->
    "... glucose.") was edited like one that lost a word inside.
    """
    short, long_ = sorted((x.words, y.words), key=len)
    if not short or 0 < len(long_) - len(short) < MIN_TRIM:
        return short == long_
    return f" {' '.join(short)} " in f" {' '.join(long_)} "


def _candidate_links(a: Detail, b: Detail) -> list[Link]:
    """Every sentence pair similar enough to be linked (an inverted index avoids all-pairs work)."""
    index: dict[str, list[int]] = {}
    sets_b = [s.content_set for s in b.sentences]
    for j, words in enumerate(sets_b):
        if b.sentences[j].linkable:
            for w in words:
                index.setdefault(w, []).append(j)
    links: list[Link] = []
    for i, sa in enumerate(a.sentences):
        wa = sa.content_set
        if not sa.linkable:
            continue
        counts: dict[int, int] = {}
        for w in wa:
            for j in index.get(w, ()):
                counts[j] = counts.get(j, 0) + 1
        for j, ov in counts.items():
            wb = sets_b[j]
            if len(sa.lower_set & b.sentences[j].lower_set) < MIN_ALPHA:
                continue  # only names and numbers in common: same topic, not the same sentence
            dice = 2 * ov / (len(wa) + len(wb))
            small = min(len(wa), len(wb))
            contained = small >= 6 and ov / small >= LINK_CONTAINMENT and dice >= 0.35
            if dice < LINK_SIM and not contained:
                continue
            sb = b.sentences[j]
            shared = wa & wb
            free = sa.free_set & sb.free_set
            quoted_shared = len(shared) - len(free)
            if sa.has_quote or sb.has_quote:  # set the quote's attribution boilerplate aside too
                free = free & sa.plain_set & sb.plain_set
            quoted = len(free) < max(3, 0.5 * len(shared))
            if quoted and quoted_shared < MIN_QUOTE_WORDS and len(free) < 3:
                continue  # neither free text nor a real shared quote: chance overlap of short sentences
            links.append(Link(i, j, max(dice, ov / small if contained else 0.0), _is_exact(sa, sb), quoted))
    return links


def _best_chain(links: list[Link]) -> list[Link]:
    """The heaviest chain of links increasing in both articles (order-preserving reuse)."""
    if not links:
        return []
    links = sorted(links, key=lambda l: (l.i, l.j))
    if len(links) > 3000:  # keep the strongest links only: bounded cost on hostile input
        links = sorted(sorted(links, key=lambda l: -l.sim)[:3000], key=lambda l: (l.i, l.j))
    best = [l.sim for l in links]
    prev = [-1] * len(links)
    for k, lk in enumerate(links):
        for m in range(k):
            lm = links[m]
            if lm.i < lk.i and lm.j < lk.j and best[m] + lk.sim > best[k]:
                best[k] = best[m] + lk.sim
                prev[k] = m
    k = max(range(len(links)), key=best.__getitem__)
    chain = []
    while k >= 0:
        chain.append(links[k])
        k = prev[k]
    return chain[::-1]


def _one_to_one(links: list[Link]) -> list[Link]:
    """Greedy one-to-one matching by similarity (each sentence used at most once)."""
    used_i: set[int] = set()
    used_j: set[int] = set()
    out = []
    for l in sorted(links, key=lambda l: -l.sim):
        if l.i not in used_i and l.j not in used_j:
            out.append(l)
            used_i.add(l.i)
            used_j.add(l.j)
    return out


def evidence_chars(detail: Detail) -> int:
    """Unquoted characters in sentences that can be evidence (the denominator of reuse shares).

    Datelines, headings and other fragments too short to be linked count neither as
    reused nor as original text.
    """
    return sum(s.free_chars for s in detail.sentences if s.linkable)


def _copied_runs(links: list[Link], a: Detail, b: Detail) -> list[Link]:
    """Word-for-word runs are copying even where they quote someone.

    Two reports quoting the same person share the quote, not the sentences around it
    word for word. A run of at least :data:`RUN_LENGTH` consecutive word-for-word
    links with at least one unquoted sentence in it (a copied passage, quotes and
    framing alike) counts as copying evidence; a run of quoted sentences alone is one
    long shared quote.
    """
    out = list(links)
    run: list[int] = []
    for k, l in enumerate(out + [None]):
        if l is not None and l.exact and run and _adjacent(out[run[-1]], l, a, b):
            run.append(k)
            continue
        if len(run) >= RUN_LENGTH and any(not out[m].quoted for m in run):
            for m in run:
                if out[m].quoted:
                    out[m] = Link(out[m].i, out[m].j, out[m].sim, True, False)
        run = [k] if l is not None and l.exact else []
    return out


def _gap(detail: Detail, lo: int, hi: int) -> int:
    """Sentences between positions ``lo`` and ``hi`` that count as a gap in a block: those that
    could be evidence (short ones, "She was 54.", are dropped or added by copiers freely); a
    large gap when ``hi`` does not follow ``lo`` or when more than :data:`GAP_SPAN` sentences lie between."""
    if hi <= lo or hi - lo - 1 > GAP_SPAN:
        return GAP_SPAN + 1
    return sum(1 for k in range(lo + 1, hi) if detail.sentences[k].linkable)


def _adjacent(prev: Link, nxt: Link, a: Detail, b: Detail) -> bool:
    """True when ``nxt`` follows ``prev`` in both articles with at most :data:`PASSAGE_GAP` evidence
    sentences between (see :func:`_gap`)."""
    return _gap(a, prev.i, nxt.i) <= PASSAGE_GAP and _gap(b, prev.j, nxt.j) <= PASSAGE_GAP


def _bigrams(x: Sentence) -> set[tuple[str, str]]:
    """Consecutive content-word pairs of a sentence, numbers folded to one word: its word order.

    A figure changed by the copier ("37%" -> "44%") keeps its place in the sentence, so the
    pairs around it still count as kept order.
    """
    words = [_NUMBER if w.isdigit() else w for w, _, _ in x.content]
    return set(zip(words, words[1:]))


#: What every number stands for when numbers are folded (not a word: content words are alphanumeric).
_NUMBER = "#"


def _passage_sim(x: Sentence, y: Sentence) -> float:
    """Dice overlap of content words with changed numbers forgiven: a number of one sentence
    missing from the other pairs with one of the other's missing numbers.

    Only used inside a block of adjacent links (a copier updating figures), never to link two
    sentences on their own: two independent reports of one event can differ only in figures.
    """
    wx, wy = x.content_set, y.content_set
    if not wx or not wy:
        return 0.0
    shared = len(wx & wy)
    changed = min(sum(1 for w in wx - wy if w.isdigit()), sum(1 for w in wy - wx if w.isdigit()))
    return 2 * (shared + changed) / (len(wx) + len(wy))


def _order_share(x: Sentence, y: Sentence) -> float:
    """Share of the shorter sentence's content-word pairs found in the other: 1 when the order is kept."""
    bx, by = _bigrams(x), _bigrams(y)
    small = min(len(bx), len(by))
    return len(bx & by) / small if small else 0.0


def _neighbour_link(a: Detail, b: Detail, i: int, j: int) -> Link | None:
    """A link between two sentences beside a passage link, on a weaker test than :func:`_candidate_links`.

    Next to a sentence copied from the other article, a sentence left word for word, or
    sharing most content words, belongs to the same copied block even when it is too short,
    or too full of names, to be linked on its own ("The study is published in Annals of
    Internal Medicine."). Boilerplate has no content words, so it never joins.
    """
    sa, sb = a.sentences[i], b.sentences[j]
    wa, wb = sa.content_set, sb.content_set
    if min(len(wa), len(wb)) < NEIGHBOUR_WORDS:
        return None
    shared = wa & wb
    dice = _passage_sim(sa, sb)
    if dice < LINK_SIM and not _word_for_word(sa, sb):
        return None
    free = sa.free_set & sb.free_set
    if sa.has_quote or sb.has_quote:  # as in _candidate_links: the quote's attribution words set aside
        free = free & sa.plain_set & sb.plain_set
    return Link(i, j, dice, _is_exact(sa, sb), len(free) < 0.5 * len(shared))


def _beside(detail: Detail, k: int, step: int) -> list[int]:
    """The sentence just before (``step`` -1) or after (+1) sentence ``k``, and the nearest one that
    could be evidence when that one could not (a short sentence dropped by the copier, see :func:`_gap`)."""
    out = []
    m = k + step
    while 0 <= m < len(detail.sentences) and abs(m - k) <= GAP_SPAN:
        out.append(m)
        if detail.sentences[m].linkable:
            break
        m += step
    return out[:1] + out[-1:] if len(out) > 1 else out


def _with_neighbours(chain: list[Link], a: Detail, b: Detail) -> list[Link]:
    """The chain plus :func:`_neighbour_link` links just before and after its strong unquoted links.

    Only sentences the chain does not use are tried, and the result keeps the order of
    both articles (else the chain is returned as it was).
    """
    used_i = {l.i for l in chain}
    used_j = {l.j for l in chain}
    added: list[Link] = []
    for l in chain:
        if l.quoted or (not l.exact and max(l.sim, _passage_sim(a.sentences[l.i], b.sentences[l.j])) < EMBEDDED_SIM):
            continue
        for step in (-1, 1):
            for i in _beside(a, l.i, step):
                if i in used_i:
                    continue
                nl = next((x for j in _beside(b, l.j, step) if j not in used_j
                           for x in [_neighbour_link(a, b, i, j)] if x is not None), None)
                if nl is not None:
                    added.append(nl)
                    used_i.add(nl.i)
                    used_j.add(nl.j)
                    break
    if not added:
        return chain
    merged = sorted(chain + added, key=lambda l: (l.i, l.j))
    return merged if all(x.j < y.j for x, y in zip(merged, merged[1:])) else chain


def _in_passage(l: Link, a: Detail, b: Detail) -> bool:
    """True when a link can be part of a moved block: word for word, or keeping the word order."""
    return l.exact or _order_share(a.sentences[l.i], b.sentences[l.j]) >= PASSAGE_ORDER


def _is_passage(run: list[Link], a: Detail, b: Detail) -> bool:
    """True when a run of adjacent links is long enough and carries enough unquoted, similar text.

    Two reports quoting the same person share the quote, not the framing sentences around
    it: a run needs its own unquoted evidence, the quotes only ride along.
    """
    free = [l for l in run if not l.quoted]
    framed = [l for l in run if l.quoted and a.sentences[l.i].free_set == b.sentences[l.j].free_set]
    words = sum(min(len(a.sentences[l.i].content_set), len(b.sentences[l.j].content_set)) for l in free + framed)
    similar = any(max(l.sim, _passage_sim(a.sentences[l.i], b.sentences[l.j])) >= EMBEDDED_SIM for l in free)
    # one sentence repeated (a photo caption under two photos) is not a block of several
    distinct = len({a.sentences[l.i].content_set for l in run}) == len(run) == len({b.sentences[l.j].content_set for l in run})
    return len(run) >= EMBEDDED_RUN and words >= EMBEDDED_WORDS and similar and distinct


def _passage_runs(chain: list[Link], a: Detail, b: Detail) -> list[list[Link]]:
    """Runs of the chain that are a moved block of text, an embedded passage rewritten or not (see
    :data:`EMBEDDED_RUN`)."""
    runs: list[list[Link]] = []
    cur: list[Link] = []
    for l in chain + [None]:
        if l is not None and not _in_passage(l, a, b):
            continue  # too loose to belong to a block: counts as an unlinked sentence between two links
        if l is not None and cur and _adjacent(cur[-1], l, a, b):
            cur.append(l)
            continue
        if _is_passage(cur, a, b):
            runs.append(cur)
        cur = [l] if l is not None else []
    return runs


def _share(detail: Detail, idx: set[int], total: int) -> float:
    """Fraction of the article's evidence characters inside the given sentences."""
    if total <= 0:
        return 0.0
    return min(1.0, sum(detail.sentences[k].free_chars for k in idx) / total)


def _content_sentences(detail: Detail) -> int:
    return sum(1 for s in detail.sentences if s.linkable)


def align(a: Detail, b: Detail) -> Alignment:
    """Align two articles and classify their reuse (``kind`` None when there is none)."""
    links = _candidate_links(a, b)
    best = _best_chain(links)
    runs = _passage_runs(_with_neighbours(best, a, b), a, b)
    # the links of a passage are evidence, quotes included; neighbour links count only there
    merged = {(l.i, l.j): l for l in best}
    merged.update(((l.i, l.j), replace(l, quoted=False)) for run in runs for l in run)
    chain = sorted(merged.values(), key=lambda l: (l.i, l.j))
    in_chain = {(l.i, l.j) for l in chain}
    used_i = {l.i for l in chain}
    used_j = {l.j for l in chain}
    extra = [l for l in _one_to_one([l for l in links if l.exact and (l.i, l.j) not in in_chain])
             if l.i not in used_i and l.j not in used_j]
    kept = _copied_runs(sorted(chain + extra, key=lambda l: (l.i, l.j)), a, b)
    free = [l for l in kept if not l.quoted]
    quoted = [l for l in kept if l.quoted]
    a_idx = {l.i for l in free}
    b_idx = {l.j for l in free}
    a_share, b_share = _share(a, a_idx, evidence_chars(a)), _share(b, b_idx, evidence_chars(b))
    exact_chars = sum(a.sentences[l.i].free_chars for l in free if l.exact)
    free_chars = sum(a.sentences[l.i].free_chars for l in free) or 1
    exact_ratio = exact_chars / free_chars
    n_exact = sum(1 for l in free if l.exact)
    same = any(l.exact and _word_for_word(a.sentences[l.i], b.sentences[l.j]) for l in free)
    strong = [l for l in chain if not l.quoted and l.sim >= PARAPHRASE_SIM]
    density = len(strong) / max(1, min(_content_sentences(a), _content_sentences(b)))

    kind: str | None = None
    exact_ok = len(free) >= MIN_LINKS and n_exact >= MIN_LINKS
    rewritten_run = any(not l.exact for run in runs for l in run)  # a run all word for word is a partial copy
    para_ok = (len(strong) >= MIN_PARAPHRASE_LINKS and density >= PARAPHRASE_DENSITY) or rewritten_run
    if exact_ok and same and (exact_ratio >= EXACT_SHARE or not para_ok):
        verbatim = min(a_share, b_share) >= VERBATIM_MIN_SHARE and max(a_share, b_share) >= VERBATIM_MAX_SHARE
        kind = "verbatim" if verbatim else "partial"
    elif para_ok or exact_ok:  # exact_ok without one sentence left word for word: an edited copy
        kind = "paraphrase"
    elif quoted or free:
        kind = "shared_quotes_only" if quoted else None
    if kind in (None, "shared_quotes_only"):
        a_share = b_share = 0.0
    passages = [Passage(a.sentences[l.i].span, b.sentences[l.j].span, round(l.sim, 3), l.exact, l.quoted)
                for l in kept]
    score = sum(l.sim for l in free)
    return Alignment(a.id, b.id, kind, round(a_share, 4), round(b_share, 4), passages, round(score, 3))
