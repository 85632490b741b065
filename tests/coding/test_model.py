"""The coding model's scikit-learn-style contract, persistence, and error messages."""

import gc
import json
import pickle
from pathlib import Path

import pytest

from conftest import FIXTURES
from synthesis.coding.codebook import DEFAULT_CODEBOOK, load_codebook
from synthesis.coding.inputs import read_labelled
from synthesis.coding.model import LEFT_OUT_CAP, SCORING_REVISION, CodingModel, _score
from synthesis.coding.model_io import load_model, save_model
from synthesis.errors import ModelError
from synthesis.records import LabelledText

GOLD = read_labelled(FIXTURES / "gold_small.jsonl")


def _fit(seed=1):
    return CodingModel(load_codebook(), embedder=None, seed=seed).fit(GOLD[:34], GOLD[34:])


def test_fit_returns_self_and_learned_state_ends_in_underscore():
    model = CodingModel(load_codebook(), embedder=None)
    assert not [k for k in vars(model) if k.endswith("_")]
    assert model.fit(GOLD[:34]) is model
    assert {"disambiguator_", "cause_models_", "group_thresholds_"} <= set(vars(model))


def test_predicting_before_fitting_is_a_clear_error():
    with pytest.raises(ModelError, match="not trained"):
        CodingModel(load_codebook()).predict(["Refugees lack water."])


def test_training_is_deterministic_for_a_seed():
    texts = [g.text for g in GOLD]
    first, second = _fit().predict(texts), _fit().predict(texts)
    assert first == second


def test_predictions_have_codes_scores_and_exact_mentions():
    model = _fit()
    text = "Rural women with disabilities walk four hours to the clinic."
    [coding] = model.predict([text])
    assert set(coding.group_scores) == set(load_codebook().ids("group"))
    assert set(coding.cause_scores) == set(load_codebook().ids("cause"))
    assert {"women_girls", "disability", "rural_remote"} <= set(coding.groups)
    for mention in coding.mentions:
        assert text[mention.start:mention.end] == mention.text
    [nothing] = model.predict(["The microphone in room C is broken."])
    assert nothing.groups == ()


def test_save_and_load_round_trip(tmp_path):
    model = _fit()
    save_model(model, tmp_path / "m", {"version": "test-1"}, DEFAULT_CODEBOOK)
    loaded = load_model(tmp_path / "m")
    texts = [g.text for g in GOLD]
    assert loaded.predict(texts) == model.predict(texts)
    assert loaded.version == "test-1"
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # no staging folder left beside it


def test_save_refuses_folders_that_are_not_models_and_keeps_their_files(tmp_path):
    model = _fit()
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "draft.docx").write_bytes(b"mine")
    (tmp_path / "file").write_text("x")
    for target, reason in ((notes, "holds files that are not a coding model"), (tmp_path / "file", "is a file"),
                           (tmp_path / "file" / "m", "is a file")):
        with pytest.raises(ModelError, match=reason):
            save_model(model, target, {"version": "x"}, DEFAULT_CODEBOOK)
    assert (notes / "draft.docx").read_bytes() == b"mine" and (tmp_path / "file").read_text() == "x"
    (tmp_path / "empty").mkdir()
    save_model(model, tmp_path / "empty", {"version": "x"}, DEFAULT_CODEBOOK)
    save_model(model, tmp_path / "empty", {"version": "y"}, DEFAULT_CODEBOOK, {"README.md": "card"})  # replaced
    assert load_model(tmp_path / "empty").version == "y" and (tmp_path / "empty" / "README.md").read_text() == "card"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "file", "notes"]


