"""The offline review sheet, `synthesis users add`, `synthesis review export|import` and `synthesis retrain`."""

from __future__ import annotations

import json

from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import FIXTURES, fill_review_sheet as _fill
from synthesis.cli import app
from synthesis.config import Config
from synthesis.store import Store

runner = CliRunner()


def test_users_add_hashes_the_password_and_refuses_bad_input(sqlite_url):
    result = runner.invoke(app, ["users", "add", "ana", "--role", "admin", "--db", sqlite_url],
                           input="long enough secret\n")
    assert result.exit_code == 0, result.output
    assert "user ana (admin) added" in result.output
    with Store(sqlite_url) as store:
        user, hashed = store.user_credentials("ana")
    assert user.is_admin and hashed.startswith("$argon2") and "long enough" not in hashed
    again = runner.invoke(app, ["users", "add", "ana", "--db", sqlite_url], input="long enough secret\n")
    assert again.exit_code == 1 and "exists already" in again.output
    short = runner.invoke(app, ["users", "add", "ben", "--db", sqlite_url], input="short\n")
    assert short.exit_code == 1 and "shorter than 8 characters" in short.output
    role = runner.invoke(app, ["users", "add", "cy", "--role", "boss", "--db", sqlite_url], input="long enough 1\n")
    assert role.exit_code == 1 and "expected one of reviewer, admin" in role.output


def test_users_passwd_remove_and_list_manage_accounts(sqlite_url):
    # only `users add` existed: a forgotten password or a departed reviewer could not be dealt with
    from synthesis.review import auth

    for name, role in (("ana", "admin"), ("ben", "reviewer")):
        assert runner.invoke(app, ["users", "add", name, "--role", role, "--db", sqlite_url],
                             input="long enough secret\n").exit_code == 0
    with Store(sqlite_url) as store:
        ben = auth.authenticate(store, "ben", "long enough secret")
        token, _ = auth.new_session(store, ben, 8)
    listed = runner.invoke(app, ["users", "list", "--db", sqlite_url])
    assert listed.exit_code == 0 and listed.output.split() == ["ana", "admin", "ben", "reviewer"]
    changed = runner.invoke(app, ["users", "passwd", "ben", "--db", sqlite_url], input="another secret\n")
    assert changed.exit_code == 0 and "password of ben changed; its sessions are ended" in changed.output
    with Store(sqlite_url) as store:
        assert auth.authenticate(store, "ben", "long enough secret") is None
        assert auth.authenticate(store, "ben", "another secret") is not None
        assert auth.find_session(store, token) is None  # signed out
    short = runner.invoke(app, ["users", "passwd", "ben", "--db", sqlite_url], input="short\n")
    assert short.exit_code == 1 and "shorter than 8 characters" in short.output
    unknown = runner.invoke(app, ["users", "passwd", "Ben ", "--db", sqlite_url], input="another secret\n")
    assert unknown.exit_code == 1 and "no account of that name (did you mean 'ben'?)" in unknown.output
    removed = runner.invoke(app, ["users", "remove", "ben", "--db", sqlite_url])
    assert removed.exit_code == 0 and "user ben removed (its reviews are kept)" in removed.output
    with Store(sqlite_url) as store:
        assert [u.name for u in store.list_users()] == ["ana"]
        assert auth.authenticate(store, "ben", "another secret") is None
    again = runner.invoke(app, ["users", "remove", "ben", "--db", sqlite_url])
    assert again.exit_code == 1 and "no account of that name (accounts: ana)" in again.output
    from sqlalchemy import insert

    from synthesis.store.database import now
    from synthesis.store.schema import reviews

    with Store(sqlite_url) as store:  # a review of the removed ben's, kept under his name
        with store.engine.begin() as connection:
            connection.execute(insert(reviews).values(segment_text="t", source_path="a.txt", reviewer="ben",
                                                      created_at=now(), previous={}, labels={}, memo="",
                                                      kind="review"))
    readded = runner.invoke(app, ["users", "add", "ben", "--db", sqlite_url], input="long enough secret\n")
    assert readded.exit_code == 0 and "note: 1 reviews stored under the name ben" in " ".join(readded.output.split())


