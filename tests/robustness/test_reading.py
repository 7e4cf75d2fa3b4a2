"""Reading hostile and broken files: a valid Article or one clear InputError naming the file.

Covers arbitrary bytes and Unicode (hypothesis), empty and binary files, a
10 MB article and the size limit, mixed encodings, very long lines, pages that
are all script, deeply nested HTML and JSON, and corpora with broken lines,
wrong types, missing columns and huge fields.
"""

from __future__ import annotations

import csv
import json
import os
import random
import zlib
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from _robust import assert_one_line_error, fuzz_settings, run_scorer, scorer_env, time_limit
from scorer.article import Article, declared_charset, decode_bytes, read, read_corpus
from scorer.errors import InputError

FUZZ = fuzz_settings(max_examples=60, deadline_ms=2000)
SUFFIXES = (".txt", ".md", ".html", ".json", ".dat")
WORDS = ("the minister said on Tuesday that officials would review the reports according to a "
         "spokesman for the agency who asked not to be named because he was not authorised").split()


def prose(n_chars: int, seed: int = 0, sep: str = "\n\n") -> str:
    """Plausible news prose of about ``n_chars`` characters, in paragraphs, with quotes."""
    rng = random.Random(seed)
    paras, size = [], 0
    while size < n_chars:
        body = " ".join(rng.choice(WORDS) for _ in range(50)).capitalize()
        para = f'{body}. "We will act on this," said John Smith, a spokesman for the ministry.'
        paras.append(para)
        size += len(para) + len(sep)
    return sep.join(paras)


def check_read(path: Path, seconds: float = 10) -> Article | InputError:
    """Read ``path`` within ``seconds``; return the Article or the InputError (anything else fails)."""
    with time_limit(seconds, f"read({path.name})"):
        try:
            art = read(path)
        except InputError as err:
            assert str(err).startswith(str(path)), f"error does not name the file first: {err}"
            assert "\n" not in str(err), f"error is not one line: {err!r}"
            return err
    assert isinstance(art.text, str) and art.text.strip(), "an Article must carry non-blank text"
    art.text.encode("utf-8")  # no lone surrogates: every output format must be able to write it
    assert art.id == path.stem or path.suffix == ".json"  # a JSON article may carry its own id
    return art


