"""Measuring saved-page ingestion against a truth set (news-dev layout: html/<name>.html.gz, truth/<name>.json).

Text: token recall and precision of the extracted article body against the truth body
(bags of lower-cased word tokens). Metadata: agreement of title, outlet, author and
publication day (outlets compared by qa.metadata.outlet_key: case, spaces, punctuation, a leading
"The" and a ".com"-style ending do not count). Pages are split by name into two halves: post-processing is tuned on
the first ("tuning") only, and the second ("held-out") is reported apart.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from qa.corpus import Document, parse_document
from qa.errors import EvaluationFileError
from qa.metadata import outlet_key

_WORD = re.compile(r"\w+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})


@dataclass(frozen=True)
class PageScore:
    """One page: token overlap with the truth body, and which metadata fields agree (None: truth has no value)."""

    name: str
    half: str
    extracted_tokens: int
    truth_tokens: int
    shared_tokens: int
    title: bool
    outlet: bool
    author: bool
    day: bool | None
    found: dict  # what was extracted: title, outlet, author, date
    truth: dict
    seconds: float
    error: str | None = None

    @property
    def recall(self) -> float:
        return self.shared_tokens / self.truth_tokens if self.truth_tokens else 1.0

    @property
    def precision(self) -> float:
        return self.shared_tokens / self.extracted_tokens if self.extracted_tokens else 0.0


def _tokens(text: str) -> Counter:
    return Counter(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def _normal(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", (text or "").translate(_QUOTES)).casefold().split()).strip(" .")


def _names(text: str | None) -> frozenset[str]:
    return frozenset(_normal(name) for name in re.split(r",|;|\band\b|&", text or "") if _normal(name))


def article_body(document: Document) -> str:
    """The extracted text without the headline paragraph the reader puts first."""
    paragraphs = [document.text[start:end] for start, end in document.paragraphs]
    if paragraphs and _normal(paragraphs[0]) == _normal(document.title):
        paragraphs = paragraphs[1:]
    return "\n".join(paragraphs)


def score_page(html_path: Path, truth: dict, half: str) -> PageScore:
    name = html_path.name.split(".")[0]
    started = time.perf_counter()
    truth_tokens = _tokens(truth.get("body") or "")
    truth_view = {key: truth.get(key) for key in ("headline", "outlet", "author", "published")}
    try:
        document = parse_document(html_path.read_bytes(), html_path.name)
    except ValueError as error:
        seconds = time.perf_counter() - started
        return PageScore(name, half, 0, sum(truth_tokens.values()), 0, False, False, False, None if not truth.get("published") else False, {}, truth_view, seconds, str(error))
    seconds = time.perf_counter() - started
    extracted = _tokens(article_body(document))
    published = truth.get("published")
    return PageScore(
        name=name,
        half=half,
        extracted_tokens=sum(extracted.values()),
        truth_tokens=sum(truth_tokens.values()),
        shared_tokens=sum((extracted & truth_tokens).values()),
        title=_normal(document.title) == _normal(truth.get("headline")),
        outlet=outlet_key(document.outlet) == outlet_key(truth.get("outlet")),
        author=_names(document.author) == _names(truth.get("author")),
        day=None if not published else document.date == published[:10],
        found={"title": document.title, "outlet": document.outlet, "author": document.author, "date": document.date},
        truth=truth_view,
        seconds=seconds,
    )


def evaluate_pages(folder: Path, limit: int | None = None) -> list[PageScore]:
    """Score every page of a news-dev-style folder; the first half of the names (sorted) is the tuning half."""
    folder = Path(folder)
    pages = sorted((folder / "html").glob("*.htm*"))
    if not pages or not (folder / "truth").is_dir():
        raise EvaluationFileError(f"{folder} has no html/ pages with a truth/ folder beside them")
    scores = []
    for position, path in enumerate(pages[:limit] if limit else pages):
        name = path.name.split(".")[0]
        try:
            truth = json.loads((folder / "truth" / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise EvaluationFileError(f"no readable truth for {name}: {error}") from None
        scores.append(score_page(path, truth, "tuning" if position < len(pages) // 2 else "held-out"))
    return scores


def summary(scores: list[PageScore]) -> dict:
    """Overall figures: token recall/precision summed over pages (and their per-page means), metadata agreement."""
    if not scores:
        return {}
    dated = [score for score in scores if score.day is not None]
    shared = sum(score.shared_tokens for score in scores)
    return {
        "pages": len(scores),
        "failed": sum(score.error is not None for score in scores),
        "token_recall": round(shared / max(1, sum(score.truth_tokens for score in scores)), 4),
        "token_precision": round(shared / max(1, sum(score.extracted_tokens for score in scores)), 4),
        "mean_page_recall": round(sum(score.recall for score in scores) / len(scores), 4),
        "mean_page_precision": round(sum(score.precision for score in scores) / len(scores), 4),
        "title": round(sum(score.title for score in scores) / len(scores), 4),
        "outlet": round(sum(score.outlet for score in scores) / len(scores), 4),
        "author": round(sum(score.author for score in scores) / len(scores), 4),
        "publication_day": round(sum(bool(score.day) for score in dated) / len(dated), 4) if dated else None,
        "dated_pages": len(dated),
        "milliseconds_per_page": round(1000 * sum(score.seconds for score in scores) / len(scores), 1),
    }


def report(scores: list[PageScore]) -> dict:
    return {
        "tuning": summary([score for score in scores if score.half == "tuning"]),
        "held-out": summary([score for score in scores if score.half == "held-out"]),
        "all": summary(scores),
        "pages": [{**asdict(score), "recall": round(score.recall, 4), "precision": round(score.precision, 4)} for score in scores],
    }


def format_report(scores: list[PageScore], verbose: bool = False) -> str:
    lines = []
    if verbose:
        for score in scores:
            marks = " ".join(
                f"{field}={'ok' if value else ('-' if value is None else 'WRONG')}"
                for field, value in (("title", score.title), ("outlet", score.outlet), ("author", score.author), ("day", score.day))
            )
            lines.append(f"{score.name:45} {score.half:8} recall {score.recall:.3f} precision {score.precision:.3f}  {marks}")
            if score.error:
                lines.append(f"    error: {score.error}")
            for field, truth_key in (("title", "headline"), ("outlet", "outlet"), ("author", "author"), ("day", "published")):
                if getattr(score, field) is False:
                    found = score.found.get("date" if field == "day" else field)
                    lines.append(f"    {field}: got {found!r}, truth {score.truth.get(truth_key)!r}")
        lines.append("")
    header = f"{'':10} {'pages':>5} {'recall':>7} {'precision':>9} {'title':>6} {'outlet':>6} {'author':>6} {'day':>6} {'ms/page':>8}"
    lines.append(header)
    for name, figures in (("tuning", summary([s for s in scores if s.half == "tuning"])), ("held-out", summary([s for s in scores if s.half == "held-out"])), ("all", summary(scores))):
        if not figures:
            continue
        day = f"{figures['publication_day']:.3f}" if figures["publication_day"] is not None else "-"
        lines.append(
            f"{name:10} {figures['pages']:>5} {figures['token_recall']:>7.3f} {figures['token_precision']:>9.3f} {figures['title']:>6.3f} "
            f"{figures['outlet']:>6.3f} {figures['author']:>6.3f} {day:>6} {figures['milliseconds_per_page']:>8.1f}"
        )
    lines.append("recall/precision: word tokens of the extracted body vs the truth body, summed over pages; "
                 "title/outlet/author: share of pages agreeing (a missing author agrees with a null truth); day: share of pages whose truth has a date")
    return "\n".join(lines)
