"""The command line: `python -m qa …`. Library errors become one line on stderr and exit 1."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from qa.cleaning_eval import LAYOUTS
from qa.corpora import user_corpus_folder
from qa.corpus import corpus_files, dropped_with_reasons
from qa.errors import QAError
from qa.index import DEFAULT_CORPUS, DEFAULT_INDEX, SentenceIndex, build_index, ensure_index, stale_reason
from qa.syndication import carried_by_text

MAX_QUERY_CHARACTERS = 2000


# Control characters (C0, DEL, C1) and the bidirectional overrides: an article that holds an escape
# sequence must not clear the screen, retitle the terminal or reorder what is printed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(text) -> str:
    """Text from the corpus or the user made safe to print on a terminal: control characters
    removed, tabs and line breaks turned into spaces."""
    return _CONTROL.sub("", str(text).replace("\t", " ").replace("\n", " "))


def _print_json(value) -> None:
    # json escapes C0 controls itself; the C1 ones and bidirectional overrides are escaped here
    text = json.dumps(value, ensure_ascii=False, indent=2)
    print(_CONTROL.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text))


def _notify(message: str) -> None:
    print(shown(message), file=sys.stderr)


def _open_index(arguments) -> SentenceIndex:
    """The index at --index; (re)built from --corpus (default: its own corpus, else the seeds) when missing or stale.

    A sphinxql://host:port/table location opens a cluster instead (qa.sphinxql).
    """
    if str(arguments.index).startswith("sphinxql:"):
        from qa.sphinxql import open_cluster

        return open_cluster(arguments.index)
    return ensure_index(getattr(arguments, "corpus", None), arguments.index, notify=_notify, show_progress_bar=True)


def _index_location(text: str) -> Path | str:
    """An argparse type: a cluster address stays a string (a Path would fold its //), anything else is a folder."""
    return text if text.startswith("sphinxql:") else Path(text)


def _positive_count(text: str) -> int:
    """An argparse type: a whole number of at least 1 (for -k)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _scope(arguments, index: SentenceIndex):
    """The --outlet/--since/--until scope, checked against the index (None when none is given)."""
    from qa.scope import Scope, check_scope, parse_day

    scope = Scope(
        tuple(arguments.outlet or ()),
        parse_day(arguments.since) if arguments.since else None,
        parse_day(arguments.until, last=True) if arguments.until else None,
    )
    if scope.is_everything:
        return None
    check_scope(index, scope)
    return scope


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
    report = build_index(arguments.corpus, arguments.index, show_progress_bar=True, notify=_notify)
    for item in report.skipped:
        print(f"warning: skipped {shown(item.name)}: {shown(item.reason)}", file=sys.stderr)
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
        f"built {manifest.get('built_at', '?')} in {manifest.get('build_seconds', '?')} s from {shown(manifest.get('corpus', '?'))}\n"
        f"analyzer version {manifest.get('analyzer_version', '?')} ({manifest.get('sentence_splitter', '?')}), "
        f"{parameters.get('model', '?')} k1={parameters.get('k1', '?')} b={parameters.get('b', '?')}"
    )
    corpus = Path(manifest.get("corpus") or "")
    reason = stale_reason(manifest, corpus if manifest.get("corpus") and corpus.is_dir() else None, warn=_notify)
    if reason:
        print(f"stale: {shown(reason)}; the next search or build rebuilds it")
    for item in manifest.get("skipped", []):
        print(f"skipped {shown(item['name'])}: {shown(item['reason'])}")
    return 0


def _index_check(arguments) -> int:
    index = SentenceIndex.load(arguments.index)  # the checks every load makes
    index.retriever.check_postings()  # and the one a load leaves to each term's first use
    index.documents.check()  # every document's metadata, read on first use
    index.retriever.vocabulary.get("")  # the vocabulary: its dictionary is read, and checked, on the first lookup
    manifest = index.manifest
    if arguments.json:
        _print_json({"index": str(arguments.index), "documents": manifest["documents"], "sentences": manifest["sentences"], "postings": manifest["postings"], "damaged": False})
    else:
        print(f"no damage found: {manifest['documents']} documents, {manifest['sentences']} sentences, {manifest['postings']} postings checked")
    return 0


# ---------------------------------------------------------------- corpus


def _corpus_report(arguments) -> int:
    from qa.inventory import corpus_inventory, format_inventory, read_corpus_document

    index = _open_index(arguments)
    if arguments.show_dropped:
        corpus = Path(arguments.corpus or index.manifest.get("corpus") or DEFAULT_CORPUS)
        document = read_corpus_document(corpus, arguments.show_dropped)
        reasons = None if document.dropped is None else dropped_with_reasons(document)
        if arguments.json:
            _print_json({
                "doc_id": document.doc_id,
                "kind": document.kind,
                "dropped": None if document.dropped is None else list(document.dropped),
                "reasons": None if reasons is None else [reason for _, reason in reasons],
            })
        elif reasons is None:
            print(f"{shown(document.doc_id)} is a {document.kind}: its reader keeps the article's blocks, it does not drop lines one by one")
        else:
            print(f"{len(reasons)} line(s) of {shown(document.doc_id)} dropped as furniture (why, then the line):")
            for line, reason in reasons:
                print(f"  [{reason}] {shown(line)}")
        return 0
    inventory = corpus_inventory(index)
    if arguments.json:
        _print_json(inventory.to_json())
    else:
        print("\n".join(shown(line) for line in format_inventory(inventory).splitlines()))
    return 0


def _corpus_evaluate(arguments) -> int:
    from qa.ingestion_eval import evaluate_pages, format_report, report

    scores = evaluate_pages(arguments.folder, limit=arguments.limit)
    if arguments.json:
        _print_json(report(scores) if arguments.verbose else {key: value for key, value in report(scores).items() if key != "pages"})
    else:
        print(format_report(scores, verbose=arguments.verbose))
    return 0


# ---------------------------------------------------------------- search


def _search(arguments) -> int:
    query = _check_query(arguments.query)
    from qa.schema import search_json
    from qa.scope import allowed_rows

    index = _open_index(arguments)
    results = search_json(index, query, arguments.k, allowed_rows(index, _scope(arguments, index)))
    if arguments.json:
        _print_json(results)
        return 0
    if not results:
        print("No sentence shares a word with the query.")
    for rank, result in enumerate(results, start=1):
        print(f"{rank:>2}. [{result['score']:.3f}] {shown(result['doc'])}#{result['sentence_index']}\n    {shown(result['sentence'])}")
    return 0


# ---------------------------------------------------------------- ask, chat, eval, bench
# Each handler delegates to its module; a module not written yet reports so in one line.


def _print_answer(result, as_json: bool, one_line: bool = True, show_why: bool = False) -> None:
    """One answer: a JSON object (one compact line each, JSON Lines, unless `one_line` is False),
    or the reply followed by its confidence in words, its trace (with `show_why`) and its cited sentences."""
    from qa.answer_model import confidence_words, explain

    if as_json:
        from qa.schema import reply_json

        print(json.dumps(reply_json(result), ensure_ascii=False, indent=None if one_line else 2), flush=True)
        return
    print(f"Q: {shown(result.question)}")
    if result.resolved_question:
        print(f"   (understood as: {shown(result.resolved_question)})")
    print(f"A: {shown(result.text)}")
    if not result.declined:
        print(f"   ({confidence_words(result.confidence)})")
    why = result.extra.get("why")
    if why and show_why:
        print("   why: " + shown(explain(why)))
    for citation in result.citations or result.related:
        where = f"{shown(citation.doc)}#{citation.sentence_index}"
        date = f", {shown(citation.date)}" if citation.date else ""
        carried = f"; {shown(carried_by_text(citation.carried_by))}" if citation.carried_by else ""
        print(f"  [{citation.number}] {where} ({shown(citation.title)}{date}{carried})\n      {shown(citation.sentence)}")
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
    scope = _scope(arguments, index)
    for question in questions:
        _print_answer(answer(question, index, scope=scope), arguments.json, one_line=arguments.questions is not None, show_why=arguments.why)
    return 0


def _chat(arguments) -> int:
    from qa.pipeline import answer

    index = _open_index(arguments)
    scope = _scope(arguments, index)
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
            result = answer(line, index, history, scope=scope)
        except QAError as error:
            print(f"error: {shown(error)}", file=sys.stderr)
            continue
        history.append(result)
        _print_answer(result, arguments.json)
    return 0


def _eval(arguments) -> int:
    if arguments.cleaning:
        from qa.cleaning_eval import format_report as format_cleaning_report
        from qa.cleaning_eval import score_folder, to_json

        scores = score_folder(arguments.cleaning, arguments.layout)
        if arguments.json:
            _print_json(to_json(scores))
        else:
            print(format_cleaning_report(scores, verbose=arguments.verbose))
        return 0
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


def _feedback_export(arguments) -> int:
    from qa.feedback import export_cases

    cases, left_out = export_cases(arguments.database)
    text = json.dumps(cases, ensure_ascii=False, indent=1) + "\n"
    if arguments.output:
        arguments.output.write_text(text, encoding="utf-8")
        print(f"Wrote {len(cases['cases'])} case(s) to {arguments.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if left_out:
        print(f"left out {left_out} verdict(s) that cannot be tested (a wrong answer without the correct one)", file=sys.stderr)
    return 0


def _feedback_stats(arguments) -> int:
    from qa.feedback import VERDICT_LABELS, feedback_stats

    stats = feedback_stats(arguments.database)
    if arguments.json:
        _print_json(stats)
        return 0
    if not stats["total"]:
        print(f"No feedback yet in {arguments.database}.")
        return 0
    counts = ", ".join(f"{VERDICT_LABELS[verdict]} {count}" for verdict, count in stats["by_verdict"].items())
    print(f"{stats['total']} verdicts: {counts} ({stats['right_share']:.0%} right); {stats['with_correct_answer']} with a correct answer")
    for item in stats["most_reported_wrong"]:
        print(f"  {item['reports']}× wrong: {item['question']}")
def _cluster_export(arguments) -> int:
    from qa.cluster import export

    ensure_index(None, arguments.index, notify=_notify, show_progress_bar=True)
    report = export(arguments.index, arguments.shards, arguments.out, progress=sys.stderr.isatty())
    if arguments.json:
        _print_json({"folder": str(report.folder), "shards": report.shards, "sentences": report.sentences, "seconds": round(report.seconds, 3)})
    else:
        print(f"Exported {report.sentences} sentences into {len(report.shards)} shards {report.shards} in {report.seconds:.2f} s: {report.folder}")
    return 0


def _cluster_start(arguments) -> int:
    from qa.cluster import start

    print(start(arguments.dir))
    return 0


def _cluster_stop(arguments) -> int:
    from qa.cluster import stop

    print(f"stopped {stop(arguments.dir)} searchd process(es)")
    return 0


def _cluster_bench(arguments) -> int:
    from dataclasses import asdict

    from qa.cluster_bench import format_result, run

    result = run(arguments.index, arguments.address, arguments.queries, arguments.k)
    if arguments.json:
        _print_json(asdict(result))
    else:
        print(format_result(result))


def _as_recorded(path: Path) -> str:
    """A data file as the weights file records it: relative to the repository, so that a train in any checkout
    writes the same bytes."""
    from qa.index import repository_root

    return os.path.relpath(Path(path).resolve(), repository_root())


def _training_samples(arguments, fit_titles: set[str]) -> tuple[list, dict]:
    from qa.training import ELSEWHERE_EVERY, elsewhere_samples, news_samples, squad_samples

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
        sources[source] = _as_recorded(path)
    if arguments.news and arguments.news.is_file():
        if not arguments.news_corpus or not arguments.news_corpus.is_dir():
            raise QAError("--news needs --news-corpus DIR, the folder its questions are about")
        samples += news_samples(arguments.news, arguments.news_corpus, "dev", show_progress_bar=not arguments.json)
        sources["news"] = f"{_as_recorded(arguments.news)} (split dev) over {_as_recorded(arguments.news_corpus)}"
    if arguments.squad is not None:
        samples += elsewhere_samples(arguments.squad, fit_titles, show_progress_bar=not arguments.json)
        sources["elsewhere"] = f"every {ELSEWHERE_EVERY}th fit question of {_as_recorded(arguments.squad)} asked over the other half of the fit articles"
    return samples, sources


def _train_title(arguments) -> int:
    from qa.title_training import train_title_model

    if not (arguments.news_dev / "text").is_dir() or not (arguments.news_dev / "truth").is_dir():
        raise QAError(f"not a news-dev folder (needs text/ and truth/): {arguments.news_dev}")
    figures = train_title_model(arguments.news_dev, arguments.out)
    if arguments.json:
        print(json.dumps(figures))
    else:
        print(f"wrote {arguments.out}")
        print(
            f"dev half: {figures['pages']} pages, headline among the candidates on {figures['headline_among_candidates']}; "
            f"right on the fitted pages {figures['right_on_fitted_pages']}, leaving each page out {figures['right_leave_one_page_out']}"
        )
    return 0


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
    from qa.answerability_training import format_figures, train_answerability

    answerability, answerability_figures = train_answerability(samples, description, show_progress=(lambda message: None) if arguments.json else _notify)
    answerability.save(arguments.answerability_out)
    if arguments.json:
        _print_json({"out": str(arguments.out), "threshold": model.threshold, **figures, "answerability": {"out": str(arguments.answerability_out), **answerability_figures}})
        return 0
    print(f"{figures['questions']} questions ({figures['by_source']}), {figures['candidates']} candidates, {figures['folds']} folds by article")
    print(f"threshold {model.threshold} (written to {arguments.out})")
    print("cross-validated at the threshold:")
    for source, row in figures["cross_validated"].items():
        print(f"  {source:<7} {row['questions']:>5} questions  top answer right {row['top_answer_right']:.3f}  "
              f"unanswerable declined {row['unanswerable_declined']:.3f}  answerable declined {row['answerable_declined']:.3f}  "
              f"answerable F1 {row['answerable_f1']:.1f}")
    print("trade-off (cross-validated, SQuAD 2.0, news and asked-elsewhere fit questions):")
    print("  threshold  unanswerable declined  answerable declined  answerable F1  SQuAD 2.0 score")
    for row in figures["trade_off"]:
        print(f"  {row['threshold']:>9.2f}  {row['unanswerable_declined']:>21.3f}  {row['answerable_declined']:>19.3f}  {row['answerable_f1']:>13.1f}  {row['squad2_score']:>15.1f}")
    print("calibration (cross-validated, all fit questions):")
    for row in figures["calibration"]:
        print(f"  {row['bin']}  {row['questions']:>5} questions  predicted {row['predicted']:.3f}  observed {row['observed']:.3f}")
    print("\n".join(format_figures(answerability_figures)))
    print(f"answerability thresholds {answerability.threshold} (the app's) and {answerability.encyclopedia_threshold} (SQuAD evaluation) (written to {arguments.answerability_out})")
    return 0


def _bench(arguments) -> int:
    from qa.bench import parse_sizes, run

    run(
        arguments.corpus, parse_sizes(arguments.sizes), arguments.json, emit=lambda line: print(line, flush=True), peers=arguments.peers,
        replicate=arguments.replicate,
    )
    return 0


def _serve(arguments) -> int:
    from qa.api import serve

    serve(arguments.host, arguments.port, arguments.index, arguments.corpus, notify=_notify)
    return 0


def _loadtest(arguments) -> int:
    from qa.loadtest import format_report, load_questions, run_load_test

    report = run_load_test(arguments.url, load_questions(arguments.questions_file), arguments.clients, arguments.questions)
    print(json.dumps(report.to_json()) if arguments.json else format_report(report))
    return 0 if report.failures == 0 else 1


def _soak(arguments) -> int:
    from qa.soak import format_point, soak, to_json

    index = _open_index(arguments)
    if arguments.json:
        emit = lambda point: print(json.dumps(to_json(point)), flush=True)  # noqa: E731 - one JSON object per line
    else:
        print(f"{arguments.questions:,} questions over {len(index):,} sentences of {index.manifest['documents']:,} documents", flush=True)
        emit = lambda point: print(format_point(point), flush=True)  # noqa: E731
    soak(index, arguments.questions, arguments.every, trace=not arguments.no_tracemalloc, emit=emit)
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    from qa.conversations import default_database

    default_corpora = [DEFAULT_CORPUS, user_corpus_folder(DEFAULT_CORPUS)]  # the user folder of uploads counts once it exists
    parser = argparse.ArgumentParser(
        prog="python -m qa",
        description="Question answering over a folder of news articles, with cited sentences.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add_index_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--index", type=_index_location, default=DEFAULT_INDEX, help="index folder, or a cluster's sphinxql://HOST:PORT/TABLE (default: %(default)s)"
        )

    def add_corpus_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--corpus",
            type=Path,
            nargs="+",
            help=f"corpus folder(s) of documents (.txt, .md, .html, .htm, .pdf) to (re)build the index from when it is missing or stale "
            f"(default: the corpus the index was built from; {DEFAULT_CORPUS} and {default_corpora[1]} when there is no index)",
        )

    def add_scope_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--outlet", action="append", metavar="NAME", help="only documents of this outlet (repeat for several)")
        command.add_argument("--since", metavar="DATE", help="only documents dated on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY)")
        command.add_argument("--until", metavar="DATE", help="only documents dated on or before DATE (YYYY-MM-DD, YYYY-MM or YYYY)")

    index_command = commands.add_parser("index", help="build or describe the sentence index", description="Build or describe the sentence index.")
    index_commands = index_command.add_subparsers(dest="index_command", metavar="ACTION", required=True)
    build = index_commands.add_parser("build", help="(re)build the index from a corpus folder", description="Build the index of a corpus folder (atomically: the previous index stays usable until the new one is complete).")
    build.add_argument(
        "--corpus", type=Path, nargs="+", default=default_corpora,
        help="corpus folder(s) of documents: .txt, .md, .html, .htm (also gzip-compressed), .pdf; documents of the second and later "
        f"folders get their folder name as prefix (default: {default_corpora[0]} and, once it exists, the user folder of uploads {default_corpora[1]})",
    )  # fmt: skip
    add_index_option(build)
    build.add_argument("--json", action="store_true", help="print the build report as JSON")
    build.set_defaults(handler=_index_build)
    stats = index_commands.add_parser("stats", help="what is in the index", description="Describe the index: documents, sentences, when and from what it was built.")
    add_index_option(stats)
    stats.add_argument("--json", action="store_true", help="print the manifest as JSON")
    stats.set_defaults(handler=_index_stats)
    check = index_commands.add_parser(
        "check", help="check every array of the index for damage",
        description="Check the whole index: what every load checks, and every posting's sentence row, which a load leaves to each "
        "term's first use (so opening a large index stays fast). Exit status 1 with the damage found.",
    )  # fmt: skip
    add_index_option(check)
    check.add_argument("--json", action="store_true", help="print the counts checked as JSON")
    check.set_defaults(handler=_index_check)

    corpus_command = commands.add_parser("corpus", help="what was read from the corpus, and how well pages are read", description="Describe what was read from the corpus, or measure saved-page reading against a truth set.")
    corpus_commands = corpus_command.add_subparsers(dest="corpus_command", metavar="ACTION", required=True)
    report = corpus_commands.add_parser("report", help="each document's kind, encoding, metadata and sentence count; files not indexed", description="List every indexed document (kind, encoding, title, outlet, author, date, where it came from, sentences, lines dropped as furniture) and every file not indexed with its reason.")
    report.add_argument("--show-dropped", metavar="FILE", help="print the lines of one corpus file that were dropped as furniture")
    report.add_argument("--json", action="store_true", help="print the report as JSON")
    add_index_option(report)
    add_corpus_option(report)
    report.set_defaults(handler=_corpus_report)
    evaluate_pages = corpus_commands.add_parser("evaluate", help="measure saved-page reading against a truth set (news-dev layout)", description="Read every html/<name>.html.gz page of a news-dev-style folder and compare with truth/<name>.json: token recall and precision of the body, agreement of title, outlet, author and publication day; the first half of the names (sorted) is the tuning half, the second is held out.")
    evaluate_pages.add_argument("folder", type=Path, help="folder with html/ and truth/ (e.g. ../shared/news-dev)")
    evaluate_pages.add_argument("--verbose", action="store_true", help="one line per page, with the fields that disagree")
    evaluate_pages.add_argument("--limit", type=int, help="only the first N pages")
    evaluate_pages.add_argument("--json", action="store_true", help="print the figures as JSON (with --verbose: per page too)")
    evaluate_pages.set_defaults(handler=_corpus_evaluate)

    search = commands.add_parser("search", help="rank sentences for a query with BM25", description="Rank the corpus sentences for a query (BM25Okapi).")
    search.add_argument("query", help="words to search for")
    search.add_argument("-k", type=_positive_count, default=10, help="number of sentences (default: %(default)s)")
    search.add_argument("--json", action="store_true", help="print a JSON list of {doc, sentence_index, sentence, score}")
    add_index_option(search)
    add_corpus_option(search)
    add_scope_options(search)
    search.set_defaults(handler=_search)

    ask = commands.add_parser("ask", help="answer questions with cited sentences", description="Answer one question, or every line of --questions FILE (each answered on its own).")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--questions", type=Path, help="file with one question per line")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON (qa/reply.schema.json); with --questions one compact object per line (JSON Lines)")
    ask.add_argument("--why", action="store_true", help="also show why: the question words matched, the features that decided, the runner-up")
    add_index_option(ask)
    add_corpus_option(ask)
    add_scope_options(ask)
    ask.set_defaults(handler=_ask)

    chat = commands.add_parser("chat", help="a conversation: questions from standard input, follow-ups resolved", description="Read questions line by line from standard input as one conversation (a prompt when run in a terminal).")
    chat.add_argument("--json", action="store_true", help="print one compact JSON object per question and line (JSON Lines, qa/reply.schema.json)")
    add_index_option(chat)
    add_corpus_option(chat)
    add_scope_options(chat)
    chat.set_defaults(handler=_chat)

    evaluate = commands.add_parser("eval", help="run a canned-question file or a SQuAD evaluation", description="Evaluate the answerer: `eval FILE` runs canned questions over the index; `eval --squad FILE` runs an open-corpus SQuAD v1.1 evaluation; `eval --cleaning NEWS_DEV` scores web-copy cleaning and metadata.")
    evaluate.add_argument("file", nargs="?", type=Path, help="canned-question file (JSON)")
    evaluate.add_argument("--squad", type=Path, help="SQuAD v1.1 JSON file")
    evaluate.add_argument("--cleaning", type=Path, metavar="NEWS_DEV", help="score web-copy cleaning and metadata on a news-dev folder (text/, truth/)")
    evaluate.add_argument("--verbose", action="store_true", help="with --cleaning: figures, missed paragraphs and extra lines per file")
    evaluate.add_argument("--layout", choices=LAYOUTS, default="text", help="with --cleaning: score the trimmed text copies (text/, default) or whole-page copies rendered from the saved pages (html/, qa.page_copy)")
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

    feedback = commands.add_parser("feedback", help="readers' verdicts on answers: export as test cases, statistics", description="Readers' verdicts from the app's feedback buttons, stored in its SQLite database.")
    feedback_commands = feedback.add_subparsers(dest="feedback_command", metavar="ACTION", required=True)
    database_help = "the app's SQLite database (default: QA_DATABASE, else %(default)s)"
    export = feedback_commands.add_parser("export", help="write the verdicts as canned-question cases", description="Write the verdicts as cases in the canned-question format, for `python -m qa eval FILE`.")
    export.add_argument("--database", type=Path, default=default_database(DEFAULT_INDEX), help=database_help)
    export.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    export.set_defaults(handler=_feedback_export)
    feedback_stats = feedback_commands.add_parser("stats", help="counts of verdicts", description="Summarise the verdicts: counts by verdict, share right, the questions most often judged wrong.")
    feedback_stats.add_argument("--database", type=Path, default=default_database(DEFAULT_INDEX), help=database_help)
    feedback_stats.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    feedback_stats.set_defaults(handler=_feedback_stats)
    cluster = commands.add_parser("cluster", help="serve the index's postings from Sphinx/Manticore searchd shards", description="Export the index for a Sphinx/Manticore cluster, and start or stop local searchd shards (see the README).")
    cluster_commands = cluster.add_subparsers(dest="cluster_command", metavar="ACTION", required=True)
    cluster_export = cluster_commands.add_parser("export", help="write shard sources, indexer configuration and the statistics manifest", description="Write one source file per shard (documents assigned by a hash of their id), the indexer configuration and the statistics manifest.")
    cluster_export.add_argument("--shards", type=_positive_count, required=True, help="number of shards")
    cluster_export.add_argument("--out", type=Path, required=True, help="export folder (new or a previous export)")
    cluster_export.add_argument("--index", type=Path, default=DEFAULT_INDEX, help="index folder to export (default: %(default)s)")
    cluster_export.add_argument("--json", action="store_true", help="print the export report as JSON")
    cluster_export.set_defaults(handler=_cluster_export)
    cluster_start = cluster_commands.add_parser("start", help="index the shards and start one searchd per shard on loopback", description="Run indexer and the global IDF steps, start one searchd --nodetach per shard on free loopback ports (shard 0 also serves the distributed table); the last line printed is the cluster's sphinxql:// address.")
    cluster_start.add_argument("--dir", type=Path, required=True, help="export folder")
    cluster_start.set_defaults(handler=_cluster_start)
    cluster_stop = cluster_commands.add_parser("stop", help="stop the searchd processes start recorded", description="Stop the searchd processes `cluster start` started, by their recorded PIDs.")
    cluster_stop.add_argument("--dir", type=Path, required=True, help="export folder")
    cluster_stop.set_defaults(handler=_cluster_stop)
    cluster_bench = cluster_commands.add_parser("bench", help="latency and agreement of the cluster with the embedded index", description="Run the same question-like queries on the embedded index and the cluster: identical top k (rows and scores), rounds, latency, and the engine's own bm25a agreement.")
    cluster_bench.add_argument("--address", required=True, help="the cluster's sphinxql://HOST:PORT/TABLE")
    cluster_bench.add_argument("--index", type=Path, default=DEFAULT_INDEX, help="the embedded index the cluster was exported from (default: %(default)s)")
    cluster_bench.add_argument("--queries", type=_positive_count, default=200, help="number of queries (default: %(default)s)")
    cluster_bench.add_argument("-k", type=_positive_count, default=40, help="depth compared (default: %(default)s, the answerer's)")
    cluster_bench.add_argument("--json", action="store_true", help="print the figures as JSON")
    cluster_bench.set_defaults(handler=_cluster_bench)

    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    training = commands.add_parser(
        "train",
        help="fit the answer model's weights (needs scikit-learn)",
        description="Fit the answer model (qa/data/answer_model.json) on the fit articles of SQuAD v1.1 and 2.0 "
        "(qa/data/squad_split.json) and the dev split of news questions; print cross-validated figures (folds by article). "
        "Then fit the answerability model (the reply's confidence, and when it declines) on the SQuAD 2.0 and news ones.",
    )
    training.add_argument("--squad", type=Path, default=shared / "eval" / "squad-dev-v1.1-even.json", help="SQuAD v1.1 file (default: %(default)s)")
    training.add_argument("--squad2", type=Path, default=shared / "eval" / "squad-dev-v2.0-even.json", help="SQuAD 2.0 file (default: %(default)s)")
    training.add_argument("--news", type=Path, default=Path(__file__).resolve().parent.parent / "tests" / "news_questions.json", help="canned-format news questions with a split field; only split dev is used (default: %(default)s)")
    training.add_argument("--news-corpus", type=Path, default=shared / "news-dev" / "text", help="the corpus folder of --news (default: %(default)s)")
    training.add_argument("--every", type=_positive_count, default=1, help="use every N-th SQuAD question (default: %(default)s)")
    training.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data" / "answer_model.json", help="weights file to write (default: %(default)s)")
    training.add_argument("--answerability-out", type=Path, default=Path(__file__).resolve().parent / "data" / "answerability.json", help="answerability weights file to write (default: %(default)s)")
    training.add_argument("--samples", type=Path, help="development aid: keep the questions' features in this pickle file and reuse it when it exists (delete it after changing the features)")
    training.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    training.set_defaults(handler=_train)

    title_training = commands.add_parser(
        "train-title",
        help="fit the headline scorer of saved web copies (needs scikit-learn)",
        description="Fit the headline scorer (qa/data/title_model.json) on the dev half of a news-dev folder (text/, truth/); "
        "print how often it picks the truth's headline, on the fitted pages and leaving each page out. The held-out half is not read.",
    )
    title_training.add_argument("news_dev", type=Path, nargs="?", default=shared / "news-dev", metavar="NEWS_DEV", help="news-dev folder (default: %(default)s)")
    title_training.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data" / "title_model.json", help="weights file to write (default: %(default)s)")
    title_training.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    title_training.set_defaults(handler=_train_title)

    bench = commands.add_parser("bench", help="measure build, load, search and answer speed and memory", description="Benchmark index build, load, search and answer at several corpus sizes (in sentences).")
    bench.add_argument("--corpus", type=Path, required=True, help="a .jsonl.xz file of articles or a folder of .txt/.md files")
    bench.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated sentence counts (default: %(default)s)")
    bench.add_argument("--json", action="store_true", help="print one JSON object per size")
    bench.add_argument("--peers", action="store_true", help="also measure tantivy and bm25s on the same sentences and terms (needs requirements-bench.txt)")
    bench.add_argument(
        "--replicate", type=_positive_count, default=1, metavar="N",
        help="also build, load and search a real index of N copies of each size's corpus (e.g. 10 for 10M sentences from 1M): build time and peak memory, load time, search times, exactness",
    )
    bench.set_defaults(handler=_bench)

    serve = commands.add_parser("serve", help="serve the HTTP JSON API (docs at /docs)", description="Serve POST /ask, GET /search, GET and POST /documents, GET /health over HTTP (FastAPI on uvicorn; OpenAPI docs at /docs).")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    add_index_option(serve)
    add_corpus_option(serve)
    serve.set_defaults(handler=_serve)

    loadtest = commands.add_parser("loadtest", help="concurrent clients asking a running server; throughput and latency", description="Ask a running `serve` many questions from concurrent clients; report throughput and p50/p95 latency, and check every reply (schema, and the same reply to the same question).")
    loadtest.add_argument("--url", default="http://127.0.0.1:8000", help="the server (default: %(default)s)")
    loadtest.add_argument("--clients", type=_positive_count, default=8, help="concurrent clients (default: %(default)s)")
    loadtest.add_argument("--questions", type=_positive_count, default=2000, help="questions in all, cycling through the file (default: %(default)s)")
    loadtest.add_argument("--questions-file", type=Path, default=Path(__file__).resolve().parent.parent / "tests" / "canned_questions.json", help="a canned-question JSON file or one question per line (default: the canned questions)")
    loadtest.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    loadtest.set_defaults(handler=_loadtest)
    soak_command = commands.add_parser(
        "soak",
        help="ask many generated questions and print memory at intervals",
        description="Ask N questions made from the index's own titles and sentences (the same on every run) in one "
        "process, and print the Python heap (tracemalloc, current and peak) and the resident memory every K questions.",
    )
    soak_command.add_argument("--questions", type=_positive_count, default=1000, help="how many questions (default: %(default)s)")
    soak_command.add_argument("--every", type=_positive_count, default=1000, help="print memory every K questions (default: %(default)s)")
    soak_command.add_argument("--no-tracemalloc", action="store_true", help="only the resident memory (tracing the heap slows answering about twofold)")
    soak_command.add_argument("--json", action="store_true", help="print one JSON object per measurement")
    add_index_option(soak_command)
    add_corpus_option(soak_command)
    soak_command.set_defaults(handler=_soak)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.handler(arguments)
    except QAError as error:
        print(f"error: {shown(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            return 0
        # A file or folder that cannot be read or written (permissions, a file where a folder should be, a full disk).
        print(f"error: {error.strerror or error}" + (f": {shown(error.filename)}" if error.filename else ""), file=sys.stderr)
        return 1
