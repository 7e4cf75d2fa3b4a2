"""Print a record's text between offsets, with some context, for labelling and review.

Usage: ``python3 tools/labelling/show.py CORPUS ARTICLE START END [--context N]``
(``--context`` characters of surrounding text are shown in ``[...]``; default 0).
"""
from __future__ import annotations

import argparse
import sys

from common import CORPORA, read_corpus


def main() -> int:
    """Look the record up and print the span (and its context)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", choices=CORPORA)
    ap.add_argument("article")
    ap.add_argument("start", type=int)
    ap.add_argument("end", type=int)
    ap.add_argument("--context", type=int, default=0)
    args = ap.parse_args()
    for rec in read_corpus(args.corpus):
        if rec.article == args.article:
            text = rec.text
            if not 0 <= args.start < args.end <= len(text):
                print(f"{args.corpus}/{args.article}: offsets {args.start}-{args.end} outside 0-{len(text)}",
                      file=sys.stderr)
                return 1
            before = text[max(0, args.start - args.context):args.start]
            after = text[args.end:args.end + args.context]
            print(f"[{before}]{text[args.start:args.end]}[{after}]" if args.context else text[args.start:args.end])
            return 0
    print(f"{args.corpus}: no article {args.article!r}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
