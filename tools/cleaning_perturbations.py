"""How robust the web-copy cleaner is: dev copies altered the way other outlets' copies differ.

Each dev copy of a news-dev folder is altered one way at a time (blank lines removed or doubled, long
lines wrapped, paragraphs split into sentences or joined, the headline dropped, the byline moved below
the first paragraph, a related-stories list, a promotion or a photo credit put in the middle, the page's
header or footer cut or lengthened) and cleaned again. A robust cleaner keeps about all article
paragraphs under every alteration; where the share collapses, a rule depends on one outlet's layout.
Only the dev half is used (the held-out half is read as totals by `qa eval --cleaning` alone).

    python tools/cleaning_perturbations.py ../shared/news-dev [--only NAME] [--verbose] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.cleaning import classify_lines  # noqa: E402
from qa.cleaning_eval import FileScore, score_text, split_halves, squash, summarise  # noqa: E402
from qa.text import normalise  # noqa: E402

# Made-up page furniture put into copies (no outlet's real wording).
RELATED = ["Related Stories", "", "Council Approves New Budget For Harbour Repairs", "", "Local Bakery Wins Regional Award",
           "", "Storm Damage Closes Coastal Road For Two Days", "", "What Parents Should Know About School Changes"]
PROMO = ["Advertisement", "", "Sign up for our daily newsletter to get the latest stories in your inbox.", "", "Advertisement"]
PHOTO = ["Volunteers unload crates of supplies from a truck outside a community hall on a grey morning.",
         "Photo: Jane Roe/Example Agency"]
FORM = ["Get the morning briefing in your inbox", "", "First name *", "", "Email address *", "", "Sign up"]
TEASERS = ["Read more", "", "Harbour repairs to start in spring",
           "The council has set aside money to mend the sea wall before the winter storms return next year.", "",
           "Bakery wins regional award", "A family bakery on the high street was named the best in the region on Friday."]
HIGHLIGHTS = ["The council will add six bus routes to the northern suburbs by the end of next spring.",
              "Riders say the new timetable cuts their morning journey to the city centre by a third.",
              "Critics on the council warn that fares may have to rise to pay for the extra drivers."]
SUMMARY_HEADER = ["The council will add six bus routes to the northern suburbs by the end of next spring, officials said.", "",
                  "Share", "Facebook", "Twitter", "Email", "", "Jane Roe, City Hall reporter", "",
                  "Riders at the depot", "Photo: John Doe/Example Agency", ""]
VIDEO = ["JUST WATCHED", "Harbour crews race to finish repairs before the storms", "Replay", "More Videos ...",
         "Why the ferry timetable is changing this winter", "MUST WATCH", "A look inside the new museum wing"]
NAVIGATION = ["Home", "News", "Local", "Sport", "Business", "Opinion", "Weather", "Subscribe"]
FOOTER = ["Share this article", "", "Facebook", "Twitter", "Email", "", "More From Our Site", "",
          "Five Quiet Towns Worth A Weekend Visit", "", "How A Small Farm Survived The Drought", "",
          "Contact us | Privacy policy | Terms of use", "\u00a9 2019 Example Media Group. All rights reserved."]

Alteration = Callable[[list[str], dict], list[str]]


def _body_lines(lines: list[str], truth: dict) -> list[int]:
    """Lines of the copy that hold a truth paragraph (whitespace aside)."""
    paragraphs = {squash(paragraph) for paragraph in truth["body"].split("\n") if squash(paragraph)}
    return [i for i, line in enumerate(lines) if squash(line) and any(squash(line) in paragraph for paragraph in paragraphs if len(squash(line)) >= 20)]


def _headline_line(lines: list[str], truth: dict) -> int | None:
    headline = squash(normalise(truth.get("headline") or ""))
    return next((i for i, line in enumerate(lines) if headline and squash(normalise(line)) == headline), None)


def no_blank_lines(lines: list[str], truth: dict) -> list[str]:
    return [line for line in lines if line.strip()]


def double_blank_lines(lines: list[str], truth: dict) -> list[str]:
    return [part for line in lines if line.strip() for part in (line, "")]


def wrapped(lines: list[str], truth: dict) -> list[str]:
    return [part for line in lines for part in (textwrap.wrap(line, 80) if len(line) > 80 else [line])]


def sentence_per_line(lines: list[str], truth: dict) -> list[str]:
    body = set(_body_lines(lines, truth))
    out: list[str] = []
    for i, line in enumerate(lines):
        out.extend(re.split(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])", line) if i in body else [line])
    return out


def joined_paragraphs(lines: list[str], truth: dict) -> list[str]:
    """Pairs of body paragraphs joined into one line (a copy that lost its paragraph breaks)."""
    body = _body_lines(lines, truth)
    out = list(lines)
    for first, second in zip(body[0::2], body[1::2]):
        if all(not lines[j].strip() for j in range(first + 1, second)):
            out[first] = lines[first] + " " + lines[second]
            out[second] = None  # type: ignore[call-overload]
            for j in range(first + 1, second):
                out[j] = None  # type: ignore[call-overload]
    return [line for line in out if line is not None]


def no_headline(lines: list[str], truth: dict) -> list[str]:
    headline = _headline_line(lines, truth)
    return lines if headline is None else lines[:headline] + lines[headline + 1:]


def byline_below_first_paragraph(lines: list[str], truth: dict) -> list[str]:
    verdicts = classify_lines(lines)
    body = _body_lines(lines, truth)
    if not body:
        return lines
    moved = [i for i, verdict in enumerate(verdicts[: body[0]]) if verdict.reason in {"byline", "date line"}]
    if not moved:
        return lines
    out = [line for i, line in enumerate(lines) if i not in moved]
    first = out.index(lines[body[0]])
    return out[: first + 1] + [""] + [lines[i] for i in moved] + [""] + out[first + 1:]


def _in_the_middle(inserted: list[str], share: float = 0.5) -> Alteration:
    def alter(lines: list[str], truth: dict) -> list[str]:
        body = _body_lines(lines, truth)
        if len(body) < 2:
            return lines
        middle = body[max(0, round(len(body) * share) - 1)]
        return lines[: middle + 1] + ["", *inserted, ""] + lines[middle + 1:]

    return alter


def highlights_under_headline(lines: list[str], truth: dict) -> list[str]:
    """Story highlights (a standfirst of three sentences) right under the headline, above the byline."""
    headline = _headline_line(lines, truth)
    if headline is None:
        return lines
    return [*lines[: headline + 1], "", *HIGHLIGHTS, "", *lines[headline + 1:]]


def summary_and_widgets_under_headline(lines: list[str], truth: dict) -> list[str]:
    """A summary sentence, a share bar, a writer's name and a photo's label and credit between the headline and the article."""
    headline = _headline_line(lines, truth)
    body = _body_lines(lines, truth)
    if headline is None or not body:
        return lines
    return [*lines[: headline + 1], "", *SUMMARY_HEADER, *lines[body[0]:]]


def no_header(lines: list[str], truth: dict) -> list[str]:
    headline = _headline_line(lines, truth)
    return lines if headline is None else lines[headline:]


def long_header(lines: list[str], truth: dict) -> list[str]:
    return [*NAVIGATION, "", *lines]


def long_footer(lines: list[str], truth: dict) -> list[str]:
    return [*lines, "", *FOOTER]


def teasers_after(lines: list[str], truth: dict) -> list[str]:
    """Stories with a teaser sentence each after the article, past its share bar."""
    body = _body_lines(lines, truth)
    last = body[-1] if body else len(lines) - 1
    return [*lines[: last + 1], "", "Share", "Facebook", "Twitter", "Email", "", *TEASERS, "", *TEASERS[2:], "", *lines[last + 1:]]


def no_footer(lines: list[str], truth: dict) -> list[str]:
    """The copy cut after its last line of article text (however short: a table's row)."""
    body = squash(truth["body"])
    last = max((i for i, line in enumerate(lines) if len(squash(line)) >= 3 and squash(line) in body), default=len(lines) - 1)
    return lines[: last + 1]


ALTERATIONS: dict[str, Alteration] = {
    "as saved": lambda lines, truth: lines,
    "no blank lines": no_blank_lines,
    "double blank lines": double_blank_lines,
    "long lines wrapped": wrapped,
    "a sentence a line": sentence_per_line,
    "paragraphs joined": joined_paragraphs,
    "no headline": no_headline,
    "byline below 1st paragraph": byline_below_first_paragraph,
    "related list in the middle": _in_the_middle(RELATED),
    "promotion in the middle": _in_the_middle(PROMO),
    "photo in the middle": _in_the_middle(PHOTO),
    "sign-up form 2/3 in": _in_the_middle(FORM, 2 / 3),
    "video player in the middle": _in_the_middle(VIDEO),
    "teasers 2/3 in": _in_the_middle(TEASERS, 2 / 3),
    "highlights under headline": highlights_under_headline,
    "summary and widgets on top": summary_and_widgets_under_headline,
    "no header": no_header,
    "navigation on top": long_header,
    "no footer": no_footer,
    "footer of links": long_footer,
    "teasers after the article": teasers_after,
}


def dev_copies(folder: Path, only: str | None) -> list[tuple[str, str, dict]]:
    paths = [path for path in sorted((folder / "text").glob("*.txt")) if (folder / "truth" / f"{path.stem}.json").exists()]
    halves = split_halves([path.stem for path in paths])
    return [
        (path.stem, path.read_text(encoding="utf-8"), json.loads((folder / "truth" / f"{path.stem}.json").read_text(encoding="utf-8")))
        for path in paths
        if halves[path.stem] == "dev" and (only is None or only in path.stem)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a news-dev folder (text/, truth/)")
    parser.add_argument("--only", help="only dev copies whose name holds this")
    parser.add_argument("--alteration", help="only this alteration (its name as printed)")
    parser.add_argument("--verbose", action="store_true", help="per file: paragraphs lost under each alteration")
    parser.add_argument("--json", action="store_true", help="figures as JSON")
    arguments = parser.parse_args()
    if not (arguments.folder / "text").is_dir():
        print(f"error: not a news-dev folder (needs text/ and truth/): {arguments.folder}", file=sys.stderr)
        return 2
    copies = dev_copies(arguments.folder, arguments.only)
    results = {}
    for name, alter in ALTERATIONS.items():
        if arguments.alteration and name not in {arguments.alteration, "as saved"}:
            continue
        scores: list[FileScore] = [score_text("\n".join(alter(raw.splitlines(), truth)) + "\n", stem, truth, "?", "dev") for stem, raw, truth in copies]
        summary = summarise(scores)
        results[name] = {
            "paragraphs_kept": summary["paragraphs_kept"],
            "other_lines_kept": summary["other_lines_kept"],
            "title_right": summary["title_right"],
            "lost": {score.name: [p[:100] for p in score.missed_paragraphs] for score in scores if score.missed_paragraphs},
        }
    if arguments.json:
        print(json.dumps(results, indent=1, ensure_ascii=False))
        return 0
    baseline = results.get("as saved", {}).get("lost", {})
    print(f"{len(copies)} dev copies")
    print(f"{'alteration':28} paragraphs kept  other lines kept  title")
    for name, figures in results.items():
        print(f"{name:28} {100 * figures['paragraphs_kept']:14.1f}% {100 * figures['other_lines_kept']:16.1f}% {100 * figures['title_right']:5.1f}%")
        if arguments.verbose:
            for stem, lost in figures["lost"].items():
                # Under an alteration, the paragraphs lost that the copy as saved keeps.
                new = lost if name == "as saved" else [paragraph for paragraph in lost if paragraph not in baseline.get(stem, [])]
                if new:
                    print(f"    {stem}: {len(new)} lost" + "".join(f"\n        {paragraph}" for paragraph in new[:4]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
