import pytest

from synthesis.coding.codebook import load_codebook
from synthesis.coding.inputs import read_labelled, read_texts
from synthesis.errors import InputError


def _read(path):
    problems = []
    items = list(read_texts(path, problems.append))
    return items, [str(p) for p in problems]


def test_bad_jsonl_lines_are_reported_with_their_line_and_the_rest_read(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "Refugees lack water."}\n'
        b'not json\n'
        b'{"id": "b"}\n'
        b'{"id": "c", "text": ""}\n'
        b'{"id": "d", "text": "   "}\n'
        b'{"id": "a", "text": "again"}\n'
        b'{"id": "e", "text": "caf\xe9 invalid utf-8"}\n'
        b'{"id": "f", "text": "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008"}\n'
        b'{"id": "g", "text": "' + b"x" * 1_000_000 + b'"}\n'
        b'{"id": "h", "text": "Older people need pensions."}\n'
    )
    items, problems = _read(path)
    assert [i.id for i in items] == ["a", "h"]
    assert problems == [
        f"{path} row 2: not JSON (Expecting value)",
        f'{path} row 3: no "text" string',
        f"{path} row 4: empty text",
        f"{path} row 5: empty text",
        f"{path} row 6: duplicate id 'a' (also on row 1)",
        f"{path} row 7: invalid UTF-8",
        f"{path} row 8: text looks like binary data",
        f"{path} row 9: text is 1,000,000 characters, over the 100,000 limit",
    ]


def test_csv_and_txt_inputs(tmp_path):
    (tmp_path / "in.csv").write_text("id,text\nx1,Dalit women\nx2,Youth\n", encoding="utf-8")
    (tmp_path / "in.txt").write_text("Dalit women\n\nYouth\n", encoding="utf-8")
    items, problems = _read(tmp_path / "in.csv")
    assert [(i.id, i.text) for i in items] == [("x1", "Dalit women"), ("x2", "Youth")] and not problems
    items, problems = _read(tmp_path / "in.txt")
    assert [(i.id, i.text) for i in items] == [(1, "Dalit women"), (3, "Youth")]
    assert problems == [f"{tmp_path / 'in.txt'} row 2: empty text"]


def test_jsonl_ids_are_echoed_as_given_and_bad_ids_and_surrogates_are_reported(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": 1, "text": "Refugees."}\n'
        '{"id": "1", "text": "Widows."}\n'
        '{"text": "No id: the line number stands in."}\n'
        '{"id": null, "text": "Null id."}\n'
        '{"id": {"a": 1}, "text": "Object id."}\n'
        '{"id": "s", "text": "women \\ud800 in rural areas"}\n'
        '{"id": 3, "text": "Collides with the line number of row 3."}\n'
        '{"id": NaN, "text": "Not a number."}\n'
        '{"id": 1e400, "text": "Infinite."}\n'
        '{"id": 2.5, "text": "A float id."}\n', encoding="utf-8")
    items, problems = _read(path)
    assert [i.id for i in items] == [1, 3, 2.5]
    assert problems == [
        f"{path} row 2: duplicate id '1' (also on row 1)",  # as text they are one: output read as text could not
        f'{path} row 4: the "id" must be a string or a number',  # tell them apart
        f'{path} row 5: the "id" must be a string or a number',
        f"{path} row 6: text holds an unpaired surrogate (\\ud800-\\udfff), which is not a character",
        f"{path} row 7: duplicate id 3 (also on row 3) (row 3 has no id: its line number stands in)",
        f'{path} row 8: the "id" must be a string or a number',
        f'{path} row 9: the "id" must be a string or a number',
    ]