def test_a_failed_save_leaves_the_previous_model_and_nothing_else(tmp_path, monkeypatch):
    model = _fit()
    save_model(model, tmp_path / "m", {"version": "first"}, DEFAULT_CODEBOOK)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("synthesis.coding.model_io.joblib.dump", full_disk)
    with pytest.raises(ModelError, match=r"m: cannot write the model there \(No space left on device\)"):
        save_model(model, tmp_path / "m", {"version": "second"}, DEFAULT_CODEBOOK)
    with pytest.raises(ModelError, match="cannot write the model there"):
        save_model(model, tmp_path / "new" / "deeper" / "m", {"version": "second"}, DEFAULT_CODEBOOK)
    assert [p.name for p in tmp_path.iterdir()] == ["m"] and load_model(tmp_path / "m").version == "first"


def test_an_interrupted_save_leaves_nothing_and_a_saved_model_is_readable_by_others(tmp_path, monkeypatch):
    model = _fit()
    save_model(model, tmp_path / "m", {"version": "first"}, DEFAULT_CODEBOOK)
    assert (tmp_path / "m").stat().st_mode & 0o055 == 0o055  # the umask's permissions (022), not mkdtemp's 700

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("synthesis.coding.model_io.joblib.dump", interrupted)
    for target in (tmp_path / "m", tmp_path / "new" / "deeper" / "m"):
        with pytest.raises(KeyboardInterrupt):
            save_model(model, target, {"version": "second"}, DEFAULT_CODEBOOK)
    assert [p.name for p in tmp_path.iterdir()] == ["m"] and load_model(tmp_path / "m").version == "first"


def test_a_linked_model_folder_is_replaced_where_the_link_points(tmp_path, monkeypatch):
    model = _fit()
    save_model(model, tmp_path / "real", {"version": "first"}, DEFAULT_CODEBOOK)
    (tmp_path / "current").symlink_to(tmp_path / "real")
    save_model(model, tmp_path / "current", {"version": "second"}, DEFAULT_CODEBOOK)
    assert (tmp_path / "current").is_symlink() and load_model(tmp_path / "current").version == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "real"]
    (tmp_path / "real" / "notes.txt").write_text("mine")  # a model folder with a file of the user's is not replaced
    with pytest.raises(ModelError, match="holds files that are not a coding model's"):
        save_model(model, tmp_path / "real", {"version": "third"}, DEFAULT_CODEBOOK)
    monkeypatch.chdir(tmp_path / "real")
    (tmp_path / "real" / "notes.txt").unlink()
    save_model(model, Path("."), {"version": "third"}, DEFAULT_CODEBOOK)  # "." has no name of its own
    assert load_model(tmp_path / "real").version == "third"


def test_an_unwritable_place_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="cannot write the model there"):
        save_model(_fit(), Path("/proc/synthesis-test/m"), {"version": "x"}, DEFAULT_CODEBOOK)


def test_missing_or_incompatible_model_directories(tmp_path):
    with pytest.raises(ModelError, match="not a coding model directory"):
        load_model(tmp_path / "nowhere")
    save_model(_fit(), tmp_path / "old", {"version": "x"}, DEFAULT_CODEBOOK)
    config = json.loads((tmp_path / "old" / "config.json").read_text())
    config["format_version"] = 99
    (tmp_path / "old" / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="model format 99 is not supported"):
        load_model(tmp_path / "old")
    config["format_version"] = "1"  # hand-edited
    (tmp_path / "old" / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match=r'model format "1" is not supported by this version \(expects the number 1\)'):
        load_model(tmp_path / "old")
    config["format_version"] = 1
    (tmp_path / "old" / "config.json").write_text(json.dumps(config))
    (tmp_path / "old" / "model.joblib").write_bytes(pickle.dumps("not a model")[:5])
    with pytest.raises(ModelError, match="cannot be loaded"):
        load_model(tmp_path / "old")
    # the folder's own codebook, damaged or gone, is a damaged model too (`run` then skips coding, as for the others)
    (tmp_path / "old" / "codebook.yaml").write_text("groups: [\n", encoding="utf-8")
    with pytest.raises(ModelError, match=r"codebook\.yaml.*line.*restore the model folder's codebook\.yaml"):
        load_model(tmp_path / "old")
    (tmp_path / "old" / "codebook.yaml").unlink()
    with pytest.raises(ModelError, match="cannot read the codebook"):
        load_model(tmp_path / "old")


