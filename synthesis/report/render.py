"""Filling a Word template with a context (docxtpl): charts as inline images with alt text, core properties,
and one-line ``ReportError``s naming the template for a missing, corrupt or broken one."""

from __future__ import annotations

import io
import zipfile
from dataclasses import fields, is_dataclass
from datetime import datetime
from pathlib import Path

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from synthesis.errors import ReportError
from synthesis.report.context import Figure
from synthesis.report.narrative import EXPRESSION_ERRORS, template_error
from synthesis.report.quotes import PrintedQuote
from synthesis.report.tracked_changes import accept_tracked_changes

# the content type of a Word document's body, as [Content_Types].xml names it (python-docx opens no other)
WORD_DOCUMENT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

GLOBAL_TEMPLATE, COUNTRY_TEMPLATE = "global_synthesis.docx", "country_profile.docx"


class _Chart(InlineImage):
    """An inline PNG whose drawing carries alt text (``wp:docPr/@descr``) and a name."""

    def __init__(self, tpl: DocxTemplate, figure: Figure):
        super().__init__(tpl, None, width=Mm(figure.width_mm))
        self.figure = figure

    def _insert_image(self) -> str:
        inline = self.tpl.current_rendering_part.new_pic_inline(io.BytesIO(self.figure.png), self.width, None)
        inline.docPr.set("name", f"Figure: {self.figure.name}")
        inline.docPr.set("descr", self.figure.alt)
        return f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'


def check_template(path: Path) -> None:
    """Raise a ``ReportError`` naming ``path`` when it is missing or not a Word document."""
    if not path.is_file():
        raise ReportError(f"{path}: report template not found (run scripts/make_templates.py or set templates_dir)")
    try:
        with zipfile.ZipFile(path) as archive:
            types, body = archive.read("[Content_Types].xml"), archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise ReportError(f"{path}: not a Word document ({error})") from None
    if WORD_DOCUMENT not in types:  # a template (.dotx) or macro-enabled (.docm) file renamed .docx
        raise ReportError(f"{path}: a Word template or macro-enabled file, not a Word document: save it in Word as "
                          "a Word Document (.docx)")
    try:
        etree.fromstring(body)
    except etree.XMLSyntaxError as error:
        raise ReportError(f"{path}: a damaged Word document (word/document.xml: {error})") from None


class _StrictTemplate(DocxTemplate):
    """docxtpl re-reads the filled-in body with a recovering XML parser, which silently drops everything after a
    tag that a writer's ``{% if %}`` … ``{% endif %}`` left unclosed (e.g. one begun in a paragraph and ended in a
    table cell): the report would shrink to its first lines. Here such a body is an error."""

    def fix_tables(self, xml):
        try:
            etree.fromstring(xml)
        except etree.XMLSyntaxError as error:
            raise _BrokenBody(str(error)) from None
        return super().fix_tables(xml)


def _accept_changes(tpl: DocxTemplate) -> None:
    """Accept the template's tracked changes in its body, headers and footers (``tracked_changes``)."""
    accept_tracked_changes(tpl.docx.element.body)
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            accept_tracked_changes(part.element)


class _BrokenBody(Exception):
    pass


def render(template: Path, context, out: Path) -> None:
    """Fill ``template`` with ``context`` (a Global- or CountryContext) and save it to ``out``."""
    check_template(template)
    try:
        tpl = _StrictTemplate(str(template))
        tpl.init_docx()
        _accept_changes(tpl)
        tpl.render(_for_template(context, tpl), jinja_env=_environment(), autoescape=True)
    except PackageNotFoundError as error:
        raise ReportError(f"{template}: not a Word document ({error})") from None
    except (_BrokenBody, etree.XMLSyntaxError):
        raise ReportError(f"{template}: the filled-in template is not a valid Word document: a tag such as {{% if %}} "
                          "and its {% endif %} (or {% for %} and {% endfor %}) begin and end in different parts, e.g. "
                          "a paragraph and a table cell; put both in one paragraph or cell, or use {%p if %} … "
                          "{%p endif %} around whole paragraphs ({%tr %} around table rows)") from None
    except jinja2.TemplateSyntaxError as error:
        raise ReportError(f"{template}: template syntax error: {error.message or error}{_where(error)}") from None
    except EXPRESSION_ERRORS as error:
        raise template_error(str(template), error) from None
    _renumber_sequences(tpl.docx.element.body)
    _properties(tpl, context.title, context.subject, context.created)
    try:
        tpl.save(str(out))
    except OSError as error:
        raise ReportError(f"{out}: cannot write the report: {error.strerror}") from None