def test_csv_rows_are_numbered_by_their_first_line_and_bad_bytes_spoil_only_their_row(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"id,text\r\n"
        b'q1,"Refugees\r\nand migrants"\r\n'  # rows 2-3: a quoted line break is kept as written
        b"q2,\r\n"  # row 4: empty
        b"q3,caf\xe9 bad byte\r\n"  # row 5
        b",no id: the line number stands in\r\n"  # row 6
        b"q4," + b"x" * 1_000_000 + b"\r\n"  # row 7: longer than csv's own field limit
        b'q5,"Widows" and orphans\r\n'  # row 8: text after a closing quote
        b"q6,Youth\r\n"  # row 9
        b'q9,"Open quote, closed later\r\n'  # rows 11-13: the record runs on until the next quote
        b"q10,Orphans\r\n"
        b'q11,"Dalits"?\r\n'
        b"q12,Roma\r\n"
        b'q7,"Widows\r\n'  # row 15: a quote left open swallows the rest
        b"q8,Youth\r\n")
    items, problems = _read(path)
    assert [(i.id, i.text) for i in items] == [("q1", "Refugees\r\nand migrants"),
                                               (6, "no id: the line number stands in"), ("q6", "Youth"),
                                               ("q12", "Roma")]
    assert [i.line for i in items] == [2, 6, 9, 13]
    assert problems[:3] == [f"{path} row 4: empty text", f"{path} row 5: invalid UTF-8",
                            f"{path} row 7: text is 1,000,000 characters, over the 100,000 limit"]
    assert problems[3] == f"{path} row 8: unreadable CSV (',' expected after '\"')"
    assert problems[4] == f"{path} row 10: unreadable CSV (',' expected after '\"') (lines 10-12 not read)"
    assert problems[5] == (f"{path} row 14: unreadable CSV (unexpected end of data): a quoted field is left open, "
                           "so the rest of the file was not read")
    assert len(problems) == 6


@pytest.mark.parametrize("name, content, message", [
    ("in.tsv", "id\ttext\n", "unsupported file type '.tsv': texts to code come as .jsonl, .csv or .txt"),
    ("in.csv", "id,words\nx,Refugees\n", "a CSV to code needs a 'text' column (and optionally 'id'), separated by "
                                         "commas or semicolons"),
    ("missing.jsonl", None, "no such file"),
    ("twice.csv", "id,Text,text\n1,A,Older people\n", "the header names the 'text' column twice (in any case): "
                                                        "rename one"),
    ("folder.jsonl", "", "is a folder: name a .jsonl, .csv or .txt file"),
    ("empty.txt", "", "an empty file: no texts in it"),
])
def test_unreadable_sources_are_one_error_before_any_text(tmp_path, name, content, message):
    path = tmp_path / name
    if content == "" and name.startswith("folder"):
        path.mkdir()
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        _read(path)
    assert str(caught.value) == f"{path}: {message}"


@pytest.mark.parametrize("line, reason", [
    ('{"id": "a", "text": "Old folks.", "groups": ["old_folks"], "causes": []}',
     "unknown code 'old_folks' in \"groups\" (not a group code of codebook lnob-default)"),
    ('{"id": "a", "text": "Poor.", "groups": [], "causes": ["poverty"]}',
     "unknown code 'poverty' in \"causes\" (not a cause code of codebook lnob-default)"),
    ('{"id": "a", "text": "Poor.", "groups": ["governance"], "causes": []}',
     "unknown code 'governance' in \"groups\" (not a group code of codebook lnob-default)"),
    ('{"id": "a", "text": "Old.", "groups": [["older_people"]], "causes": []}',
     'codes in "groups" and "causes" must be strings'),
    ('{"id": "a", "text": "Old.", "groups": [], "causes": [], "language": 5}',
     '"language" must be a string such as "en"'),
    ('{"id": "a", "text": "Old.", "groups": [], "causes": [], "language": "xx"}',
     '"language" \'xx\' is not one the engine reads (en, es, fr; leave it out to detect it)'),
    ('{"id": 1, "text": "Old.", "groups": [], "causes": []}', "duplicate id 1 (also on row 1)"),
])
def test_gold_lines_with_codes_the_codebook_does_not_have_are_errors(tmp_path, line, reason):
    path = tmp_path / "gold.jsonl"
    good = '{"id": "1", "text": "Refugees.", "groups": ["displaced_migrants"], "causes": []}'
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_labelled(path, load_codebook())
    assert str(caught.value) == f"{path} row 2: {reason}"


def test_an_empty_gold_file_is_an_error(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="no gold lines"):
        read_labelled(path)


