"""The article commands of the command line: ``geocode``, ``extract`` and ``ingest`` (the I/O edge)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from controlmap.articles.extraction import extraction_from_text
from controlmap.articles.files import article_from_file, gazetteer_from_dir, review_from_file
from controlmap.articles.gazetteer import geocode
from controlmap.articles.ingest import ingest_review
from controlmap.cli.common import add_data_option, checked_output_path, write_output_text
from controlmap.codec import document_to_text
from controlmap.dates import parse_date
from controlmap.errors import ArticleError, ControlmapError

if TYPE_CHECKING:
    import argparse

EXIT_OK = 0
EXIT_NOTHING = 1


def add_article_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``geocode``, ``extract`` and ``ingest`` to the command line."""
    find = commands.add_parser("geocode", help="the places a name may be, ranked, with coordinates (offline)")
    find.add_argument("name", metavar="NAME", help="a place name in any spelling, or Arabic script")
    find.add_argument("--country", type=str.upper, choices=["IQ", "SY"], help="prefer places in this country")
    find.add_argument("--limit", type=int, default=10, help="at most this many candidates (default 10)")
    add_data_option(find)
    find.set_defaults(command=run_geocode)

    extract = commands.add_parser("extract", help="propose claims of control from an article, for review")
    extract.add_argument("article", type=Path, metavar="ARTICLE.txt", help="the article as plain UTF-8 text")
    extract.add_argument("--published", help="the publication date, YYYY-MM-DD (default: read from the text)")
    extract.add_argument("--title", help="the article's title (default: its first line)")
    extract.add_argument("--outlet", help="who published it (default: the host of --url; one of them is needed)")
    extract.add_argument("--url", help="where it was published (http:// or https://)")
    extract.add_argument("--country", type=str.upper, choices=["IQ", "SY"], help="prefer places in this country")
    extract.add_argument("--output", "-o", default="-", help="the review file to write, or - for standard output")
    extract.add_argument("--force", action="store_true", help="overwrite the review file if it exists")
    add_data_option(extract)
    extract.set_defaults(command=run_extract)

    ingest = commands.add_parser("ingest", help="save the accepted claims of a review file into the geodata")
    ingest.add_argument("review", type=Path, metavar="REVIEW.json", help="a review file written by extract")
    ingest.add_argument(
        "--apply-conflicts", action="store_true", help="also apply claims that contradict the data at their date"
    )
    ingest.add_argument("--dry-run", action="store_true", help="check and report, but write nothing")
    add_data_option(ingest)
    ingest.set_defaults(command=run_ingest)


def run_geocode(args: argparse.Namespace) -> int:
    """``controlmap geocode``: ranked candidates, one line each."""
    if not args.name.strip():
        msg = "NAME: give a place name"
        raise ControlmapError(msg)
    candidates = geocode(gazetteer_from_dir(args.data), args.name, country=args.country, limit=max(1, args.limit))
    if not candidates:
        print(f"no place matches {args.name!r}", file=sys.stderr)
        return EXIT_NOTHING
    rows = [("score", "id", "name", "kind", "country", "lon", "lat", "from", "matched")]
    for c in candidates:
        e = c.entry
        rows.append(
            (
                f"{c.score:.2f}",
                e.id,
                e.name,
                e.kind,
                e.country or "-",
                f"{e.lon:.4f}",
                f"{e.lat:.4f}",
                e.origin,
                c.matched,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        sys.stdout.write("  ".join([*cells, row[-1]]).rstrip() + "\n")
    return EXIT_OK


def run_extract(args: argparse.Namespace) -> int:
    """``controlmap extract``: write a review file of proposed claims."""
    from controlmap.articles.review import (  # noqa: PLC0415 - keeps the import graph of cli small
        resolved_outlet,
        review_from_extraction,
    )

    text = article_from_file(args.article)
    published = None if args.published is None else parse_date(args.published, what="--published")
    if args.url is not None and not args.url.startswith(("http://", "https://")):
        msg = f"--url: {args.url!r} is not an http:// or https:// address"
        raise ControlmapError(msg)
    outlet = resolved_outlet(args.outlet, args.url)
    if args.output != "-":
        checked_output_path(args.output, force=args.force)  # before the work, not after
    extraction = extraction_from_text(text, gazetteer_from_dir(args.data), published=published, country=args.country)
    if not extraction.places:
        msg = f"{args.article}: no places found in the text, so there is nothing to review"
        raise ArticleError(msg)
    title = args.title or _first_line(text)
    document = review_from_extraction(
        extraction,
        title=title,
        outlet=outlet,
        url=args.url,
        file=str(args.article),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    write_output_text(args.output, document_to_text(document), force=args.force)
    for note in extraction.notes:
        print(f"note: {note}", file=sys.stderr)
    where = "" if args.output == "-" else f" in {args.output}"
    print(
        f"{len(extraction.places)} place mentions, {len(document['claims'])} proposed claims{where}; "
        'set each "decision" to "accepted" or "rejected", then run controlmap ingest',
        file=sys.stderr,
    )
    return EXIT_OK


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return "untitled article"


def run_ingest(args: argparse.Namespace) -> int:
    """``controlmap ingest``: merge accepted claims, one line per claim and place."""
    review = review_from_file(args.review)
    report = ingest_review(review, data_dir=args.data, apply_conflicts=args.apply_conflicts, dry_run=args.dry_run)
    for outcome in report.outcomes:
        sides = ""
        if outcome.action in ("conflict", "forced"):
            sides = f" [data: {', '.join(outcome.data_sources) or 'none'}; article: {outcome.claim_source}]"
        print(f"{outcome.claim_id} {outcome.place_id}: {outcome.action}: {outcome.message}{sides}")
    if report.not_accepted:
        print(f"not accepted: {', '.join(report.not_accepted)}", file=sys.stderr)
    if report.conflicts:
        print(
            f'{len(report.conflicts)} conflicting claim(s) not applied: set "apply_conflict": true on a claim, '
            "or pass --apply-conflicts",
            file=sys.stderr,
        )
    if args.dry_run:
        print("dry run: nothing written", file=sys.stderr)
    elif report.written:
        print(f"written: {', '.join(map(str, report.written))} (previous versions kept as .bak)", file=sys.stderr)
    else:
        print("nothing to write", file=sys.stderr)
    return EXIT_OK