def test_repeated_texts_are_scored_once_and_coded_like_the_first():
    model = _fit()
    texts = ["Refugees lack water.", "Older people in remote villages have no pension.", "Refugees lack water.",
             "Refugees lack water."]
    codings = model.predict(texts, ["en", "en", "en", "es"])
    assert codings[0] == codings[2] == model.predict([texts[0]])[0]
    assert "displaced_migrants" in codings[0].groups
    assert {"older_people", "rural_remote"} <= set(codings[1].groups)
    assert len(codings) == 4  # the Spanish copy is a distinct (text, language) pair, still in input order



def test_fast_mention_scores_match_the_disambiguator_and_groups_only_mode():
    model = _fit()
    texts = [g.text for g in GOLD]
    found = model.finder_.find_many(texts, ["en"] * len(texts), kinds=("group",))
    features = [c.features for candidates in found for c in candidates]
    expected = model.disambiguator_.predict_proba(model.mention_vectorizer_.transform(features))[:, 1]
    weights, intercept = model._mention_weights()
    assert [_score(f, weights, intercept) for f in features] == pytest.approx(list(expected), abs=1e-12)
    full, groups_only = model.predict(texts), model.predict(texts, with_causes=False)
    assert [c.groups for c in full] == [c.groups for c in groups_only]
    assert [c.mentions for c in full] == [c.mentions for c in groups_only]
    assert gc.isenabled()  # the collector paused while coding is running again
    # slotted records: no dict per coding or mention for the collector to scan when it resumes
    coded = next(c for c in full if c.mentions)
    assert not hasattr(coded, "__dict__") and not hasattr(coded.mentions[0], "__dict__")


def test_a_model_saved_before_a_scoring_change_gets_a_new_version(tmp_path):
    model = _fit()
    save_model(model, tmp_path / "m", {"version": "test-1"}, DEFAULT_CODEBOOK)
    settings = json.loads((tmp_path / "m" / "config.json").read_text())
    assert settings["scoring_revision"] == SCORING_REVISION
    del settings["scoring_revision"]  # as written before revisions were recorded
    (tmp_path / "m" / "config.json").write_text(json.dumps(settings))
    assert load_model(tmp_path / "m").version == f"test-1+r{SCORING_REVISION}"


def test_sub_code_labels_train_their_parent_like_the_parent_itself(tmp_path):
    import dataclasses

    import yaml

    raw = yaml.safe_load(DEFAULT_CODEBOOK.read_text(encoding="utf-8"))
    raw["groups"].append({"id": "war_widows", "label": "War widows", "parent": "women_girls",
                          "patterns": {"en": ["war widows"]}})
    raw["causes"].append({"id": "land_tenure", "label": "Land tenure", "parent": "socioeconomic"})
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    codebook = load_codebook(path)
    renamed = {"women_girls": "war_widows", "socioeconomic": "land_tenure"}
    relabelled = [dataclasses.replace(g, groups=tuple(renamed.get(c, c) for c in g.groups),
                                      causes=tuple(renamed.get(c, c) for c in g.causes)) for g in GOLD]
    texts = ["Women cannot own land titles and are poor.", "Refugees lack water."]
    with_parents = CodingModel(codebook, embedder=None, seed=1).fit(GOLD[:34], GOLD[34:]).predict(texts)
    with_subcodes = CodingModel(codebook, embedder=None, seed=1).fit(relabelled[:34], relabelled[34:]).predict(texts)
    assert with_subcodes == with_parents
    assert "women_girls" in with_subcodes[0].groups


def test_decomposed_accents_give_the_same_causes_as_composed_text():
    import unicodedata

    model = _fit()
    text = "Les personnes âgées et les réfugiés sont exclus des services de santé à cause de la discrimination."
    composed, decomposed = model.predict([text, unicodedata.normalize("NFD", text)], ["fr", "fr"])
    assert composed.cause_scores == decomposed.cause_scores and composed.groups == decomposed.groups


