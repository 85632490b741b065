"""Writes the Word report templates: report_templates/global_synthesis.docx and country_profile.docx.

Reads nothing; writes the two .docx files (committed, so report writers can restyle and reword them in Word:
styles, headers, footers and fixed text are theirs, the {{ … }} / {%p … %} / {%tr … %} tags are docxtpl's).
The tags name fields of synthesis/report/context.py (GlobalContext, CountryContext).

    .venv/bin/python scripts/make_templates.py [--out report_templates]
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TABLE_STYLE = "Light List"


def _field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES, TOC …) with a placeholder result Word replaces when it updates fields."""
    def run_with(element):
        run = paragraph.add_run()
        run._r.append(element)
        return run
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


class Builder:
    def __init__(self, header: str):
        self.doc = docx.Document()
        self._styles()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2.2)
        head = section.header.paragraphs[0]
        head.text = header
        head.style = self.doc.styles["Header"]
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot.add_run("Page ")
        _field(foot, "PAGE")
        foot.add_run(" of ")
        _field(foot, "NUMPAGES")
        update = OxmlElement("w:updateFields")  # Word offers to refresh the table of contents on opening
        update.set(qn("w:val"), "true")
        self.doc.settings.element.append(update)
        self.figures = self.tables = 0

    def _styles(self) -> None:
        styles = self.doc.styles
        styles["Normal"].font.name = "Calibri"
        styles["Normal"].font.size = Pt(10.5)
        for name, size in (("Title", 30), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
            styles[name].font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)
            styles[name].font.size = Pt(size)
        styles["Quote"].font.size = Pt(10.5)
        citation = styles.add_style("Citation", WD_STYLE_TYPE.PARAGRAPH)
        citation.base_style = styles["Normal"]
        citation.font.size, citation.font.color.rgb = Pt(8.5), RGBColor(0x55, 0x55, 0x55)
        citation.paragraph_format.left_indent = Cm(1.2)
        citation.paragraph_format.space_after = Pt(10)
        status = styles.add_style("Draft Status", WD_STYLE_TYPE.PARAGRAPH)
        status.base_style = styles["Normal"]
        status.font.bold, status.font.size, status.font.all_caps = True, Pt(14), True
        figure = styles.add_style("Figure", WD_STYLE_TYPE.PARAGRAPH)
        figure.base_style = styles["Normal"]
        figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        figure.paragraph_format.keep_with_next = True
        note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = styles["Normal"]
        note.font.italic = True

    # -- pieces --
    def p(self, text: str = "", style: str | None = None):
        return self.doc.add_paragraph(text, style=style)

    def h(self, text: str, level: int = 1):
        return self.doc.add_heading(text, level=level)

    def tag(self, text: str) -> None:
        """A paragraph holding only a docxtpl paragraph tag ({%p for … %}), removed when rendered."""
        self.doc.add_paragraph(text)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def toc(self) -> None:
        self.p("Contents", style="TOC Heading")
        _field(self.p(), r'TOC \o "1-3" \h \z \u',
               "Right-click here and choose Update Field to build the table of contents.")

    def paragraphs(self, expr: str, style: str | None = None) -> None:
        self.tag(f"{{%p for para in {expr} %}}")
        self.p("{{ para }}", style)
        self.tag("{%p endfor %}")

    def caption(self, kind: str, text: str) -> None:
        paragraph = self.p(f"{kind} ", style="Caption")
        _field(paragraph, f"SEQ {kind} \\* ARABIC", str(self.figures if kind == "Figure" else self.tables))
        paragraph.add_run(f": {text}")

    def table(self, caption: str, loop: str, headers: list[str], cells: list[str] | None = None) -> None:
        """A captioned table: a header row, then one row per item of ``loop`` (``r``); the cells default to the
        fields of a context ``Line`` (label, a, b, c, d), as many as there are headers."""
        cells = cells or [f"{{{{ r.{name} }}}}" for name in ("label", "a", "b", "c", "d")][:len(headers)]
        self.tables += 1
        self.caption("Table", caption)
        table = self.doc.add_table(rows=4, cols=len(headers))
        table.style = self.doc.styles[TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers):
            cell.text = text
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        header.append(repeat)
        table.rows[1].cells[0].text = f"{{%tr for r in {loop} %}}"
        for cell, text in zip(table.rows[2].cells, cells):
            cell.text = text
        table.rows[3].cells[0].text = "{%tr endfor %}"
        self.p()

    def evidence_table(self) -> None:
        self.table("Evidence index", "evidence", ["Quote", "Source file", "Place", "Characters", "Redacted"],
                   ["{{ r.quote_id }}", "{{ r.source_file }}", "{{ r.paragraph }}", "{{ r.offsets }}",
                    "{{ r.redacted }}"])

    def figure(self, expr: str) -> None:
        """A chart with its caption; nothing when ``expr`` is empty."""
        self.figures += 1
        self.tag(f"{{%p if {expr} %}}")
        self.p(f"{{{{ {expr}.image }}}}", style="Figure")
        self.caption("Figure", f"{{{{ {expr}.caption }}}}")
        self.tag("{%p endif %}")

    def quotes(self, expr: str) -> None:
        self.tag(f"{{%p for q in {expr} %}}")
        self.p("“{{ q.text }}”{% if q.cut %} […]{% endif %}", style="Quote")
        self.p("{{ q.citation }}", style="Citation")
        self.tag("{%p endfor %}")

    def blocks(self, expr: str, level: int = 2) -> None:
        self.tag(f"{{%p for b in {expr} %}}")
        self.h("{{ b.heading }}", level)
        self.paragraphs("b.paragraphs")
        self.quotes("b.quotes")
        self.tag("{%p if b.note %}")
        self.p("{{ b.note }}", style="Note")
        self.tag("{%p endif %}")
        self.tag("{%p endfor %}")

    def cover(self) -> None:
        self.p("{{ cover.title }}", style="Title")
        self.p("{{ cover.subtitle }}", style="Subtitle")
        self.p("{{ cover.status }}", style="Draft Status")
        self.p("{{ cover.date }}")
        self.p("{{ cover.reviewed }}")
        self.page_break()
        self.toc()
        self.page_break()

    def save(self, path: Path, title: str, subject: str) -> None:
        properties = self.doc.core_properties
        properties.title, properties.subject = title, subject
        properties.author = properties.last_modified_by = "synthesis report templates"
        properties.created = properties.modified = datetime(2026, 11, 23, tzinfo=timezone.utc)
        properties.revision = 1
        properties.comments = ("docxtpl template: edit styles and text in Word; keep the double-brace and "
                               "brace-percent tags.")
        self.doc.save(path)


