"""Source typing, pronoun and description resolution, and anonymity reasons.

Each attribution's source phrase gets one of the types in
:data:`scorer.analysis.SOURCE_TYPES`:

* ``named_person``: a personal name ("John Kirby", later "Kirby", "Mr. Kirby"),
  a pronoun that resolves to one, or a description ("a senior U.S. official")
  that the next sentence resolves to a named person;
* ``named_organization``: an organisation or government speaking ("Ukraine's
  defense ministry", "the White House", "Tehran", "the campaign");
* ``document_or_outlet``: a document or news outlet ("a statement", "The
  Washington Post", "the poll");
* ``unnamed_group``: a group nobody is named in ("analysts", "U.S. and allied
  officials", "Western governments");
* ``anonymous_person``: one or a counted few unnamed people ("a senior military
  official", "two diplomatic sources", "a person familiar with the matter");
* ``none``: no source stated.

The type is decided on the phrase's head: the words up to the first
preposition or participle ("One senior military official | briefed on ..."),
whose last capitalised run, last noun and determiner are looked up in the word
lists under ``scorer/data/lexicons/``. Anonymity reasons are the sentences
matching ``anonymity_reasons.txt`` ("on the condition that his identity ...
not be revealed, citing the sensitive nature ..."), linked to the anonymous
source they explain.
"""

from __future__ import annotations

import re
from functools import lru_cache

from scorer.analysis import Analysis
from scorer.signals.attribution import Attribution, raw_attributions
from scorer.segment import load_lexicon
from scorer.spans import Span

_WORD = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[’'.\-]\w+)*|[^\w\s]")
_DETERMINERS = frozenset({"the", "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight",
                          "nine", "ten", "another", "both", "several", "some", "many", "most", "few", "other",
                          "his", "her", "their", "its", "this", "that", "these", "those", "each", "every",
                          "second", "third", "first", "former", "top", "senior", "u.s", "u.s."})
_COUNTED = frozenset({"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                      "another", "both", "second", "third", "a second", "the", "this", "that", "these",
                      "those", "each"})
_QUANTIFIERS = frozenset({"a", "an", "one", "two", "three", "four", "five", "number", "group", "some", "many",
                          "most", "majority", "handful", "couple", "dozens", "hundreds", "thousands", "millions",
                          "all", "none", "both", "each", "several", "few", "or", "more", "any", "of", "the",
                          "half", "third", "quarter", "lot", "lots", "bunch", "series", "pair", "trio",
                          "six", "seven", "eight", "nine", "ten", "nearly", "almost", "about", "roughly", "only",
                          "just", "over", "under", "than", "fewer", "less"})
_LEADING_CONNECTIVES = frozenset({"but", "and", "so", "yet", "even", "still", "now", "then", "also", "or", "while"})
_AFFILIATIONS = frozenset({"republican", "democrat", "conservative", "liberal", "progressive", "libertarian",
                           "independent", "democratic", "gop", "tory", "socialist"})
_HEAD_STOPS = frozenset({"of", "from", "for", "at", "on", "with", "in", "within", "among", "briefed", "familiar",
                         "close", "who", "involved", "knowledgeable", "speaking", "based", "working", "told",
                         "according", "to", "by", "representing", "inside", "near", "like", "under", "over",
                         "released", "conducted", "published", "commissioned", "taken", "issued"})
_ANON_MARKERS = re.compile(
    r"\b(?:familiar with|briefed on|close to|with (?:direct )?knowledge of|"
    r"knowledgeable about|involved in the (?:talks|negotiations|discussions|matter)|"
    r"who (?:spoke|asked|requested|declined)|not authori[sz]ed|anonymous|unnamed|unidentified)\b",
    re.IGNORECASE)
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "gen", "sen", "rep", "gov", "prof", "president", "secretary",
                     "minister", "spokesman", "spokeswoman", "spokesperson", "chairman", "senator", "judge",
                     "adm", "col", "lt", "capt", "sgt", "maj", "rev", "ambassador", "director", "chief",
                     "mayor", "governor", "sheriff", "coach", "commissioner", "councilman", "councilwoman",
                     "premier", "chancellor", "king", "queen", "prince", "pope", "bishop", "justice", "attorney"})
