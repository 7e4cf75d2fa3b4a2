"""Tests of scorer.clean: body/furniture separation on scraped text and HTML, and page metadata."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.body_extraction import char_set, load_gold, prf
from scorer.article import decode_bytes
from scorer.clean import Cleaned, clean_html, clean_text, find_date
from scorer.paths import REPO

SEEDS = REPO / "seeds"
HTML = REPO / "tests" / "fixtures" / "html"


def _seed(prefix: str) -> str:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_bytes().decode("utf-8")


def assert_accounts_for_everything(raw: str, cleaned: Cleaned) -> None:
    """Body and removed blocks together cover every non-blank character; spans match their text."""
    covered: set[int] = set()
    for text_span, raw_span in cleaned.body_map:
        assert cleaned.text[text_span.start:text_span.end].split() == raw[raw_span.start:raw_span.end].split()
        covered.update(range(raw_span.start, raw_span.end))
    for block in cleaned.removed:
        assert raw[block.span.start:block.span.end] == block.text
        covered.update(range(block.span.start, block.span.end))
    missing = [i for i, ch in enumerate(raw) if not ch.isspace() and i not in covered]
    assert missing == [], f"characters lost: {raw[missing[0]:missing[0] + 40]!r}"


# ---------------------------------------------------------------- seeds


@pytest.mark.parametrize("sid", sorted(load_gold()))
def test_seed_body_matches_hand_marked_body(sid: str) -> None:
    raw = (SEEDS / f"{sid}.txt").read_bytes().decode("utf-8")
    cleaned = clean_text(raw)
    pred = char_set(raw, [(s.start, s.end) for s in cleaned.raw_body_spans()])
    gold = char_set(raw, load_gold()[sid])
    p, r, _ = prf(len(pred & gold), len(pred), len(gold))
    assert p >= 0.95 and r >= 0.95, (p, r)
    assert_accounts_for_everything(raw, cleaned)


def test_seed_000_metadata_and_furniture() -> None:
    c = clean_text(_seed("000"))
    assert c.title == "Russia Has Found its ‘Top Military Backer’ in Iranian Regime, U.S. Says"
    assert c.authors == ["Tristan Vanheuckelom"]
    assert c.date == "2022-12-12"
    assert c.outlet == "The European Conservative"
    kinds = {r.kind for r in c.removed}
    assert {"teaser", "navigation", "embed", "author_bio", "related", "footer", "tags"} <= kinds
    assert "READ NEXT" not in c.text and "(@DefenceU)" not in c.text
    assert "is a Belgian journalist" not in c.text
    assert c.text.startswith("The war in Ukraine")
    assert "In effect, Kirby said," in c.text  # a short lead-in line inside the body stays


def test_seed_001_caption_bio_and_comments_removed() -> None:
    c = clean_text(_seed("001"))
    assert c.authors == ["Umar Ali"]  # the name line above the bio
    assert c.date is None
    assert "Credits –" not in c.text
    assert "Leave a Reply" not in c.text and "editor in chief" not in c.text
    assert c.text.rstrip().endswith("said in a statement.")
    assert {"caption", "author_bio", "comments"} <= {r.kind for r in c.removed}


def test_seed_002_dek_caption_and_source_note() -> None:
    c = clean_text(_seed("002"))
    assert c.authors == ["Joseph Godwin"]
    assert c.title and c.title.startswith("Drones Represent")
    assert c.text.startswith("The most conclusive evidence yet")
    assert "The New York Times" in c.text.splitlines()[-1]  # the citation of the original stays in the body
    assert "Comments / 1" not in c.text and "Published by" not in c.text
    assert {"dek", "caption", "comments", "author_bio"} <= {r.kind for r in c.removed}


def test_seed_003_publisher_date_and_related() -> None:
    c = clean_text(_seed("003"))
    assert c.authors == ["Tom O'Connor"]
    assert c.outlet == "Newsweek"
    assert c.date == "2022-08-31"  # the stated date, not "4 days ago"
    assert "particlenews.com" not in c.text
    assert "Daily Mail" not in c.text and "RELATED PEOPLE" not in c.text
    assert c.text.rstrip().endswith("as it becomes available.")
    assert {"image_url", "comments", "related", "byline", "outlet"} <= {r.kind for r in c.removed}


def test_seed_004_advertisements_and_toolbars() -> None:
    c = clean_text(_seed("004"))
    assert c.title is None and c.authors == [] and c.date is None
    assert "Advertisement" not in c.text
    assert [r.kind for r in c.removed].count("advertisement") == 3
    assert c.text.startswith("The relationship between Russia and Iran")
    assert c.text.rstrip().endswith("contributed to this report.")


# ---------------------------------------------------------------- invented pages

PAGE = """Home
News
Sport
Subscribe