def test_gold_files_are_jsonl_and_a_null_language_is_no_language(tmp_path):
    csv_gold = tmp_path / "gold.csv"
    csv_gold.write_text("id,text,groups,causes\na,Refugees,displaced_migrants,\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_labelled(csv_gold)
    assert str(caught.value) == (f'{csv_gold}: gold files are JSONL: one {{"id", "text", "groups", "causes"}} '
                                 "object a line")
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "text": "Refugees.", "groups": [], "causes": [], "language": null}\n')
    assert read_labelled(gold)[0].language == ""


def test_a_gold_language_is_read_in_lower_case(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "text": "Los jovenes.", "groups": [], "causes": [], "language": " ES "}\n')
    assert read_labelled(gold)[0].language == "es"


def test_csv_column_names_in_any_case_and_semicolon_separated_files(tmp_path):
    (tmp_path / "upper.csv").write_text("ID,Text \nx1,Dalit women\n", encoding="utf-8")
    (tmp_path / "semicolons.csv").write_text("id;text\nx1;Dalit women, and youth\n\"x2\";\"Older; people\"\n",
                                             encoding="utf-8")
    items, problems = _read(tmp_path / "upper.csv")
    assert [(i.id, i.text) for i in items] == [("x1", "Dalit women")] and not problems
    items, problems = _read(tmp_path / "semicolons.csv")
    assert [(i.id, i.text) for i in items] == [("x1", "Dalit women, and youth"), ("x2", "Older; people")]
    assert not problems


def test_a_carriage_return_alone_ends_a_txt_line(tmp_path):
    path = tmp_path / "mac.txt"
    path.write_bytes(b"Women\rRefugees\r\nMigrants\rcaf\xe9\rYouth\r")
    items, problems = _read(path)
    assert [(i.id, i.text) for i in items] == [(1, "Women"), (2, "Refugees"), (3, "Migrants"), (5, "Youth")]
    assert problems == [f"{path} row 4: invalid UTF-8"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_utf16_or_utf32_txt_or_jsonl_is_read_by_its_byte_order_mark(tmp_path, encoding):
    # as Notepad saves "Unicode" text; before, each line was "invalid UTF-8"
    bom = {"utf-16": b"", "utf-16-be": "\ufeff".encode("utf-16-be"), "utf-32": b""}[encoding]
    path = tmp_path / "unicode.txt"
    path.write_bytes(bom + "Personnes âgées\r\nRefugees\n\nMigrants\n".encode(encoding))
    items, problems = _read(path)
    assert [(i.id, i.text) for i in items] == [(1, "Personnes âgées"), (2, "Refugees"), (4, "Migrants")]
    assert problems == [f"{path} row 3: empty text"]
    jsonl = tmp_path / "unicode.jsonl"
    jsonl.write_bytes(bom + '{"id": "a", "text": "Réfugiés"}\n'.encode(encoding))
    assert [(i.id, i.text) for i in _read(jsonl)[0]] == [("a", "Réfugiés")]


def test_a_utf16_csv_is_one_clear_error(tmp_path):
    path = tmp_path / "unicode.csv"
    path.write_bytes("id,text\n1,Refugees\n".encode("utf-16"))
    with pytest.raises(InputError, match=r"unicode\.csv: a UTF-16 file: save it as CSV UTF-8"):
        _read(path)


def test_a_csv_row_short_of_its_text_field_is_named_so(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("id,text\n1,Refugees\n2\n3,\n", encoding="utf-8")
    items, problems = _read(path)
    assert [i.id for i in items] == ["1"]
    assert problems == [f"{path} row 3: 1 field, no 'text' field (column 2 of the header)", f"{path} row 4: empty text"]


def test_gold_ids_are_kept_as_the_text_they_are_compared_as(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": 1.0, "text": "Old.", "groups": [], "causes": []}\n'
                    '{"id": 1, "text": "Young.", "groups": [], "causes": []}\n', encoding="utf-8")
    assert [i.id for i in read_labelled(gold)] == ["1.0", "1"]
    gold.write_text('{"id": 1.0, "text": "Old.", "groups": [], "causes": []}\n'
                    '{"id": "1.0", "text": "Young.", "groups": [], "causes": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2: duplicate id '1.0' \(also on row 1\)"):
        read_labelled(gold)


def test_emoji_sequences_and_right_to_left_marks_are_text_not_binary(tmp_path):
    # before, their joiners and direction marks (format characters) counted as binary data
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "e", "text": "Las mujeres \U0001f469\u200d\U0001f467\u200d\U0001f466\U0001f469\u200d\U0001f467"}\n'
                    '{"id": "r", "text": "\u200f\u0627\u0644\u0644\u0627\u062c\u0626\u0648\u0646\u200f refugees"}\n'
                    '{"id": "b", "text": "\\u0001\\u0002\\u0003\\u0004 binary"}\n', encoding="utf-8")
    items, problems = _read(path)
    assert [i.id for i in items] == ["e", "r"]
    assert problems == [f"{path} row 3: text looks like binary data"]


def test_a_given_language_is_read_from_jsonl_and_csv_and_checked(tmp_path):
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"id": 1, "text": "jovenes", "language": " ES"}\n{"id": 2, "text": "x y z"}\n'
                     '{"id": 3, "text": "jugend", "language": "de"}\n', encoding="utf-8")
    items, problems = _read(jsonl)
    assert [(i.id, i.language) for i in items] == [(1, "es"), (2, "")]
    assert problems == [f"{jsonl} row 3: \"language\" 'de' is not one the engine reads (en, es, fr; leave it out to "
                        "detect it)"]
    csv_path = tmp_path / "in.csv"
    csv_path.write_text("id,text,Language\na,indigenas,es\nb,women,\nc,frauen,de\n", encoding="utf-8")
    items, problems = _read(csv_path)
    assert [(i.id, i.language) for i in items] == [("a", "es"), ("b", "")]
    assert len(problems) == 1 and problems[0].startswith(f"{csv_path} row 4: \"language\" 'de'")


