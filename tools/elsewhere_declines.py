"""How often a question about a topic the corpus does not cover is declined.

Held-out SQuAD v1.1 questions (qa/data/squad_split.json) are asked over an index of the other half of
the held-out articles, so no asked question's article is in the corpus: every answer is wrong. Prints
the share declined, and with --seeds the same questions asked over the seed articles' index.

    python tools/elsewhere_declines.py [--every 4] [--seeds]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.index import SentenceIndex, build_index, ensure_index  # noqa: E402
from qa.pipeline import answer  # noqa: E402
from qa.squad import load_squad, write_corpus  # noqa: E402
from qa.training import load_split  # noqa: E402


def declined_share(questions, index) -> tuple[int, int]:
    replies = [answer(item.question, index) for item in questions]
    return sum(reply.declined for reply in replies), len(replies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "squad-dev-v1.1-even.json")
    parser.add_argument("--every", type=int, default=4, help="every N-th held-out question (default: %(default)s)")
    parser.add_argument("--seeds", action="store_true", help="also ask them over the seed articles")
    arguments = parser.parse_args()
    articles, questions = load_squad(arguments.squad)
    ordered = sorted(load_split()["heldout"])
    halves = (set(ordered[0::2]), set(ordered[1::2]))
    declined = asked = 0
    chosen_all = []
    for asked_titles, indexed_titles in (halves, halves[::-1]):
        chosen = [item for item in questions if item.article in asked_titles][:: arguments.every]
        chosen_all += chosen
        with tempfile.TemporaryDirectory(prefix="qa-elsewhere-") as folder:
            write_corpus([article for article in articles if article.title in indexed_titles], Path(folder) / "corpus")
            build_index(Path(folder) / "corpus", Path(folder) / "index")
            found = declined_share(chosen, SentenceIndex.load(Path(folder) / "index"))
        declined, asked = declined + found[0], asked + found[1]
    print(f"held-out SQuAD v1.1 questions over the other held-out articles: {declined} of {asked} declined ({declined / asked:.1%})")
    if arguments.seeds:
        root = Path(__file__).resolve().parent.parent
        index = ensure_index(root / "seeds", root / "index")
        declined, asked = declined_share(chosen_all, index)
        print(f"the same questions over the seed articles: {declined} of {asked} declined ({declined / asked:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