def write_csv(path: Path, rows: list[tuple[str, ...]]) -> Path:
    """Write rows as a properly quoted CSV file."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- fuzzing


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_read_or_clear_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    check_read(write(tmp_path / f"fuzz{suffix}", data))


@FUZZ
@given(text=st.text(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_unicode_read_or_clear_error(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    check_read(path)


@FUZZ
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=2000),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]))
def test_unicode_encodings_decode_exactly(text: str, encoding: str) -> None:
    """UTF-8 (with or without BOM) and UTF-16 with a BOM come back character for character."""
    assume(text.strip())
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    assert decode_bytes(data, "x") == text


_CP1252 = "".join(ch for ch in bytes(range(32, 256)).decode("cp1252", errors="ignore") if ch != "\x7f") + "\n\t"


@FUZZ
@given(text=st.text(alphabet=_CP1252, min_size=1, max_size=2000))
def test_cp1252_text_is_decoded_not_refused(text: str) -> None:
    """Legacy cp1252 files (curly quotes, accents) decode to the same text."""
    data = text.encode("cp1252")
    assume(data.strip())
    try:
        data.decode("utf-8")
        assume(False)  # bytes that are also valid UTF-8 are rightly read as UTF-8
    except UnicodeDecodeError:
        pass
    assert decode_bytes(data, "x") == text


# ---------------------------------------------------------------- empty, binary, size


@pytest.mark.parametrize("data, problem", [
    (b"", "empty file"),
    (b"   \n\t\r\n  ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4, "binary file"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n"
     + zlib.compress(random.Random(3).randbytes(20_000)), "binary file"),
    (b"PK\x03\x04" + zlib.compress(random.Random(4).randbytes(20_000)), "binary file"),
    (b"\x7fELF\x02\x01\x01" + bytes(2000), "binary file"),
])
@pytest.mark.parametrize("suffix", [".txt", ".html", ".json"])
def test_empty_and_binary_files_are_refused(tmp_path: Path, data: bytes, problem: str, suffix: str) -> None:
    path = write(tmp_path / f"input{suffix}", data)
    with pytest.raises(InputError) as info:
        read(path)
    assert str(info.value).startswith(str(path)) and problem in str(info.value)


def test_ten_megabyte_article_reads_in_bounded_time(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", prose(10_000_000))
    art = check_read(path, seconds=30)
    assert isinstance(art, Article) and len(art.text) > 5_000_000


def test_size_limit_is_configurable_with_a_clear_message(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", prose(50_000))
    with pytest.raises(InputError, match="over the 10,000-byte limit") as info:
        read(path, max_bytes=10_000)
    assert str(info.value).startswith(str(path)) and "SCORER_MAX_BYTES" in str(info.value)
    # the environment variable sets the default for the command line
    result = run_scorer(["inspect", path], env=scorer_env(SCORER_MAX_BYTES="10000"))
    assert_one_line_error(result, path, "limit")


def test_size_limit_applies_to_corpus_records(tmp_path: Path) -> None:
    """One oversized record is reported and skipped; the rest of the corpus is read."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "big", "text": prose(50_000)}) + "\n"
                      + json.dumps({"id": "small", "text": prose(2_000)}) + "\n", encoding="utf-8")
    errors: list[InputError] = []
    arts = list(read_corpus(corpus, on_error=errors.append, max_bytes=10_000))
    assert [a.id for a in arts] == ["small"]
    assert len(errors) == 1 and "limit" in str(errors[0]) and str(corpus) in str(errors[0])

    csv_corpus = tmp_path / "c.csv"
    write_csv(csv_corpus, [("id", "text"), ("big", prose(50_000)), ("small", prose(2_000))])
    errors.clear()
    arts = list(read_corpus(csv_corpus, on_error=errors.append, max_bytes=10_000))
    assert [a.id for a in arts] == ["small"]
    assert len(errors) == 1 and "limit" in str(errors[0])