def global_template() -> Builder:
    b = Builder("Leave No One Behind: global synthesis · DRAFT")
    b.cover()
    b.h("Executive summary")
    b.paragraphs("summary.paragraphs")
    b.table("Key figures", "summary.rows", ["", "Figure"])

    b.h("Method")
    b.h("The national dialogues", 2)
    b.paragraphs("method.paragraphs")
    b.table("The national dialogues", "method.rows", ["Country", "Date", "Convened by", "Language", "Source file"])
    b.h("The online consultation", 2)
    b.paragraphs("consultation.paragraphs")
    b.table("Consultation respondents by gender", "consultation.rows", ["Gender", "Respondents", "Share"])
    b.table("Consultation respondents by age", "consultation.rows2", ["Age", "Respondents", "Share"])
    b.table("Consultation respondents by survey language", "languages", ["Language", "Respondents", "Share"])
    b.h("Coding and its accuracy", 2)
    b.paragraphs("model.paragraphs")
    b.table("Coding model scores (micro-averaged F1)", "model.rows",
            ["Evaluation set", "Texts", "Groups", "Causes"])
    b.tag("{%p if model.rows2 %}")
    b.table("Intercoder agreement per code (Cohen's kappa; with several coder pairs, the mean weighted by shared "
            "segments)", "model.rows2", ["Code", "Kappa"])
    b.tag("{%p endif %}")

    b.h("Who is being left behind")
    b.paragraphs("groups.paragraphs")
    b.table("Groups ranked by the number of dialogues that named them", "groups.rows",
            ["Group", "Dialogues", "Dialogue segments", "Consultation answers", "All"])
    b.figure("groups.figure")
    b.figure("groups.figure2")
    b.h("Regions", 2)
    b.paragraphs("regions.paragraphs")
    b.table("What distinguishes the regions", "regions.rows",
            ["Region", "Dialogues", "Named most (% of segments)", "Named more than elsewhere"])

    b.h("Intersecting exclusion")
    b.paragraphs("intersections.paragraphs")
    b.figure("intersections.figure")
    b.table("The strongest pairs of groups", "intersections.rows", ["Group", "With", "Segments", "Jaccard"])
    b.blocks("intersections.blocks[:5]", level=3)

    b.h("Why people are left behind")
    b.paragraphs("causes.paragraphs")
    b.table("Root causes", "causes.rows", ["Cause", "Dialogues", "Dialogue segments", "Consultation answers", "All"])
    b.figure("causes.figure")
    b.h("Causes by group", 2)
    b.table("The causes named with each group", "causes.rows2", ["Group", "Segments", "Causes named most"])
    b.figure("causes.figure2")

    b.h("Themes")
    b.paragraphs("themes.paragraphs")
    b.blocks("themes.blocks")
    b.h("Voices from the consultation")
    b.paragraphs("voices.paragraphs")
    b.blocks("voices.blocks")
    b.h("Recommendations")
    b.paragraphs("recommendations.paragraphs")
    b.blocks("recommendations.blocks")

    b.h("Annex A: Countries")
    b.table("Dialogue countries", "countries", ["Country", "ISO", "Region", "Dialogue segments", "Respondents"])
    b.h("Annex B: Coding frame")
    b.table("The codebook", "coding_frame", ["Code", "Id", "Kind", "Description"])
    b.h("Annex C: Evidence index")
    b.p("Every quote in this report, by its id: the source file (relative to the corpus folder), the paragraph "
        "(block) number and the character offsets of the quote in the text the tool extracted from that file. "
        "reports/evidence.jsonl holds the same for every report.")
    b.evidence_table()
    return b


