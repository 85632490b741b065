"""A template's tracked changes are accepted before it is filled in."""

from __future__ import annotations

from lxml import etree

from synthesis.report.tracked_changes import accept_tracked_changes

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MARK = 'w:id="1" w:author="Writer" w:date="2026-12-01T00:00:00Z"'


def _accepted(body: str) -> tuple[bool, list[str], str]:
    """Whether there was a change, the paragraphs' texts after accepting, and the XML."""
    root = etree.fromstring(f"<w:body {NS}>{body}</w:body>")
    changed = accept_tracked_changes(root)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    texts = ["".join(t.text or "" for t in p.iter(f"{w}t", f"{w}delText")) for p in root.iter(f"{w}p")]
    return changed, texts, etree.tostring(root, encoding="unicode")


def _p(text: str, mark: str = "") -> str:
    properties = f"<w:pPr><w:rPr>{mark}</w:rPr></w:pPr>" if mark else ""
    return f"<w:p>{properties}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _deleted_p(text: str) -> str:
    return (f"<w:p><w:pPr><w:rPr><w:del {MARK}/></w:rPr></w:pPr>"
            f"<w:del {MARK}><w:r><w:delText>{text}</w:delText></w:r></w:del></w:p>")


def test_a_deleted_paragraph_is_gone_and_its_neighbours_stay():
    changed, texts, xml = _accepted(_p("Method") + _deleted_p("{{ consultation.title }}") + _p("Results"))
    assert changed and texts == ["Method", "Results"]
    assert "w:del" not in xml


def test_inserted_text_and_paragraphs_are_kept_as_ordinary_content():
    body = (f"<w:p><w:r><w:t>Key </w:t></w:r><w:ins {MARK}><w:r><w:t>{{{{ cover.date }}}}</w:t></w:r></w:ins></w:p>"
            + _p("An inserted paragraph", f"<w:ins {MARK}/>"))
    changed, texts, xml = _accepted(body)
    assert changed and texts == ["Key {{ cover.date }}", "An inserted paragraph"]
    assert "w:ins" not in xml


def test_deleted_words_inside_a_paragraph_go_and_a_joined_paragraph_joins_the_next():
    body = (f"<w:p><w:pPr><w:rPr><w:del {MARK}/></w:rPr></w:pPr><w:r><w:t>First half, </w:t></w:r>"
            f"<w:del {MARK}><w:r><w:delText>old words </w:delText></w:r></w:del></w:p>"
            '<w:p><w:pPr><w:pStyle w:val="Quote"/></w:pPr><w:r><w:t>second half.</w:t></w:r></w:p>')
    changed, texts, xml = _accepted(body)
    assert changed and texts == ["First half, second half."]
    assert 'w:val="Quote"' in xml  # the surviving paragraph mark is the second one


def test_a_deleted_table_row_is_removed_and_a_moved_paragraph_is_in_its_new_place():
    body = ("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>kept</w:t></w:r></w:p></w:tc></w:tr>"
            f"<w:tr><w:trPr><w:del {MARK}/></w:trPr><w:tc><w:p><w:r><w:t>gone row</w:t></w:r></w:p></w:tc></w:tr>"
            "</w:tbl>"
            f"<w:p><w:moveFrom {MARK}><w:r><w:t>moved</w:t></w:r></w:moveFrom></w:p>"
            f"<w:p><w:moveTo {MARK}><w:r><w:t>moved</w:t></w:r></w:moveTo></w:p>")
    changed, texts, _ = _accepted(body)
    assert changed and texts == ["kept", "", "moved"]


def test_records_of_formatting_changes_are_dropped_and_an_untracked_part_is_untouched():
    body = (f'<w:p><w:r><w:rPr><w:b/><w:rPrChange {MARK}><w:rPr/></w:rPrChange></w:rPr><w:t>bold</w:t></w:r></w:p>')
    changed, texts, xml = _accepted(body)
    assert changed and texts == ["bold"] and "rPrChange" not in xml and "<w:b/>" in xml
    plain = _p("Nothing tracked") + _p("here")
    assert _accepted(plain)[0] is False
    assert _accepted(plain)[2] == etree.tostring(etree.fromstring(f"<w:body {NS}>{plain}</w:body>"),
                                                 encoding="unicode")


def test_the_last_paragraph_of_a_table_cell_stays_when_deleted():
    body = f"<w:tbl><w:tr><w:tc>{_deleted_p('gone')}</w:tc></w:tr></w:tbl>"
    changed, texts, xml = _accepted(body)
    assert changed and texts == [""]  # the cell keeps one (empty) paragraph, as Word requires
