"""A corpus of many short made-up articles (deterministic), for tests that need hundreds of documents."""

from __future__ import annotations

import random
from pathlib import Path

_PLACES = "Port Elm|Northvale|Castlebrook|Millhaven|Redwater|Stonebridge|Ashford Green|Lowmere".split("|")
_THINGS = "harbour|library|bridge|orchard|tram line|water tower|market hall|ferry pier".split("|")
_PEOPLE = "Mara Quint|Tobias Vell|Ines Harrow|Oskar Brenn|Lena Marsh|Felix Dorran".split("|")
_VERBS = "reopened|was repaired|was extended|closed for a week|was inspected|was painted".split("|")


def write_articles(folder: Path, count: int, first: int = 0) -> list[Path]:
    """`count` articles named article-NNNNN.txt (numbered from `first`), each a headline and six sentences."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(first, first + count):
        chooser = random.Random(number)
        place, thing = chooser.choice(_PLACES), chooser.choice(_THINGS)
        lines = [f"The {thing} of {place} in the news, report {number}", ""]
        for sentence in range(6):
            person, verb = chooser.choice(_PEOPLE), chooser.choice(_VERBS)
            lines.append(f"The {chooser.choice(_THINGS)} of {place} {verb} on day {sentence + number % 28 + 1}, said {person}.")
        path = folder / f"article-{number:05d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