#: Descriptions that stay anonymous even when definite ("the official" is still unnamed).
_STRICT_ANONYMOUS = frozenset({"official", "source", "aide", "person", "insider", "staffer", "operative",
                               "employee", "adviser", "advisor", "diplomat", "officer", "member", "individual",
                               "someone", "associate", "lawyer", "attorney", "friend", "ally", "confidant",
                               "spokesman", "spokeswoman", "spokesperson", "representative", "investigator",
                               "agent", "witness", "resident", "soldier", "negotiator", "executive"})
_ROLE_WORDS = frozenset({"spokesman", "spokeswoman", "spokesperson", "secretary", "minister", "official",
                         "adviser", "advisor", "director", "chief", "president", "chairman", "chairwoman",
                         "ambassador", "envoy", "aide", "head", "leader", "commander", "general", "senator",
                         "representative", "governor", "mayor", "press", "coordinator", "administrator"})


@lru_cache(maxsize=1)
def _lex() -> dict[str, frozenset[str]]:
    """Word lists for source typing, loaded once (lower case)."""
    names = ["anonymous_nouns", "anonymous_plurals", "group_nouns", "organization_words", "places", "outlets",
             "outlet_suffixes", "document_nouns"]
    out = {n: frozenset(e.lower() for e in load_lexicon(n)) for n in names}
    out["pronouns"] = frozenset(line.split("\t")[0] for line in load_lexicon("pronouns"))
    out["person_roles"] = frozenset(load_lexicon("person_roles"))
    return out


@lru_cache(maxsize=1)
def _reason_patterns() -> re.Pattern[str]:
    """All anonymity-reason patterns as one compiled alternation."""
    return re.compile("|".join(f"(?:{p})" for p in load_lexicon("anonymity_reasons")), re.IGNORECASE)


@lru_cache(maxsize=1)
def _reason_triggers() -> frozenset[str]:
    """Words one of which a sentence must hold before the reason patterns are tried (speed)."""
    return frozenset(load_lexicon("anonymity_triggers"))


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def head_phrase(words: list[str]) -> list[str]:
    """The words of a source phrase up to its first preposition or participle ("One senior official")."""
    low = [w.lower() for w in words]
    # a leading prepositional phrase ("In an interview Trump"): keep the final capitalised run
    if low and low[0] in ("in", "on", "at", "during", "after", "before", "asked", "speaking", "when", "later"):
        k = len(words)
        while k > 0 and (words[k - 1][:1].isupper() or words[k - 1] in (".", "’s", "'s")):
            k -= 1
        words, low = words[k:], low[k:]
    for i in range(1, len(low)):
        if low[i] in _HEAD_STOPS or low[i] in (",", "(", "—", "–"):
            if low[i] == "of" and all(w in _QUANTIFIERS for w in low[:i]) and i + 1 < len(words):
                return head_phrase(words[i + 1:])  # "a number of studies", "many of the speakers"
            return words[:i]
    while len(words) > 1 and low[-1] in ("both", "all", "themselves", "together", "alike"):
        words, low = words[:-1], low[:-1]  # "Richards and Menendez both"
    return words


def _final_capitalised_run(words: list[str]) -> list[str]:
    k = len(words)
    while k > 0 and (words[k - 1][:1].isupper() or words[k - 1] in (".", "-", "&")):
        k -= 1
    run = words[k:]
    while run and run[0] in (".", "-", "&"):
        run = run[1:]
    return run


def _strip_possessive_prefix(words: list[str]) -> list[str]:
    for i in range(len(words) - 1, -1, -1):
        if words[i] in ("’s", "'s"):
            return words[i + 1:]
    return words


_SPOKES = re.compile(r"^(?:(?:a|an|the|one|another)\s+)?(?:(?P<pre>.*?)\s+)?(?:spokes(?:man|woman|person)|press secretary|"
                     r"representative|spokespeople)(?:\s+(?:for|of|at|in)\s+(?P<post>.+))?$", re.IGNORECASE)


def _spokesperson_for(phrase: str) -> str | None:
    """The organisation an unnamed spokesperson speaks for ("a spokesperson for Exxon", "a White House
    spokesman"), when one is named; None otherwise (a bare "a spokesman" stays anonymous)."""
    m = _SPOKES.match(phrase.strip())
    if not m:
        return None
    org = (m.group("post") or m.group("pre") or "").strip()
    if not org or not any(w[:1].isupper() for w in _words(org)):
        if org and classify_phrase(org) == "named_organization":
            return org  # "a spokesman for the ministry"
        return None
    return org


