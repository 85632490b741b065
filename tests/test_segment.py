import unicodedata

from synthesis.ingest.documents import read_blocks
from synthesis.records import ANSWER, HEADING, PARAGRAPH, SENTENCE, TABLE, TURN, Block
from synthesis.segment import ROLES, Segmenter, SurveyRow, break_runs, normalise, split_speaker

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
        # Spanish and French labels as West African and Andean records write them
        ("Participantes: Las personas con discapacidad tampoco pueden llegar.", "participant", "Participantes"),
        ("Participantes (varias voces): ¡Agua!", "participant", "Participantes (varias voces)"),
        ("Facilitatrice\u00a0: Et les personnes handicapées, vous n’en parlez pas ?", "facilitator",
         "Facilitatrice"),
        ("Facilitateur : Et les enfants talibés ?", "facilitator", "Facilitateur"),
        ("Intervenante (femme, Ziguinchor) : Les veuves perdent leurs terres.", "participant",
         "Intervenante (femme, Ziguinchor)"),
        ("Intervenant 2 : Oui.", "participant", "Intervenant 2"),
        ("Co-facilitadora: ¿Y las personas con discapacidad?", "facilitator", "Co-facilitadora"),
        ("Co-animateur : Et les jeunes ?", "facilitator", "Co-animateur"),
        ("Coanimatrice : Et les jeunes ?", "facilitator", "Coanimatrice"),
        ("Co-Chair: Welcome.", "chair", "Co-Chair"),
        ("Rapporteure : Nous retenons trois points.", "rapporteur", "Rapporteure"),
        ("Relatora general: La reunión no trató la situación.", "rapporteur", "Relatora general"),
        ("Rapporteur général : Trois points.", "rapporteur", "Rapporteur général"),
        ("Moderateur : Bienvenue.", "facilitator", "Moderateur"),  # typed without its accent
        ("MODERATRICE : Bienvenue.", "facilitator", "MODERATRICE"),
        ("Moderador/a: ¿Quiénes faltan?", "facilitator", "Moderador/a"),
        ("Facilitador(a) (Oruro): ¿Quiénes faltan?", "facilitator", "Facilitador(a) (Oruro)"),
        ("Facilitateur·rice : Bienvenue.", "facilitator", "Facilitateur·rice"),
        ("Participant·e·s : Nous voulons de l’eau.", "participant", "Participant·e·s"),
        ("PARTİCİPANT 2: We disagree.", "participant", "PARTİCİPANT 2"),  # "İ" and "ı" match "i" ignoring case
        ("Partıcıpant: We disagree.", "", ""),
        # a count of people, not words spoken; words that merely begin like a label
        ("Participantes: 25 mujeres y 10 hombres", "", ""),
        ("Participants: 25 women and 10 men", "", ""),
        ("Participant(e)s : 25 femmes et 10 hommes", "", ""),  # inclusive and annotated plurals count people too
        ("Participantes (grupo 2): 12 mujeres", "", ""),
        ("Participante: 25 años tengo y nadie me escucha.", "participant", "Participante"),  # one person speaks
        ("Coordinadora: Red de Mujeres.", "", ""),
        ("Participación: baja en las zonas rurales.", "", ""),
        ("Intervention : le ministre a répondu.", "", ""),
    ],
)
def test_split_speaker(text, role, label):
    found_role, found_label, offset = split_speaker(text)
    assert (found_role, found_label) == (role, label)
    if role:
        assert text[offset:] and not text[offset].isspace()


@pytest.mark.parametrize("role, word", [(role, word) for role, words in ROLES.items() for word in words])
def test_every_label_is_read_capitalised_and_without_its_accents(role, word):
    unaccented = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    for label in {word.capitalize(), unaccented.capitalize(), word.upper()}:
        assert split_speaker(f"{label} : We need water.")[:2] == (role, label)


def test_spanish_and_french_turns_are_read_from_a_transcript(tmp_path, segmenter):
    path = tmp_path / "bolivia-oruro.txt"
    path.write_text(
        "Diálogo nacional en Oruro\n\nPaís: Bolivia\nParticipantes: 25 mujeres y 10 hombres\n\n"
        "Co-facilitadora: ¿Y las personas con discapacidad?\n"
        "Participantes (varias voces): No pueden llegar, y las que llegan lo dicen\n"
        "participantes: nadie las escucha.\n"  # a wrapped line: no label in lower case
        "Facilitatrice : Et les enfants talibés ?\n"
        "Intervenante (femme, Ziguinchor) : Les veuves perdent leurs terres.\n"
        "Relatora general: Se pidió un censo.\n",
        encoding="utf-8",
    )
    blocks, meta = read_blocks(path, "txt")
    parsed = segmenter.dialogue("bolivia-oruro", blocks, meta)
    assert meta["participants"] == "25 mujeres y 10 hombres"
    turns = [(s.speaker_role, s.speaker_label, s.text) for s in parsed.segments if s.kind == TURN]
    assert turns == [
        ("facilitator", "Co-facilitadora", "¿Y las personas con discapacidad?"),
        ("participant", "Participantes (varias voces)",
         "No pueden llegar, y las que llegan lo dicen participantes: nadie las escucha."),
        ("facilitator", "Facilitatrice", "Et les enfants talibés ?"),
        ("participant", "Intervenante (femme, Ziguinchor)", "Les veuves perdent leurs terres."),
        ("rapporteur", "Relatora general", "Se pidió un censo."),
    ]


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
