"""The command line: help everywhere, index build/stats, search, and one-line errors without tracebacks."""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import REPOSITORY, SEEDS

from qa.cli import build_parser, main
from qa.index import MANIFEST, read_manifest

COMMANDS = ["", "index", "index build", "index stats", "index check", "corpus", "corpus report", "corpus evaluate", "search", "ask", "chat", "eval", "bench", "feedback", "feedback export", "feedback stats", "serve", "loadtest", "cluster", "cluster export", "cluster start", "cluster stop", "cluster bench", "soak", "train", "train-title"]


def _parser_commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    found = [prefix.strip()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                found += _parser_commands(subparser, f"{prefix} {name}")
    return found


def test_every_command_is_listed_here():
    assert sorted(_parser_commands(build_parser())) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=[command or "top-level" for command in COMMANDS])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command.split(), "--help"])
    assert exit_info.value.code == 0
    output = capsys.readouterr().out
    assert output.startswith("usage: python -m qa")
    assert len(output.splitlines()) >= 4


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_defaults_resolve_from_the_repository_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QA_USER_CORPUS", raising=False)
    parser = build_parser()
    build = parser.parse_args(["index", "build"])
    assert (build.corpus, build.index) == ([REPOSITORY / "seeds", REPOSITORY / "user-corpus"], REPOSITORY / "index")
    assert parser.parse_args(["index", "stats"]).index == REPOSITORY / "index"
    assert parser.parse_args(["search", "x"]).index == REPOSITORY / "index"


def _run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(part) for part in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ---------------------------------------------------------------- index build and stats


def test_index_build_reports_documents_sentences_and_time(tmp_path, capsys):
    code, out, err = _run(["index", "build", "--corpus", SEEDS, "--index", tmp_path / "index"], capsys)
    assert code == 0
    sentences = read_manifest(tmp_path / "index")["sentences"]
    assert re.fullmatch(rf"Indexed 5 documents, {sentences} sentences, \d+ terms in \d+\.\d\d s into .+\n", out)
    assert err == ""


def test_index_build_skips_unreadable_files_with_a_reason(tmp_path, corpus_copy, capsys):
    (corpus_copy / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (corpus_copy / "latin.txt").write_bytes("Caf\u00e9 au lait in Paris is served at noon.".encode("latin-1"))
    (corpus_copy / "empty.md").write_bytes(b"")
    (corpus_copy / "notes.pdf").write_bytes(b"%PDF-1.4")
    (corpus_copy / "report.docx").write_bytes(b"PK\x03\x04")
    code, out, err = _run(["index", "build", "--corpus", corpus_copy, "--index", tmp_path / "index"], capsys)
    assert code == 0
    assert out.startswith("Indexed 6 documents, ")  # the Latin-1 file is read now
    assert "skipped 4 file(s)" in out
    assert err.splitlines() == [
        "warning: skipped empty.md: empty file",
        "warning: skipped image.txt: binary file (contains NUL bytes)",
        "warning: skipped notes.pdf: not a readable PDF (damaged or truncated)",
        "warning: skipped report.docx: not a kind of document that is read (.docx; read are .txt, .md, .html, .htm, .html.gz, .htm.gz, .pdf)",
    ]
    code, out, err = _run(["index", "stats", "--index", tmp_path / "index"], capsys)
    assert "skipped notes.pdf: not a readable PDF" in out


def test_index_build_json(tmp_path, capsys):
    code, out, err = _run(["index", "build", "--corpus", SEEDS, "--index", tmp_path / "index", "--json"], capsys)
    report = json.loads(out)
    assert code == 0
    assert set(report) == {"documents", "sentences", "terms", "skipped", "seconds", "index"}
    assert (report["documents"], report["skipped"]) == (5, [])


def test_index_build_shows_a_progress_bar_on_large_corpora(tmp_path, capsys):
    corpus = tmp_path / "many"
    corpus.mkdir()
    for number in range(60):
        (corpus / f"{number:03d}.txt").write_text(f"Report {number}\nThe council met for session {number}. It voted on item {number}.\nMore later.\n")
    code, out, err = _run(["index", "build", "--corpus", corpus, "--index", tmp_path / "index"], capsys)
    assert code == 0
    assert "indexing" in err and "60/60" in err
    assert out.startswith("Indexed 60 documents")


def test_index_build_shows_no_progress_bar_on_small_corpora(tmp_path, capsys):
    code, out, err = _run(["index", "build", "--corpus", SEEDS, "--index", tmp_path / "index"], capsys)
    assert "indexing" not in err


def test_index_stats_in_words(seed_index_dir, capsys):
    code, out, err = _run(["index", "stats", "--index", seed_index_dir], capsys)
    manifest = read_manifest(seed_index_dir)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"5 documents, {manifest['sentences']} sentences, ")
    assert f"built {manifest['built_at']}" in lines[1] and str(SEEDS) in lines[1]
    assert f"analyzer version {manifest['analyzer_version']}" in lines[2]
    assert "stale" not in out


