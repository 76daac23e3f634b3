"""Scoring web-copy cleaning and metadata against a news-dev folder (text/ copies, truth/ records).

The scoring is the folder README's: a truth paragraph counts as kept when its text
(whitespace removed) lies inside the kept text; a kept line counts as extra when its
text is not inside the truth body. The headline is kept on purpose as the document's
first sentence and is scored as the title, so it is left out of the line counts.
A publication date is right when it falls on the truth's calendar day; where both the page
(a date line with time and zone) and the truth give an instant, the page's instant is
read in the truth's zone first, as the folder README asks ("Nov 19, 8:15 pm CST" is
2019-11-20 in a truth written in UTC).
Outlets are compared by qa.metadata.outlet_key: case, spaces, punctuation, a leading "The" and a
".com"-style ending do not count (the truth names were tidied by hand; "timesunion.com" names Times Union).
Files are split in two by a hash of their name: rules are tuned on the dev half and
only measured on the held-out half.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from qa.corpus import Document, parse_document
from qa.errors import CorpusError
from qa.metadata import outlet_key
from qa.text import normalise

Half = str  # "dev" or "held-out"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def split_halves(names: list[str]) -> dict[str, Half]:
    """Dev and held-out halves: names sorted by the SHA-256 of the name, first half dev."""
    ordered = sorted(names, key=lambda name: hashlib.sha256(name.encode("utf-8")).hexdigest())
    return {name: "dev" if position < len(ordered) // 2 else "held-out" for position, name in enumerate(ordered)}


@dataclass(frozen=True)
class FileScore:
    """Cleaning and metadata figures of one news-dev page."""

    name: str
    half: Half
    language: str
    paragraphs: int
    paragraphs_kept: int
    other_lines: int
    other_lines_kept: int
    extra_lines: tuple[str, ...]
    missed_paragraphs: tuple[str, ...]
    title_right: bool
    published_truth: str | None
    published_found: str | None
    published_right: bool | None
    outlet_truth: str | None
    outlet_found: str | None
    outlet_right: bool
    author_truth: str | None
    author_found: str | None
    author_right: bool | None
    error: str | None = None


def _kept_lines(document: Document) -> list[str]:
    """The whole lines the kept paragraphs lie on: a dateline cut off a line's start is metadata, not a loss."""
    text = document.text
    lines = []
    for start, end in document.paragraphs:
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        line_ends = [position for position in (text.find("\n", end), text.find("\r", end)) if position >= 0]
        lines.extend(line.strip() for line in text[line_start : min(line_ends, default=len(text))].splitlines() if line.strip())
    return lines


def _comparable(text: str | None) -> str:
    return " ".join(normalise(text or "").casefold().split())


def _names(text: str | None) -> set[str]:
    parts = re.split(r",\s*|\s+and\s+|\s*&\s*", _comparable(text))
    return {part.strip() for part in parts if part.strip()}


def same_publication_day(found_day: str | None, found_instant: str | None, truth: str) -> bool:
    """Whether the found date is the truth's day; an instant found is read in the truth's zone when it has one."""
    if not found_day:
        return False
    try:
        truth_instant = dt.datetime.fromisoformat(truth)
    except ValueError:
        truth_instant = None
    if found_instant and truth_instant is not None and truth_instant.tzinfo is not None:
        found = dt.datetime.fromisoformat(found_instant).astimezone(truth_instant.tzinfo)
        return found.date().isoformat() == truth[:10]
    return found_day[:10] == truth[:10]


def score_file(text_path: Path, truth: dict, language: str, half: Half) -> FileScore:
    """Clean one saved copy and compare it with its truth record."""
    return score_text(text_path.read_text(encoding="utf-8"), text_path.stem, truth, language, half)


def score_text(raw: str, name: str, truth: dict, language: str, half: Half) -> FileScore:
    """Clean a copy's text and compare it with its truth record (tools/cleaning_perturbations.py scores altered copies)."""
    body = squash(truth["body"])
    paragraphs = [paragraph for paragraph in truth["body"].split("\n") if squash(paragraph)]
    headline = squash(normalise(truth.get("headline") or ""))
    other = [line.strip() for line in raw.splitlines() if squash(line) and squash(line) not in body and squash(normalise(line)) != headline]
    try:
        document = parse_document(raw.encode("utf-8"), f"{name}.txt")
    except ValueError as error:
        return FileScore(name, half, language, len(paragraphs), 0, len(other), 0, (), tuple(paragraphs), False,
                         truth.get("published"), None, None if not truth.get("published") else False,
                         truth.get("outlet"), None, False, truth.get("author"), None, None, str(error))  # fmt: skip
    kept = _kept_lines(document)
    kept_squashed = squash("".join(kept))
    missed = tuple(paragraph for paragraph in paragraphs if squash(paragraph) not in kept_squashed)
    extra = tuple(line for line in kept if squash(line) not in body and squash(normalise(line)) != headline)
    published_truth = truth.get("published")
    published_found = document.date if document.date_kind in {"published", "dateline"} else None
    published_right = None if not published_truth else same_publication_day(published_found, document.published_at, published_truth)
    author_truth = truth.get("author")
    author_found = getattr(document, "author", None)
    return FileScore(
        name=name,
        half=half,
        language=language,
        paragraphs=len(paragraphs),
        paragraphs_kept=len(paragraphs) - len(missed),
        other_lines=len(other),
        other_lines_kept=len(extra),
        extra_lines=extra,
        missed_paragraphs=missed,
        title_right=_comparable(document.title) == _comparable(truth.get("headline")),
        published_truth=published_truth,
        published_found=published_found,
        published_right=published_right,
        outlet_truth=truth.get("outlet"),
        outlet_found=document.outlet,
        outlet_right=outlet_key(document.outlet) == outlet_key(truth.get("outlet")),
        author_truth=author_truth,
        author_found=author_found,
        author_right=None if not author_truth else _names(author_found) == _names(author_truth),
    )


