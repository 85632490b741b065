from synthesis.coding.inputs import read_texts


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
        f"{path} row 6: duplicate id 'a'",
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
    assert [(i.id, i.text) for i in items] == [("1", "Dalit women"), ("3", "Youth")]
    assert problems == [f"{tmp_path / 'in.txt'} row 2: empty text"]