def test_index_stats_json_is_the_manifest(seed_index_dir, capsys):
    code, out, err = _run(["index", "stats", "--index", seed_index_dir, "--json"], capsys)
    assert code == 0
    assert json.loads(out) == read_manifest(seed_index_dir)


# ---------------------------------------------------------------- search


def test_search_ranks_the_doha_sentence_first(seed_index_dir, capsys):
    code, out, err = _run(["search", "Haniyeh based", "--index", seed_index_dir, "-k", "3"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 6
    assert re.fullmatch(r" 1\. \[\d+\.\d{3}\] 003_ce45d80c013bad2b\.txt#\d+", lines[0])
    assert "based in the Qatari capital of Doha" in lines[1]


def test_search_json(seed_index_dir, capsys):
    code, out, err = _run(["search", "Haniyeh based", "--json", "--index", seed_index_dir, "-k", "4"], capsys)
    results = json.loads(out)
    assert code == 0
    assert len(results) == 4
    assert all(set(result) == {"doc", "sentence_index", "sentence", "score"} for result in results)
    assert results[0]["doc"] == "003_ce45d80c013bad2b.txt"
    assert "Doha" in results[0]["sentence"]
    assert isinstance(results[0]["sentence_index"], int)
    scores = [result["score"] for result in results]
    assert scores == sorted(scores, reverse=True)


def test_search_without_a_match_says_so(seed_index_dir, capsys):
    code, out, err = _run(["search", "xylophone quasar", "--index", seed_index_dir], capsys)
    assert code == 0
    assert out == "No sentence shares a word with the query.\n"
    code, out, err = _run(["search", "xylophone quasar", "--index", seed_index_dir, "--json"], capsys)
    assert json.loads(out) == []


def test_search_builds_a_missing_index_from_the_seeds_with_a_message(tmp_path, capsys):
    code, out, err = _run(["search", "Haniyeh based", "--index", tmp_path / "index", "-k", "1", "--json"], capsys)
    assert code == 0
    assert err.startswith("no index in ") and str(SEEDS) in err
    assert json.loads(out)[0]["doc"] == "003_ce45d80c013bad2b.txt"


def test_search_rebuilds_a_corrupt_index_with_a_message(tmp_path, seed_index_dir, capsys):
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir)
    (index_dir / MANIFEST).write_text("{broken")
    # The manifest no longer says which corpus the index was built from: no guessing.
    code, out, err = _run(["search", "Haniyeh based", "--index", index_dir, "-k", "1", "--json"], capsys)
    assert code == 1 and out == ""
    assert "python -m qa index build --corpus DIR" in err and "Traceback" not in err
    code, out, err = _run(["search", "Haniyeh based", "--index", index_dir, "--corpus", SEEDS, "-k", "1", "--json"], capsys)
    assert code == 0
    assert "rebuilding" in err and "Traceback" not in err
    assert json.loads(out)[0]["doc"] == "003_ce45d80c013bad2b.txt"


# ---------------------------------------------------------------- errors


def _binary_folder(folder):
    folder.mkdir()
    (folder / "image.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (folder / "empty.txt").write_bytes(b"")


ERRORS = [
    pytest.param(None, ["index", "build", "--corpus", "{tmp}/nope"], "corpus folder not found", id="missing-corpus"),
    pytest.param(lambda tmp: (tmp / "empty").mkdir(), ["index", "build", "--corpus", "{tmp}/empty"], "no documents (.txt, .md, .html, .htm, .pdf)", id="empty-folder"),
    pytest.param(
        lambda tmp: (tmp / "docs").mkdir() or (tmp / "docs" / "a.docx").write_bytes(b"PK"),
        ["index", "build", "--corpus", "{tmp}/docs"],
        "/docs (a.docx: not a kind of document that is read (.docx;",
        id="folder-without-documents",
    ),
    pytest.param(lambda tmp: _binary_folder(tmp / "bad"), ["index", "build", "--corpus", "{tmp}/bad"], "no readable documents", id="no-readable-documents"),
    pytest.param(
        lambda tmp: (tmp / "one.txt").write_text("Just text."),
        ["index", "build", "--corpus", "{tmp}/one.txt"],
        "not a folder",
        id="corpus-is-a-file",
    ),
    pytest.param(
        lambda tmp: (tmp / "taken").write_text("a file"),
        ["index", "build", "--index", "{tmp}/taken"],
        "not a folder",
        id="index-path-is-a-file",
    ),
    pytest.param(None, ["index", "stats", "--index", "{tmp}/none"], "no index in", id="stats-without-index"),
    pytest.param(
        lambda tmp: (tmp / "broken").mkdir() or (tmp / "broken" / MANIFEST).write_text("{"),
        ["index", "stats", "--index", "{tmp}/broken"],
        "unreadable",
        id="stats-of-corrupt-index",
    ),
    pytest.param(None, ["search", "", "--index", "{tmp}/none"], "the query is empty", id="empty-query"),
    pytest.param(None, ["search", "  \t ", "--index", "{tmp}/none"], "the query is empty", id="blank-query"),
    pytest.param(None, ["search", "word " * 2000, "--index", "{tmp}/none"], "the limit is", id="huge-query"),
    pytest.param(None, ["search", "the of and ?!", "--index", "{seed}"], "no searchable words", id="stopword-query"),
    pytest.param(None, ["search", "Haniyeh", "--index", "{seed}", "--corpus", "{tmp}/nope"], "corpus folder not found", id="search-missing-corpus"),
]


@pytest.mark.parametrize(("setup", "argv", "message"), ERRORS)
def test_errors_are_one_line_without_traceback(tmp_path, seed_index_dir, capsys, setup, argv, message):
    if setup:
        setup(tmp_path)
    code, out, err = _run([part.format(tmp=tmp_path, seed=seed_index_dir) for part in argv], capsys)
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_k_must_be_a_positive_number(seed_index_dir, capsys, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "Haniyeh", "-k", value, "--index", str(seed_index_dir)])
    assert exit_info.value.code == 2
    assert "argument -k" in capsys.readouterr().err


# ---------------------------------------------------------------- real processes from another directory


def _python_m_qa(*arguments, cwd):
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.run([sys.executable, "-m", "qa", *arguments], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


def test_python_m_qa_help_from_another_directory(tmp_path):
    result = _python_m_qa("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "usage: python -m qa" in result.stdout
    for command in ["index", "search", "ask", "chat", "eval", "train", "bench"]:
        assert command in result.stdout


def test_defaults_in_help_name_the_repository_folders(tmp_path):
    result = _python_m_qa("index", "build", "--help", cwd=tmp_path)
    assert result.returncode == 0
    flat = "".join(result.stdout.split())  # argparse wraps long paths
    assert f"(default:{REPOSITORY / 'seeds'}and" in flat and f"(default:{REPOSITORY / 'index'})" in flat


def test_error_in_a_real_process_is_one_line(tmp_path):
    result = _python_m_qa("index", "build", "--corpus", "does-not-exist", "--index", str(tmp_path / "index"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    # A path given on the command line is relative to the working directory, as usual.
    assert result.stderr == f"error: corpus folder not found: {tmp_path / 'does-not-exist'}\n"
    assert not (tmp_path / "index").exists()


def test_readme_search_example_is_real_output(seed_index_dir, capsys):
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    command = '$ python -m qa search "Haniyeh based" -k 2 --json\n'
    assert command in readme
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    code, out, err = _run(["search", "Haniyeh based", "-k", "2", "--json", "--index", seed_index_dir], capsys)
    assert json.loads(shown) == json.loads(out)


def test_index_stats_says_when_the_corpus_changed(corpus_copy, index_copy, capsys):
    (corpus_copy / "000_0e8cd08fd7a0e557.txt").write_text("Rewritten\nA new text replaced the old one. Nothing else.\n")
    code, out, err = _run(["index", "stats", "--index", index_copy], capsys)
    assert code == 0
    assert "stale: the corpus changed since the index was built" in out