def _is_acronym(word: str) -> bool:
    """An all-capitals word of 2-6 letters, dotted or not ("FBI", "U.N.", "NAACP")."""
    letters = word.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def classify_phrase(phrase: str) -> str:
    """Source type of a source phrase on its own (no context): one of SOURCE_TYPES except pronoun cases."""
    lex = _lex()
    words = _words(phrase)
    if not words:
        return "none"
    if _spokesperson_for(phrase) is not None:
        return "named_organization"  # an unnamed spokesperson speaks on record for a named organisation
    head_words = head_phrase(words)  # found once: head_phrase neither mutates nor depends on anything else
    low_words = [w.lower() for w in head_words]
    if _ANON_MARKERS.search(phrase):
        if any(h in lex["anonymous_nouns"] or h in lex["anonymous_plurals"] or h in ("people",) for h in low_words):
            return "anonymous_person"
    if (low_words and low_words[-1] in lex["anonymous_plurals"] and len(head_words) >= 2
            and any(w[:1].isupper() for w in head_words[:-1])
            and not any(w in ("all", "many", "most", "some", "few", "the", "these", "those") for w in low_words[:-1])):
        return "anonymous_person"  # "Iranian officials", "U.S. and allied officials": officials who could be named
    if (len(low_words) >= 2 and low_words[0] in ("the", "his", "her", "its", "their") or any(
            w.endswith(("’s", "'s")) for w in low_words)) and any(w in ("top", "chief") for w in low_words[1:-1]):
        return "named_person"  # "the Iranian top diplomat", "the country's chief prosecutor": one office holder
    head = head_words
    while len(head) > 1 and head[-1].lower().endswith("ly") and head[-1][:1].islower():
        head = head[:-1]  # "Trump routinely", "Bill Clinton disingenuously"
    for k in range(len(head) - 2, -1, -1):
        if head[k].endswith(("’s", "'s")) and all(w[:1].isupper() or w == "." for w in head[k + 1:]):
            head = head[k + 1:]  # "The Washington Post's Robert Costa" -> "Robert Costa"
            break
    low_head = [w.lower() for w in head]
    if low_head and all(w[:1].isdigit() for w in low_head[-1:]):
        return "unnamed_group"  # "10 said", "491 people"
    if any(w in ("percent", "majority", "minority", "half", "plurality") or w.endswith(("quarters", "thirds"))
           or w in ("third", "quarter") for w in low_head):
        return "unnamed_group"  # "74 percent", "a majority of voters"
    joined = " ".join(low_head)
    last = low_head[-1] if low_head else ""
    # outlets and documents
    if any(o in joined for o in (" post", " times", " journal")) and head[-1][:1].isupper():
        return "document_or_outlet"
    if last in lex["document_nouns"] and not head[-1][:1].isupper():
        return "document_or_outlet"
    run = _final_capitalised_run(head)
    for k in range(len(run) - 2, -1, -1):
        if run[k].endswith(("’s", "'s")) and run[k + 1][:1].isupper():
            run = run[k + 1:]  # "The Washington Post's Robert Costa" -> "Robert Costa"
            break
    roles = [i for i, w in enumerate(run) if w.lower() in _TITLES or w.lower() in _ROLE_WORDS
             or w.lower() in lex["person_roles"]]
    after = roles[-1] + 1 if roles else 0
    while roles and after < len(run) and run[after] == ".":
        after += 1  # "Lt. Gen. Mick Bednarek"
    if roles and after < len(run) and run[after][:1].isupper() and run[-1] not in (".",):
        run = run[after:]  # "FBI Director James B. Comey" -> "James B. Comey"
        if not any(w.lower() in lex["organization_words"] or w.lower() in lex["outlet_suffixes"] for w in run):
            return "named_person"
    run_low = " ".join(w.lower() for w in run)
    if (len(run) == 2 and run[0].lower() in _COUNTED and run[0].lower() not in ("the", "this", "that")
            and run[1].lower() in _AFFILIATIONS):
        return "anonymous_person"  # "One Republican", "A Democrat": an unnamed member
    if run:
        core_low = " ".join(w.lower() for w in run if w.lower() not in ("the",))
        if (run_low in lex["outlets"] or core_low in lex["outlets"]
                or (run[-1].lower() in lex["outlet_suffixes"] and len(run) >= 2)
                or ("news" in core_low.split() and len(run) >= 2)):
            return "document_or_outlet"  # "The Washington Post", "Christian News Service", "Politifact"
        if run_low in lex["group_nouns"] or run[-1].lower() in ("democrats", "republicans"):
            return "unnamed_group"
        if len(run) == 1 and _is_acronym(run[0]) and run[0].lower() not in lex["pronouns"]:
            return "named_organization"  # an agency or group known by its acronym: "FEMA", "the ACLU"
        run_core = [w.lower() for w in run if w.lower() not in _DETERMINERS]
        if run_core and run_core[-1] in lex["person_roles"] and run_core[-1] not in _STRICT_ANONYMOUS:
            # a title-case role ("Former White House Doctor Says", "Lawmaker Urges"): the article's subject
            return "named_person"
        if not run_core:
            pass
        elif (run_low in lex["places"] or " ".join(run_core) in lex["places"]
              or any(w in lex["organization_words"] for w in run_core)
              or " ".join(run_core[-2:]) in lex["organization_words"]
              or run_low.replace("the ", "") in lex["organization_words"]):
            return "named_organization"
        elif run_core[-1] not in lex["anonymous_nouns"] and run_core[-1] not in lex["group_nouns"]:
            if run_core[-1] in lex["document_nouns"]:
                return "document_or_outlet"  # "New Poll", "Pentagon Statement"
            return "named_person"
    # lower-case head noun
    if last in lex["organization_words"] or " ".join(low_head[-2:]) in lex["organization_words"]:
        return "named_organization"
    first = low_head[0] if low_head else ""
    possessive = any(w.endswith(("’s", "'s")) or w in ("’s", "'s") for w in low_head)
    definite = first in ("the", "this", "that", "his", "her", "their", "its", "your", "our", "my") or possessive
    bare = first not in _DETERMINERS and first not in _COUNTED and not first[:1].isdigit()
    if ((definite or bare) and last in lex["person_roles"] and last not in _STRICT_ANONYMOUS
            and not last.endswith("s")):
        # "his longtime physician", "Columbia's president", "the chief executive", and a bare role
        # ("former secretary of state said"), which stands beside a name in an appositive
        return "named_person"
    if last in ("sources", "insiders"):
        return "anonymous_person"  # "sources said": unnamed individuals, however many
    if last in lex["anonymous_nouns"]:
        plural = last.endswith("s") or last in ("people",)
        if not plural or first in _COUNTED and first not in ("the", "these", "those"):
            return "anonymous_person"
        if first in ("both",):
            return "anonymous_person"
        return "unnamed_group"
    if last in lex["group_nouns"]:
        return "unnamed_group"
    if last in lex["person_roles"] or (last.endswith("er") and last not in lex["document_nouns"] and len(last) > 4
                                       and first in ("a", "an", "the", "one", "another")):
        # "the senator" refers back to someone named; "a senator" is an unnamed individual
        return "named_person" if first in ("the", "this", "that") else "anonymous_person"
    if last in ("someone", "somebody", "one", "another", "each", "anyone", "everyone", "nobody"):
        return "anonymous_person" if last in ("someone", "somebody", "one", "another", "each") else "unnamed_group"
    if last.endswith("s") and last not in ("its", "his", "this", "news", "analysis", "status"):
        return "unnamed_group"
    if last in lex["pronouns"]:
        return "named_person"
    return "document_or_outlet"  # an inanimate source: "the referendum", "a Google search"