def country_template() -> Builder:
    b = Builder("{{ country }}: country profile · DRAFT")
    b.cover()
    b.h("The dialogue")
    b.paragraphs("summary")
    b.table("Dialogue facts", "facts", ["", ""])
    b.h("Who is being left behind")
    b.table("Groups named in the dialogue, compared with all dialogues", "groups.rows",
            ["Group", "Segments", "Share here", "Share in all dialogues"])
    b.figure("groups.figure")
    b.h("Why")
    b.table("Root causes named in the dialogue, compared with all dialogues", "causes.rows",
            ["Cause", "Segments", "Share here", "Share in all dialogues"])
    b.h("Themes")
    b.paragraphs("themes.paragraphs")
    b.blocks("themes.blocks")
    b.h("Voices from the consultation")
    b.paragraphs("voices.paragraphs")
    b.tag("{%p for b in voices.blocks %}")
    b.quotes("b.quotes")
    b.tag("{%p endfor %}")
    b.h("Recommendations")
    b.paragraphs("recommendations.paragraphs")
    b.blocks("recommendations.blocks")
    b.h("Sources")
    b.evidence_table()
    return b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "report_templates")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    global_template().save(out / "global_synthesis.docx", "Leave No One Behind: global synthesis (template)",
                           "Template for the global synthesis report")
    country_template().save(out / "country_profile.docx", "Leave No One Behind: country profile (template)",
                            "Template for a country profile")
    print(f"templates written to {out}")


if __name__ == "__main__":
    main()