@pytest.mark.parametrize("spoil, message", [
    (lambda state, config: state.update(group_ids_=None), "a damaged learned state"),
    (lambda state, config: state.update(disambiguator_=None), "a damaged learned state"),
    (lambda state, config: state.update(group_ids_=state["group_ids_"][:-1]),
     "its group codes are not those of the codebook.yaml beside it"),
    (lambda state, config: config.update(uses_embeddings=False),
     "its cause classifiers do not match config.json's uses_embeddings"),
])
def test_a_learned_state_that_does_not_fit_its_folder_is_a_clear_error(tmp_path, spoil, message):
    import joblib

    from synthesis.embeddings import Embedder

    model = CodingModel(load_codebook(), embedder=Embedder(tmp_path / "cache"), seed=1).fit(GOLD[:34], GOLD[34:])
    save_model(model, tmp_path / "m", {"version": "test-1"}, DEFAULT_CODEBOOK)
    state = joblib.load(tmp_path / "m" / "model.joblib")
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    spoil(state, config)
    joblib.dump(state, tmp_path / "m" / "model.joblib")
    (tmp_path / "m" / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError) as caught:
        load_model(tmp_path / "m", Embedder(tmp_path / "cache"))
    assert str(caught.value) == f"{tmp_path / 'm' / 'model.joblib'}: {message}; retrain with `synthesis train`"


def test_thresholds_rest_on_dev_and_on_out_of_fold_predictions_no_fold_model_scores_its_own_texts(monkeypatch,
                                                                                                   tmp_path):
    tuned_on, fitted, scored = [], {}, {}
    tune, fit, predict_scores = CodingModel._tune_thresholds, CodingModel._fit, CodingModel.predict_scores

    def spy_tune(self, items, predicted, grouped):
        tuned_on.append(sorted(i.text for i in items))
        return tune(self, items, predicted, grouped)

    def spy_fit(self, items, mentions_from):
        fitted[id(self)] = {i.text for i in items}
        return fit(self, items, mentions_from)

    def spy_predict_scores(self, texts, languages, with_causes=True):
        scored.setdefault(id(self), set()).update(texts)
        return predict_scores(self, texts, languages, with_causes)

    monkeypatch.setattr(CodingModel, "_tune_thresholds", spy_tune)
    monkeypatch.setattr(CodingModel, "_fit", spy_fit)
    monkeypatch.setattr(CodingModel, "predict_scores", spy_predict_scores)
    train, dev = GOLD[:34], GOLD[34:]
    model = CodingModel(load_codebook(), embedder=None, threshold_folds=2).fit(train, dev)
    assert model.threshold_folds_used_ == 2
    assert tuned_on[-1] == sorted(g.text for g in train + dev)
    folds = [key for key in fitted if key != id(model)]
    assert len(folds) == 2
    for key in folds:  # each fold model scores only the train texts it was not fitted on
        assert scored[key] and not scored[key] & fitted[key]
        assert scored[key] | fitted[key] == {g.text for g in train}
    save_model(model, tmp_path / "m", {"version": "test-1"}, DEFAULT_CODEBOOK)
    assert load_model(tmp_path / "m").threshold_folds == 2
    CodingModel(load_codebook(), embedder=None, threshold_folds=0).fit(train, dev)
    assert tuned_on[-1] == sorted(g.text for g in dev)


def _thresholds(model):
    return model.group_thresholds_, model.cause_thresholds_


def test_out_of_fold_thresholds_are_repeatable_for_a_seed_and_fall_back_to_dev_on_tiny_data():
    train, dev = GOLD[:34], GOLD[34:]
    codebook = load_codebook()
    first = CodingModel(codebook, embedder=None, seed=3, threshold_folds=2).fit(train, dev)
    second = CodingModel(codebook, embedder=None, seed=3, threshold_folds=2).fit(train, dev)
    assert _thresholds(first) == _thresholds(second)
    dev_alone = CodingModel(codebook, embedder=None, seed=3, threshold_folds=0).fit(train, dev)
    too_few = CodingModel(codebook, embedder=None, seed=3, threshold_folds=5).fit(train, dev)  # 34 < 10 x 5 texts
    assert too_few.threshold_folds_used_ == 0 and _thresholds(too_few) == _thresholds(dev_alone)