def _is_pronoun(phrase: str) -> bool:
    return phrase.strip().lower() in _lex()["pronouns"]


def _name_of(phrase: str) -> str | None:
    """The personal or organisation name in a source phrase ("John Kirby" from "spokesman John Kirby")."""
    run = [w for w in _final_capitalised_run(head_phrase(_words(phrase))) if w != "."]
    titles = [i for i, w in enumerate(run) if w.lower() in _TITLES or w.lower() in _ROLE_WORDS]
    if titles and titles[-1] + 1 < len(run):
        run = run[titles[-1] + 1:]  # "British Foreign Secretary James Cleverly" -> "James Cleverly"
    while run and (run[0].lower() in _DETERMINERS or run[0].lower() in _LEADING_CONNECTIVES):
        run = run[1:]  # "But Crawford", "Even Republicans"
    return " ".join(run) if run else None


def _resolve_name(name: str, known: list[str]) -> str:
    """Map a later short reference ("Kirby") to the earlier full name ("John Kirby")."""
    last = name.split()[-1]
    for full in reversed(known):
        if full == name or full.split()[-1] == last:
            return full
    return name


def type_sources(analysis: Analysis, attributions: list[Attribution]) -> list[Attribution]:
    """Fill source_type, resolved_source and anonymity_reason of ``attributions`` in text order."""
    text = analysis.text
    known_people: list[str] = []
    history: list[Attribution] = []
    for att in attributions:
        if att.source is None:
            att.source_type = "none"
            history.append(att)
            continue
        phrase, appositive = _split_appositive(att.source.of(text))
        low = phrase.strip().lower()
        if _is_pronoun(phrase):
            att.source_type, att.resolved_source = _resolve_pronoun(low, history, analysis, att)
        else:
            stype = classify_phrase(phrase)
            if stype != "named_person" and appositive and _is_personal_name(appositive):
                stype, phrase = "named_person", appositive  # "A lawyer for the outlets, David Schulz, said"
            att.source_type = stype
            if stype == "named_person":
                name = _name_of(phrase)
                if name:
                    full = _resolve_name(name, known_people)
                    att.resolved_source = full
                    if full not in known_people:
                        known_people.append(full)
            elif stype in ("named_organization", "document_or_outlet"):
                att.resolved_source = _name_of(phrase) or " ".join(head_phrase(_words(phrase)))
        history.append(att)
    _share_coordinated_sources(analysis, attributions)
    _attach_reasons(analysis, attributions)
    return attributions


