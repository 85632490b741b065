from synthesis.records import ANSWER, HEADING, PARAGRAPH, SENTENCE, TABLE, TURN, Block
from synthesis.segment import Segmenter, SurveyRow, break_runs, normalise, split_speaker

import pytest


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter()


def test_normalise_folds_whitespace_and_composes_accents():
    assert normalise("  Pueblos\u00a0indi\u0301genas\u200b \n y  campesinos\t") == "Pueblos indígenas y campesinos"


@pytest.mark.parametrize(
    "text, role, label",
    [
        ("Facilitator: Who is left behind?", "facilitator", "Facilitator"),
        ("Participant (Dalit women's network, Saptari): Dalit women are refused water.", "participant",
         "Participant (Dalit women's network, Saptari)"),
        ("PARTICIPANT 3: We disagree.", "participant", "PARTICIPANT 3"),
        ("Relatora: Pedimos datos desagregados.", "rapporteur", "Relatora"),
        ("Représentant du gouvernement (ministère): Nous prenons note.", "government",
         "Représentant du gouvernement (ministère)"),
        ("Three points: first, roads.", "", ""),
        ("The participant said: roads matter.", "", ""),
    ],
)
def test_split_speaker(text, role, label):
    found_role, found_label, offset = split_speaker(text)
    assert (found_role, found_label) == (role, label)
    if role:
        assert text[offset:] and not text[offset].isspace()


def test_dialogue_offsets_index_the_stored_text_exactly(segmenter):
    blocks = [
        Block(HEADING, "Breakout  session: Karnali", 1),
        Block(TABLE, "Country | Nepal"),
        Block(PARAGRAPH, "Facilitator:   Who is left behind? Please be concrete."),
        Block(PARAGRAPH, "Rural women with disabilities walk four hours to the health post.  The road washed away."),
        Block(PARAGRAPH, "   "),
    ]
    parsed = segmenter.dialogue("npl", blocks, {"country": "Nepal", "language": "en"})
    text = parsed.document.text
    assert text.startswith("Breakout session: Karnali\n\nCountry | Nepal\n\n")
    for segment in parsed.segments:
        assert text[segment.start:segment.end] == segment.text
    kinds = [s.kind for s in parsed.segments]
    assert kinds == [HEADING, TABLE, TURN, SENTENCE, SENTENCE, PARAGRAPH, SENTENCE, SENTENCE]
    turn = parsed.segments[2]
    assert turn.text == "Who is left behind? Please be concrete."
    assert (turn.speaker_role, turn.speaker_label, turn.section) == ("facilitator", "Facilitator",
                                                                      "Breakout session: Karnali")
    sentences = [s for s in parsed.segments if s.kind == SENTENCE]
    assert sentences[-1].text == "The road washed away."
    assert all(s.parent_position is not None for s in sentences)
    assert parsed.segments[sentences[0].parent_position] is turn


def test_language_is_detected_per_segment_and_short_ones_follow_the_document(segmenter):
    blocks = [
        Block(HEADING, "Recomendaciones", 1),
        Block(PARAGRAPH, "Las mujeres indígenas que migran a la ciudad no encuentran trabajo formal."),
        Block(PARAGRAPH, "Les personnes handicapées ne sont jamais consultées par la mairie."),
        Block(PARAGRAPH, "Persons with disabilities are never consulted by the municipality."),
        Block(PARAGRAPH, "La sequía de este año dejó sin agua a las comunidades del altiplano."),
        Block(PARAGRAPH, "Sí."),
    ]
    parsed = segmenter.dialogue("mixed", blocks, {})
    units = [s for s in parsed.segments if s.kind != SENTENCE]
    assert [u.language for u in units] == ["es", "es", "fr", "en", "es", "es"]
    assert parsed.document.language == "es"
    assert parsed.document.title == "Recomendaciones"


