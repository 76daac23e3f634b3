"""The command line: `python -m qa …`. Library errors become one line on stderr and exit 1."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qa.corpus import corpus_files
from qa.errors import QAError
from qa.index import DEFAULT_CORPUS, DEFAULT_INDEX, SentenceIndex, build_index, ensure_index, stale_reason

MAX_QUERY_CHARACTERS = 2000


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _notify(message: str) -> None:
    print(message, file=sys.stderr)


def _open_index(arguments) -> SentenceIndex:
    """The index at --index; (re)built from --corpus (default: its own corpus, else the seeds) when missing or stale."""
    return ensure_index(getattr(arguments, "corpus", None), arguments.index, notify=_notify, show_progress_bar=True)


def _positive_count(text: str) -> int:
    """An argparse type: a whole number of at least 1 (for -k)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _check_query(text: str) -> str:
    from qa.errors import EmptyQuestion, InputTooLong

    text = text.strip()
    if not text:
        raise EmptyQuestion("the query is empty")
    if len(text) > MAX_QUERY_CHARACTERS:
        raise InputTooLong(f"the query is {len(text)} characters long; the limit is {MAX_QUERY_CHARACTERS}")
    return text


# ---------------------------------------------------------------- index


def _index_build(arguments) -> int:
    report = build_index(arguments.corpus, arguments.index, show_progress_bar=True)
    for item in report.skipped:
        print(f"warning: skipped {item.name}: {item.reason}", file=sys.stderr)
    if arguments.json:
        _print_json(
            {
                "documents": report.documents,
                "sentences": report.sentences,
                "terms": report.terms,
                "skipped": [{"name": item.name, "reason": item.reason} for item in report.skipped],
                "seconds": round(report.seconds, 3),
                "index": str(report.index_dir),
            }
        )
    else:
        print(
            f"Indexed {report.documents} documents, {report.sentences} sentences, {report.terms} terms "
            f"in {report.seconds:.2f} s into {report.index_dir}"
            + (f"; skipped {len(report.skipped)} file(s)" if report.skipped else "")
        )
    return 0


def _index_stats(arguments) -> int:
    manifest = SentenceIndex.load(arguments.index).manifest  # loading validates the files, not only the manifest
    if arguments.json:
        _print_json(manifest)
        return 0
    parameters = manifest.get("parameters") or {}
    print(
        f"{manifest['documents']} documents, {manifest['sentences']} sentences, {manifest['terms']} distinct terms\n"
        f"built {manifest.get('built_at', '?')} in {manifest.get('build_seconds', '?')} s from {manifest.get('corpus', '?')}\n"
        f"analyzer version {manifest.get('analyzer_version', '?')} ({manifest.get('sentence_splitter', '?')}), "
        f"{parameters.get('model', '?')} k1={parameters.get('k1', '?')} b={parameters.get('b', '?')}"
    )
    corpus = Path(manifest.get("corpus") or "")
    reason = stale_reason(manifest, corpus if manifest.get("corpus") and corpus.is_dir() else None)
    if reason:
        print(f"stale: {reason}; the next search or build rebuilds it")
    for item in manifest.get("skipped", []):
        print(f"skipped {item['name']}: {item['reason']}")
    return 0


# ---------------------------------------------------------------- search


def _search(arguments) -> int:
    query = _check_query(arguments.query)
    index = _open_index(arguments)
    hits = index.search(query, arguments.k)
    results = []
    for hit in hits:
        sentence = index.sentence(hit.row)
        results.append(
            {"doc": sentence.doc_id, "sentence_index": sentence.sentence_index, "sentence": sentence.text, "score": round(hit.score, 6)}
        )
    if arguments.json:
        _print_json(results)
        return 0
    if not results:
        print("No sentence shares a word with the query.")
    for rank, result in enumerate(results, start=1):
        print(f"{rank:>2}. [{result['score']:.3f}] {result['doc']}#{result['sentence_index']}\n    {result['sentence']}")
    return 0


# ---------------------------------------------------------------- ask, chat, eval, bench
# Each handler delegates to its module; a module not written yet reports so in one line.