def test_export_then_import_a_review_sheet(coded_store_url, tmp_path):
    sheet = tmp_path / "review.xlsx"
    result = runner.invoke(app, ["review", "export", "--xlsx", str(sheet), "--limit", "5", "--db", coded_store_url])
    assert result.exit_code == 0, result.output
    assert "5 items written" in result.output
    rows, header = _fill(sheet, {1: {"groups": "disability, youth", "causes": "", "reviewed": "yes", "memo": "m"},
                                 2: {"groups": "", "causes": "governance", "reviewed": "x"}})
    assert load_workbook(sheet).sheetnames == ["review", "codes", "instructions"]
    imported = runner.invoke(app, ["review", "import", str(sheet), "--reviewer", "offline", "--db", coded_store_url])
    assert imported.exit_code == 0, imported.output
    assert "2 reviews imported" in imported.output
    with Store(coded_store_url) as store:
        first = store.review_history(rows[0][0])
        second = store.review_history(rows[1][0])
    assert first[0].labels == {"groups": ["disability", "youth"], "causes": []} and first[0].memo == "m"
    assert second[0].reviewer == "offline" and second[0].labels["causes"] == ["governance"]
    # the same sheet again: its rows are recognised as imported, and nothing is imported twice
    again = runner.invoke(app, ["review", "import", str(sheet), "--reviewer", "offline", "--db", coded_store_url])
    assert again.exit_code == 0 and "0 reviews imported" in again.output and "2 rows imported before" in again.output
    with Store(coded_store_url) as store:
        assert len(store.review_history(rows[0][0])) == 1


def test_a_sheet_with_a_bad_row_imports_nothing(coded_store_url, tmp_path):
    sheet = tmp_path / "review.xlsx"
    runner.invoke(app, ["review", "export", "--xlsx", str(sheet), "--limit", "3", "--db", coded_store_url])
    rows, _ = _fill(sheet, {1: {"groups": "disability", "reviewed": "yes"},
                            2: {"groups": "martians", "reviewed": "yes"},
                            3: {"causes": "disability", "reviewed": "yes"}})
    result = runner.invoke(app, ["review", "import", str(sheet), "--reviewer", "o", "--db", coded_store_url])
    assert result.exit_code == 1
    assert "row 3: groups: 'martians' is not a group code or label of the codebook" in result.output
    assert "row 4: causes: disability is a group code; put it in the groups column" in result.output
    assert "nothing imported" in result.output
    with Store(coded_store_url) as store:
        assert all(store.review_history(r[0]) == [] for r in rows)
    (tmp_path / "not.xlsx").write_text("hello")
    broken = runner.invoke(app, ["review", "import", str(tmp_path / "not.xlsx"), "--reviewer", "o",
                                 "--db", coded_store_url])
    assert broken.exit_code == 1 and "not a readable .xlsx workbook" in broken.output


