"""`synthesis train`, `synthesis code` and `synthesis evaluate` end to end, with a small trained model."""

import json

from typer.testing import CliRunner

from conftest import FIXTURES
from synthesis.cli import app

runner = CliRunner()


def test_train_writes_a_versioned_model_directory_with_metrics_and_card(small_model):
    names = {p.name for p in small_model.iterdir()}
    assert {"model.joblib", "config.json", "codebook.yaml", "metrics.json", "README.md"} <= names
    config = json.loads((small_model / "config.json").read_text())
    assert config["version"].startswith("lnob-default-") and len(config["training_data_sha256"]) == 64
    metrics = json.loads((small_model / "metrics.json").read_text())
    assert 0 <= metrics["test"]["groups"]["micro_f1"] <= 1
    card = (small_model / "README.md").read_text()
    assert "## Intended use" in card and "## Known limits" in card and "| `women_girls` |" in card


def test_code_writes_one_object_per_input_in_order_and_reports_bad_lines(tmp_path, small_model):
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "Rural women with disabilities walk for hours to the clinic."}\n'
        '{"id": "b", "text": ""}\n'
        "not json\n"
        '{"id": "c", "text": "Lunch is at one."}\n', encoding="utf-8")
    output = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["code", "--input", str(source), "--output", str(output), "--model", str(small_model)])
    assert result.exit_code == 1
    assert f"{source} row 2: empty text" in result.output and f"{source} row 3: not JSON" in result.output
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "c"]
    first = lines[0]
    assert set(first) == {"id", "groups", "causes", "mentions", "group_scores", "cause_scores"}
    assert {"women_girls", "disability", "rural_remote"} <= set(first["groups"])
    text = "Rural women with disabilities walk for hours to the clinic."
    for mention in first["mentions"]:
        assert text[mention["start"]:mention["end"]] == mention["text"]
    assert lines[1]["groups"] == []


