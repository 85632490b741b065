"""Accepting a Word template's tracked changes before it is filled in.

Report writers edit the templates in Word, often with Track Changes on. Filled in as saved, a template's deleted
sections would still be rendered (as deleted text) and every edit would reach the report as a tracked change, so
the report would show the writer's template edits as changes of its own. The template is read as Word shows it
with every change accepted: deleted text, rows and paragraphs removed, inserted ones kept as ordinary content, and
the records of formatting changes dropped.
"""

from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# content that a change removed (a move's old place), and the marks that only bound or record a change
REMOVED = {f"{W}{name}" for name in ("del", "moveFrom")}
RECORDS = {f"{W}{name}" for name in (
    "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange", "trPrChange", "tcPrChange",
    "tblGridChange", "numberingChange", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
    "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
    "customXmlDelRangeEnd", "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart",
    "customXmlMoveToRangeEnd", "cellIns")}
KEPT = {f"{W}{name}" for name in ("ins", "moveTo")}  # content that a change added: kept, unwrapped
MARK_HOLDERS = {f"{W}rPr", f"{W}trPr"}  # a del or ins here marks a paragraph mark or a table row, not content
P, PPR, TR, TC, R, SECT = (f"{W}{name}" for name in ("p", "pPr", "tr", "tc", "r", "sectPr"))


def accept_tracked_changes(root) -> bool:
    """Accept every tracked change under ``root`` (an lxml element of a Word part: the body, a header, a footer),
    in place; returns whether there was any."""
    changed = False
    for row in [m.getparent().getparent() for m in root.iter(*REMOVED) if m.getparent().tag == f"{W}trPr"]:
        if row.getparent() is not None:  # a deleted table row
            row.getparent().remove(row)
            changed = True
    joined = [m.getparent().getparent().getparent() for m in root.iter(*REMOVED)
              if m.getparent().tag == f"{W}rPr" and m.getparent().getparent().tag == PPR]
    records = [e for e in root.iter(*REMOVED, *RECORDS) if e.tag in RECORDS or e.getparent().tag not in MARK_HOLDERS]
    for element in records:
        if element.getparent() is not None:  # deleted text (removed with anything nested in it), a change's record
            element.getparent().remove(element)
            changed = True
    for element in [e for e in root.iter(*KEPT) if e.getparent().tag not in MARK_HOLDERS]:
        _unwrap(element)
        changed = True
    for paragraph in joined:  # paragraph marks deleted: each paragraph joins the next
        if paragraph.getparent() is not None:
            _join_next(paragraph)
    for mark in [m for m in root.iter(*REMOVED, *KEPT) if m.getparent().tag in MARK_HOLDERS]:
        mark.getparent().remove(mark)  # the marks of inserted paragraphs and rows, and those left above
        changed = True
    return changed


def _unwrap(element) -> None:
    """Put ``element``'s children in its place."""
    parent = element.getparent()
    at = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(at + offset, child)
    parent.remove(element)


def _join_next(paragraph) -> None:
    """Accept the deletion of ``paragraph``'s mark: its remaining content goes to the start of the next paragraph,
    whose mark (and so formatting) survives. A paragraph left with no run goes entirely, unless it is the last one
    of a table cell (a cell must hold a paragraph) or ends a section."""
    content = [child for child in paragraph if child.tag != PPR]
    following = paragraph.getnext()
    properties = paragraph.find(PPR)
    if properties is not None and properties.find(SECT) is not None:
        return  # a section break: kept where it is (its mark's deletion is dropped with the other marks)
    if following is not None and following.tag == P:
        start = 1 if following.find(PPR) is not None else 0
        for offset, child in enumerate(content):
            following.insert(start + offset, child)
        paragraph.getparent().remove(paragraph)
    elif not any(True for _ in paragraph.iter(R)):
        parent = paragraph.getparent()
        if parent.tag != TC or sum(1 for child in parent if child.tag == P) > 1:
            parent.remove(paragraph)