def test_formula_like_text_stays_text(coded_store_url, tmp_path):
    from synthesis.config import Config
    from synthesis.ingest import ingest_paths
    from synthesis.review.sheets import export_sheet
    from synthesis.store.reviews import QueueFilter

    hostile = tmp_path / "hostile.txt"
    hostile.write_text("=HYPERLINK(\"http://example.invalid\",\"click\") is what the participant wrote.\n")
    with Store(coded_store_url) as store:
        ingest_paths([hostile], store, Config(db_url=coded_store_url))
        export_sheet(Config(db_url=coded_store_url), store, tmp_path / "r.xlsx", flt=QueueFilter(status="all"),
                     limit=1000)
    cells = [c for row in load_workbook(tmp_path / "r.xlsx")["review"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_retrain_uses_reviews_writes_a_new_version_and_recodes(coded_store_url, small_model, tmp_path):
    from synthesis.store.reviews import NewReview, QueueFilter

    with Store(coded_store_url) as store:
        old = store.model_version_in_use()
        segment_id = store.review_queue(old, "ana", QueueFilter(), 0.0, 1)[0][0]
        store.add_reviews([NewReview(segment_id, "ana", {"groups": ["disability"], "causes": ["governance"]})], old)
    config = tmp_path / "synthesis.toml"
    config.write_text(f'model_dir = "{small_model}"\ncache_dir = "{small_model.parent / "cache"}"\n'
                      f'gold_dir = "{small_model.parent / "gold"}"\nreal_eval = "{tmp_path / "none.jsonl"}"\n'
                      f'models_dir = "{tmp_path / "models"}"\n')
    result = runner.invoke(app, ["retrain", "--db", coded_store_url, "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "(1 reviews used)" in result.output and "test micro-F1 groups" in result.output
    # model_dir is set in this configuration: later runs use it, not the new model (before: "later runs ... code with
    # it", which they did not)
    assert "model_dir is set (to " in " ".join(result.output.split())
    (written,) = (tmp_path / "models").iterdir()
    info = json.loads((written / "config.json").read_text())
    assert info["reviews_used"] == 1 and info["version"] != old
    # with no review since, retraining writes nothing (before: another folder holding the same model)
    again = runner.invoke(app, ["retrain", "--db", coded_store_url, "--config", str(config)])
    assert again.exit_code == 0, again.output
    assert f"nothing new to train on: the model {info['version']} ({written})" in " ".join(again.output.split())
    assert list((tmp_path / "models").iterdir()) == [written]
    with Store(coded_store_url) as store:
        assert store.model_version_in_use() == info["version"]
        assert store.latest_model_path() == str(written)
        labels = store.effective_labels()
    assert labels[segment_id].groups == ("disability",) and labels[segment_id].reviewed
    # later runs code with the retrained model without any config change (model_dir left at its default)
    from synthesis.coding import code_store
    from synthesis.config import Config
    from synthesis.review.retrain import coding_config

    later = Config(db_url=coded_store_url, cache_dir=small_model.parent / "cache")
    with Store(coded_store_url) as store:
        chosen = coding_config(later, store)
        assert chosen.model_dir == written
        assert code_store(chosen, store, store.start_run("run", {}))["model_version"] == info["version"]
        assert store.model_version_in_use() == info["version"]
        assert coding_config(later.model_copy(update={"model_dir": small_model}), store).model_dir == small_model
    # and `synthesis report` quotes the retrained model's scores, as `run` does
    import docx

    settings = tmp_path / "later.toml"
    settings.write_text(f'cache_dir = "{small_model.parent / "cache"}"\n')
    result = runner.invoke(app, ["report", "--db", coded_store_url, "--out", str(tmp_path / "out"), "--config",
                                 str(settings), "-q"])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(tmp_path / "out/reports/global_synthesis.docx").paragraphs)
    assert f"Segments were coded by the model {info['version']}. Its scores on held-out" in text


def test_model_in_use_is_the_latest_retrained_one_only_when_model_dir_is_left_at_its_default(sqlite_url, tmp_path):
    import os

    from synthesis.config import Config
    from synthesis.review.retrain import model_dir_in_use

    retrained = tmp_path / "models" / "lnob-coder-20990101-000000"
    retrained.mkdir(parents=True)
    (retrained / "config.json").write_text('{"version": "v2"}')
    default = Config(db_url=sqlite_url)
    with Store(sqlite_url) as store:
        assert model_dir_in_use(default, store) == default.model_dir  # nothing retrained yet
        store.record_model_version("v2", str(retrained), "0" * 64, {})
        assert model_dir_in_use(default, store) == retrained
        assert model_dir_in_use(Config(db_url=sqlite_url, model_dir=default.model_dir), store) == default.model_dir
        os.utime(retrained / "config.json", (0, 0))  # older than the default model: the default wins
        assert model_dir_in_use(default, store) == default.model_dir
        (retrained / "config.json").unlink()  # folder gone: the default
        assert model_dir_in_use(default, store) == default.model_dir


def test_code_uses_the_retrained_model_recorded_in_the_configured_store(small_model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default model is the installation's, wherever the command runs
    store_url = f"sqlite:///{tmp_path / 'project.sqlite'}"
    config = tmp_path / "synthesis.toml"
    config.write_text(f'db_url = "{store_url}"\ncache_dir = "{small_model.parent / "cache"}"\n')
    (tmp_path / "in.txt").write_text("Women with disabilities cannot reach the clinic.\n")
    arguments = ["code", "--input", "in.txt", "--output", "out.jsonl", "--config", str(config)]
    evaluation = ["evaluate", "--gold", str(FIXTURES / "gold_small.jsonl"), "--json", "--config", str(config)]
    default = json.loads((Config().model_dir / "config.json").read_text())["version"]
    result = runner.invoke(app, evaluation)  # nothing recorded: the default model
    assert result.exit_code == 0 and json.loads(result.output)["model"] == default
    assert not (tmp_path / "project.sqlite").exists()  # coding a file never creates a store
    with Store(store_url) as store:
        store.record_model_version("retrained", str(small_model), "0" * 64, {})
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out.jsonl").read_text())["id"] == 1
    result = runner.invoke(app, evaluation)  # evaluate scores the model that code uses
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["model"] == json.loads((small_model / "config.json").read_text())["version"]


def test_a_sheet_reviewing_a_segment_twice_names_both_rows(coded_store_url, tmp_path):
    # the second row was refused as "entry 2 (segment …): its labels changed since the form was loaded; reload it"
    sheet = tmp_path / "review.xlsx"
    runner.invoke(app, ["review", "export", "--xlsx", str(sheet), "--limit", "2", "--db", coded_store_url])
    rows, _ = _fill(sheet, {1: {"reviewed": "yes"}, 2: {"reviewed": "yes"}})
    _fill(sheet, {2: {"segment_id": rows[0][0], "base": rows[0][1]}})
    result = runner.invoke(app, ["review", "import", str(sheet), "--reviewer", "o", "--db", coded_store_url])
    assert result.exit_code == 1
    assert f"row 3: segment {rows[0][0]} is also on row 2; keep one of the two rows" in result.output


def test_a_sheet_is_imported_only_under_a_review_app_account_where_there_are_accounts(coded_store_url, tmp_path):
    # "Ana" for "ana" made a reviewer of its own, who cannot log in and counts apart in agreement
    from synthesis.review import auth

    sheet = tmp_path / "review.xlsx"
    runner.invoke(app, ["review", "export", "--xlsx", str(sheet), "--limit", "1", "--db", coded_store_url])
    _fill(sheet, {1: {"reviewed": "yes"}})
    with Store(coded_store_url) as store:
        auth.add_user(store, "ana", "reviewer", "correct horse battery")
    typo = runner.invoke(app, ["review", "import", str(sheet), "--reviewer", "Ana", "--db", coded_store_url])
    assert typo.exit_code == 1 and "no review app account is named 'Ana' (accounts: ana)" in typo.output
    right = runner.invoke(app, ["review", "import", str(sheet), "--reviewer", "ana", "--db", coded_store_url])
    assert right.exit_code == 0, right.output


def test_an_interrupted_retrain_leaves_no_model_folder_and_the_store_as_it_was(coded_store_url, small_model, tmp_path,
                                                                              monkeypatch):
    from synthesis.review import retrain as retraining
    from synthesis.store.reviews import NewReview, QueueFilter

    with Store(coded_store_url) as store:
        old = store.model_version_in_use()
        segment_id = store.review_queue(old, "ana", QueueFilter(), 0.0, 1)[0][0]
        store.add_reviews([NewReview(segment_id, "ana", {"groups": ["youth"], "causes": []})], old)
    config = Config(db_url=coded_store_url, model_dir=small_model, cache_dir=small_model.parent / "cache",
                    gold_dir=small_model.parent / "gold", real_eval=tmp_path / "none.jsonl",
                    models_dir=tmp_path / "models")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(retraining, "code_store", interrupted)  # Ctrl-C while the store is re-coded
    with Store(coded_store_url) as store:
        try:
            retraining.retrain(config, store)
        except KeyboardInterrupt:
            pass
        else:
            raise AssertionError("the interruption was swallowed")
        assert store.model_version_in_use() == old and store.latest_model() is None
    assert list((tmp_path / "models").iterdir()) == []  # before: a complete model folder nothing used


def test_retraining_with_nothing_new_writes_no_model(coded_store_url, small_model, tmp_path):
    from synthesis.review.retrain import retrain

    config = Config(db_url=coded_store_url, model_dir=small_model, cache_dir=small_model.parent / "cache",
                    gold_dir=small_model.parent / "gold", real_eval=tmp_path / "none.jsonl",
                    models_dir=tmp_path / "models")
    with Store(coded_store_url) as store:  # no review at all: the model in use was trained on exactly this
        result = retrain(config, store)
    assert result["unchanged"] and result["path"] == str(small_model) and result["reviews_used"] == 0
    assert not (tmp_path / "models").exists()


def test_a_sheet_of_ones_own_reviews_carries_their_memos(coded_store_url, tmp_path):
    # from an AI review: the memo column was always empty, and a corrected row stored an empty memo over the reviewer's
    from synthesis.config import Config
    from synthesis.review.sheets import export_sheet, import_sheet
    from synthesis.store.reviews import NewReview, QueueFilter

    with Store(coded_store_url) as store:
        version = store.model_version_in_use()
        first, second = (s for s, _ in store.review_queue(version, "ana", QueueFilter(), 0.0, 1, limit=2))
        store.add_reviews([NewReview(first, "ana", {"groups": ["disability"], "causes": []}, memo="the deaf girl"),
                           NewReview(second, "ana", {"groups": ["youth"], "causes": []}, memo="check again")], version)
        sheet = tmp_path / "mine.xlsx"
        export_sheet(Config(db_url=coded_store_url), store, sheet, reviewer="ana", flt=QueueFilter(status="mine"))
    rows, header = _fill(sheet, {})
    memos = {row[0]: row[header.index("memo")] for row in rows}
    assert memos == {first: "the deaf girl", second: "check again"}
    row_of = {row[0]: n for n, row in enumerate(rows, 1)}
    _fill(sheet, {row_of[first]: {"groups": "disability, children", "reviewed": "yes"}})  # a correction, memo as is
    with Store(coded_store_url) as store:
        result = import_sheet(Config(db_url=coded_store_url), store, sheet, "ana")
        assert result.stored == 1 and not result.unmarked  # the other row, unchanged, is no unmarked edit
        assert store.review_history(first)[-1].memo == "the deaf girl"