@pytest.mark.parametrize("given, expected", [
    ("en-GB", "en"), ("es_ES", "es"), ("English", "en"), ("Español", "es"), ("Français", "fr"), ("  FR ", "fr"),
    ("", ""),
])
def test_a_language_is_read_with_a_region_or_by_name(tmp_path, given, expected):
    path = tmp_path / "in.csv"
    path.write_text(f"id,text,language\n1,Older people,{given}\n", encoding="utf-8")
    items, problems = _read(path)
    assert problems == [] and [i.language for i in items] == [expected]


def test_a_language_that_is_not_a_string_is_a_bad_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 1, "text": "Older people", "language": false}\n{"id": 2, "text": "x", "language": null}\n',
                    encoding="utf-8")
    items, problems = _read(path)
    assert [i.id for i in items] == [2] and problems == [f"{path} row 1: \"language\" must be a string such as \"en\""]


def test_json_that_python_cannot_read_arrays_and_pretty_printed_json_are_bad_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a", "text": "Refugees lack water."}\n'
        + "[" * 100_000 + "]" * 100_000 + "\n"
        + '{"id": "b", "text": "Widows.", "n": ' + "9" * 5000 + "}\n"
        '[{"id": "c", "text": "An array."}]\n'
        '{\n'
        '{"id": "\\ud800", "text": "A surrogate id."}\n'
        '{"id": "d", "text": "\\u200b\\u200b\\u00ad"}\n'
        '{"id": "e", "text": "Older people need pensions."}\n', encoding="utf-8")
    items, problems = _read(path)
    assert [i.id for i in items] == ["a", "e"]
    assert problems == [
        f"{path} row 2: not JSON this tool can read (nested too deeply)",
        f"{path} row 3: not JSON this tool can read (a number thousands of digits long)",
        f'{path} row 4: a JSON array, not an object: JSONL holds one {{"id", "text"}} object a line',
        f'{path} row 5: not JSON (Expecting property name enclosed in double quotes): JSONL holds one whole '
        f'{{"id", "text"}} object a line, not JSON spread over several lines',
        f"{path} row 6: id holds an unpaired surrogate (\\ud800-\\udfff), which is not a character",
        f"{path} row 7: empty text",  # nothing that shows: zero-width spaces and a soft hyphen
    ]


def test_blank_lines_that_end_a_txt_file_are_no_texts(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("Dalit women\n\nYouth\n\n  \n", encoding="utf-8")
    items, problems = _read(path)
    assert [(i.id, i.text) for i in items] == [(1, "Dalit women"), (3, "Youth")]
    assert problems == [f"{path} row 2: empty text"]  # a blank line before a text is an empty text