# labelled report prose that trains causes only: group words in it, labelled with a group or with none
CAUSES_ONLY = [LabelledText(f"c{n}", text, groups, causes) for n, (text, groups, causes) in enumerate([
    ("Maria, a mother of three, said the drought had ruined the harvest.", (), ("shocks_fragility",)),
    ("His wife drove him to the clinic, which was four hours away on a dirt road.", (), ("geography",)),
    ("The refugees were not on the agenda of the budget meeting.", (), ()),
    ("The council never published the audit, and the funds for the villages vanished.", (), ("governance",)),
    ("My kids and I moved to the city after the floods destroyed our house.", (), ("shocks_fragility",)),
    ("Youth unemployment figures for the third quarter are in annex two.", (), ()),
    ("Refugee women in the camp queue for water every morning.", ("displaced_migrants", "women_girls"),
     ("socioeconomic",)),
    ("Children with disabilities in the hills never see a teacher.", ("children", "disability", "rural_remote"),
     ("geography", "socioeconomic")),
])]


def test_causes_only_texts_train_the_cause_classifier_and_the_folds_but_not_the_disambiguator(monkeypatch):
    codebook, train, dev = load_codebook(), GOLD[:34], GOLD[34:]
    plain = CodingModel(codebook, embedder=None, threshold_folds=0).fit(train, dev)
    extended = CodingModel(codebook, embedder=None, threshold_folds=0).fit(train, dev, causes_only=CAUSES_ONLY)
    assert extended._mention_weights() == plain._mention_weights()
    texts = [g.text for g in GOLD]
    assert [c.group_scores for c in extended.predict(texts)] == [c.group_scores for c in plain.predict(texts)]
    assert [c.cause_scores for c in extended.predict(texts)] != [c.cause_scores for c in plain.predict(texts)]
    tuned = []
    tune = CodingModel._tune_thresholds

    def spy_tune(self, items, predicted, grouped):
        tuned.append({i.text: g for i, g in zip(items, grouped)})
        return tune(self, items, predicted, grouped)

    monkeypatch.setattr(CodingModel, "_tune_thresholds", spy_tune)
    CodingModel(codebook, embedder=None, threshold_folds=2).fit(train, dev, causes_only=CAUSES_ONLY)
    # held out in turn like the train texts: cause thresholds rest on them, group thresholds do not
    assert {i.text: False for i in CAUSES_ONLY}.items() <= tuned[-1].items()
    assert all(tuned[-1][i.text] for i in train + dev)


def test_causes_only_texts_alone_cannot_train_the_disambiguator():
    with pytest.raises(ModelError, match="true and false group mentions"):
        CodingModel(load_codebook(), embedder=None).fit([], causes_only=CAUSES_ONLY * 2)


def test_mentions_in_a_sentence_saying_a_meeting_left_their_group_out_are_not_coded():
    model = _fit()
    [coding] = model.predict(["Refugees in the camp lack water. The group did not discuss women with disabilities."])
    assert "displaced_migrants" in coding.groups
    assert not {"women_girls", "disability"} & set(coding.groups)
    assert coding.group_scores["disability"] <= LEFT_OUT_CAP and coding.group_scores["women_girls"] <= LEFT_OUT_CAP
    [about_them] = model.predict(["Women with disabilities are not covered by social protection."])
    assert {"women_girls", "disability"} <= set(about_them.groups)