def _print_answer(result, as_json: bool, show_why: bool = False) -> None:
    """One answer: a JSON object per line-group, or the reply followed by its cited sentences."""
    from qa.answer_model import confidence_words, explain

    if as_json:
        _print_json({**result.to_json(), "why": result.extra.get("why")})
        return
    print(f"Q: {result.question}")
    if result.resolved_question:
        print(f"   (understood as: {result.resolved_question})")
    print(f"A: {result.text}")
    if not result.declined:
        print(f"   ({confidence_words(result.confidence)})")
    why = result.extra.get("why")
    if why and show_why:
        print("   why: " + explain(why))
    for citation in result.citations or result.related:
        where = f"{citation.doc}#{citation.sentence_index}"
        date = f", {citation.date}" if citation.date else ""
        print(f"  [{citation.number}] {where} ({citation.title}{date})\n      {citation.sentence}")
    print()


def _ask(arguments) -> int:
    from qa.pipeline import answer

    if arguments.questions:
        try:
            questions = [line.strip() for line in arguments.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
        except (OSError, UnicodeDecodeError) as error:
            raise QAError(f"cannot read {arguments.questions}: {error}") from None
    elif arguments.question:
        questions = [arguments.question]
    else:
        raise QAError("give a question, or --questions FILE")
    index = _open_index(arguments)
    for question in questions:
        _print_answer(answer(question, index), arguments.json, arguments.why)
    return 0


def _chat(arguments) -> int:
    from qa.pipeline import answer

    index = _open_index(arguments)
    interactive = sys.stdin.isatty()
    history = []
    while True:
        if interactive:
            try:
                line = input("? ")
            except EOFError:
                print()
                break
        else:
            line = sys.stdin.readline()
            if not line:
                break
        line = line.strip()
        if not line:
            continue
        if line.lower() in {"/reset", "/new"}:
            history = []
            continue
        try:
            result = answer(line, index, history)
        except QAError as error:
            print(f"error: {error}", file=sys.stderr)
            continue
        history.append(result)
        _print_answer(result, arguments.json)
    return 0


def _eval(arguments) -> int:
    if arguments.squad:
        from qa.squad import evaluate_squad
        from qa.squad import format_report as format_squad_report

        squad_report = evaluate_squad(arguments.squad, limit=arguments.limit, show_progress_bar=True, split={"dev": "fit"}.get(arguments.split, arguments.split))
        if arguments.json:
            _print_json(squad_report.to_json())
        else:
            print(format_squad_report(squad_report))
        return 0
    from qa.evaluate import evaluation_index_folder, format_report, run_canned

    if not arguments.file:
        raise QAError("give a canned-question file, or --squad FILE")
    if arguments.index is None:
        # an evaluation over another corpus keeps its index in a cache folder, never in the seeds' index/
        if arguments.corpus:
            corpus_files(arguments.corpus)  # a missing corpus folder is one clean error before it is hashed
        arguments.index = evaluation_index_folder(arguments.corpus) if arguments.corpus else DEFAULT_INDEX
    index = _open_index(arguments)
    report = run_canned(arguments.file, index, limit=arguments.limit, split={"fit": "dev"}.get(arguments.split, arguments.split))
    if arguments.json:
        _print_json(report.to_json())
    else:
        print(format_report(report))
    return 0


def _training_samples(arguments, fit_titles: set[str]) -> tuple[list, dict]:
    from qa.training import news_samples, squad_samples

    samples = []
    sources = {}
    for path, source in ((arguments.squad, "squad1"), (arguments.squad2, "squad2")):
        if path is None:
            continue
        if not path.is_file():
            raise QAError(f"SQuAD file not found: {path}")
        found = squad_samples(path, source, fit_titles, arguments.every, show_progress_bar=not arguments.json)
        if source == "squad1" and arguments.squad2:  # the SQuAD 2.0 file holds these articles' questions again
            from qa.squad import load_squad

            again = {item.question for item in load_squad(arguments.squad2)[1]}
            found = [sample for sample in found if sample.question not in again]
        samples += found
        sources[source] = str(path)
    if arguments.news and arguments.news.is_file():
        if not arguments.news_corpus or not arguments.news_corpus.is_dir():
            raise QAError("--news needs --news-corpus DIR, the folder its questions are about")
        samples += news_samples(arguments.news, arguments.news_corpus, "dev", show_progress_bar=not arguments.json)
        sources["news"] = f"{arguments.news} (split dev) over {arguments.news_corpus}"
    return samples, sources


def _train(arguments) -> int:
    from qa.training import load_split, train

    split = load_split()
    fit_titles = set(split["fit"])
    if arguments.samples and arguments.samples.is_file():
        import pickle

        samples, sources = pickle.loads(arguments.samples.read_bytes())
    else:
        samples, sources = _training_samples(arguments, fit_titles)
        if arguments.samples:
            import pickle

            arguments.samples.write_bytes(pickle.dumps((samples, sources)))
    description = {
        "data": sources,
        "squad_articles_fitted": sorted(fit_titles),
        "squad_articles_held_out": sorted(split["heldout"]),
        "every": arguments.every,
        "label": "a candidate is right when its token F1 with a gold answer is at least 0.5 (SQuAD normalisation), or it matches a news case's answer pattern",
    }
    model, figures = train(samples, description, show_progress=(lambda message: None) if arguments.json else _notify)
    model.save(arguments.out)
    if arguments.json:
        _print_json({"out": str(arguments.out), "threshold": model.threshold, **figures})
        return 0
    print(f"{figures['questions']} questions ({figures['by_source']}), {figures['candidates']} candidates, {figures['folds']} folds by article")
    print(f"threshold {model.threshold} (written to {arguments.out})")
    print("cross-validated at the threshold:")
    for source, row in figures["cross_validated"].items():
        print(f"  {source:<7} {row['questions']:>5} questions  top answer right {row['top_answer_right']:.3f}  "
              f"unanswerable declined {row['unanswerable_declined']:.3f}  answerable declined {row['answerable_declined']:.3f}  "
              f"answerable F1 {row['answerable_f1']:.1f}")
    print("trade-off (cross-validated, SQuAD 2.0 and news fit questions):")
    print("  threshold  unanswerable declined  answerable declined  answerable F1  SQuAD 2.0 score")
    for row in figures["trade_off"]:
        print(f"  {row['threshold']:>9.2f}  {row['unanswerable_declined']:>21.3f}  {row['answerable_declined']:>19.3f}  {row['answerable_f1']:>13.1f}  {row['squad2_score']:>15.1f}")
    print("calibration (cross-validated, all fit questions):")
    for row in figures["calibration"]:
        print(f"  {row['bin']}  {row['questions']:>5} questions  predicted {row['predicted']:.3f}  observed {row['observed']:.3f}")
    return 0


def _bench(arguments) -> int:
    from qa.bench import parse_sizes, run

    run(arguments.corpus, parse_sizes(arguments.sizes), arguments.json, emit=lambda line: print(line, flush=True))
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m qa",
        description="Question answering over a folder of news articles, with cited sentences.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add_index_option(command: argparse.ArgumentParser) -> None:
        command.add_argument("--index", type=Path, default=DEFAULT_INDEX, help="index folder (default: %(default)s)")

    def add_corpus_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--corpus",
            type=Path,
            help=f"corpus folder of .txt/.md files to (re)build the index from when it is missing or stale "
            f"(default: the corpus the index was built from; {DEFAULT_CORPUS} when there is no index)",
        )

    index_command = commands.add_parser("index", help="build or describe the sentence index", description="Build or describe the sentence index.")
    index_commands = index_command.add_subparsers(dest="index_command", metavar="ACTION", required=True)
    build = index_commands.add_parser("build", help="(re)build the index from a corpus folder", description="Build the index of a corpus folder (atomically: the previous index stays usable until the new one is complete).")
    build.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder of .txt/.md files (default: %(default)s)")
    add_index_option(build)
    build.add_argument("--json", action="store_true", help="print the build report as JSON")
    build.set_defaults(handler=_index_build)
    stats = index_commands.add_parser("stats", help="what is in the index", description="Describe the index: documents, sentences, when and from what it was built.")
    add_index_option(stats)
    stats.add_argument("--json", action="store_true", help="print the manifest as JSON")
    stats.set_defaults(handler=_index_stats)

    search = commands.add_parser("search", help="rank sentences for a query with BM25", description="Rank the corpus sentences for a query (BM25Okapi).")
    search.add_argument("query", help="words to search for")
    search.add_argument("-k", type=_positive_count, default=10, help="number of sentences (default: %(default)s)")
    search.add_argument("--json", action="store_true", help="print a JSON list of {doc, sentence_index, sentence, score}")
    add_index_option(search)
    add_corpus_option(search)
    search.set_defaults(handler=_search)

    ask = commands.add_parser("ask", help="answer questions with cited sentences", description="Answer one question, or every line of --questions FILE (each answered on its own).")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--questions", type=Path, help="file with one question per line")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question (with the confidence and a \"why\" trace)")
    ask.add_argument("--why", action="store_true", help="also show why: the question words matched, the features that decided, the runner-up")
    add_index_option(ask)
    add_corpus_option(ask)
    ask.set_defaults(handler=_ask)

    chat = commands.add_parser("chat", help="a conversation: questions from standard input, follow-ups resolved", description="Read questions line by line from standard input as one conversation (a prompt when run in a terminal).")
    chat.add_argument("--json", action="store_true", help="print one JSON object per question")
    add_index_option(chat)
    add_corpus_option(chat)
    chat.set_defaults(handler=_chat)

    evaluate = commands.add_parser("eval", help="run a canned-question file or a SQuAD evaluation", description="Evaluate the answerer: `eval FILE` runs canned questions over the index; `eval --squad FILE` runs an open-corpus SQuAD v1.1 evaluation.")
    evaluate.add_argument("file", nargs="?", type=Path, help="canned-question file (JSON)")
    evaluate.add_argument("--squad", type=Path, help="SQuAD v1.1 JSON file")
    evaluate.add_argument("--limit", type=int, help="only the first N questions")
    evaluate.add_argument(
        "--split", choices=("dev", "fit", "heldout", "all"), default="all",
        help="only the questions of one split: a canned file's dev or heldout cases; with --squad, the articles the answer "
        "model was fitted on (fit, also dev) or the held-out ones (default: %(default)s)",
    )  # fmt: skip
    evaluate.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    evaluate.add_argument(
        "--index",
        type=Path,
        help=f"index folder (default: with --corpus, a cache folder keyed by the corpus's content under ~/.cache/news-qa/eval-index; otherwise {DEFAULT_INDEX})",
    )
    evaluate.add_argument("--corpus", type=Path, help=f"corpus folder the questions are asked over (default: the corpus of the index; {DEFAULT_CORPUS} when there is none)")
    evaluate.set_defaults(handler=_eval)

    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    training = commands.add_parser(
        "train",
        help="fit the answer model's weights (needs scikit-learn)",
        description="Fit the answer model (qa/data/answer_model.json) on the fit articles of SQuAD v1.1 and 2.0 "
        "(qa/data/squad_split.json) and the dev split of news questions; print cross-validated figures (folds by article).",
    )
    training.add_argument("--squad", type=Path, default=shared / "eval" / "squad-dev-v1.1-even.json", help="SQuAD v1.1 file (default: %(default)s)")
    training.add_argument("--squad2", type=Path, default=shared / "eval" / "squad-dev-v2.0-even.json", help="SQuAD 2.0 file (default: %(default)s)")
    training.add_argument("--news", type=Path, default=Path(__file__).resolve().parent.parent / "tests" / "news_questions.json", help="canned-format news questions with a split field; only split dev is used (default: %(default)s)")
    training.add_argument("--news-corpus", type=Path, default=shared / "news-dev" / "text", help="the corpus folder of --news (default: %(default)s)")
    training.add_argument("--every", type=_positive_count, default=1, help="use every N-th SQuAD question (default: %(default)s)")
    training.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data" / "answer_model.json", help="weights file to write (default: %(default)s)")
    training.add_argument("--samples", type=Path, help="development aid: keep the questions' features in this pickle file and reuse it when it exists (delete it after changing the features)")
    training.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    training.set_defaults(handler=_train)

    bench = commands.add_parser("bench", help="measure build, load, search and answer speed and memory", description="Benchmark index build, load, search and answer at several corpus sizes (in sentences).")
    bench.add_argument("--corpus", type=Path, required=True, help="a .jsonl.xz file of articles or a folder of .txt/.md files")
    bench.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated sentence counts (default: %(default)s)")
    bench.add_argument("--json", action="store_true", help="print one JSON object per size")
    bench.set_defaults(handler=_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.handler(arguments)
    except QAError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            return 0
        # A file or folder that cannot be read or written (permissions, a file where a folder should be, a full disk).
        print(f"error: {error.strerror or error}" + (f": {error.filename}" if error.filename else ""), file=sys.stderr)
        return 1