def test_respondent_document_joins_answers_and_keeps_questions(segmenter):
    row = SurveyRow(row=7, respondent_id="1001", country="Peru", language="es", attributes={"gender": "female"},
                    answers=[("q1", "Los pueblos indígenas amazónicos."), ("q2", ""), ("q3", "Discriminación. Y distancia.")])
    [parsed] = segmenter.respondents([row])
    assert parsed.document.text == "Los pueblos indígenas amazónicos.\n\nDiscriminación. Y distancia."
    answers = [s for s in parsed.segments if s.kind == ANSWER]
    assert [(a.question, a.paragraph_index) for a in answers] == [("q1", 0), ("q3", 2)]
    for segment in parsed.segments:
        assert parsed.document.text[segment.start:segment.end] == segment.text
    assert [s.text for s in parsed.segments if s.kind == SENTENCE][-2:] == ["Discriminación.", "Y distancia."]


def test_long_runs_of_punctuation_are_broken_one_character_for_one():
    text = f"Women met. {'=' * 300} Youth spoke! {'!' * 64} {'-' * 65}"
    broken = break_runs(text)
    assert len(broken) == len(text) and broken.count(" ") == text.count(" ") + 300 // 64 + 1
    assert broken.replace(" ", "") == text.replace(" ", "").replace("=", "", 300 // 64).replace("-", "", 1)
    assert f" {'!' * 64} " in broken  # a run of 64 is left as it is
    assert break_runs("Women met. " + "=" * 150) == "Women met. " + "=" * 150  # so is a text under 200 characters


def test_a_paragraph_longer_than_spacys_limit_is_split_into_sentences():
    segmenter = Segmenter()
    nlp, _ = segmenter._pipeline("en")
    nlp.max_length = 100  # spaCy refuses longer texts (a million characters by default), as a 1 MB paragraph was
    paragraph = "Refugees are left behind in the villages. " * 10 + "Older people too."
    parsed = segmenter.dialogue("ken", [Block(PARAGRAPH, paragraph)], {"country": "Kenya", "language": "en"})
    sentences = [s for s in parsed.segments if s.kind == SENTENCE]
    assert len(sentences) == 11 and sentences[-1].text == "Older people too."


def test_nul_characters_are_dropped_like_other_invisible_ones():
    # PostgreSQL stores no NUL character; a stray one (from a broken export) shows nothing anyway
    assert normalise("Refugees are\x00 left\x00behind.") == "Refugees are leftbehind."


@pytest.mark.parametrize(
    "text, language, sentences",
    [
        ("Gracias por venir hoy. «Nadie viene a vernos», dijo la señora.", "es",
         ["Gracias por venir hoy.", "«Nadie viene a vernos», dijo la señora."]),
        ('Gracias por venir hoy. "Nadie viene a vernos", dijo la señora.', "es",
         ["Gracias por venir hoy.", '"Nadie viene a vernos", dijo la señora.']),
        ("Merci d'être venus. « Personne ne vient », dit-elle.", "fr",
         ["Merci d'être venus.", "« Personne ne vient », dit-elle."]),
        ("Welcome everyone. (Laughter.) Let us start. “We are forgotten,” she said.", "en",
         ["Welcome everyone.", "(Laughter.)", "Let us start.", "“We are forgotten,” she said."]),
        ('She said "no." "Why?" he asked. ¿Quién falta?', "en",
         ['She said "no."', '"Why?"', "he asked.", "¿Quién falta?"]),
        ('Une participante a dit : " Nous voulons de l\'eau. " Puis la séance a repris.', "fr",  # a spaced closing one
         ['Une participante a dit : " Nous voulons de l\'eau. "', "Puis la séance a repris."]),
    ],
)
def test_an_opening_quotation_mark_or_bracket_starts_the_next_sentence(segmenter, text, language, sentences):
    parsed = segmenter.dialogue("doc", [Block(PARAGRAPH, text)], {"language": language})
    found = [s for s in parsed.segments if s.kind == SENTENCE]
    assert [s.text for s in found] == sentences
    assert all(parsed.document.text[s.start:s.end] == s.text for s in found)
