"""Quote finding: curly and straight marks, multi-paragraph quotes, strays, scare quotes."""

from __future__ import annotations

from scorer.signals.quotes import find_quotes


def _found(text: str) -> list[tuple[str, bool, str]]:
    return [(q.span.of(text), q.closed, q.mark) for q in find_quotes(text)]


def test_curly_and_straight() -> None:
    text = 'Ana said “we are ready” and Bo said "not yet," laughing.'
    assert _found(text) == [("“we are ready”", True, "double"), ('"not yet,"', True, "double")]
    q = find_quotes(text)[0]
    assert q.inner.of(text) == "we are ready"


def test_multi_paragraph_quote_is_one_span() -> None:
    text = "“The first part ends here.\n\n“The second part closes,” the mayor said.\n\nAfter."
    found = find_quotes(text)
    assert len(found) == 1
    assert found[0].span.of(text).startswith("“The first") and found[0].span.of(text).endswith("closes,”")
    assert found[0].closed


def test_unbalanced_marks_do_not_derail_the_rest() -> None:
    text = "A lone “ mark sits here.\n\nLater a “proper quote” appears.\n\nAnd ” a stray closer."
    found = _found(text)
    assert ("“proper quote”", True, "double") in found
    assert found[0] == ("“ mark sits here.", False, "double")
    assert all(q.span.end <= len(text) for q in find_quotes(text))


def test_second_opener_ends_an_unclosed_quote() -> None:
    text = "He wrote “first part and then “second part” here."
    found = _found(text)
    assert found == [("“first part and then", False, "double"), ("“second part”", True, "double")]


def test_scare_quotes_versus_apostrophes() -> None:
    text = "It’s the ‘so-called’ plan of Lee’s party, don’t call it 'final' yet."
    found = [f[0] for f in _found(text)]
    assert found == ["‘so-called’", "'final'"]


def test_single_quotes_inside_double_quotes_are_not_separate() -> None:
    text = "“They called it ‘a farce’ twice,” she said."
    assert [f[0] for f in _found(text)] == ["“They called it ‘a farce’ twice,”"]


def test_degenerate_inputs_never_raise() -> None:
    for text in ['"', "“", "”", "''", "‘’", '""""', "“\n\n“\n\n”", "a\"b\"c", "\x00“é”"]:
        for q in find_quotes(text):
            assert 0 <= q.span.start < q.span.end <= len(text)
            assert q.span.contains(q.inner)