@pytest.mark.parametrize("spoil", [
    lambda state: state["group_thresholds_"].pop("children"),
    lambda state: state["cause_models_"].pop("governance"),
    lambda state: state["cause_thresholds_"].update(socioeconomic="0.5"),
    lambda state: state["cause_models_"].update(geography="a model"),
])
def test_a_learned_state_missing_a_codes_threshold_or_classifier_is_a_clear_error(tmp_path, spoil):
    # before, it loaded and failed at the first prediction (KeyError, TypeError, AttributeError)
    import joblib

    save_model(_fit(), tmp_path / "m", {"version": "test-1"}, DEFAULT_CODEBOOK)
    state = joblib.load(tmp_path / "m" / "model.joblib")
    spoil(state)
    joblib.dump(state, tmp_path / "m" / "model.joblib")
    with pytest.raises(ModelError, match="model.joblib: a damaged learned state"):
        load_model(tmp_path / "m")


def test_a_codebook_edited_in_the_model_folder_gives_another_version(tmp_path):
    save_model(_fit(), tmp_path / "m", {"version": "test-1", "codebook_sha256": load_codebook().sha256},
               DEFAULT_CODEBOOK)
    assert load_model(tmp_path / "m").version == "test-1"
    path = tmp_path / "m" / "codebook.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"black widows", ', "", 1), encoding="utf-8")
    edited = load_model(tmp_path / "m")
    assert edited.version == f"test-1+codebook-{load_codebook(path).sha256[:10]}"  # its codings are not test-1's
    # the codebook it was trained with, given again: test-1's codings, one version (not two tags)
    assert load_model(tmp_path / "m", codebook_path=DEFAULT_CODEBOOK).version == "test-1"


def test_an_unreadable_config_is_a_model_error(tmp_path, monkeypatch):
    save_model(_fit(), tmp_path / "m", {"version": "test-1"}, DEFAULT_CODEBOOK)
    real = Path.read_text

    def refused(path, *args, **kwargs):
        if path.name == "config.json":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refused)
    with pytest.raises(ModelError, match=r"config.json: unreadable \(Permission denied\)"):
        load_model(tmp_path / "m")


def test_places_one_may_not_write_in_are_refused_before_training(tmp_path, monkeypatch):
    import os

    from synthesis.coding.model_io import check_output

    save_model(_fit(), tmp_path / "m", {"version": "test-1"}, DEFAULT_CODEBOOK)
    locked = {tmp_path / "ro", tmp_path / "m"}
    (tmp_path / "ro").mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) not in locked and real(path, mode))
    with pytest.raises(ModelError, match=r"ro/new: cannot write the model there \(.*ro: permission denied\)"):
        check_output(tmp_path / "ro" / "new")
    with pytest.raises(ModelError, match="m: cannot replace the model there"):  # its old files could not be removed
        check_output(tmp_path / "m")
    check_output(tmp_path / "new")


def test_training_texts_with_no_word_in_common_are_a_model_error():
    words = ["alpha bravo", "charlie delta", "echo foxtrot", "golf hotel", "india juliet", "kilo lima", "mike nov",
             "oscar papa", "quebec romeo", "sierra tango"]
    items = [LabelledText(str(i), f"Women {w}" if i == 0 else w.title(), ("women_girls",) if i == 0 else (), ())
             for i, w in enumerate(words)]
    items[1] = LabelledText("1", "Children watched", (), ())  # a true and a false mention
    with pytest.raises(ModelError, match="the 10 training texts share no word"):
        CodingModel(load_codebook(), embedder=None).fit(items)


def test_a_score_reported_as_the_threshold_is_coded(monkeypatch):
    # before, a score of 0.49996 was reported as 0.5 with its mention, at a threshold of 0.5, but not coded
    import synthesis.coding.model as model_module

    model = _fit()
    model.group_thresholds_["rural_remote"] = 0.5
    monkeypatch.setattr(model_module, "_probability", lambda features, weights, intercept: (0.49996, 0.5))
    [coding] = model.predict(["Life in the village is hard."], with_causes=False)
    assert coding.group_scores["rural_remote"] == 0.5 and coding.groups == ("rural_remote",)
    assert [m.code for m in coding.mentions] == ["rural_remote"]