# ---------------------------------------------------------------- encodings and long lines


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-8-sig"])
def test_legacy_and_bom_encodings(tmp_path: Path, encoding: str) -> None:
    text = prose(3_000) + "\n\nThe café owner said “it was déjà vu” on Tuesday."
    if encoding == "latin-1":
        text = text.replace("“", '"').replace("”", '"')
    if encoding.endswith("-bom"):
        codec = encoding[: -len("-bom")]
        data = (b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff") + text.encode(codec)
    else:
        data = text.encode(encoding)
    art = check_read(write(tmp_path / "enc.txt", data))
    assert isinstance(art, Article), art
    assert "café owner" in art.text and "déjà vu" in art.text
    assert "\ufeff" not in art.text


def test_mixed_encodings_in_one_file_still_read(tmp_path: Path) -> None:
    """Half UTF-8, half cp1252 (a scraper concatenating pages): a result, no crash."""
    data = (prose(2_000, seed=1) + " Zoë said “yes”.\n\n").encode("utf-8") \
        + (prose(2_000, seed=2) + " Zoë said “no”.").encode("cp1252")
    art = check_read(write(tmp_path / "mixed.txt", data))
    assert isinstance(art, Article), art
    assert "John Smith" in art.text


def test_very_long_line_reads_in_bounded_time(tmp_path: Path) -> None:
    text = prose(3_000_000, sep=" ")  # 3 MB, not one line break
    art = check_read(write(tmp_path / "line.txt", text), seconds=20)
    assert isinstance(art, Article) and len(art.text) > 1_000_000


# ---------------------------------------------------------------- HTML


def _big_page(n_chars: int) -> str:
    paras = prose(n_chars, seed=8).split("\n\n")
    return ("<html><head><title>Big</title></head><body><nav><a href='/'>Home</a></nav><article>"
            + "".join(f"<p>{p}</p>" for p in paras) + "</article><footer>© Example</footer></body></html>")


def test_large_html_page_reads_in_bounded_time(tmp_path: Path) -> None:
    """A 3 MB page of ordinary paragraphs: linear work, a few seconds at most."""
    art = check_read(write(tmp_path / "big.html", _big_page(3_000_000)), seconds=5)
    assert isinstance(art, Article) and len(art.text) > 2_000_000


def test_html_that_is_all_script_is_a_clear_error(tmp_path: Path) -> None:
    page = "<html><head><script>var a=1;</script></head><body>" \
        + "<script>document.title='x';alert('said the minister. ' + 1)</script>" * 2000 + "</body></html>"
    err = check_read(write(tmp_path / "script.html", page))
    assert isinstance(err, InputError) and "no article text" in str(err)


def _nested_page(depth: int) -> str:
    body = "".join(f"<p>{p}</p>" for p in prose(3_000, seed=5).split("\n\n"))
    return f"<html><head><title>Deep</title></head><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>"


def test_deeply_nested_html_never_crashes_or_hangs(tmp_path: Path) -> None:
    for depth in (300, 5_000, 50_000):
        check_read(write(tmp_path / f"nested{depth}.html", _nested_page(depth)))


def test_deeply_nested_html_keeps_its_text(tmp_path: Path) -> None:
    art = check_read(write(tmp_path / "nested.html", _nested_page(5_000)))
    assert isinstance(art, Article), art
    assert "John Smith" in art.text


def test_html_with_control_characters_and_broken_markup(tmp_path: Path) -> None:
    page = ("<html><body><article><p>" + prose(1_500, seed=6) + "\x01\x0b\x1f <b><i>unclosed "
            "</p><p>&#0; &#xD800; &bogus; <![CDATA[ x ]]> <!-- never closed" + "</article>")
    check_read(write(tmp_path / "broken.html", page))


# ---------------------------------------------------------------- JSON and JSONL


@pytest.mark.parametrize("doc", [
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 100_000 + "1" + "}" * 100_000,
    '{"id": "x", "text": ' + "[" * 50_000 + "]" * 50_000 + "}",
])
def test_deeply_nested_json_file_is_a_clear_error(tmp_path: Path, doc: str) -> None:
    err = check_read(write(tmp_path / "deep.json", doc))
    assert isinstance(err, InputError), err


@pytest.mark.parametrize("doc, problem", [
    ('{"id": "x", "text": 5}', "no text"),
    ('{"id": "x", "text": null}', "no text"),
    ('{"id": "x", "text": ["a", "b"]}', "no text"),
    ('{"id": "x", "text": "   "}', "no text"),
    ('["a", "b"]', "must be an object"),
    ('"just a string"', "must be an object"),
    ("{not json", "invalid JSON"),
    ('{"id": "x", "text": "ok", ' + '"pad": "' + "y" * 10 + '"', "invalid JSON"),
])
def test_json_file_with_wrong_types(tmp_path: Path, doc: str, problem: str) -> None:
    err = check_read(write(tmp_path / "bad.json", doc))
    assert isinstance(err, InputError) and problem in str(err), err


_text_values = st.one_of(
    st.text(alphabet="abc def.“”\"'", min_size=0, max_size=40),
    st.none(), st.integers(), st.floats(allow_nan=False), st.booleans(),
    st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_id_values = st.one_of(st.from_regex(r"[a-z0-9_-]{1,8}", fullmatch=True), st.integers(), st.none(),
                       st.just(""), st.just("  "), st.lists(st.integers(), max_size=2),
                       st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
_MISSING = object()


def _valid(rid: object, text: object) -> bool:
    """Whether a record with these values must become an Article."""
    id_ok = (isinstance(rid, str) and rid.strip() != "") or (isinstance(rid, int) and not isinstance(rid, bool))
    return id_ok and isinstance(text, str) and text.strip() != ""


_line = st.one_of(
    st.tuples(st.one_of(_id_values, st.just(_MISSING)), st.one_of(_text_values, st.just(_MISSING))),
    st.sampled_from(["{broken", "[1, 2]", "null", '"str"', "{\"id\": 1, \"text\": \"x\"", "\x00\x01\x02",
                     "[" * 5_000]),
)


@FUZZ
@given(lines=st.lists(_line, min_size=1, max_size=25))
def test_jsonl_broken_lines_and_wrong_types(tmp_path: Path, lines: list) -> None:
    """Every non-blank line becomes exactly one Article or one report naming the file and line."""
    out, expected = [], []
    for lineno, line in enumerate(lines, 1):
        if isinstance(line, tuple):
            rid, text = line
            record = {}
            if rid is not _MISSING:
                record["id"] = rid
            if text is not _MISSING:
                record["text"] = text
            out.append(json.dumps(record))
            if _valid(rid, text):
                expected.append((lineno, str(rid).strip(), text))
        else:
            out.append(line)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(out) + "\n", encoding="utf-8")
    errors: list[InputError] = []
    with time_limit(5, "read_corpus"):
        arts = list(read_corpus(corpus, on_error=errors.append))
    assert [(a.id, a.text) for a in arts] == [(rid, text) for _, rid, text in expected]
    assert len(arts) + len(errors) == len(lines), "a line was neither read nor reported"
    bad_lines = sorted(set(range(1, len(lines) + 1)) - {n for n, _, _ in expected})
    for err, lineno in zip(errors, bad_lines):
        assert str(err).startswith(f"{corpus}:{lineno}"), err


def test_jsonl_with_binary_and_mixed_encoding_lines(tmp_path: Path) -> None:
    corpus = tmp_path / "mixed.jsonl"
    corpus.write_bytes(
        json.dumps({"id": "utf8", "text": "Zoë said “yes”."}, ensure_ascii=False).encode("utf-8") + b"\n"
        + json.dumps({"id": "cp", "text": "Zoë said “no”."}, ensure_ascii=False).encode("cp1252") + b"\n"
        + b"\x89PNG\r\x1a\x00\x00\x00\x00\n"
        + b"\xff\xfe" + '{"id": "u16"}'.encode("utf-16-le") + b"\n"
    )
    errors: list[InputError] = []
    arts = list(read_corpus(corpus, on_error=errors.append))
    assert [(a.id, a.text) for a in arts] == [("utf8", "Zoë said “yes”."), ("cp", "Zoë said “no”.")]
    assert len(errors) == 2 and all(str(e).startswith(f"{corpus}:") for e in errors)


# ---------------------------------------------------------------- CSV


def test_csv_without_text_column_names_the_file_and_column(tmp_path: Path) -> None:
    corpus = write(tmp_path / "c.csv", "id,body,title\n1,hello,t\n")
    with pytest.raises(InputError) as info:
        list(read_corpus(corpus))
    assert str(info.value).startswith(str(corpus)) and "text" in info.value.problem


@pytest.mark.parametrize("data", [b"", b"\n\n", b"id,text\n", b"\x00\x01\x02\x03" * 100, "id;text\n1;x\n"])
def test_csv_empty_binary_or_wrong_delimiter(tmp_path: Path, data: bytes | str) -> None:
    corpus = write(tmp_path / "c.csv", data)
    errors: list[InputError] = []
    try:
        arts = list(read_corpus(corpus, on_error=errors.append))
    except InputError as err:
        assert str(err).startswith(str(corpus))
        return
    assert arts == [] and all(str(e).startswith(str(corpus)) for e in errors)


def test_csv_with_huge_field(tmp_path: Path) -> None:
    text = prose(5_000_000, sep=" ")
    corpus = write_csv(tmp_path / "c.csv", [("id", "text"), ("huge", text), ("small", "short text here")])
    with time_limit(20, "read_corpus(huge csv)"):
        arts = list(read_corpus(corpus))
    assert [a.id for a in arts] == ["huge", "small"] and arts[0].text == text


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"])
def test_csv_fields_with_unicode_line_separators_stay_whole(tmp_path: Path, sep: str) -> None:
    """Only \\n and \\r end a CSV row; U+2028, NEL, form feeds inside a field are text."""
    corpus = write(tmp_path / "c.csv", f"id,text\na,before{sep}after\nb,\"quoted{sep}field\"\n")
    errors: list[InputError] = []
    arts = list(read_corpus(corpus, on_error=errors.append))
    assert [(a.id, a.text) for a in arts] == [("a", f"before{sep}after"), ("b", f"quoted{sep}field")], errors
    assert errors == []


def test_csv_row_with_extra_fields_is_reported_not_truncated(tmp_path: Path) -> None:
    """An unquoted comma in the text splits it: report the row instead of keeping half the text."""
    corpus = write(tmp_path / "c.csv", "id,text\na,Hello, world and more\nb,fine text\n")
    errors: list[InputError] = []
    arts = list(read_corpus(corpus, on_error=errors.append))
    assert [a.id for a in arts] == ["b"]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{corpus}:2")


def test_csv_with_nul_after_the_first_block(tmp_path: Path) -> None:
    rows = [("id", "text")] + [(f"r{i}", prose(200, seed=i, sep=" ")) for i in range(60)]
    corpus = write_csv(tmp_path / "c.csv", rows + [("late", "before\x00after")])
    errors: list[InputError] = []
    with time_limit(5, "read_corpus"):
        arts = list(read_corpus(corpus, on_error=errors.append))
    assert len(arts) + len(errors) == 61  # the late NUL row is read or reported, and ends nothing else


# ---------------------------------------------------------------- directories


def test_directory_with_symlink_loop_and_bad_files(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "a").mkdir(parents=True)
    write(root / "a" / "good.txt", prose(2_000))
    write(root / "a" / "empty.txt", b"")
    write(root / "a" / "blob.html", bytes(range(256)) * 10)
    (root / "a" / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    errors: list[InputError] = []
    with time_limit(10, "read_corpus(symlink loop)"):
        arts = list(read_corpus(root, on_error=errors.append))
    assert "good" in {a.id for a in arts}
    assert {Path(e.source).name for e in errors} >= {"empty.txt", "blob.html"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable files")
def test_unreadable_files_are_clear_errors(tmp_path: Path) -> None:
    for name in ("locked.txt", "locked.jsonl", "locked.csv"):
        path = write(tmp_path / name, "id,text\n1,x\n" if name.endswith(".csv") else '{"id": 1, "text": "x"}\n')
        path.chmod(0)
        with pytest.raises(InputError) as info:
            if name.endswith(".txt"):
                read(path)
            else:
                list(read_corpus(path))
        assert str(info.value).startswith(str(path))


# ---------------------------------------------------------------- devices, pipes, lone surrogates


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_not_read_forever(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} does not exist here")
    with time_limit(5, f"read({device})"):
        with pytest.raises(InputError, match="not a regular file") as info:
            read(device)
        with pytest.raises(InputError, match="not a regular file"):
            list(read_corpus(device))
    assert str(info.value).startswith(device)


def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with time_limit(5, "read(fifo)"):
        with pytest.raises(InputError, match="not a regular file"):
            read(fifo)
        with pytest.raises(InputError, match="not a regular file"):
            list(read_corpus(tmp_path / "pipe.txt"))
        fifo2 = tmp_path / "corpus.jsonl"
        os.mkfifo(fifo2)
        with pytest.raises(InputError, match="not a regular file"):
            list(read_corpus(fifo2))
        # a directory corpus with a FIFO in it skips it instead of blocking
        write(tmp_path / "good.txt", prose(2_000))
        assert [a.id for a in read_corpus(tmp_path)] == ["good"]


_SURROGATE_RECORD = ('{"id": "a\\ud800", "title": "T\\udfff", "authors": ["X\\udc00"], '
                     '"text": "Officials said on Tuesday \\ud800 that the plan would go ahead."}')


def test_lone_surrogates_from_json_escapes_become_replacement_characters(tmp_path: Path) -> None:
    """'\\ud800' is legal JSON but cannot be written as UTF-8: it must not reach any output."""
    corpus = write(tmp_path / "c.jsonl", _SURROGATE_RECORD + "\n")
    (art,) = list(read_corpus(corpus))
    for value in (art.id, art.title, art.text, *art.authors):
        value.encode("utf-8")
    assert art.text == "Officials said on Tuesday \ufffd that the plan would go ahead."  # same length: offsets hold
    single = check_read(write(tmp_path / "one.json", _SURROGATE_RECORD))
    assert isinstance(single, Article) and "\ufffd" in single.text


@FUZZ
@given(record=st.dictionaries(st.sampled_from(["id", "text", "title", "authors", "url", "extra"]),
                              st.one_of(st.text(), st.lists(st.text(), max_size=3)), min_size=1))
def test_any_json_string_escape_yields_encodable_articles(tmp_path: Path, record: dict) -> None:
    """Whatever JSON escapes a record uses, every string of the Article encodes as UTF-8."""
    line = json.dumps(record)  # ensure_ascii: lone surrogates become \\udXXX escapes
    corpus = write(tmp_path / "c.jsonl", line + "\n")
    for art in read_corpus(corpus, on_error=lambda err: None):
        for value in (art.id, art.text, art.title or "", art.url or "", *art.authors):
            value.encode("utf-8")
        json.dumps(art.extra, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------- declared charsets

_CHARSET_PAGES = {
    "windows-1251": "Министр заявил во вторник, что план будет выполнен, сообщил представитель ведомства.",
    "koi8-r": "Министр заявил во вторник, что план будет выполнен, сообщил представитель ведомства.",
    "shift_jis": "大臣は火曜日、計画は予定通り進むと述べた。報道官が明らかにした。",
    "gbk": "部长周二表示，该计划将如期进行，一位发言人说。",
    "iso-8859-7": "Ο υπουργός δήλωσε την Τρίτη ότι το σχέδιο θα προχωρήσει, σύμφωνα με εκπρόσωπο.",
}


def _charset_page(body: str, charset: str, meta: str = "<meta charset='{c}'>") -> str:
    paras = "".join(f"<p>{body} {i}</p>" for i in range(8))
    return (f"<html><head>{meta.format(c=charset)}<title>T</title></head><body><article>{paras}"
            "</article></body></html>")


@pytest.mark.parametrize("charset", list(_CHARSET_PAGES))
def test_html_in_its_declared_legacy_charset(tmp_path: Path, charset: str) -> None:
    body = _CHARSET_PAGES[charset]
    for meta in ("<meta charset='{c}'>", '<meta http-equiv="Content-Type" content="text/html; charset={c}">'):
        data = _charset_page(body, charset, meta).encode(charset)
        assert body in decode_bytes(data, "page.html", declared_charset(data))
        if " " in body:  # the cleaner finds prose by its words; unspaced CJK text is outside its scope
            art = check_read(write(tmp_path / "page.html", data))
            assert isinstance(art, Article), art
            assert body.split()[0] in art.text, art.text[:200]


def test_declared_charset_never_overrides_valid_utf8_or_enables_utf7(tmp_path: Path) -> None:
    body = _CHARSET_PAGES["windows-1251"]
    lying = write(tmp_path / "lying.html", _charset_page(body, "windows-1251").encode("utf-8"))
    assert body.split()[0] in check_read(lying).text
    smuggle = "Officials said on Tuesday +ADw-script+AD4-alert(1)+ADw-/script+AD4- that the plan would go ahead."
    utf7 = write(tmp_path / "utf7.html", _charset_page(smuggle, "utf-7").encode("ascii"))
    art = check_read(utf7)
    assert isinstance(art, Article) and "<script>" not in art.text and "+ADw-script" in art.text
    bogus = write(tmp_path / "bogus.html", _charset_page("Zoë said “yes” on Tuesday, officials said.", "no-such-charset")
                  .encode("cp1252"))
    assert "Zoë" in check_read(bogus).text


def test_endless_jsonl_line_is_skipped_without_holding_it(tmp_path: Path) -> None:
    """A corpus that is one 20 MB line (no newline) is reported, not loaded into memory whole."""
    import tracemalloc

    corpus = tmp_path / "c.jsonl"
    with open(corpus, "wb") as fh:
        fh.write(json.dumps({"id": "ok", "text": prose(500)}).encode() + b"\n")
        fh.write(b'{"id": "huge", "text": "' + b"x" * 20_000_000)  # never closed, no newline
    errors: list[InputError] = []
    tracemalloc.start()
    try:
        arts = list(read_corpus(corpus, on_error=errors.append, max_bytes=100_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [a.id for a in arts] == ["ok"]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{corpus}:2") and "limit" in str(errors[0])
    assert peak < 5_000_000, f"reading held {peak / 1e6:.0f} MB"


# ---------------------------------------------------------------- terminal control sequences

_ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\x1b[31m\x9b31m\x08\x7f\x00"


@pytest.mark.parametrize("kind", ["txt", "html-entities", "json-escapes", "jsonl", "csv"])
def test_control_characters_never_reach_article_fields(tmp_path: Path, kind: str) -> None:
    """ESC, BEL, C1 CSI, backspace, DEL, NUL become U+FFFD: printing an article cannot drive the terminal."""
    body = prose(1_500, seed=9)
    raw_escapes = _ESCAPES.replace("\x00", "")  # a NUL in a raw file marks it binary (refused): tested elsewhere
    hostile = f"The mayor said {raw_escapes} was fine, officials said on Tuesday."
    if kind == "txt":
        arts = [check_read(write(tmp_path / "a.txt", body + "\n\n" + hostile + "\n\n" + body))]
    elif kind == "html-entities":
        ent = "".join(f"&#{ord(c)};" for c in _ESCAPES)
        page = (f"<html><head><title>T{ent}itle</title></head><body><article><p>{body}</p>"
                f"<p>The mayor said {ent} was fine, officials said on Tuesday.</p><p>{body}</p></article></body></html>")
        arts = [check_read(write(tmp_path / "a.html", page))]
    elif kind == "json-escapes":
        arts = [check_read(write(tmp_path / "a.json", json.dumps({"id": "x" + _ESCAPES, "title": _ESCAPES,
                                                                  "text": body + hostile})))]
    elif kind == "jsonl":
        arts = list(read_corpus(write(tmp_path / "c.jsonl", json.dumps({"id": "x", "authors": [_ESCAPES],
                                                                        "text": body + hostile}) + "\n")))
    else:
        arts = list(read_corpus(write_csv(tmp_path / "c.csv", [("id", "text", "title"), ("x", body + hostile, raw_escapes)])))
    assert arts and all(isinstance(a, Article) for a in arts), arts
    for art in arts:
        fields = [art.id, art.text, art.title or "", art.outlet or "", art.url or "", art.date or "", *art.authors,
                  *(r.text for r in art.removed)]
        for value in fields:
            assert not any(c in value for c in "\x1b\x07\x9b\x08\x7f\x00"), repr(value[:120])
    assert "\ufffd" in arts[0].text  # shown as replaced, not silently dropped
