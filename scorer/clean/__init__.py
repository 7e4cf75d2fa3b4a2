"""Separate an article's body from the page furniture around it.

Two entry points, one per kind of input:

* ``clean_text(raw)`` for scraped page text (what a copy-paste or a text dump of
  a web page gives): navigation menus, repeated headline/teaser blocks,
  "READ NEXT"/"Related" lists, comment widgets, footers, author bios, image URLs.
* ``clean_html(raw)`` for HTML, through trafilatura's main-content extractor.

Both return a :class:`Cleaned`: the body text, metadata the page states
(title, byline, date, outlet, URL), every removed block with its reason, and a
map from body offsets back to raw-page offsets (used to measure extraction
against hand-marked boundaries).

How ``clean_text`` decides (generic rules, no per-site templates; the word lists
and patterns are data files under ``scorer/data/cleaning/``):

1. The page is cut into *units*: non-blank lines, or whole paragraphs when the
   lines of a block are hard-wrapped prose.
2. Units that are furniture wherever they stand are labelled first: "Advertisement"
   lines, image URLs, photo credits/captions, embedded social posts, toolbars
   made of interface words.
3. The body starts at the first prose paragraph that is not repeated elsewhere
   on the page (repeated headline/teaser blocks are page chrome); a one-sentence
   paragraph right under a headline is a teaser or a caption, not the lead.
4. The body ends at the first strong section marker after it ("READ NEXT",
   "Related", "Comments / 2", "Leave a Reply", "Tags:", "©"), and trailing
   author bios (third or first person) and non-prose lines are trimmed off.
5. Metadata comes from the header (units before the body): the headline, a
   byline ("By ...", a bulleted or bare name line), a stated date (ISO), a
   publisher line under the byline; otherwise a "©" footer names the outlet.

Every non-blank unit ends up either in the body or in ``removed``.

One module per step: :mod:`~scorer.clean.rules` (the data files),
:mod:`~scorer.clean.units` (units and the tests that label them),
:mod:`~scorer.clean.metadata` (dates, outlet, header metadata),
:mod:`~scorer.clean.text` (``clean_text``) and :mod:`~scorer.clean.html`
(``clean_html``).
"""

from __future__ import annotations

from scorer.clean.html import clean_html
from scorer.clean.metadata import find_date
from scorer.clean.text import Cleaned, Removed, clean_text

__all__ = ["Cleaned", "Removed", "clean_html", "clean_text", "find_date"]