Council Votes to Reopen the Riverside Swimming Pool

By Hannah Ostrowski and Leo Brandt
Updated March 3, 2020

Share this article

The town council voted on Tuesday to reopen the Riverside swimming pool next summer, two years after it closed for repairs to its roof and filters.

"Families have waited long enough," said councillor Ada Mensah, who chaired the meeting. The vote passed by seven to two.

Advertisement

The repairs will cost about 900,000 dollars, to be paid from the leisure budget and a regional grant, according to council papers.

Opponents said the money would be better spent on the library. The pool is expected to open in June.

Hannah Ostrowski is a local government reporter who writes for the Riverside Echo.

Related
Library hours cut again
New bus route to the hospital

Leave a Reply
Your email address will not be published.

© 2020 Riverside Echo
"""


def test_invented_page_body_and_metadata() -> None:
    c = clean_text(PAGE)
    paras = c.text.split("\n\n")
    assert len(paras) == 4
    assert paras[0].startswith("The town council voted") and paras[-1].endswith("open in June.")
    assert c.title == "Council Votes to Reopen the Riverside Swimming Pool"
    assert c.authors == ["Hannah Ostrowski", "Leo Brandt"]
    assert c.date == "2020-03-03"
    assert c.outlet == "Riverside Echo"
    kinds = [r.kind for r in c.removed]
    for kind in ("navigation", "title", "byline", "date", "toolbar", "advertisement", "author_bio", "related",
                 "comments", "footer"):
        assert kind in kinds, kind
    assert_accounts_for_everything(PAGE, c)


def test_clean_article_text_comes_through_whole() -> None:
    text = ("The harbour authority said on Friday that the new breakwater was finished.\n\n"
            "Work began in 2019 and cost less than planned, the authority's director said.\n\n"
            "Fishing boats will be able to use the inner basin again from next week.")
    c = clean_text(text)
    assert c.text == text
    assert c.removed == []


def test_short_lead_after_bare_title_is_kept() -> None:
    """Without a byline/date header, a one-sentence first paragraph is the lead, not a dek."""
    text = ("Harbour Breakwater Finished Ahead of Schedule\n\n"
            "The harbour's new breakwater is finished, officials said.\n\n"
            "Work began in 2019 and cost less than planned, the director said. Boats will return to the inner "
            "basin next week, and the old pier will be demolished in the spring once the tides allow it.")
    c = clean_text(text)
    assert c.title == "Harbour Breakwater Finished Ahead of Schedule"
    assert c.text.startswith("The harbour's new breakwater is finished")


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = ("The committee met for three hours on Monday evening and heard from more\n"
            "than forty residents, most of whom opposed the plan to close the branch.\n\n"
            "A decision is expected next month, the chair said after the meeting had\n"
            "ended, adding that the written submissions would also be considered.\n")
    c = clean_text(text)
    paras = c.text.split("\n\n")
    assert len(paras) == 2
    assert "more than forty" in paras[0]
    assert_accounts_for_everything(text, c)


def test_in_body_related_box_does_not_end_the_article() -> None:
    paras = [f"The mayor said in her statement number {n} that the plan would be put to a public vote in the "
             f"autumn, after a consultation with residents of the {n} districts concerned." for n in range(1, 6)]
    text = paras[0] + "\n\nRelated content\n\nBus fares to rise in April\n\n" + "\n\n".join(paras[1:])
    c = clean_text(text)
    assert c.text.split("\n\n") == paras
    assert "Bus fares to rise" not in c.text
    assert [r.kind for r in c.removed] == ["related"]


def test_source_note_and_short_closing_line_stay() -> None:
    text = ("The ministry said the new rules would apply from January, after a consultation with farmers.\n\n"
            "Farmers' groups said they had not been consulted at all and would appeal.\n\n"
            "Beware, farmers. Beware.\n\n"
            "(Source: Valley Farming Weekly)")
    c = clean_text(text)
    assert c.text.endswith("Beware, farmers. Beware.\n\n(Source: Valley Farming Weekly)")


def test_paragraph_starting_with_by_is_not_a_byline() -> None:
    text = ("By refusing to answer, the minister made the problem worse for his own party, critics said.\n\n"
            "The opposition called for an inquiry into the contract on Monday.")
    assert clean_text(text).text == text


def test_markdown_front_matter_gives_metadata() -> None:
    text = ("---\ntitle: Tram Line Opens\nauthor: Sofia Marin\ndate: 2021-06-01\n---\n\n"
            "# Tram Line Opens\n\nThe new tram line between the station and the university opened on Tuesday.\n")
    c = clean_text(text)
    assert (c.title, c.authors, c.date) == ("Tram Line Opens", ["Sofia Marin"], "2021-06-01")
    assert c.text == "The new tram line between the station and the university opened on Tuesday."


def test_all_furniture_page_gives_empty_text() -> None:
    text = "Home\nNews\nSport\n\nREAD NEXT\n\nLibrary hours cut again\n\n© 2022 Example Times\nPrivacy Policy\n"
    c = clean_text(text)
    assert c.text == "" and c.body_map == []
    assert_accounts_for_everything(text, c)
    assert c.outlet == "Example Times"


def test_crlf_line_endings() -> None:
    text = PAGE.replace("\n", "\r\n")
    c = clean_text(text)
    assert c.title == "Council Votes to Reopen the Riverside Swimming Pool"
    assert len(c.text.split("\n\n")) == 4
    assert "\r" not in c.text
    assert_accounts_for_everything(text, c)


@pytest.mark.parametrize("text,iso", [
    ("— December 12, 2022", "2022-12-12"),
    (" date 2022-08-31 ContributorsPublishers", "2022-08-31"),
    ("Posted on 5th March 2019 by staff", "2019-03-05"),
    ("Sept. 9, 2021, 4:05 PM", "2021-09-09"),
    ("(2022 October 17th)", "2022-10-17"),
    ("4 days ago", None),
    ("February 30, 2022", None),
    ("no date here", None),
])
def test_find_date(text: str, iso: str | None) -> None:
    assert find_date(text) == iso


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_unicode_input_gives_a_cleaned_that_loses_nothing(raw: str) -> None:
    c = clean_text(raw)
    assert isinstance(c, Cleaned)
    covered: set[int] = set()
    for _, span in c.body_map:
        covered.update(range(span.start, span.end))
    for block in c.removed:
        covered.update(range(block.span.start, block.span.end))
    assert all(i in covered for i, ch in enumerate(raw) if not ch.isspace() and ch not in "\x1c\x1d\x1e\x85\u2028\u2029")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "Home", "READ NEXT", "Comments / 3", "Advertisement", "By Ana Lima", "Related",
    "The council met on Monday and agreed the budget for next year after a long debate.",
    "https://img.example.com/a.jpg", "© 2020 Example", "  • News", "",
    "“We will appeal,” the spokesman said, adding that lawyers were studying the ruling.",
]), max_size=30))
def test_page_shaped_input_loses_nothing(lines: list[str]) -> None:
    raw = "\n".join(lines)
    assert_accounts_for_everything(raw, clean_text(raw))


def test_cleaning_is_fast() -> None:
    raw = _seed("003")
    clean_text(raw)
    t0 = time.perf_counter()
    for _ in range(50):
        clean_text(raw)
    assert time.perf_counter() - t0 < 5.0


# ---------------------------------------------------------------- HTML


def _html(name: str) -> tuple[str, Cleaned]:
    path = HTML / name
    raw = decode_bytes(path.read_bytes(), path)
    return raw, clean_html(raw)


def test_html_news_page() -> None:
    raw, c = _html("bridge_repair.html")
    assert c.title == "Harlow Bridge to Close for Six Weeks of Repairs"
    assert c.authors == ["Mirela Okafor"]
    assert c.date == "2021-03-04"
    assert c.outlet == "The Valley Ledger"
    paras = c.text.split("\n\n")
    assert len(paras) == 5 and paras[0].startswith("The Harlow Street bridge")
    for furniture in ("Subscribe", "Ring road speed limit", "Ten minutes?", "All rights reserved", "Privacy Policy"):
        assert furniture not in c.text
    kinds = {r.kind for r in c.removed}
    assert {"navigation", "title", "related", "comments", "footer"} <= kinds
    for block in c.removed:  # spans point into the HTML source
        assert block.text.split()[0].replace("©", "&copy;") in raw[block.span.start:block.span.end]


def test_html_blog_with_comments_and_meta_tags() -> None:
    _, c = _html("orchard_blog.html")
    assert c.title == "Why the Pemberton Orchard Harvest Came Early"
    assert c.authors == ["Tobias Lindqvist"]
    assert c.date == "2020-09-18"
    assert c.text.startswith("Apple pickers at the Pemberton orchard")
    assert "pears" not in c.text and "Leave a Reply" not in c.text and "Popular posts" not in c.text
    assert sum(r.kind == "comments" for r in c.removed) >= 4


def test_html_wire_story_with_json_ld() -> None:
    _, c = _html("library_wire.html")
    assert c.authors == ["Priya Raman", "Colm Daly"]
    assert c.date == "2019-11-27"
    assert c.outlet == "Coastline Wire"
    assert "Advertisement" not in c.text and "Share Email Print" not in c.text
    assert c.text.rstrip().endswith("editing by Ewa Sobczak")  # the credit line is part of the article
    assert "Harbour dredging" not in c.text


def test_html_cp1252_page() -> None:
    _, c = _html("market_square_cp1252.htm")
    assert c.title == "Café owners in Saint-Léon welcome the new market square"
    assert c.authors == ["Renée Duval"]
    assert c.date == "2018-05-12"
    assert "“People came to look at the new fountain" in c.text
    assert "Published 12 May 2018" not in c.text


def test_html_page_without_article_gives_empty_text() -> None:
    _, c = _html("furniture_only.html")
    assert c.text == ""
    assert {r.kind for r in c.removed} >= {"footer"}


def test_html_garbage_does_not_crash() -> None:
    for raw in ("", "<html>", "<<<>>>", "<p>Just one short line.</p>", "\x00\x01 not html"):
        assert isinstance(clean_html(raw), Cleaned)


def test_page_scraped_twice_keeps_one_copy() -> None:
    body = ("The council met on Monday and agreed the budget for next year after a long debate.\n\n"
            "Opponents said the plan would raise rents in the old town, and promised to appeal.")
    c = clean_text("Home\n\n" + body + "\n\nHome\n\n" + body)
    assert c.text == body
    assert {r.kind for r in c.removed} == {"navigation", "repeated"}


def test_photo_credit_line_takes_its_caption_along() -> None:
    text = ("The minister said on Tuesday that the new rail line would open in the spring, two years late.\n\n"
            "The minister at the station in Harlow on Monday.\n\n"
            "(Photo: Jan Novak, Valley Press)\n\n"
            "Work on the line was halted twice, the ministry said, and cost overruns reached 40 percent.")
    c = clean_text(text)
    assert "station in Harlow" not in c.text and "Photo:" not in c.text
    assert [r.kind for r in c.removed] == ["caption"]


def test_many_related_boxes_are_fast() -> None:
    para = "The council met on Monday and agreed the budget for next year after a long debate, officials said."
    page = "".join(f"Related\nHeadline number {i}\n\n{para} Item {i}.\n\n" for i in range(3000))
    t0 = time.perf_counter()
    c = clean_text(page)
    assert time.perf_counter() - t0 < 5.0
    assert c.text.count("officials said") >= 1000 and "Headline number" not in c.text


@pytest.mark.parametrize("byline,authors,date", [
    ("By Tom O'Connor", ["Tom O'Connor"], "2021-06-02"),
    ("Analysis by Nadia Petrova, Valley Wire", ["Nadia Petrova"], "2021-06-02"),
    ("By                 MARTA KOWALCZYK Associated Press", ["Marta Kowalczyk"], "2021-06-02"),
    ("Posted by Ivo Brandt on 25 Sep 2016", ["Ivo Brandt"], "2016-09-25"),  # the byline's own date comes first
    ("Priya Raman and Colm Daly", ["Priya Raman", "Colm Daly"], "2021-06-02"),
    ("By The Associated Press", [], "2021-06-02"),
    ("By Staff Writer", [], "2021-06-02"),
])
def test_bylines(byline: str, authors: list[str], date: str) -> None:
    page = (f"Harbour Breakwater Finished Ahead of Schedule\n\n{byline}\n\nJune 2, 2021\n\n"
            "The harbour authority said on Friday that the new breakwater was finished, two months early. "
            "Work began in 2019 and cost less than planned, the director said.")
    c = clean_text(page)
    assert c.authors == authors
    assert c.date == date
    assert c.text.startswith("The harbour authority said")


def test_headline_is_never_taken_from_below_the_byline() -> None:
    page = ("By Ana Lima\n\nJuly 15, 2018\n\nThe Valley Wire Service\n\n"
            "The harbour authority said on Friday that the new breakwater was finished, two months early. "
            "Work began in 2019 and cost less than planned, the director said.")
    c = clean_text(page)
    assert c.title is None and c.authors == ["Ana Lima"] and c.date == "2018-07-15"


def test_dated_photo_caption_is_not_the_article_date() -> None:
    page = ("(Valley Health) - Many patients with chronic back pain are not offered physiotherapy even though it "
            "helps, a study from Norway suggests.\n\n"
            "A woman walks her dog in a park in Oslo July 5, 2013. VALLEYPHOTO/Ana Lima\n\n"
            "The findings may apply to other countries too, the study's senior author said in an interview.")
    c = clean_text(page)
    assert c.date is None
    assert c.text.startswith("(Valley Health) - Many patients")


def test_dateline_line_opens_the_lead() -> None:
    page = ("Harbour Breakwater Finished Ahead of Schedule\n\nBy Ana Lima\n\nJune 2, 2021\n\nPORTO, Portugal\n\n"
            "The harbour authority said on Friday that the new breakwater was finished, two months early.\n\n"
            "Work began in 2019 and cost less than planned, the director said.")
    c = clean_text(page)
    assert c.text.startswith("PORTO, Portugal\n\nThe harbour authority said")


def test_subscription_prompts_photo_captions_and_relative_dates_are_removed() -> None:
    page = ("Harbour Breakwater Finished Ahead of Schedule\n\nBy Ana Lima\n\nUpdated 7 minutes ago\n\n"
            "Jan Novak/AP\n\nThe director of the harbour authority shows the breakwater to visitors on Friday.\n\n"
            "Sign up for one of our email newsletters.\n\n"
            "The harbour authority said on Friday that the new breakwater was finished, two months early. "
            "Work began in 2019 and cost less than planned, the director said.\n\n"
            "Boats in the harbour on Friday, as work on the breakwater finished two months early, the authority "
            "said in a statement welcoming the news, and fishermen said they were relieved. (AP Photo/Jan Novak)\n\n"
            "Fishermen said they would return to the inner basin next week.\n\n"
            "SIGN UP\n\nBe the first to know.\n\n"
            "No one covers the harbour better than we do. And with a digital subscription, you'll never miss a story.")
    c = clean_text(page)
    assert c.text.split("\n\n")[0].startswith("The harbour authority said on Friday")
    assert c.text.endswith("return to the inner basin next week.")
    assert "(AP Photo/Jan Novak)" not in c.text and "Sign up" not in c.text
    kinds = {r.kind for r in c.removed}
    assert {"caption", "promo", "date", "byline", "title"} <= kinds


def test_a_quote_with_promo_words_stays() -> None:
    text = ("The minister said on Friday that talks would resume next week.\n\n"
            "\"He may deny it. All I can say is, did you? You'll be the first to know, okay,\" the minister said.")
    assert clean_text(text).text == text


def test_old_mac_line_endings() -> None:
    text = PAGE.replace("\n", "\r")
    c = clean_text(text)
    assert c.title == "Council Votes to Reopen the Riverside Swimming Pool"
    assert len(c.text.split("\n\n")) == 4
    assert_accounts_for_everything(text, c)