def test_code_exits_0_when_every_line_is_coded(tmp_path, small_model):
    source = tmp_path / "in.txt"
    source.write_text("Dalit families are refused water.\nOlder people need pensions.\n", encoding="utf-8")
    result = runner.invoke(app, ["code", "--input", str(source), "--output", str(tmp_path / "o.jsonl"),
                                 "--model", str(small_model)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 coded, 0 failed")


def test_a_missing_model_is_one_clear_line(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("Refugees.\n")
    result = runner.invoke(app, ["code", "--input", str(source), "--output", str(tmp_path / "o.jsonl"),
                                 "--model", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: ") and "not a coding model directory" in result.output
    assert "Traceback" not in result.output


def test_evaluate_prints_tables_and_json(small_model):
    result = runner.invoke(app, ["evaluate", "--gold", str(FIXTURES / "gold_small.jsonl"), "--model",
                                 str(small_model), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n"] == 42 and set(report["by_language"]) == {"en", "es", "fr"}
    assert report["groups"]["per_code"]["women_girls"]["support"] > 0
    table = runner.invoke(app, ["evaluate", "--gold", str(FIXTURES / "gold_small.jsonl"), "--model",
                                str(small_model)])
    assert "micro" in table.output and "women_girls" in table.output


def test_evaluate_writes_the_texts_it_codes_differently_from_their_labels(small_model, tmp_path):
    errors = tmp_path / "out" / "errors.jsonl"
    result = runner.invoke(app, ["evaluate", "--gold", str(FIXTURES / "gold_small.jsonl"), "--model",
                                 str(small_model), "--errors", str(errors)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    gold = {g["id"]: g for g in map(json.loads, (FIXTURES / "gold_small.jsonl").read_text().splitlines())}
    assert f"{len(records)} of 42 texts coded differently" in result.output
    assert records and [p.name for p in errors.parent.iterdir()] == ["errors.jsonl"]  # no temporary file left
    for record in records:
        assert record["text"] == gold[record["id"]]["text"]
        assert record["missed_groups"] + record["extra_groups"] + record["missed_causes"] + record["extra_causes"]
        assert set(record["missed_groups"]) <= set(gold[record["id"]]["groups"])
        assert not set(record["extra_groups"]) & set(gold[record["id"]]["groups"])
    rejected = runner.invoke(app, ["evaluate", "--gold", str(FIXTURES / "gold_small.jsonl"), "--model",
                                   str(small_model), "--errors", str(tmp_path)])
    assert rejected.exit_code == 1 and "is a folder" in rejected.output and "Traceback" not in rejected.output


def _codebook_variant(small_model, tmp_path, change) -> str:
    import yaml

    raw = yaml.safe_load((small_model / "codebook.yaml").read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "my-codebook.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_code_with_a_researchers_codebook_finds_its_patterns(tmp_path, small_model):
    def add_subcode(raw):  # a sub-code with its own phrase, rolled up to its parent
        raw["groups"].append({"id": "quokka_keepers", "label": "Quokka keepers", "parent": "rural_remote",
                              "patterns": {"en": ["quokka keepers"]}})

    text = "The quokka keepers have no road to the clinic."
    source = tmp_path / "in.txt"
    source.write_text(text + "\n", encoding="utf-8")
    plain, mine = tmp_path / "plain.jsonl", tmp_path / "mine.jsonl"
    common = ["code", "--input", str(source), "--model", str(small_model)]
    assert runner.invoke(app, [*common, "--output", str(plain)]).exit_code == 0
    result = runner.invoke(app, [*common, "--output", str(mine),
                                 "--codebook", _codebook_variant(small_model, tmp_path, add_subcode)])
    assert result.exit_code == 0, result.output
    assert json.loads(plain.read_text())["mentions"] == []
    coded = json.loads(mine.read_text())
    [mention] = [m for m in coded["mentions"] if m["code"] == "quokka_keepers"]
    assert text[mention["start"]:mention["end"]] == "quokka keepers"
    assert coded["group_scores"]["rural_remote"] == mention["score"]


def test_a_codebook_with_other_top_level_codes_than_the_model_is_one_clear_line(tmp_path, small_model):
    def drop_lgbtqi(raw):
        raw["groups"] = [g for g in raw["groups"] if g["id"] != "lgbtqi"]

    source = tmp_path / "in.txt"
    source.write_text("Refugees.\n")
    codebook = _codebook_variant(small_model, tmp_path, drop_lgbtqi)
    for command in (["code", "--input", str(source), "--output", str(tmp_path / "o.jsonl")],
                    ["evaluate", "--gold", str(FIXTURES / "gold_small.jsonl")]):
        result = runner.invoke(app, [*command, "--model", str(small_model), "--codebook", codebook])
        assert result.exit_code == 1
        assert result.output.strip() == (
            f"error: {codebook}: its top-level group codes differ from the model in {small_model} (missing lgbtqi); "
            f"train a model on this codebook with `synthesis train --codebook {codebook}`")
    assert not (tmp_path / "o.jsonl").exists()


def test_evaluate_with_another_codebook_names_it_in_the_model_version(tmp_path, small_model):
    def add_pattern(raw):
        next(g for g in raw["groups"] if g["id"] == "rural_remote")["patterns"]["en"].append("quokka keepers")

    result = runner.invoke(app, ["evaluate", "--gold", str(FIXTURES / "gold_small.jsonl"), "--model",
                                 str(small_model), "--json", "--codebook",
                                 _codebook_variant(small_model, tmp_path, add_pattern)])
    assert result.exit_code == 0, result.output
    assert "+codebook-" in json.loads(result.output)["model"]


def test_a_device_is_no_input_and_a_long_output_name_is_written(tmp_path, small_model):
    result = runner.invoke(app, ["code", "--input", "/dev/null", "--output", str(tmp_path / "o.jsonl"),
                                 "--model", str(small_model)])
    assert result.exit_code == 1 and "error: /dev/null: not a regular file" in result.output
    source = tmp_path / "in.txt"
    source.write_text("Refugees lack water.\n", encoding="utf-8")
    long_name = tmp_path / ("o" * 240 + ".jsonl")  # its temporary file's name had 22 characters more than 255
    result = runner.invoke(app, ["code", "--input", str(source), "--output", str(long_name), "--model",
                                 str(small_model)])
    assert result.exit_code == 0, result.output
    assert json.loads(long_name.read_text(encoding="utf-8"))["id"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([source.name, long_name.name])


def test_code_leaves_nothing_behind_when_it_fails(tmp_path, small_model):
    missing = ["code", "--input", str(tmp_path / "nope.jsonl"), "--model", str(small_model)]
    result = runner.invoke(app, [*missing, "--output", str(tmp_path / "sub" / "x.jsonl")])
    assert result.exit_code == 1 and f"error: {tmp_path / 'nope.jsonl'}: no such file" in result.output
    assert not (tmp_path / "sub").exists()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["code", "--input", str(empty), "--output", str(tmp_path / "new" / "sub" / "o.jsonl"),
                                 "--model", str(small_model)])
    assert result.exit_code == 1 and f"error: {empty}: an empty file: no texts in it" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt"]  # no output, no folder made for it
    empty.write_text("Refugees lack water.\n", encoding="utf-8")
    result = runner.invoke(app, ["code", "--input", str(empty), "--output", str(empty), "--model", str(small_model)])
    assert result.exit_code == 1 and f"error: {empty}: is the input file: name another file to write" in result.output


def test_an_output_path_that_cannot_be_written_is_one_clear_line(tmp_path, small_model):
    source = tmp_path / "in.txt"
    source.write_text("Refugees.\n", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    under_a_file = source / "deeper" / "x.jsonl"
    for output, reason in ((folder, "is a folder: name the JSONL file to write"),
                           (under_a_file, f"cannot be written: {source} is a file, not a folder")):
        for command in (["code", "--input", str(source), "--output", str(output)],
                        ["evaluate", "--gold", str(FIXTURES / "gold_small.jsonl"), "--errors", str(output)]):
            result = runner.invoke(app, command + ["--model", str(small_model)])
            assert result.exit_code == 1
            assert result.output == f"error: {output}: {reason}\n", command
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "in.txt"]
    assert not any(folder.iterdir())


def _spoil(small_model, tmp_path, name, spoil) -> str:
    import shutil

    copy = tmp_path / name
    shutil.copytree(small_model, copy)
    spoil(copy)
    return str(copy)


def _config_without_seed(directory):
    config = json.loads((directory / "config.json").read_text())
    del config["seed"]
    (directory / "config.json").write_text(json.dumps(config))


def _set_config(directory, **settings):
    config = json.loads((directory / "config.json").read_text())
    config.update(settings)
    (directory / "config.json").write_text(json.dumps(config))


def test_damaged_model_directories_are_one_clear_line(tmp_path, small_model):
    import joblib

    source = tmp_path / "in.txt"
    source.write_text("Refugees.\n", encoding="utf-8")
    cases = {
        "list-config": (lambda d: (d / "config.json").write_text("[1, 2]"),
                        "config.json: unreadable (a JSON object was expected)"),
        "latin-1-config": (lambda d: (d / "config.json").write_bytes(b'{"seed": "\xff"}'),
                           "config.json: unreadable (not UTF-8 text)"),
        "no-seed": (_config_without_seed, "config.json: no 'seed' setting; retrain with `synthesis train`"),
        "number-version": (lambda d: _set_config(d, version=5, scoring_revision=1),
                           "config.json: unreadable (its \"version\" must be text); retrain with `synthesis train`"),
        "foreign-state": (lambda d: joblib.dump({"x": 1}, d / "model.joblib"),
                          "model.joblib: not a coding model's learned state; retrain with `synthesis train`"),
    }
    for name, (spoil, message) in cases.items():
        model = _spoil(small_model, tmp_path, name, spoil)
        for command in (["code", "--input", str(source), "--output", str(tmp_path / "o.jsonl")],
                        ["evaluate", "--gold", str(FIXTURES / "gold_small.jsonl")]):
            result = runner.invoke(app, [*command, "--model", model])
            assert result.exit_code == 1, name
            assert result.output.strip() == f"error: {model}/{message}", name


def test_evaluate_rejects_gold_labels_the_codebook_does_not_have(tmp_path, small_model):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "text": "Older people.", "groups": ["old_folks"], "causes": []}\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--model", str(small_model)])
    assert result.exit_code == 1
    assert result.output.strip() == (f"error: {gold} row 1: unknown code 'old_folks' in \"groups\" (not a group "
                                     "code of codebook lnob-default)")


def test_the_model_card_names_the_gold_it_was_trained_on(small_model):
    card = (small_model / "README.md").read_text()
    assert f"gold train split in `{small_model.parent / 'gold'}`" in card
    assert "bundled corpus" not in card and "Scores on real text" not in card  # no real-text file in its config
    assert "age range holds it (`children` 0-17, `youth` 15-24, `older_people` 60-130)" in card  # the codebook's


def test_train_refuses_an_output_folder_that_is_not_a_model_before_training(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "draft.txt").write_text("keep me")
    result = runner.invoke(app, ["train", "--output", str(notes), "--gold", str(tmp_path / "no-gold")])
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"error: {notes}: holds files that are not a coding model's; name a new or "
                                     "empty folder (a model folder is replaced)")
    assert [p.name for p in notes.iterdir()] == ["draft.txt"] and not list(tmp_path.glob(".notes*"))


def test_train_reads_the_gold_folders_causes_only_file_into_the_version_and_card(tmp_path, small_model):
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("train", "dev", "test"):
        (gold / f"{name}.jsonl").write_text((small_model.parent / "gold" / f"{name}.jsonl").read_text())
    (gold / "train-causes.jsonl").write_text(
        '{"id": "c1", "text": "Maria, a mother of three, said the drought had ruined the harvest.", "groups": [], '
        '"causes": ["shocks_fragility"]}\n'
        '{"id": "c2", "text": "The council never published the audit of the village funds.", "groups": [], '
        '"causes": ["governance"]}\n', encoding="utf-8")
    config = tmp_path / "synthesis.toml"
    config.write_text(f'cache_dir = "{small_model.parent / "cache"}"\nreal_eval = "{tmp_path / "none.jsonl"}"\n')
    result = runner.invoke(app, ["train", "--gold", str(gold), "--output", str(tmp_path / "model"), "--config",
                                 str(config), "-q"])
    assert result.exit_code == 0, result.output
    info = json.loads((tmp_path / "model" / "config.json").read_text())
    assert info["causes_only_size"] == 2
    assert info["version"] != json.loads((small_model / "config.json").read_text())["version"]
    card = (tmp_path / "model" / "README.md").read_text()
    assert "also trains on 2 labelled texts from `train-causes.jsonl`" in card
    assert "train-causes" not in (small_model / "README.md").read_text()


def test_code_and_evaluate_read_a_short_texts_language_alike(tmp_path, small_model):
    # `code` used to take texts under 25 characters as English, `evaluate` detected them from 10
    gold = tmp_path / "gold.jsonl"
    [coded] = _coded(gold, '{"id": "s", "text": "los jovenes indigenas", "groups": ["youth", "indigenous"], '
                           '"causes": []}\n', small_model)
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--model", str(small_model), "--json"])
    report = json.loads(result.output)
    assert list(report["by_language"]) == ["es"]
    assert coded["groups"] == ["youth", "indigenous"] and report["groups"]["micro_f1"] == 1.0


def test_code_uses_a_language_the_input_gives(tmp_path, small_model):
    # before, `code` dropped the field and detected the language: "jovenes" alone is too short to detect, and was
    # read as English, while `evaluate` used the given Spanish
    given, detected = _coded(tmp_path / "in.jsonl", '{"id": "given", "text": "jovenes", "language": "es"}\n'
                                                    '{"id": "detected", "text": "jovenes"}\n', small_model)
    assert given["groups"] == ["youth"] and detected["groups"] == []


def _coded(source, lines: str, model) -> list[dict]:
    """``lines`` written to ``source``, coded by `synthesis code` with ``model``: the output's objects."""
    source.write_text(lines, encoding="utf-8")
    output = source.with_name("out.jsonl")
    assert runner.invoke(app, ["code", "--input", str(source), "--output", str(output),
                               "--model", str(model)]).exit_code == 0
    return [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]


def test_when_no_line_can_be_coded_an_earlier_output_stays_as_it_was(tmp_path, small_model):
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("not json\n", encoding="utf-8")
    output.write_text('{"id": "earlier"}\n', encoding="utf-8")
    mine = tmp_path / "out.jsonl.partial"  # a file of the user's, where an earlier version wrote its temporary file
    mine.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["code", "--input", str(source), "--output", str(output), "--model", str(small_model)])
    assert result.exit_code == 1
    assert result.output == (f"error: {source} row 1: not JSON (Expecting value)\n"
                             f"error: {source}: no line could be coded (see above): {output} not written\n")
    assert output.read_text(encoding="utf-8") == '{"id": "earlier"}\n' and mine.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl", "out.jsonl.partial"]
