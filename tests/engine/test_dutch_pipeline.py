from bot.nlu.dutch_pipeline import build_pipeline


def lemmas(nlp, text: str) -> list[str]:
    return [t.lemma_ for t in nlp(text)]


def test_built_pipeline_has_lookup_lemmas_and_slang_fixes(nlp):
    assert nlp.lang == "nl"
    assert nlp.pipe_names == ["lemmatizer", "attribute_ruler"]
    assert lemmas(nlp, "ze huilde") == ["ze", "huilen"]


def test_teen_slang_gets_the_standard_lemma(nlp):
    assert lemmas(nlp, "ik wil gwn nie, mn ma snapt t nie") == [
        "ik", "willen", "gewoon", "niet", ",", "mijn", "moeder", "snappen", "het", "niet",
    ]  # fmt: skip


def test_irregular_forms_the_lookup_table_misses(nlp):
    assert lemmas(nlp, "hij wordt gepest") == ["hij", "worden", "pesten"]
    assert lemmas(nlp, "ik word thuis geslagen") == ["ik", "worden", "thuis", "slaan"]


def test_fresh_build_matches_the_saved_pipeline(nlp):
    fresh = build_pipeline()
    text = "mn zoon heeft buikpijn en slaapt slecht sinds de verhuizing"
    assert lemmas(fresh, text) == lemmas(nlp, text)
