"""The .pdf reader on pages in two text columns (each column read whole, left first) and on words hyphenated at a
line end."""

from __future__ import annotations

import pytest

from conftest import make_pdf
from synthesis.ingest.pdf_reader import read_pdf
from synthesis.records import HEADING, PARAGRAPH, TABLE

LEFT = [
    "Women in the northern villages told us that the nearest clinic is a day's walk away, and that in the rainy "
    "season the road to it is closed for weeks at a time, so that births happen at home without a midwife.",
    "Older people said that their pensions arrive late or not at all, because the payment office moved to the "
    "district town and nobody told them where to collect the money or which papers they must bring.",
    "Young people with disabilities described schools without ramps or toilets they can use, and teachers who "
    "were never trained to teach them, so that most of them leave school before they can read.",
]
RIGHT = [
    "Fishing families on the coast said that the new port took their beaches, and that the compensation "
    "promised three years ago has still not been paid to anyone they know in the four villages.",
    "Migrant workers in the city cannot register their children for school without a residence card, which "
    "their landlords refuse to sign, so the children stay at home or work in the market instead.",
    "Indigenous groups asked that the national survey count them by their own languages, since the census "
    "lists only two languages and so their communities disappear from every plan the ministry makes.",
]
WIDTH, HEIGHT, MARGIN, GUTTER = 595.27, 841.89, 72, 18


def _texts(path) -> list[str]:
    return [block.text for block in read_pdf(path)[0]]


def _column_frames(top: float, height: float):
    """A left and a right column frame whose tops are `top` points below the top margin."""
    from reportlab.platypus import Frame

    width = (WIDTH - 2 * MARGIN - GUTTER) / 2
    y = HEIGHT - MARGIN - top - height
    return [Frame(MARGIN, y, width, height), Frame(MARGIN + width + GUTTER, y, width, height)]


def _full_frame(top: float, height: float):
    from reportlab.platypus import Frame

    return Frame(MARGIN, HEIGHT - MARGIN - top - height, WIDTH - 2 * MARGIN, height)


def _page_number(canvas, doc):
    canvas.setFont("Helvetica", 9)
    canvas.drawCentredString(WIDTH / 2, 40, f"Page {doc.page}")


