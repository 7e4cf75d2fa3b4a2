"""Tests of scorer.article: reading files and corpora into Articles, and refusing bad input clearly."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from scorer.article import Article, Removed, article_from_record, decode_bytes, read, read_corpus
from scorer.errors import InputError
from scorer.paths import REPO

SEEDS = REPO / "seeds"
HTML = REPO / "tests" / "fixtures" / "html"

BODY = ("The harbour authority said on Friday that the new breakwater was finished, two months early.\n\n"
        "Work began in 2019 and cost less than planned, the authority's director told reporters.")


# ---------------------------------------------------------------- one file


def test_read_seed_txt_is_cleaned_with_metadata() -> None:
    path = next(SEEDS.glob("003_*.txt"))
    art = read(path)
    assert isinstance(art, Article)
    assert art.id == path.stem and art.path == str(path)
    assert art.title and art.title.startswith("As Russia and Iran Draw Closer")
    assert art.authors == ["Tom O'Connor"] and art.outlet == "Newsweek" and art.date == "2022-08-31"
    assert art.text.startswith("As President Joe Biden contends")
    assert all(isinstance(r, Removed) for r in art.removed) and art.removed
    assert art.body_map and art.body_map[0][0].start == 0


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_every_seed_reads(path: Path) -> None:
    art = read(path)
    assert len(art.text) > 2000
    assert "Comments /" not in art.text and "READ NEXT" not in art.text


def test_read_markdown(tmp_path: Path) -> None:
    f = tmp_path / "tram.md"
    f.write_text("---\ntitle: Tram Line Opens\nauthor: Sofia Marin\ndate: 2021-06-01\n---\n\n# Tram Line Opens\n\n"
                 + BODY + "\n", encoding="utf-8")
    art = read(f)
    assert (art.id, art.title, art.authors, art.date) == ("tram", "Tram Line Opens", ["Sofia Marin"], "2021-06-01")
    assert art.text == BODY


def test_read_html_fixture() -> None:
    art = read(HTML / "bridge_repair.html")
    assert art.id == "bridge_repair"
    assert art.title == "Harlow Bridge to Close for Six Weeks of Repairs"
    assert art.authors == ["Mirela Okafor"] and art.date == "2021-03-04" and art.outlet == "The Valley Ledger"
    assert art.url == "https://valleyledger.example/news/harlow-bridge-repairs"
    assert art.domain == "valleyledger.example"
    assert "Comments (2)" not in art.text
    assert any(r.kind == "comments" for r in art.removed)


def test_read_htm_in_cp1252() -> None:
    art = read(HTML / "market_square_cp1252.htm")
    assert "Saint-Léon" in art.text and "“People came" in art.text
    assert art.authors == ["Renée Duval"]


def test_html_page_without_article_is_an_input_error() -> None:
    with pytest.raises(InputError, match="furniture_only.html: no article text"):
        read(HTML / "furniture_only.html")


def test_read_json_object(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text(json.dumps({"text": BODY, "title": "Breakwater", "authors": ["Ana Lima"], "url": "https://www.x.example/a",
                             "date": "2021-01-02", "label": "reliable", "section": "local"}), encoding="utf-8")
    art = read(f)
    assert art.id == "a" and art.text == BODY and art.title == "Breakwater"
    assert art.authors == ["Ana Lima"] and art.label == "reliable" and art.extra["section"] == "local"
    assert art.domain == "x.example"


def test_read_json_body_field(tmp_path: Path) -> None:
    f = tmp_path / "b.json"
    f.write_text(json.dumps({"id": "story-9", "body": BODY}), encoding="utf-8")
    art = read(f)
    assert art.id == "story-9" and art.text == BODY


@pytest.mark.parametrize("content,problem", [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "JSON must be an object"),
    ('{"title": "no text"}', "record has no text"),
])
def test_read_bad_json(tmp_path: Path, content: str, problem: str) -> None:
    f = tmp_path / "bad.json"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=problem) as exc:
        read(f)
    assert "bad.json" in str(exc.value)


def test_cp1252_text_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "legacy.txt"
    text = "The café owner said on Monday that prices would rise by 5 percent — “not more,” she said."
    f.write_bytes(text.encode("cp1252"))
    assert read(f).text == text


def test_latin1_bytes_undefined_in_cp1252_are_decoded(tmp_path: Path) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes("The committee met in Malmö on Tuesday and agreed the budget for next year".encode("latin-1")
                  + b" \x81")  # 0x81 is undefined in cp1252; no closing period either
    assert "Malmö" in read(f).text


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "u16.txt"
    f.write_bytes(BODY.encode("utf-16"))
    assert read(f).text == BODY


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbf" + BODY.encode("utf-8"))
    assert read(f).text == BODY


@pytest.mark.parametrize("data,problem", [
    (b"", "empty file"),
    (b"  \n\t\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file"),
    (b"Home\nNews\nSport\n\n\xc2\xa9 2022 Example Times\n", "no article text"),
])
def test_bad_files_are_clear_input_errors(tmp_path: Path, data: bytes, problem: str) -> None:
    f = tmp_path / "x.txt"
    f.write_bytes(data)
    with pytest.raises(InputError, match=problem) as exc:
        read(f)
    assert str(exc.value).startswith(str(f))


def test_missing_file_directory_and_unknown_type(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read(tmp_path)
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\n\x00\x01\x02\nendstream")
    with pytest.raises(InputError, match="binary file"):
        read(pdf)


def test_other_suffixes_are_read_as_text(tmp_path: Path) -> None:
    f = tmp_path / "story.text"
    f.write_text(BODY, encoding="utf-8")
    assert read(f).text == BODY


def test_oversized_file(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text(BODY, encoding="utf-8")
    with pytest.raises(InputError, match="over the 10-byte limit"):
        read(f, max_bytes=10)


# ---------------------------------------------------------------- records


def test_article_from_record_keeps_extra_columns() -> None:
    art = article_from_record({"id": 7, "text": BODY, "authors": "Ana Lima and Rui Costa", "domain": "x.example",
                               "source_name": "X News", "label": "mixed", "corpus": "demo", "date": math.nan},
                              "corpus.jsonl:1")
    assert art.id == "7" and art.authors == ["Ana Lima", "Rui Costa"]
    assert art.outlet == "X News" and art.domain == "x.example" and art.label == "mixed"
    assert art.extra["corpus"] == "demo" and art.date is None


@pytest.mark.parametrize("raw,expected", [("1544936400.0", "2018-12-16T05:00:00Z"), (1544936400, "2018-12-16T05:00:00Z"),
                                          ("2018-12-16", "2018-12-16"), ("12345", "12345")])
def test_record_dates_given_as_unix_timestamps_become_iso(raw: object, expected: str) -> None:
    assert article_from_record({"id": "d", "text": BODY, "date": raw}, "c.jsonl:1").date == expected


@pytest.mark.parametrize("record,problem", [({"text": BODY}, "no 'id'"), ({"id": "r1", "text": "  "}, "no text"),
                                            ({"id": "r2", "text": None}, "no text")])
def test_article_from_record_errors(record: dict, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        article_from_record(record, "c.jsonl:3")


# ---------------------------------------------------------------- corpora


def test_read_corpus_directory_mixed_and_recursive(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b" / "story.txt").write_text(BODY.replace("Friday", "Monday"), encoding="utf-8")
    (tmp_path / "b" / "page.html").write_bytes((HTML / "orchard_blog.html").read_bytes())
    (tmp_path / "rec.json").write_text(json.dumps({"id": "j1", "text": BODY}), encoding="utf-8")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")  # not an article suffix in a directory
    errors: list[InputError] = []
    arts = list(read_corpus(tmp_path, on_error=errors.append))
    assert sorted(a.id for a in arts) == ["b/story", "j1", "page", "story"]
    assert len(errors) == 1 and "empty.md" in str(errors[0])


def test_read_corpus_jsonl_reports_bad_records(tmp_path: Path) -> None:
    f = tmp_path / "articles.jsonl"
    lines = [json.dumps({"id": "1", "text": BODY, "label": "reliable", "corpus": "demo"}),
             json.dumps({"id": "2", "text": ""}),
             "{broken",
             "",
             json.dumps([1, 2]),
             json.dumps({"id": "3", "text": BODY, "title": "T"})]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors: list[InputError] = []
    arts = list(read_corpus(f, on_error=errors.append))
    assert [a.id for a in arts] == ["1", "3"]
    assert arts[0].label == "reliable" and arts[0].extra["corpus"] == "demo"
    assert len(errors) == 3
    assert any("[id 2]" in str(e) and "no text" in str(e) for e in errors)
    assert any(":3:" in str(e) or str(e).startswith(f"{f}:3") for e in errors)


def test_read_corpus_csv(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_bytes(("id,text,title,domain\n1,\"" + BODY.replace('"', '""') + "\",Café,x.example\n2,,Empty,y\n")
                  .encode("cp1252"))
    errors: list[InputError] = []
    arts = list(read_corpus(f, on_error=errors.append))
    assert [a.id for a in arts] == ["1"] and arts[0].title == "Café" and arts[0].domain == "x.example"
    assert len(errors) == 1 and "no text" in str(errors[0])


def test_read_corpus_csv_without_text_column(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("id,body\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks column"):
        list(read_corpus(f))


def test_read_corpus_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        list(read_corpus(tmp_path / "missing"))
    odd = tmp_path / "x.parquet"
    odd.write_bytes(b"PAR1")
    with pytest.raises(InputError, match="must be a directory"):
        list(read_corpus(odd))


def test_one_article_file_is_a_corpus_of_one(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_text(BODY, encoding="utf-8")
    assert [a.id for a in read_corpus(f)] == ["story"]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    errors: list[InputError] = []
    assert list(read_corpus(bad, on_error=errors.append)) == []
    assert len(errors) == 1 and "bad.txt" in str(errors[0])


def test_input_error_survives_pickling() -> None:
    """A worker process receives InputErrors by pickle: they must rebuild, or the pool hangs."""
    import pickle

    err = pickle.loads(pickle.dumps(InputError("a/b.txt", "binary file, not text")))
    assert isinstance(err, InputError) and (err.source, err.problem) == ("a/b.txt", "binary file, not text")
    assert str(err) == "a/b.txt: binary file, not text"


def test_read_corpus_default_logs_and_continues(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    f = tmp_path / "articles.jsonl"
    f.write_text(json.dumps({"id": "1"}) + "\n" + json.dumps({"id": "2", "text": BODY}) + "\n", encoding="utf-8")
    arts = list(read_corpus(f))
    assert [a.id for a in arts] == ["2"]
    assert "no text" in caplog.text


def test_decode_bytes_refuses_control_noise() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(bytes(range(1, 32)) * 20 + b"\xff", "noise.bin")


def test_shared_corpus_reads(shared: Path) -> None:
    path = shared / "data" / "corpora" / "basil" / "articles.jsonl"
    errors: list[InputError] = []
    arts = []
    for art in read_corpus(path, on_error=errors.append):
        arts.append(art)
        if len(arts) == 20:
            break
    assert len(arts) == 20 and all(a.id and a.text for a in arts)
    assert all("corpus" in a.extra for a in arts)


# ---------------------------------------------------------------- corpus records are cleaned like pages

_SCRAPED = ("Home | World | Politics | Sign in\n\nSenate passes budget bill after long debate\n\nBy Jane Doe\n\n"
            "The Senate passed the budget bill on Tuesday after a debate that lasted two days, officials said.\n\n"
            "Advertisement\n\nThe measure now goes to the House, where leaders said they expect a vote next week. "
            "Lawmakers from both parties said the bill would fund the government through September.\n")


def _write_record(tmp_path, suffix: str):
    import csv as _csv
    import json as _json

    path = tmp_path / f"corpus{suffix}"
    if suffix == ".jsonl":
        path.write_text(_json.dumps({"id": "a1", "text": _SCRAPED, "authors": ["Record Author"]}) + "\n", encoding="utf-8")
    else:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = _csv.DictWriter(fh, ["id", "text"])
            w.writeheader()
            w.writerow({"id": "a1", "text": _SCRAPED})
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_corpus_record_is_cleaned_like_a_text_page(tmp_path, suffix):
    from scorer.article import read_corpus

    art = next(read_corpus(_write_record(tmp_path, suffix)))
    page = tmp_path / "page.txt"
    page.write_text(_SCRAPED, encoding="utf-8")
    assert art.text == read(page).text
    assert "Advertisement" not in art.text and "Sign in" not in art.text
    assert any(r.kind == "advertisement" for r in art.removed)
    if suffix == ".jsonl":
        assert art.authors == ["Record Author"]  # the record's own metadata wins


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_clean_records_false_keeps_the_record_text(tmp_path, suffix):
    from scorer.article import read_corpus

    art = next(read_corpus(_write_record(tmp_path, suffix), clean_records=False))
    assert art.text == _SCRAPED and not art.removed


def test_a_record_the_cleaner_finds_no_body_in_is_kept_as_given_and_marked(tmp_path):
    import json as _json

    from scorer.article import NO_BODY, read_corpus

    path = tmp_path / "c.jsonl"
    path.write_text(_json.dumps({"id": "junk", "text": "Advertisement\n\nSign in\n\nAccept all cookies"}) + "\n"
                    + _json.dumps({"id": "ok", "text": _SCRAPED}) + "\n", encoding="utf-8")
    junk, ok = list(read_corpus(path))
    assert junk.extra.get(NO_BODY) is True and junk.text.startswith("Advertisement")
    assert NO_BODY not in ok.extra and "Advertisement" not in ok.text
