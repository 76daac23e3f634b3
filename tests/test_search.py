"""Retrieval over the seeds: the sentence that answers ranks first."""

from qa.cli import main


def test_haniyeh_based_ranks_the_doha_sentence_first(seed_index):
    hits = seed_index.search("Haniyeh based", k=3)
    assert "Doha" in seed_index.sentence(hits[0].row).text


def test_search_json_has_the_documented_fields(seed_index_dir, capsys):
    import json

    assert main(["search", "Haniyeh based", "--json", "--index", str(seed_index_dir), "-k", "2"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [set(result) for result in results] == [{"doc", "sentence_index", "sentence", "score"}] * 2
    assert "Doha" in results[0]["sentence"]