def _build(path, templates: dict[str, list], flow: list):
    """A PDF laid out by reportlab's platypus in the named page templates' frames (the first template opens it)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, PageTemplate

    doc = BaseDocTemplate(str(path), pagesize=A4)
    doc.addPageTemplates([PageTemplate(name, frames, onPage=_page_number) for name, frames in templates.items()])
    doc.build(flow)
    return path


def _paragraphs(texts: list[str], justified: bool = False) -> list:
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph

    style = getSampleStyleSheet()["BodyText"]
    if justified:
        style = ParagraphStyle("justified", parent=style, alignment=TA_JUSTIFY)
    return [Paragraph(text, style) for text in texts]


def _lines(path, rows: list, font: str = "Helvetica"):
    """A PDF with rows of 12-point text 14 points apart: a row is a line drawn at the left margin, or a list of
    (x, text) pairs drawn on one baseline."""
    from reportlab.pdfgen import canvas

    if font != "Helvetica":
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont(font, f"{font}.ttf"))  # a font reportlab ships
    pdf = canvas.Canvas(str(path))
    pdf.setFont(font, 12)
    for i, row in enumerate(rows):
        for x, text in row if isinstance(row, list) else [(MARGIN, row)]:
            pdf.drawString(x, 720 - 14 * i, text)
    pdf.showPage()
    pdf.save()
    return path


# --- two columns ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("justified", [False, True])
def test_a_two_column_page_gives_each_column_whole_the_left_first(tmp_path, justified):
    from reportlab.platypus import FrameBreak

    path = _build(tmp_path / "columns.pdf", {"two": _column_frames(0, 500)},
                  _paragraphs(LEFT, justified) + [FrameBreak()] + _paragraphs(RIGHT, justified))
    assert _texts(path) == LEFT + RIGHT


def test_a_paragraph_that_runs_on_from_the_left_column_into_the_right_is_one_block(tmp_path):
    # the left column holds four lines: the second paragraph breaks there and goes on at the top of the right column
    path = _build(tmp_path / "columns.pdf", {"two": _column_frames(0, 4 * 14.4 + 12)},
                  _paragraphs(LEFT[:2] + RIGHT[:1], justified=True))
    assert _texts(path) == LEFT[:2] + RIGHT[:1]


def test_a_full_width_title_comes_before_the_columns_and_a_full_width_paragraph_after_them(tmp_path):
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import FrameBreak, Paragraph

    below = ("Across all groups, participants asked that the government publish every year who is reached by "
             "its programmes and who is not, broken down by age, sex, disability, place and language.")
    frames = [_full_frame(0, 40)] + _column_frames(50, 330) + [_full_frame(390, 100)]
    flow = ([Paragraph("Who is left behind", getSampleStyleSheet()["Title"]), FrameBreak()] + _paragraphs(LEFT)
            + [FrameBreak()] + _paragraphs(RIGHT) + [FrameBreak()] + _paragraphs([below]))
    blocks = read_pdf(_build(tmp_path / "report.pdf", {"report": frames}, flow))[0]
    assert [(block.kind, block.text) for block in blocks] == (
        [(HEADING, "Who is left behind")] + [(PARAGRAPH, text) for text in LEFT + RIGHT + [below]])


def test_a_table_below_the_columns_comes_after_them(tmp_path):
    from reportlab.lib import colors
    from reportlab.platypus import FrameBreak, Table, TableStyle

    table = Table([["Group", "Main barrier"], ["Older people", "Late pensions"], ["Youth", "No jobs"]],
                  colWidths=[200, 200])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    frames = _column_frames(0, 330) + [_full_frame(340, 100)]
    flow = _paragraphs(LEFT) + [FrameBreak()] + _paragraphs(RIGHT) + [FrameBreak(), table]
    blocks = read_pdf(_build(tmp_path / "report.pdf", {"report": frames}, flow))[0]
    assert [(block.kind, block.text) for block in blocks] == [(PARAGRAPH, text) for text in LEFT + RIGHT] + [
        (TABLE, "Group | Main barrier"), (TABLE, "Older people | Late pensions"), (TABLE, "Youth | No jobs")]


def test_a_two_column_page_followed_by_a_one_column_page(tmp_path):
    from reportlab.platypus import FrameBreak, NextPageTemplate, PageBreak

    one = ["Rapporteur: The groups will meet again in March to agree on the final list of recommendations."]
    flow = (_paragraphs(LEFT) + [FrameBreak()] + _paragraphs(RIGHT) + [NextPageTemplate("one"), PageBreak()]
            + _paragraphs(one))
    path = _build(tmp_path / "report.pdf", {"two": _column_frames(0, 500), "one": [_full_frame(0, 600)]}, flow)
    assert _texts(path) == LEFT + RIGHT + one  # the page numbers at the foot of each page are left out


# --- not columns ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("justified", [False, True])
def test_a_one_column_page_with_a_centred_title_is_read_top_to_bottom(tmp_path, justified):
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    flow = [Paragraph("Who is left behind", getSampleStyleSheet()["Title"])] + _paragraphs(LEFT + RIGHT, justified)
    path = _build(tmp_path / "report.pdf", {"one": [_full_frame(0, 650)]}, flow)
    assert _texts(path) == ["Who is left behind"] + LEFT + RIGHT


def test_a_one_column_ragged_right_page_is_read_as_before(tmp_path):
    path = make_pdf(tmp_path / "report.pdf", LEFT + RIGHT, heading="Findings")
    assert _texts(path) == ["Findings"] + LEFT + RIGHT


PARTICIPANTS = [
    ("Amina Yusuf Abdullahi", "Women's Network of Kano State"), ("Peter Obi", "Youth Alliance"),
    ("Fatima Bello", "Association of the Blind, Northern Chapter"), ("Dr. Samuel Okonkwo-Eze", "Ministry of Health"),
    ("Grace Nwosu", "Farmers' Union"), ("Ibrahim Musa Danjuma", "National Council for Older Persons"),
    ("Ngozi Adeyemi", "Fishers' Cooperative of the Coast"),
]
AGENDA = [
    ("09:00", "Opening and welcome by the convenors"), ("09:30", "Who is left behind? Group work"),
    ("11:00", "Break"), ("11:15", "Reports from the groups and discussion in plenary"),
    ("13:00", "Lunch"), ("14:00", "Recommendations to the government"), ("15:30", "Closing"),
]


@pytest.mark.parametrize("rows, right_x", [(PARTICIPANTS, 300), (AGENDA, 160), (AGENDA, 250)])
def test_an_unruled_list_of_short_entries_in_two_columns_is_read_row_by_row(tmp_path, rows, right_x):
    path = _lines(tmp_path / "list.pdf", [[(MARGIN, left), (right_x, right)] for left, right in rows])
    assert _texts(path) == [" ".join(f"{left} {right}" for left, right in rows)]


# --- hyphens at a line end -----------------------------------------------------------------------------------------


def test_a_word_hyphenated_at_a_line_end_is_joined(tmp_path):
    path = _lines(tmp_path / "hyphens.pdf", [
        "Participant: The plan supports the develop-", "ment of the region and of low-",
        "income families who live in the hills -", "and in the towns, as the Women's Net-", "work asked.",
    ])
    assert _texts(path) == ["Participant: The plan supports the development of the region and of low-income "
                            "families who live in the hills - and in the towns, as the Women's Network asked."]


def test_a_hyphen_at_a_line_end_before_a_capital_or_a_number_stays_apart(tmp_path):
    path = _lines(tmp_path / "hyphens.pdf", ["Participant: We met the Afro-", "Colombian groups in 2015-",
                                             "2016 and the district-", "2 office."])
    assert _texts(path) == ["Participant: We met the Afro- Colombian groups in 2015- 2016 and the district- "
                            "2 office."]


def test_a_soft_hyphen_at_a_line_end_is_dropped(tmp_path):
    # a soft hyphen only marks where a word may break: it goes also where the whole is no word in the tables
    path = _lines(tmp_path / "hyphens.pdf", ["Participant: The develop\u00ad", "ment of health\u00ad", "care."],
                  font="Vera")
    assert _texts(path) == ["Participant: The development of healthcare."]