def _split_appositive(phrase: str) -> tuple[str, str | None]:
    """A source phrase and the appositive between its commas ("X, a spokesman for Y," -> "X", "a spokesman for Y")."""
    if "," not in phrase:
        return phrase, None
    main, _, rest = phrase.partition(",")
    appositive = rest.split(",")[0].strip()
    return main.strip(), appositive or None


def _is_personal_name(phrase: str) -> bool:
    """Whether ``phrase`` is just a personal name, perhaps with a title ("David Schulz", "Indiana Gov. Mike Pence")."""
    words = [w for w in _words(phrase) if w != "."]
    lex = _lex()
    return (2 <= len(words) <= 6 and all(w[:1].isupper() for w in words)
            and not any(w.lower() in lex["organization_words"] or w.lower() in lex["outlet_suffixes"]
                        for w in words)
            and classify_phrase(phrase) == "named_person")


def _share_coordinated_sources(analysis: Analysis, attributions: list[Attribution]) -> None:
    """A sourceless cue coordinated with an earlier one ("Iran has acknowledged ... but has claimed")
    takes that cue's source type; its source span stays None (the source is written once)."""
    text = analysis.text
    for prev, att in zip(attributions, attributions[1:]):
        if (att.source is None and prev.source_type != "none" and att.sentence == prev.sentence
                and prev.cue is not None and att.cue is not None):
            between = text[prev.cue.end:att.cue.start]
            if re.search(r"\b(?:and|but|while)\b", between) and len(between) < 200:
                att.source_type = prev.source_type
                att.resolved_source = prev.resolved_source


