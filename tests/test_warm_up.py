"""A serving process's warm-up (qa.pipeline.warm_up) leaves no lazy load for a later question to pay."""

import gc

from qa import extract, pipeline


def test_warm_up_loads_the_city_gazetteer(seed_index):
    extract.city_countries.cache_clear()
    try:
        pipeline.warm_up(seed_index)
        assert extract.city_countries.cache_info().currsize == 1
        assert extract.gazetteer.cache_info().currsize == 1
    finally:
        gc.unfreeze()


def test_warm_up_answers_as_before(seed_index):
    question = "Who said what?"  # made up
    before = pipeline.answer(question, seed_index)
    try:
        pipeline.warm_up(seed_index)
    finally:
        gc.unfreeze()
    assert pipeline.answer(question, seed_index) == before