# The layouts of a page a news-dev folder gives: its trimmed text copy, or its saved HTML rendered whole.
LAYOUTS = ("text", "whole-page")


def page_text(folder: Path, name: str, layout: str = "text") -> str:
    """A news-dev page's copy in one of the `LAYOUTS`: text/NAME.txt, or html/NAME.html.gz as a whole-page copy."""
    if layout == "whole-page":
        from qa.page_copy import page_copy

        return page_copy((folder / "html" / f"{name}.html.gz").read_bytes())
    return (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")


def score_folder(folder: Path, layout: str = "text") -> list[FileScore]:
    """Score every page of a news-dev folder (text/, truth/, index.tsv; html/ for the whole-page layout)."""
    text_folder, truth_folder = folder / "text", folder / "truth"
    if not text_folder.is_dir() or not truth_folder.is_dir() or (layout == "whole-page" and not (folder / "html").is_dir()):
        raise CorpusError(f"not a news-dev folder (needs text/, truth/ and for whole pages html/): {folder}")
    languages: dict[str, str] = {}
    index = folder / "index.tsv"
    if index.exists():
        with index.open(encoding="utf-8") as handle:
            languages = {row["name"]: row["language"] for row in csv.DictReader(handle, delimiter="\t")}
    paths = [path for path in sorted(text_folder.glob("*.txt")) if (truth_folder / f"{path.stem}.json").exists()]
    halves = split_halves([path.stem for path in paths])
    scores = []
    for text_path in paths:
        truth = json.loads((truth_folder / f"{text_path.stem}.json").read_text(encoding="utf-8"))
        raw = page_text(folder, text_path.stem, layout)
        scores.append(score_text(raw, text_path.stem, truth, languages.get(text_path.stem, "?"), halves[text_path.stem]))
    return scores


def summarise(scores: list[FileScore]) -> dict:
    """Overall figures of a set of file scores (micro-averaged line figures, page shares for metadata)."""
    paragraphs = sum(score.paragraphs for score in scores)
    other = sum(score.other_lines for score in scores)
    dated = [score for score in scores if score.published_right is not None]
    authored = [score for score in scores if score.author_right is not None]

    def share(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    return {
        "pages": len(scores),
        "paragraphs_kept": share(sum(score.paragraphs_kept for score in scores), paragraphs),
        "pages_with_all_paragraphs": sum(score.paragraphs_kept == score.paragraphs for score in scores),
        "other_lines_kept": share(sum(score.other_lines_kept for score in scores), other),
        "other_lines": other,
        "title_right": share(sum(score.title_right for score in scores), len(scores)),
        "published_right": share(sum(bool(score.published_right) for score in dated), len(dated)),
        "pages_with_published": len(dated),
        "outlet_right": share(sum(score.outlet_right for score in scores), len(scores)),
        "author_right": share(sum(bool(score.author_right) for score in authored), len(authored)),
        "pages_with_author": len(authored),
    }


def report(scores: list[FileScore]) -> dict:
    """Summaries by half (dev, held-out, all) and language (all, English only)."""
    groups = {}
    for half in ("dev", "held-out", "all"):
        chosen = [score for score in scores if half == "all" or score.half == half]
        groups[half] = {"all languages": summarise(chosen), "English": summarise([s for s in chosen if s.language == "en"])}
    return groups


def to_json(scores: list[FileScore]) -> dict:
    return {"summary": report(scores), "files": [asdict(score) for score in scores]}


def _percent(value: float | None) -> str:
    return "  n/a " if value is None else f"{100 * value:5.1f}%"


def format_report(scores: list[FileScore], verbose: bool = False) -> str:
    """Readable figures: per file with `verbose`, then by half and language."""
    lines = []
    if verbose:
        lines.append("file                                           half      paras kept  other kept  title date outlet")
        for score in scores:
            mark = {True: "ok", False: "NO", None: "-"}
            lines.append(
                f"{score.name[:46]:46} {score.half:8} {score.paragraphs_kept:4}/{score.paragraphs:<4}"
                f" {score.other_lines_kept:4}/{score.other_lines:<5} {mark[score.title_right]:>5} {mark[score.published_right]:>4}"
                f" {mark[score.outlet_right]:>6}" + (f"  error: {score.error}" if score.error else "")
            )
            for paragraph in score.missed_paragraphs:
                lines.append(f"    missed: {paragraph[:100]}")
            for line in score.extra_lines:
                lines.append(f"    extra:  {line[:100]}")
            if not score.published_right and score.published_right is not None:
                lines.append(f"    date:   found {score.published_found}, truth {score.published_truth}")
            if not score.outlet_right:
                lines.append(f"    outlet: found {score.outlet_found!r}, truth {score.outlet_truth!r}")
        lines.append("")
    lines.append("set                    pages  paragraphs kept  other lines kept  title  published  outlet  author")
    for half, by_language in report(scores).items():
        for language, figures in by_language.items():
            lines.append(
                f"{half + ' / ' + language:22} {figures['pages']:5}  {_percent(figures['paragraphs_kept']):>15}"
                f"  {_percent(figures['other_lines_kept']):>16}  {_percent(figures['title_right'])}"
                f"  {_percent(figures['published_right']):>9}  {_percent(figures['outlet_right'])}  {_percent(figures['author_right'])}"
            )
    return "\n".join(lines)