def _resolve_pronoun(low: str, history: list[Attribution], analysis: Analysis,
                     att: Attribution) -> tuple[str, str | None]:
    """Type of a pronoun source: that of the nearest compatible earlier source."""
    kind = next((line.split("\t")[1] for line in load_lexicon("pronouns") if line.split("\t")[0] == low), "person")
    if kind == "relative":
        # the noun phrase just before the relative pronoun in the same sentence
        before = analysis.text[att.sentence.start:att.source.start].rstrip(" ,") if att.source else ""
        words = [w for w in _words(before)]
        while words and words[-1] in ("—", "–", "-", ")", "”", '"'):
            words = words[:-1]
        if not words:
            return "named_person", None
        if words[-1][:1].isupper():
            # "John Ulzheimer, who", "Mr. Trump, who": the capitalised name just before
            k = len(words)
            while k > 0 and (words[k - 1][:1].isupper() or words[k - 1] in (".", "-")) and len(words) - k < 6:
                k -= 1
            phrase = " ".join(words[k:])
        else:
            # "those who", "Sanders’ supporters who", "two senators present who": back to a determiner
            k = len(words) - 1
            while k > 0 and len(words) - k < 5 and words[k].lower() not in _DETERMINERS \
                    and words[k - 1] not in (",", ";", ":", "(", "“", '"') and not words[k - 1].lower() in _HEAD_STOPS:
                k -= 1
            phrase = " ".join(words[k:])
        if phrase.lower() in ("those", "these", "anyone", "everyone", "people"):
            return "unnamed_group", None
        return classify_phrase(phrase), _name_of(phrase)
    compatible = {
        "person": ("named_person", "anonymous_person"),
        "speaker": ("named_person", "anonymous_person", "named_organization"),
        "plural": ("unnamed_group", "named_organization", "anonymous_person"),
        "thing": ("named_organization", "document_or_outlet"),
    }[kind]
    if kind in ("person", "speaker"):
        # he/she almost always continue a named person; an anonymous antecedent must be recent
        for back, prev in enumerate(reversed(history[-12:])):
            if prev.source_type == "named_person":
                return "named_person", prev.resolved_source
            if prev.source_type == "anonymous_person" and back == 0 and prev.source is not None \
                    and not _is_pronoun(prev.source.of(analysis.text)):
                return "anonymous_person", prev.resolved_source
        return "named_person", None
    for prev in reversed(history[-12:]):
        if prev.source_type in compatible and prev.source is not None and not _is_pronoun(prev.source.of(analysis.text)):
            return prev.source_type, prev.resolved_source
        if prev.source_type in compatible and prev.resolved_source:
            return prev.source_type, prev.resolved_source
    default = {"person": "named_person", "speaker": "named_person", "plural": "unnamed_group",
               "thing": "named_organization"}[kind]
    return default, None


def _sentence_index(analysis: Analysis) -> dict[Span, int]:
    return {s: i for i, s in enumerate(analysis.sentences)}


def find_anonymity_reasons(analysis: Analysis) -> list[tuple[int, Span]]:
    """(sentence index, reason span) for every stated reason for anonymity, reason running to sentence end."""

    pattern = _reason_patterns()
    triggers = _reason_triggers()
    out = []
    text = analysis.text
    for si, (sent, toks) in enumerate(zip(analysis.sentences, analysis.tokens)):
        if triggers.isdisjoint(toks.lows):
            continue
        m = pattern.search(text, sent.start, sent.end)
        if m:
            end = sent.end
            while end > m.start() and text[end - 1] in ".!?\"”’ ":
                end -= 1
            out.append((si, Span(m.start(), end)))
    return out


def _head_noun(analysis: Analysis, att: Attribution) -> str:
    if att.source is None:
        return ""
    head = head_phrase(_words(att.source.of(analysis.text)))
    return head[-1].lower() if head else ""


def _attach_reasons(analysis: Analysis, attributions: list[Attribution]) -> None:
    """Link each stated reason to the anonymous source it explains, and to later mentions of that source."""
    reasons = find_anonymity_reasons(analysis)
    if not reasons:
        return
    index = _sentence_index(analysis)
    anon = [(index.get(a.sentence, -1), a) for a in attributions if a.source_type == "anonymous_person"]
    for si, reason in reasons:
        # the sources explained: those in the reason's own sentence, and the nearest anonymous
        # source in the three sentences before unless the reason's sentence introduces its own
        same = [a for s, a in anon if s == si]
        earlier = [a for s, a in anon if si - 3 <= s < si]
        targets = list(same)
        if earlier and all(_is_back_reference(analysis, a) for a in same if a.source is not None):
            # the nearest anonymous source, with every cue it is the source of ("X said ... and agreed")
            targets += [a for a in earlier if a.source == earlier[-1].source]
        for target in targets:
            target.anonymity_reason = reason
        heads = {_head_noun(analysis, t) for t in targets}
        last = max((index.get(t.sentence, -1) for t in targets), default=si)
        for s, a in anon:
            if s > last and a.anonymity_reason is None and _is_back_reference(analysis, a):
                head = _head_noun(analysis, a)
                if head in heads and not head.endswith("s"):
                    a.anonymity_reason = reason


def _is_back_reference(analysis: Analysis, att: Attribution) -> bool:
    """Whether the source is a definite description ("the official"), i.e. someone met before."""
    if att.source is None:
        return False
    words = _words(att.source.of(analysis.text))
    return bool(words) and words[0].lower() in ("the", "this", "that")


def find_attributions(analysis: Analysis) -> list[Attribution]:
    """Every attribution in the text with cue, source, content and source type."""
    return type_sources(analysis, raw_attributions(analysis))