def _where(error: jinja2.TemplateSyntaxError) -> str:
    """The text of the paragraph holding a syntax error, as docxtpl gives it (its line numbers count lines of the
    body's XML, which a Word user cannot see)."""
    if "end of template" in (error.message or ""):  # a block left open: the last paragraph is not where it is
        return ""
    lines = list(getattr(error, "docx_context", None) or ())
    index = (error.lineno or 1) - 1 - max((error.lineno or 1) - 4, 0)
    text = " ".join(lines[index].split()) if 0 <= index < len(lines) else ""
    return f" (in the paragraph “{text[:80]}{'…' if len(text) > 80 else ''}”)" if text else ""


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _renumber_sequences(body) -> None:
    """Number the SEQ fields (captions' "Table 3", "Figure 2") in document order. The template holds the numbers
    counted when it was made; tables and figures a report leaves out (``{%p if %}``) left gaps ("Table 6", then
    "Table 8") in every reader that does not update fields as Word does on opening."""
    counters: dict[str, int] = {}
    fields: list[dict] = []  # the complex fields open at this point, innermost last

    def number(instruction: str) -> str | None:
        words = instruction.split()
        if len(words) < 2 or words[0].upper() != "SEQ":
            return None
        name, switches = words[1], [w.lower() for w in words[2:]]
        reset = next((int(b) for a, b in zip(switches, switches[1:]) if a == "\\r" and b.isdigit()), None)
        if reset is not None:
            counters[name] = reset
        elif "\\c" not in switches:  # \c repeats the last number
            counters[name] = counters.get(name, 0) + 1
        return "" if "\\h" in switches else str(counters.get(name, 0))

    for element in body.iter(f"{_W}fldSimple", f"{_W}fldChar", f"{_W}instrText", f"{_W}t"):
        tag = element.tag
        if tag == f"{_W}fldSimple":
            result = number(element.get(f"{_W}instr", ""))
            texts = list(element.iter(f"{_W}t"))
            if result is not None and texts:
                texts[0].text = result
                for text in texts[1:]:
                    text.text = ""
        elif tag == f"{_W}fldChar":
            kind = element.get(f"{_W}fldCharType")
            if kind == "begin":
                fields.append({"instruction": "", "result": None, "first": True})
            elif kind == "separate" and fields:
                fields[-1]["result"] = number(fields[-1]["instruction"])
            elif kind == "end" and fields:
                fields.pop()
        elif tag == f"{_W}instrText" and fields:
            fields[-1]["instruction"] += element.text or ""
        elif tag == f"{_W}t" and fields and fields[-1]["result"] is not None \
                and element.getparent().getparent().tag != f"{_W}fldSimple":
            field = fields[-1]
            element.text = field["result"] if field["first"] else ""
            field["first"] = False


def _environment() -> jinja2.Environment:
    # StrictUndefined: a mistyped tag in an edited template is an error naming the template, not a blank.
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def _properties(tpl: DocxTemplate, title: str, subject: str, created: datetime) -> None:
    properties = tpl.docx.core_properties
    properties.title, properties.subject = title, subject
    properties.author = properties.last_modified_by = "synthesis"
    properties.created = properties.modified = created
    properties.revision = 1
    properties.comments = "Draft generated from the project store; every quote is listed in reports/evidence.jsonl."


def _for_template(value, tpl: DocxTemplate):
    """Dataclasses as dicts (quotes with their citation), figures as inline charts, tuples as lists."""
    if isinstance(value, Figure):
        return {"image": _Chart(tpl, value), "caption": value.caption, "alt": value.alt, "name": value.name}
    if isinstance(value, PrintedQuote):
        return {"text": value.text, "citation": value.citation, "cut": value.cut, "redacted": value.redacted,
                "quote_id": value.quote_id, "country": value.country, "attribution": value.attribution}
    if is_dataclass(value) and not isinstance(value, type):
        skip = "quotes" if hasattr(value, "evidence") else None  # a report's own quote list is for evidence.jsonl
        return {f.name: _for_template(getattr(value, f.name), tpl) for f in fields(value) if f.name != skip}
    if isinstance(value, (tuple, list)):
        return [_for_template(item, tpl) for item in value]
    return value
