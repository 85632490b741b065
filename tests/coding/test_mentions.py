import json
import re
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest

from synthesis.coding.codebook import load_codebook
from synthesis.coding.mentions import CandidateFinder


@pytest.fixture(scope="module")
def finder():
    return CandidateFinder(load_codebook())


CAUSES = {"discrimination", "geography", "governance", "socioeconomic", "shocks_fragility"}


def _groups(finder, text, language="en"):
    return [(c.code, c.text) for c in finder.find(text, language) if c.code not in CAUSES]


def test_offsets_are_exact_and_intersections_yield_every_code(finder):
    text = "Rural women with disabilities walk for hours."
    found = finder.find(text)
    for c in found:
        assert text[c.start:c.end] == c.text
    assert {code for code, _ in _groups(finder, text)} == {"rural_remote", "women_girls", "disability"}


@pytest.mark.parametrize("text", [
    "We compared it with the older version of the plan.",
    "Minority shareholders objected to the minority stake.",
    "Delegates stayed at the youth hostel.",
    "Remote sensing data were used for the maps.",
    "The rural electrification budget line was cut.",
    "Applicants must be eligible for the programs of the Rural Utilities Service.",
    "The pandemic forced me to work from home for a year.",
    "Tourism on the Miskito Coast grew last year.",
    "El estudio migró la base de datos a un nuevo servidor.",
])
def test_non_group_phrases_do_not_fire(finder, text):
    assert _groups(finder, text) == []


def test_spanish_and_french_patterns(finder):
    assert {c for c, _ in _groups(finder, "Las mujeres indígenas del altiplano.", "es")} >= {"women_girls", "indigenous"}
    assert {c for c, _ in _groups(finder, "Les personnes handicapées des zones rurales.", "fr")} == {
        "disability", "rural_remote"}


def test_negation_is_a_feature_but_not_only_is_not_negation(finder):
    [refugees] = [c for c in finder.find("We did not discuss refugees.") if c.code == "displaced_migrants"]
    assert refugees.features["negated"] == 1
    [women] = [c for c in finder.find("Not only women are affected.") if c.code == "women_girls"]
    assert women.features["negated"] == 0
    [women] = [c for c in finder.find("This affects not only women but also men.") if c.code == "women_girls"]
    assert women.features["negated"] == 0
    assert not [name for name in women.features if name.endswith(("=not", "|not"))]  # nor a word read as one


def test_group_kind_only_and_shared_contexts_give_the_same_candidates(finder):
    texts = ["We did not discuss refugees.", "Not only women are affected.", "Refugees lack water.",
             "No refugees came. Refugees lack water.", "We did not discuss refugees.", "Rural women vote."]
    fresh = [CandidateFinder(load_codebook()).find(t) for t in texts]  # an empty context cache for each text
    together = finder.find_many(texts, ["en"] * len(texts))
    groups_only = finder.find_many(texts, ["en"] * len(texts), kinds=("group",))
    assert together == fresh
    codebook = load_codebook()
    assert groups_only == [[c for c in found if codebook.top(c.code) in codebook.ids("group")] for found in fresh]
    negated, plain = together[3][0], together[3][1]  # the same word, one sentence after a negation
    assert (negated.features["negated"], plain.features["negated"]) == (1, 0)


@pytest.mark.parametrize("text, language, code", [
    ("We didn't discuss persons with disabilities.", "en", "disability"),
    ("We didn\u2019t discuss persons with disabilities.", "en", "disability"),
    ("Refugees were not\n discussed in any group.", "en", "displaced_migrants"),
    ("La situation des personnes handicapées n'a pas été discutée.", "fr", "disability"),
    ("No se discutió la situación de las personas migrantes.", "es", "displaced_migrants"),
    ("Refugees weren't discussed.", "en", "displaced_migrants"),
    ("Refugees were never discussed.", "en", "displaced_migrants"),
    ("Older people were not on the agenda.", "en", "older_people"),
    ("En la sesion no se discutio la situacion de los migrantes.", "es", "displaced_migrants"),  # typed unaccented
    ("La situation des réfugiés n'a pas ete discutee.", "fr", "displaced_migrants"),
])
def test_a_sentence_reporting_a_group_as_not_discussed_is_a_feature(finder, text, language, code):
    [mention] = [c for c in finder.find(text, language) if c.code == code]
    assert mention.features["not_discussed"] == 1


@pytest.mark.parametrize("text, language, code", [
    ("On ne peut pas discuter de l'inclusion sans parler des femmes rurales.", "fr", "women_girls"),
    ("Migrants are not covered by health insurance.", "en", "displaced_migrants"),
    ("Refugees were not mentioned in the plan.", "en", "displaced_migrants"),
    ("Los migrantes no fueron mencionados en la ley.", "es", "displaced_migrants"),
])
def test_not_covered_and_not_mentioned_say_nothing_of_a_discussion(finder, text, language, code):
    [mention] = [c for c in finder.find(text, language) if c.code == code]
    assert mention.features["not_discussed"] == 0


@pytest.mark.parametrize("text, language, code, left_out", [
    ("The group did not discuss the situation of refugees.", "en", "displaced_migrants", 1),
    ("We have not discussed people living with HIV at all today.", "en", "hiv_health", 1),
    ("The chair said fishing communities had not been discussed in any group.", "en", "rural_remote", 1),
    ("La facilitadora aclaró que la mesa no discutió la situación de las personas migrantes.", "es",
     "displaced_migrants", 1),
    ("L'atelier n'a pas abordé la situation des personnes handicapées.", "fr", "disability", 1),
    ("Refugees from Bhutan were not discussed, as no participant worked with them.", "en", "displaced_migrants", 1),
    ("La situation des personnes handicapées n'a pas été discutée en atelier.", "fr", "disability", 1),
    ("We discussed refugees, but older people were not discussed today.", "en", "older_people", 1),
    ("The group didn’t discuss refugees.", "en", "displaced_migrants", 1),
    ("En la sesion no se discutio la situacion de los migrantes.", "es", "displaced_migrants", 1),  # unaccented
    ("En la reunión no se trató el tema de los migrantes.", "es", "displaced_migrants", 1),
    # other verbs of a meeting's talk (from a bug hunt: these were coded)
    ("The group did not talk about persons with disabilities.", "en", "disability", 1),
    ("Participants didn't talk about older people.", "en", "older_people", 1),
    ("The workshop did not raise the issue of older people.", "en", "older_people", 1),
    ("En la reunión no hablaron de los migrantes.", "es", "displaced_migrants", 1),
    ("Les participants n'ont pas parlé des réfugiés.", "fr", "displaced_migrants", 1),
    ("Le groupe n'a pas évoqué la situation des personnes âgées.", "fr", "older_people", 1),
    ("Les réfugiés n'ont pas été évoqués lors de la réunion.", "fr", "displaced_migrants", 1),
    # from a bug hunt of Spanish and French notes: an active "no trató", "n'a pas traité", "nobody spoke of", and
    # the meeting named after the group
    ("La reunión no trató la situación de las personas LGBTI.", "es", "lgbtqi", 1),
    ("El taller no trató el tema de las personas LGBTI.", "es", "lgbtqi", 1),
    ("La réunion n’a pas traité la situation des personnes LGBTI.", "fr", "lgbtqi", 1),
    ("Nadie habló de las personas LGBTI durante la reunión.", "es", "lgbtqi", 1),
    ("Personne n’a parlé des personnes LGBTI pendant l’atelier.", "fr", "lgbtqi", 1),
    ("No se habló de las personas con discapacidad en esta reunión.", "es", "disability", 1),
    ("Relatora general: La reunion no trato la situacion de las personas LGBTI.", "es", "lgbtqi", 1),
    # ... but a doctor who did not treat, and nobody in society speaking of a group, are about the group
    ("El médico no trató a las mujeres indígenas con respeto.", "es", "indigenous", 0),
    ("Hoy el médico no trató a los niños porque no había medicinas.", "es", "children", 0),
    ("La policía no trató bien a los jóvenes durante la reunión del barrio.", "es", "youth", 0),
    ("Aujourd'hui le dispensaire n'a pas traité les enfants malades.", "fr", "children", 0),
    ("En mi comunidad nadie habla de las personas con discapacidad.", "es", "disability", 0),
    ("Personne n’a parlé des personnes handicapées à la radio depuis des années.", "fr", "disability", 0),
    # about the group, not about a meeting: coded as usual
    ("In our community we do not raise girls to be leaders.", "en", "women_girls", 0),
    # everyday talk of a group kept out of sight: a cue of talk counts only with a word naming the meeting itself
    ("In our culture we don't talk about mental health.", "en", "mental_health", 0),
    ("We did not talk about persons with disabilities today.", "en", "disability", 0),
    ("En mi pueblo no hablamos de las personas con discapacidad.", "es", "disability", 0),
    ("Informal workers are not covered by social protection.", "en", "informal_workers", 0),
    ("LGBT rights are not discussed in schools.", "en", "lgbtqi", 0),
    ("Refugees were not mentioned in the plan.", "en", "displaced_migrants", 0),
    ("We have never discussed our rights as domestic workers with the employers.", "en", "informal_workers", 0),
    ("Today, refugee children's needs are not on the agenda of the ministry.", "en", "displaced_migrants", 0),
    ("Our group of waste pickers has not been discussed in the city budget.", "en", "informal_workers", 0),
    ("Nous, les femmes rurales, n'avons pas été consultées et nos besoins n'ont pas été discutés.", "fr",
     "women_girls", 0),
    ("En el grupo de mujeres rurales dijimos que el gobierno no abordó nuestra demanda.", "es", "women_girls", 0),
    # ... or the meeting discussed this group and left out another
    ("We discussed refugees, but older people were not discussed today.", "en", "displaced_migrants", 0),
    ("Refugees lack water, but we did not discuss housing.", "en", "displaced_migrants", 0),
    ("We did not discuss housing: refugees lack water in the camps.", "en", "displaced_migrants", 0),
    ("We did not discuss housing\nrefugees lack water in the camps.", "en", "displaced_migrants", 0),
    ("Hoy no se trata solo de los migrantes, sino del trato que reciben.", "es", "displaced_migrants", 0),
    ("I want to raise people who were not discussed in any group today: LGBTI Ugandans.", "en", "lgbtqi", 0),
])
def test_a_meeting_that_left_a_group_out_is_flagged_only_for_the_group_it_left_out(finder, text, language, code,
                                                                                     left_out):
    flags = [c.features["left_out_of_discussion"] for c in finder.find(text, language) if c.code == code]
    assert flags and set(flags) == {left_out}


def test_not_discussed_reads_only_the_mentions_own_sentence(finder):
    found = finder.find("Refugees lack water. We did not discuss women.")
    flags = {c.code: c.features["not_discussed"] for c in found if c.code in ("displaced_migrants", "women_girls")}
    assert flags == {"displaced_migrants": 0, "women_girls": 1}


@pytest.mark.parametrize("text, language", [
    ("Las niñas y los jóvenes indígenas.", "es"),
    ("Les personnes âgées et les enfants réfugiés.", "fr"),
])
def test_decomposed_accents_match_and_offsets_index_the_text_as_given(finder, text, language):
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    composed = [(c.code, c.start, c.end) for c in finder.find(text, language)]
    found = finder.find(decomposed, language)
    assert [c.code for c in found] == [code for code, _, _ in composed] and len(found) >= 3
    for c in found:
        assert decomposed[c.start:c.end] == c.text
        assert unicodedata.normalize("NFC", c.text) == text[composed[found.index(c)][1]:composed[found.index(c)][2]]


@pytest.mark.parametrize("text, language, code", [
    ("Les demandeurs d\u2019asile attendent des mois.", "fr", "displaced_migrants"),
    ("Les personnes atteintes d\u2019albinisme sont menacées.", "fr", "disability"),
    ("Les personnes de\u0301place\u0301es et les demandeurs d\u2019asile.", "fr", "displaced_migrants"),  # NFD too
])
def test_typographic_apostrophes_match_like_plain_ones(finder, text, language, code):
    found = [c for c in finder.find(text, language) if c.code == code]
    assert found
    for c in found:
        assert text[c.start:c.end] == c.text  # the mention as written, curly apostrophe and all
    assert "\u2019" in " ".join(c.text for c in found)


@pytest.mark.parametrize("space", ["\u00a0", "  ", "\t", "\r\n", "\n", "\u202f", "\u2009", "\u3000", " \u200b "])
@pytest.mark.parametrize("text, language, codes", [
    ("Many older people live in rural areas.", "en", ["older_people", "rural_remote"]),
    ("Beaucoup de personnes âgées et de demandeurs d’asile.", "fr", ["older_people", "displaced_migrants"]),
    ("Las personas mayores y las personas con discapacidad.", "es", ["older_people", "disability"]),
    ("She is a 16-year-old girl.", "en", ["children", "women_girls"]),
])
def test_a_phrases_words_match_apart_by_any_white_space(finder, space, text, language, codes):
    # the non-breaking space of French typing, a line break, a tab or two spaces between a phrase's words (ingest
    # folds them; `synthesis code` reads texts as given)
    spaced = text.replace(" ", space)
    plain = finder.find(text, language)
    found = finder.find(spaced, language)
    assert [c.code for c in found] == [c.code for c in plain] and set(codes) <= {c.code for c in found}
    for c, same in zip(found, plain):
        assert spaced[c.start:c.end] == c.text and c.text.replace(space, " ") == same.text
        assert c.features == same.features


def test_what_the_finder_folds_is_never_printable():
    # find_many clears most texts with str.isprintable() before its slower search for such characters
    from synthesis.coding.mentions import _ZERO_WIDTH

    folded = [c for c in map(chr, range(0x110000)) if (c.isspace() and c != " ") or c in _ZERO_WIDTH]
    assert len(folded) > 25 and not any(c.isprintable() for c in folded)


def test_zero_width_characters_and_soft_hyphens_hide_no_word(finder):
    text = "\u200b\u200bWomen and girls with disabi\u00adlities\ufeff."
    found = finder.find(text)
    assert [(c.code, c.text) for c in found] == [("women_girls", "Women and girls"),
                                                ("disability", "disabi\u00adlities")]
    assert all(text[c.start:c.end] == c.text for c in found)


@pytest.mark.parametrize("space", [" ", "\n", "\r\n", "\u00a0", "  "])
def test_context_phrases_match_apart_by_any_white_space(finder, space):
    # a context entry of several words ("first nation", "this product") is looked for in the text as searched
    assert [(c.code, c.text) for c in finder.find(f"They live on reserves in the first{space}nation lands.")] == [
        ("indigenous", "on reserves")]
    assert [c.code for c in finder.find(f"Keep children away from this{space}product.")] == []


def test_a_line_break_still_ends_a_rapporteurs_clause(finder):
    for text in ("We did not discuss housing\r\nrefugees lack water in the camps.",
                 "We did not discuss housing \u2028 refugees lack water in the camps."):
        refugees = [c for c in finder.find(text) if c.text == "refugees"]
        assert [c.features["left_out_of_discussion"] for c in refugees] == [0]
    [refugees] = [c for c in finder.find("We did not discuss housing\t refugees.") if c.code == "displaced_migrants"]
    assert refugees.features["left_out_of_discussion"] == 1


def test_a_typographic_apostrophe_negation_is_a_negation(finder):
    [refugees] = [c for c in finder.find("We don\u2019t discuss refugees here.") if c.code == "displaced_migrants"]
    assert refugees.features["negated"] == 1


@pytest.mark.parametrize("text, language", [
    ("The HTTP protocol is stateless, so each request stands alone.", "en"),
    ("Imported goods wait in a bonded warehouse.", "en"),
    ("Replicas run as slave servers behind the primary.", "en"),
    ("The submit button is disabled until the form is valid.", "en"),
    ("Run the schema migration before deploying.", "en"),
    ("The child process inherits the file handles.", "en"),
    ("This shrub species is indigenous to the valley.", "en"),
    ("Aid per head is lowest in low-income countries.", "en"),
    ("The league announced the Women's Super League fixtures.", "en"),
    ("La carte mère a un nouveau chipset.", "fr"),
    ("La migración de datos terminó anoche.", "es"),
    ("An orphan work has no rightholder who can be found.", "en"),
    ("Termites of the worker caste never leave the mound.", "en"),
    ("The HIV protease inhibitor binds the active site.", "en"),
    ("Police seized the cargo in a drug trafficking case.", "en"),
    ("Graduating seniors at the high school won the regional title.", "en"),
    ("The bridge over the river is 70 years old.", "en"),
    ("Les trous noirs absorbent la lumière.", "fr"),
    ("The New York Islanders beat the Rangers.", "en"),
    ("Configure los servidores esclavos para replicar la base de datos.", "es"),
    ("A notorious cocaine trafficker was extradited.", "en"),
    ("Air quality is getting poorer every year.", "en"),
    ("The patch panel supports SC, ST and LC fibre connectors.", "en"),
    ("Le programme d'électrification rurale avance.", "fr"),
    ("Il a acheté un paquet de Gitanes au tabac.", "fr"),
    ("Repairs to 10- to 12-year-old buildings were delayed.", "en"),
    ("A poorly planned migration can result in extended downtime and data loss.", "en"),
    ("La migración de otoño ocurre cuando las aves se desplazan hacia el sur.", "es"),
    ("The autumn migration of birds peaks in October.", "en"),
])
def test_technical_and_other_senses_do_not_fire(finder, text, language):
    assert _groups(finder, text, language) == []


def test_unicode_hyphens_match_like_plain_ones(finder):
    text = "Low\u2011income families, non\u2010binary people and low\u2013income households."
    found = [(c.code, c.text) for c in finder.find(text) if c.code in ("people_in_poverty", "lgbtqi")]
    assert found == [("people_in_poverty", "Low\u2011income families"), ("lgbtqi", "non\u2010binary"),
                     ("people_in_poverty", "low\u2013income households")]


def test_a_golfers_handicap_is_not_a_disability_but_a_handicap_is(finder):
    assert _groups(finder, "Au golf, le handicap d'un joueur débutant est de 54.", "fr") == []
    assert _groups(finder, "Le handicap reste un obstacle à l'emploi.", "fr") == [("disability", "handicap")]


@pytest.mark.parametrize("text, language", [
    ("Muchos dominicanos LGBTI\u2014y en particular las personas trans\u2014no acuden a los hospitales.", "es"),
    ("Les personnes LGBTI\u2014et surtout les personnes trans\u2014sont exclues.", "fr"),
    ("LGBTI people\u2015trans people above all\u2015avoid the clinics.", "en"),
])
def test_an_em_dash_between_words_separates_them(finder, text, language):
    found = _groups(finder, text, language)
    assert [code for code, _ in found] == ["lgbtqi", "lgbtqi"]
    assert found[0][1] == "LGBTI"
    for c in finder.find(text, language):
        assert text[c.start:c.end] == c.text


@pytest.mark.parametrize("text, code", [
    ("Isolated seniors wait months for a pension.", "older_people"),
    ("Romani children are refused at the school gate.", "ethnic_religious_minorities"),
    ("Poverty among persons with disabilities is acute.", "people_in_poverty"),
    ("Families displaced by floods fall into poverty.", "people_in_poverty"),
    ("Mountain people walk for days to reach a clinic.", "rural_remote"),
    ("Elderly refugees wait at the border crossing.", "older_people"),
    ("The Muhamasheen are relegated to the edges of towns.", "caste_descent"),
    ("Young Kanak graduates find fewer jobs.", "indigenous"),
    ("Land reform failed to reach SC/STs in the district.", "caste_descent"),
    ("Land reform failed to reach SC/STs in the district.", "indigenous"),
    ("LGBTQ+ youth are turned away by shelters.", "lgbtqi"),
    ("Zero-hours contracts leave cleaners without a steady wage.", "informal_workers"),
    ("Pasifika families rent overcrowded homes.", "ethnic_religious_minorities"),
    ("Her son is stateless and cannot get a passport.", "displaced_migrants"),
    ("The Ogiek, a people indigenous to the Mau forest, were evicted.", "indigenous"),
    ("Women and child issues were ignored in the budget.", "children"),
    ("People in remote areas under the control of armed groups get no aid.", "rural_remote"),
    ("Pastoral communities here face poverty every dry season.", "people_in_poverty"),
    ("The pension reaches few poor older people.", "people_in_poverty"),
    ("Poor, rural mothers give birth without a midwife.", "people_in_poverty"),
    ("Half of them are in vulnerable employment.", "informal_workers"),
    ("During adolescence, many girls leave school.", "youth"),
    ("Floods are uprooting families along the river.", "displaced_migrants"),
    ("Many seniors were reluctant to evacuate.", "older_people"),
    ("The risk is highest for adults over age 65.", "older_people"),
    ("Most of them find only casual labour on building sites.", "informal_workers"),
    ("Households of lower socioeconomic status were hit hardest.", "people_in_poverty"),
    ("The law allows gender-based discrimination in inheritance.", "women_girls"),
    ("Pacific island nations are among the most exposed to cyclones.", "rural_remote"),
    ("Foreign-born residents are twice as likely to be out of work.", "displaced_migrants"),
    ("Poverty and war are why so many children live on the streets.", "urban_poor"),
    ("Sexual minorities delay seeking care for fear of discrimination.", "lgbtqi"),
    ("Thousands of children born here were left without a nationality.", "displaced_migrants"),
    ("Many retirees face severe strain as pensions lose their value.", "older_people"),
    ("Unemployment has fallen most heavily on younger people.", "youth"),
    ("Lenca and Miskito communities lost their harvests to the drought.", "indigenous"),
    ("These boy soldiers had little interest in ideology.", "children"),
    ("Yezidi families are returning to Sinjar.", "ethnic_religious_minorities"),
    ("One in three heat deaths among workers were Latinos.", "ethnic_religious_minorities"),
    ("Laws that force gender non-conforming people to undergo surgery.", "lgbtqi"),
    ("Fishers are trapped in low-value, precarious employment.", "informal_workers"),
    ("Unhoused residents were moved out of the park.", "urban_poor"),
    ("Kasambahay often work without a day off.", "informal_workers"),
    ("Homophobia keeps many away from the clinic.", "lgbtqi"),
    ("Manual scavenging persists despite the ban.", "informal_workers"),
    ("Most of them are paid by the day.", "informal_workers"),
    ("A sixth grader walks three hours to school.", "children"),
    ("Among young MSM of color, stigma compounded the barriers to PrEP.", "ethnic_religious_minorities"),
    ("Services for AGYW remain scarce in the district.", "youth"),
    ("Ethnolinguistic minority children are punished for speaking their home language.",
     "ethnic_religious_minorities"),
    ("Young pregnant women living with HIV miss their appointments.", "youth"),
    ("Water points are sites of discrimination based on caste and gender.", "women_girls"),
    ("We live by begging, in continual fear.", "people_in_poverty"),
    ("Poverty is concentrated among minority ethnic groups.", "people_in_poverty"),
    ("Police harass informal transport operators in many African cities.", "informal_workers"),
    ("Kids of color are overrepresented in arrests.", "ethnic_religious_minorities"),
    ("Thousands are without a roof over their heads this winter.", "urban_poor"),
    ("Banks closed branches before meeting the needs of their older customers.", "older_people"),
    ("They will likely remain in poverty for the rest of their lives.", "people_in_poverty"),
    ("Drought has fed the migrant caravans heading north.", "displaced_migrants"),
    ("Forest finance rarely reaches IPLCs directly.", "indigenous"),
    ("Young trans people have few services tailored to their needs.", "youth"),
    ("Care home staff lacked training in the needs of older LGBT people.", "older_people"),
    ("Debts keep people in bondage for generations.", "forced_labour"),
    ("Refugees do unskilled, low-paid jobs that citizens do not want.", "informal_workers"),
    ("I was trying to get off the streets, but they set me back.", "urban_poor"),
    ("Bus drivers showed ableist attitudes.", "disability"),
    ("LGBTQ2S youth are overrepresented among the homeless.", "lgbtqi"),
    ("Yemen has no legal minimum age of marriage.", "children"),
    ("They were driven out of their lands by the mining company.", "displaced_migrants"),
    ("Most Pakistani sanitary workers are poor, low-paid Christians.", "informal_workers"),
    ("Most are from non-Arab communities that were targeted by the militia.", "ethnic_religious_minorities"),
    ("The government seeks to curb immigration from Haiti.", "displaced_migrants"),
    ("Waste picking offers a financial lifeline to people without other work.", "informal_workers"),
    ("The provincial government did not provide any help to flood affectees.", "displaced_migrants"),
    ("Heat threatens people living in unplanned communities.", "urban_poor"),
    ("Teachers do not stay on the isolated island.", "rural_remote"),
    ("Most of the tea tribe girls in Assam are married young.", "indigenous"),
    ("Armed groups have absorbed Venezuelans as cheap recruits.", "displaced_migrants"),
    ("Many of those who seek refuge in Europe are stranded in Libya.", "displaced_migrants"),
    ("Sami people have long struggled with high suicide rates.", "indigenous"),
    ("People who pluck tea leaves say they have been underpaid for generations.", "informal_workers"),
    ("The paid farm work is irregular and unavailable during drought.", "informal_workers"),
    ("He came from an economically weak section of society.", "people_in_poverty"),
    ("I was born into a very poor family.", "people_in_poverty"),
    ("Once COVID-19 enters a care home, mortality is high.", "older_people"),
    ("He was sold onto a Thai fishing boat.", "forced_labour"),
    ("Intersex people face surgery to change their sex characteristics.", "lgbtqi"),
    ("They are arrested for staying irregularly.", "displaced_migrants"),
    ("Old people with leprosy are left on the streets.", "urban_poor"),
    ("Discrimination against members of the travelling community was pervasive.", "ethnic_religious_minorities"),
    ("Most young men here do hard agricultural labour.", "informal_workers"),
    ("We had to pay smugglers to get here.", "displaced_migrants"),
    ("Moms are more likely to skip meals so their children eat.", "women_girls"),
    ("Lidia has a monthly pension of 365 lei, which she spends on the children.", "older_people"),
    ("John has been a hawker for 30 years.", "informal_workers"),
    ("Without a hukou they cannot enrol their children in city schools.", "displaced_migrants"),
    ("Most transgendered people there cannot change their identity cards.", "lgbtqi"),
    ("Families in the mountains walk for hours to reach a clinic.", "rural_remote"),
    ("Muslim families were evicted from the camp.", "ethnic_religious_minorities"),
    ("Maternal deaths remain high in the north.", "women_girls"),
    ("Underage marriage is still common.", "children"),
    ("Many Haratines still work for their former masters.", "forced_labour"),
    ("Workers pay recruitment fees of up to $5,000 to reach the Gulf.", "displaced_migrants"),
    ("They live in line rooms on the estates.", "informal_workers"),
    # read in rounds 55-58
    ("Millions of people are denied a nationality.", "displaced_migrants"),
    ("Participation is lowest among people on low incomes.", "people_in_poverty"),
    ("Boil-water advisories are routine on reserves in the north.", "indigenous"),
    ("Forest dwellers lost their grazing rights.", "rural_remote"),
    ("Albino people are hunted for their body parts.", "disability"),
    ("Delivery workers are paid per drop, far below the minimum wage.", "informal_workers"),
    ("After eight years living in displacement, she has seen a doctor once.", "displaced_migrants"),
])
def test_more_general_vocabulary(finder, text, code):
    assert code in {c for c, _ in _groups(finder, text)}


@pytest.mark.parametrize("text, language, code", [
    ("Las personas con trastornos mentales son internadas.", "es", "mental_health"),
    ("Les personnes atteintes de troubles mentaux sont enchaînées.", "fr", "mental_health"),
    ("Los seropositivos no reciben antirretrovirales.", "es", "hiv_health"),
    ("Les intouchables vivent à l'écart.", "fr", "caste_descent"),
    ("Muchas familias viven en situación de pobreza en la periferia.", "es", "people_in_poverty"),
    ("Les personnes âgées aux revenus modestes vivent seules.", "fr", "people_in_poverty"),
    ("Las mujeres dedicadas al trabajo del hogar no tienen seguro.", "es", "informal_workers"),
    ("Cientos de familias viven en viviendas informales junto al río.", "es", "urban_poor"),
    ("La violencia por razón de género sigue sin castigo.", "es", "women_girls"),
    ("Las comunidades de las zonas altoandinas sufren heladas cada año.", "es", "rural_remote"),
    ("Les vendeurs à la sauvette sont chassés du centre-ville.", "fr", "informal_workers"),
    ("Un jeune issu d'une région intérieure trouve moins de travail.", "fr", "youth"),
    ("En América Latina hay más de 20 millones de ninis.", "es", "youth"),
    ("Les familles ont fui les attaques dans leur village.", "fr", "displaced_migrants"),
    ("Miles de familias tuvieron que huir de la violencia.", "es", "displaced_migrants"),
    ("Les habitants des quartiers les plus pauvres d'Abidjan ont été expulsés.", "fr", "urban_poor"),
    ("La población adulta mayor depende de pensiones no contributivas.", "es", "older_people"),
    ("Las personas transgénero tienen un acceso limitado al empleo.", "es", "lgbtqi"),
    ("Personne ne veut plus nous voir, déplore le vieil homme.", "fr", "older_people"),
    ("La mitad de los desplazamientos internos tuvo lugar en el Pacífico.", "es", "displaced_migrants"),
    ("Miles de empleadas del hogar no tienen contrato.", "es", "informal_workers"),
    ("Ces enfants ne sont pas déclarés et sont donc sans nationalité.", "fr", "displaced_migrants"),
    ("José, agricultor lenca, ya no sabe cuándo va a llover.", "es", "indigenous"),
    ("Las comunidades q'eqchi' perdieron sus tierras.", "es", "indigenous"),
    ("Las decisiones sobre el ambulantaje deben incluir a quienes venden en la calle.", "es", "informal_workers"),
    ("Miles de familias viven en la miseria en esta zona.", "es", "people_in_poverty"),
    ("Ces familles vivent dans la misère depuis la sécheresse.", "fr", "people_in_poverty"),
    ("Pascal, déplacé interne à Kaya, a perdu sa maison.", "fr", "displaced_migrants"),
    ("La persona con sordoceguera no puede acceder a la información.", "es", "disability"),
    ("La mitad de las personas que viven en las calles ha sufrido agresiones.", "es", "urban_poor"),
    ("Las mujeres alteñas encontraron en el comercio informal su única opción.", "es", "informal_workers"),
    ("Las víctimas del desplazamiento forzado reciben reparación.", "es", "displaced_migrants"),
    ("Les sinistrés dorment encore sous des bâches.", "fr", "displaced_migrants"),
    ("Les déguerpis n'ont reçu aucune compensation.", "fr", "urban_poor"),
    ("Los pepenadores del basurero no tienen seguro médico.", "es", "informal_workers"),
    ("Las familias trashumantes pierden sus pastos.", "es", "rural_remote"),
    ("Las comunidades garífunas se ven amenazadas por proyectos turísticos.", "es", "ethnic_religious_minorities"),
    ("Les enfants de rue de Kinshasa sont souvent accusés de sorcellerie.", "fr", "urban_poor"),
    ("Muchos jóvenes gay viven debajo de los puentes.", "es", "urban_poor"),
    ("Des familles dorment sous les ponts de la ville.", "fr", "urban_poor"),
    ("La tuberculose touche surtout des populations défavorisées.", "fr", "people_in_poverty"),
    ("Los rohingyas no pueden trabajar legalmente en Bangladés.", "es", "displaced_migrants"),
    ("Las trabajadoras extranjeras no tienen ni un día libre.", "es", "displaced_migrants"),
    ("Los sexagenarios del barrio viven solos.", "es", "older_people"),
    ("Les cueilleurs de thé gagnent moins de deux dollars par jour.", "fr", "informal_workers"),
    ("Des clochards dorment dans les gares.", "fr", "urban_poor"),
    ("Les élèves de famille gitane sont placés dans des classes à part.", "fr", "ethnic_religious_minorities"),
    ("Las madres adolescentes abandonan la escuela secundaria.", "es", "youth"),
    ("Pour ces réfugié·es, le retour est souvent difficile.", "fr", "displaced_migrants"),  # inclusive writing
    ("Les travailleurSEs du sexe sont rarement consultées.", "fr", "informal_workers"),
    ("Près de 580 000 personnes ont été déplacées par les violences.", "fr", "displaced_migrants"),
    ("Les femmes sont obligées de mendier pour survivre.", "fr", "people_in_poverty"),
    ("Las personas con bajo nivel de renta serán las más perjudicadas.", "es", "people_in_poverty"),
    ("Certains itinérants ont dû dormir dans le métro.", "fr", "urban_poor"),  # Québec French for homeless people
    ("Los barrios informales carecen de agua potable.", "es", "urban_poor"),
    ("Les travailleuses vivent chez leurs employeurs.", "fr", "women_girls"),
    ("Les réfugiés et déplacés internes âgés ont des besoins spécifiques.", "fr", "older_people"),
    ("La mayor parte de los pescadores en pequeña escala viven en comunidades pobres.", "es", "informal_workers"),
    ("Yo hablo el náhuatl y a mis niños les pegan en la escuela.", "es", "indigenous"),
    ("Des milliers d'enfants d'Haïti vivent en situation de domesticité.", "fr", "informal_workers"),
    ("Les Bédouins ne sont raccordés ni à l'eau ni à l'électricité.", "fr", "ethnic_religious_minorities"),
    ("Djakher est devenue sourde à quatre ans.", "fr", "disability"),
    ("Les combis passent une fois par jour : un obstacle pour les personnes à mobilité réduite.", "fr", "disability"),
    ("Los migrantes venezolanos enfrentan la xenofobia en Lima.", "es", "displaced_migrants"),
    ("« Pour sortir de la rue, il faudrait trouver quelqu'un. »", "fr", "urban_poor"),
    ("Selon Ramsay, les Samis sont exclus des décisions sur leurs terres.", "fr", "indigenous"),
    ("La sociedad excluye a muchos sufrientes mentales.", "es", "mental_health"),
    ("Les interventions qui modifient les caractéristiques sexuées des enfants.", "fr", "lgbtqi"),
    ("La mitad vive en comunidades ribereñas sin médico.", "es", "rural_remote"),
    ("Ser mujer y ser sorda en una sociedad desigual deja a la mujer indefensa.", "es", "disability"),
    ("« Nous n'avons aucune source de revenu », dit-il sur ce site d'accueil.", "fr", "displaced_migrants"),
    ("El uso de la lengua originaria en la escuela es limitado.", "es", "indigenous"),
    ("Muchas veces trabajan en el sistema informal.", "es", "informal_workers"),
    ("Inmaculada, mujer mayor, vive sola.", "es", "older_people"),
    ("Les usagers en fauteuil se voient refuser l'accès aux bus.", "fr", "disability"),
    ("La mayoría de los adultos mayores no recibe una pensión adecuada.", "es", "older_people"),
    ("Les nouveaux emplois pour les jeunes sont dans l'économie parallèle.", "fr", "informal_workers"),
    ("El desplazamiento afecta a miles de familias campesinas.", "es", "displaced_migrants"),
    ("Les femmes déplacées vivent sous des bâches.", "fr", "displaced_migrants"),
    # read in rounds 55-58
    ("Les ONG attendent l'autorisation d'aider les personnes en situation de mobilité.", "fr", "displaced_migrants"),
    ("Salió de su país con dos mochilas y sus hijos.", "es", "displaced_migrants"),
    ("Le déguerpissement a laissé des centaines de familles dehors.", "fr", "urban_poor"),
    ("Vivían en la zona urbanomarginal del puerto.", "es", "urban_poor"),
    ("Cette famille modeste a tout perdu.", "fr", "people_in_poverty"),
    ("Les peuples des forêts sont de plus en plus appauvris.", "fr", "people_in_poverty"),
    ("La plupart des personnes du 3e âge continuent à travailler.", "fr", "older_people"),
    ("Ahora son más los que se dedican al comercio ambulatorio.", "es", "informal_workers"),
    ("L'organisme vient en aide aux TDS et défend les TDS devant les tribunaux.", "fr", "informal_workers"),
    ("Des enfants travaillent dans les mines d'or informelles.", "fr", "informal_workers"),
    ("Los pequeños migrantes no acompañados duermen en la estación.", "es", "displaced_migrants"),
])
def test_spanish_and_french_vocabulary(finder, text, language, code):
    assert code in {c for c, _ in _groups(finder, text, language)}


@pytest.mark.parametrize("text, language, code", [
    ("Los descendientes de africanos continúan siendo víctimas de la pobreza.", "es", "displaced_migrants"),
    ("Las comunidades afrocolombianas e indígenas han sido despojadas de sus tierras.", "es", "rural_remote"),
    ("Cuando las comunidades indígenas reclaman sus tierras reciben amenazas.", "es", "rural_remote"),
    ("Many persons with disabilities in the capital beg near the markets.", "en", "informal_workers"),
    ("Las comunidades de acogida reciben a miles de personas.", "es", "displaced_migrants"),  # the hosts
    ("Las comunidades garífunas se ven amenazadas por proyectos turísticos.", "es", "rural_remote"),
    ("The gunman then killed himself.", "en", "mental_health"),
    ("Es un conflicto de más de 60 años.", "es", "older_people"),
    ("Nuestros mayores retos son financieros.", "es", "older_people"),
    ("Le montant s'élève à deux millions.", "fr", "children"),
    ("Millions of people in Latin America lack clean water.", "en", "ethnic_religious_minorities"),
    ("En América Latina la pobreza rural persiste.", "es", "ethnic_religious_minorities"),
    # trans women are coded lgbtqi, not women_girls (no labelled text, corpus or real, codes both)
    ("Trans women are refused treatment at public clinics.", "en", "women_girls"),
    ("Casi nunca se cuenta a las mujeres trans.", "es", "women_girls"),
    ("Les femmes transgenres sont refusées dans les foyers.", "fr", "women_girls"),
    # a ministry's name is no mention of its people; nor is mobile roaming ("itinérance") of homeless people
    ("The Ministry of Women and Children Affairs refuted the survey.", "en", "women_girls"),
    ("The Ministry of Women and Children Affairs refuted the survey.", "en", "children"),
    ("Les frais d'itinérance sont supprimés en Europe.", "fr", "urban_poor"),
    ("Les travailleuses du sexe évitent les centres de santé.", "fr", "women_girls"),  # sex workers: informal work
    ("There was a female on the nest, with a chick of about ten days.", "en", "women_girls"),
    ("The parent waits until the child exits; wait returns the child pid.", "en", "children"),
    ("La selva del Darién es uno de los pasos que cruzan los migrantes.", "es", "rural_remote"),
    # psychosocial disability is mental_health, not disability; tea plantations are no rural place; French
    # "expulsions" are evictions of any group; gender-inclusive "trabajadores y trabajadoras" are not women
    ("Las personas con discapacidad psicosocial no figuran en los registros.", "es", "disability"),
    ("Les personnes en situation de handicap psychique sont isolées.", "fr", "disability"),
    ("Tea production in Sri Lanka began on coffee plantations.", "en", "rural_remote"),
    ("Les chrétiens subissent des conversions forcées et des expulsions.", "fr", "urban_poor"),
    ("Los trabajadores y trabajadoras bananeros denuncian abusos.", "es", "women_girls"),
    ("HIV is concentrated in people who inject drugs.", "en", "mental_health"),
    ("modbus_set_slave() sets the ID of the remote device.", "en", "rural_remote"),
    # a pension is older people's, except where the sentence is about workers left out of pension systems
    ("These are informal workers with no insurance and no pension.", "en", "older_people"),
    ("Las trabajadoras del hogar no podrán acceder a las pensiones.", "es", "older_people"),
    ("Pension funds reported strong returns this quarter.", "en", "older_people"),
    ("El hotel ofrece media pensión y pensión completa.", "es", "older_people"),
    ("He crossed the mountain range on a mountain bike.", "en", "rural_remote"),
    # evicted families are slum dwellers (in a city), not displaced people: the real-text labels, real_dev's among
    # them, code an eviction as displacement only where the text calls the people displaced
    ("Hundreds of families were evicted when the city cleared the market.", "en", "displaced_migrants"),
    ("Las familias desalojadas duermen frente al municipio.", "es", "displaced_migrants"),
    ("Les déguerpis du quartier attendent toujours un relogement.", "fr", "displaced_migrants"),
    # idioms and other senses read in rounds 55-58
    ("The appeal fell on deaf ears at the ministry.", "en", "disability"),
    ("Il n'y a pire sourd que celui qui ne veut pas entendre.", "fr", "disability"),
    ("Solo la mitad de los centros escolares tiene biblioteca.", "es", "children"),
    ("Les travaux ont donné une nouvelle jeunesse à la gare.", "fr", "youth"),
    ("The report documents illegal land trafficking with forged titles.", "en", "forced_labour"),
    ("Cada otoño, miles de aves migran hacia el sur.", "es", "displaced_migrants"),
    ("The ward chair met the staff of the rural municipality office.", "en", "rural_remote"),
    ("Trabaja en el campo de la salud pública desde hace diez años.", "es", "rural_remote"),
    ("La liga juvenil empieza el domingo.", "es", "youth"),
    ("La viuda negra es una araña pequeña.", "es", "women_girls"),
    ("Cada año migran millones de aves, grandes planeadoras y pequeños migrantes, hacia África.", "es", "displaced_migrants"),
    ("The utility drew on reserves to cover the shortfall.", "en", "indigenous"),
])
def test_victims_communities_and_begging_are_not_these_groups(finder, text, language, code):
    assert code not in {c for c, _ in _groups(finder, text, language)}


@pytest.mark.parametrize("text, language, children", [
    ("Drought is forcing girls out of school and into marriage.", "en", True),
    ("Parents marry their daughters young; a girl married off is one less mouth to feed.", "en", True),
    ("Girls play football on Sundays.", "en", False),
    ("Girls play football. Their brothers go to school.", "en", False),  # the context word is in another sentence
    ("Adolescent girls drop out of school when the family migrates.", "en", False),  # youth, not children
    ("Muchas chicas se casan antes de ser adultas.", "es", True),
    ("Las niñas dejan la escuela por el estigma.", "es", True),
    ("Les filles sont deux fois plus susceptibles de manquer l'école.", "fr", True),
    ("Les filles du quartier ont monté une association.", "fr", False),
])
def test_girls_are_children_where_the_sentence_speaks_of_school_or_marriage(finder, text, language, children):
    found = _groups(finder, text, language)
    assert ("children" in {c for c, _ in found}) is children
    assert {"women_girls", "youth"} & {c for c, _ in found}  # and always what the phrase means on its own
    for code, phrase in found:
        if code == "children":
            assert phrase.lower() in {"girls", "girl", "chicas", "niñas", "filles"}


@pytest.mark.parametrize("text, language, code, found", [
    ("Orphan processes are the opposite of zombie processes: these children are said to be orphaned.", "en",
     "children", False),
    ("Those children are reparented to PID 1.", "en", "children", False),
    ("A widow is the last line of a paragraph carried over to the top of the next page.", "en", "women_girls", False),
    ("Add a down migration so that the schema change can be reverted.", "en", "displaced_migrants", False),
    ("La migración de la base de datos al nuevo servidor terminó.", "es", "displaced_migrants", False),
    ("Children in the camp have no school. The server was down.", "en", "children", True),  # another sentence
    ("Widows lose their land when their husbands die.", "en", "women_girls", True),
    ("Migration to the Gulf has grown since the drought.", "en", "displaced_migrants", True),
    ("When a child terminates in Linux, a signal is sent to the parent process.", "en", "children", False),
    ("Los niños no deben operar una licuadora sin supervisión.", "es", "children", False),  # a phrase of 2 words
    ("Keep this product out of the reach of children.", "en", "children", False),
    ("Children sell products in the market instead of going to school.", "en", "children", True),
    # sentence contexts and other senses read in round 20
    ("Slum residents can be evicted at short notice.", "en", "urban_poor", True),
    ("Widows are often evicted from their land and left destitute.", "en", "urban_poor", False),  # no city
    ("The fleet relies on trans-shipments at sea.", "en", "lgbtqi", False),
    ("I look for remote jobs because they are accessible.", "en", "rural_remote", False),
    ("Des places ont été ouvertes pour accueillir des femmes isolées.", "fr", "rural_remote", False),
    ("Families in the remotest villages walk for hours.", "en", "rural_remote", True),
    # session 19: an eviction (singular) counts too, and a neighbourhood makes the sentence urban; residents and
    # tenants do not (villages, farms and forests have them too)
    ("Thousands of people were forcibly evicted from their neighbourhood last year.", "en", "urban_poor", True),
    ("The court forbade the eviction of any settlement without alternative housing.", "en", "urban_poor", True),
    ("The cache uses a least-recently-used eviction policy.", "en", "urban_poor", False),
    ("Herders face eviction from the grazing land their families have used for generations.", "en", "urban_poor",
     False),
    ("Tenant farmers face eviction when landlords sell the land to agribusiness.", "en", "urban_poor", False),
    ("Residents of three villages in the valley face eviction to make way for the dam.", "en", "urban_poor", False),
    ("Kubernetes starts eviction when a tenant's pods exceed their memory limit.", "en", "urban_poor", False),
])
def test_a_phrase_counts_only_in_the_sentence_contexts_its_code_allows(finder, text, language, code, found):
    assert (code in {c for c, _ in _groups(finder, text, language)}) is found


# Sentences written for this project: other senses of group words, in English ("blind trust", "farmers market",
# "tropical depression"), Spanish and French ("electrificación rural", "células madre", "pays pauvres"), and for
# each code touched, genuine mentions that the not-patterns must leave alone
OTHER_SENSES = [json.loads(line) for name in ("other_senses_en.jsonl", "other_senses_es_fr.jsonl")
                for line in (Path(__file__).parents[1] / "fixtures" / name).read_text("utf-8").splitlines()]


@pytest.mark.parametrize("case", OTHER_SENSES, ids=lambda c: f"{c['code']}-{c['expect']}-{c['text'][:30]}")
def test_other_senses_do_not_fire_and_genuine_mentions_do(finder, case):
    codes = {code for code, _ in _groups(finder, case["text"], case["language"])}
    assert (case["code"] in codes) is case["expect"]


@pytest.mark.parametrize("text, language, expected", [
    ("Los jovenes indigenas y las personas con discapacidad.", "es",
     [("youth", "jovenes", "jóvenes"), ("indigenous", "indigenas", "indígenas"),
      ("disability", "personas con discapacidad", "personas con discapacidad")]),
    ("Les refugies et les personnes agees.", "fr",
     [("displaced_migrants", "refugies", "réfugiés"), ("older_people", "personnes agees", "personnes âgées")]),
    ("Los niños y los ninos de la calle.", "es",  # accented and not, in one text
     [("children", "niños", "niños"), ("children", "ninos de la calle", "niños de la calle"),
      ("urban_poor", "ninos de la calle", "niños de la calle")]),
])
def test_spanish_and_french_without_accents_match_and_read_as_their_phrase(finder, text, language, expected):
    found = [(c.code, c.text, next(k for k in c.features if k.startswith("phrase="))[len("phrase="):])
             for c in finder.find(text, language) if c.code not in CAUSES]
    assert found == expected
    for c in finder.find(text, language):
        assert text[c.start:c.end] == c.text


@pytest.mark.parametrize("text, language", [
    ("People of all ages took part.", "en"),  # French "âgés" without accents is the English "ages"
    ("It is a mere formality.", "en"),  # French "mère"
    ("La gente bebe agua del río.", "es"),  # "bebé" is kept as written: "bebe" drinks
    ("Los sinistres sont nombreux cette année.", "fr"),  # "sinistrés" too: "sinistres" are disasters
    ("La retraite des troupes a commencé.", "fr"),  # "retraités": a retreat
])
def test_unaccented_forms_are_not_matched_in_other_languages_or_where_kept(finder, text, language):
    assert not [c for c in finder.find(text, language) if c.code not in CAUSES]


def test_an_unaccented_form_a_codebook_keeps_is_matched_only_as_written(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("keep_accents: [Bebé]\ngroups:\n  - id: children\n    label: Children\n"
                    "    patterns: {es: [bebé, niñas]}\ncauses:\n  - {id: governance, label: Governance}\n",
                    encoding="utf-8")
    mine = CandidateFinder(load_codebook(path))
    assert [c.text for c in mine.find("El bebé y el bebe; las ninas.", "es")] == ["bebé", "ninas"]


def test_an_unaccented_form_that_is_another_codes_phrase_keeps_every_code(finder):
    def codes(text):
        return sorted(c.code for c in finder.find(text, "fr") if c.code not in CAUSES)
    assert codes("Les vidomegon travaillent.") == codes("Les vidomègon travaillent.") == [
        "children", "forced_labour", "women_girls"]


def test_context_entries_count_as_listed_not_without_their_accents(finder):
    # French "élève" is a context entry for girls as children; "Eleven" is no "eleve"
    assert _groups(finder, "Eleven girls attended the meeting.") == [("women_girls", "girls")]


def test_right_to_left_marks_do_not_hide_a_phrase_and_offsets_index_the_text(finder):
    text = "\u200folder people\u200f and \u2066women\u2069 and \u202erefugees\u202c"
    found = {(c.code, c.text) for c in finder.find(text, "en") if c.code not in CAUSES}
    assert found == {("older_people", "older people"), ("women_girls", "women"), ("displaced_migrants", "refugees")}
    assert all(text[c.start:c.end] == c.text for c in finder.find(text, "en"))


@pytest.mark.parametrize("passage", [
    "and then we discussed how women and girls and refugees cannot reach the clinic ",  # a rapporteur's cue word
    "girl ",  # a phrase read in its sentence's context (patterns_in_context)
    "children fork ",  # a phrase in a sentence that may give it another sense (not_in_context)
])
def test_a_long_text_without_full_stops_is_read_once_not_once_per_mention(finder, passage):
    # a transcript without punctuation is one sentence: each mention used to read all of it again (minutes for
    # 100 KB); the candidates are those of the passage, repeated
    text = passage * (60_000 // len(passage))
    found = finder.find(text, "en")
    alone = finder.find(passage * 3, "en")
    assert len(found) == len(alone) // 3 * (60_000 // len(passage))
    assert {c.code for c in found} == {c.code for c in alone}


def test_an_unaccented_form_reads_as_its_own_languages_phrase_whatever_was_coded_before():
    # the context cache had no language in its key: the language coded first decided the phrase for both
    finder = CandidateFinder(load_codebook())
    texts = ["Aborigenes y aborigenes.", "Aborigenes y aborigenes."]  # the same words: one context key
    spanish, french = finder.find_many(texts, ["es", "fr"])
    assert {c.code for c in spanish} == {c.code for c in french} == {"indigenous"}
    assert all("phrase=aborígenes" in c.features for c in spanish)
    assert all("phrase=aborigènes" in c.features for c in french)


class _RecordingTokenizer:
    """A tokenizer that records the texts it is given."""

    def __init__(self, tokenizer):
        self._tokenizer, self.texts = tokenizer, []

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        self.texts += texts
        return self._tokenizer.pipe(texts, **kwargs)


@pytest.mark.parametrize("run", ["=" * 16_000, "!" * 16_000, "_-*" * 5_000, ("=" * 199 + "x") * 50])
def test_a_long_run_of_punctuation_is_read_around_with_exact_offsets(finder, run, monkeypatch):
    # spaCy's tokenizer takes time in the square of such a run's length (minutes near the length limit): it is given
    # the text with a space every 64 characters of a run, one character for one
    text = f"Refugee women {run} and children {run}!"
    nlp = finder._nlp["en"]
    recording = _RecordingTokenizer(nlp.tokenizer)
    monkeypatch.setitem(finder._nlp, "en", SimpleNamespace(tokenizer=recording, vocab=nlp.vocab))
    found = finder.find(text, "en")
    [given] = recording.texts
    assert len(given) == len(text) and max(map(len, re.findall(r"(?:[^\w\s]|_)+", given))) <= 64
    assert [(c.code, c.text, text[c.start:c.end]) for c in found] == [
        ("displaced_migrants", "Refugee", "Refugee"), ("women_girls", "women", "women"),
        ("children", "children", "children")]


@pytest.mark.parametrize("text, language, code, negated", [
    ("There are no migrants here.", "en", "displaced_migrants", 1),
    ("No women, refugees or older people took part.", "en", "displaced_migrants", 1),  # a list after a negation
    ("Chaque personne réfugiée a droit à un logement.", "fr", "displaced_migrants", 0),  # "personne" is a person
    ("Personne ne parle des migrants.", "fr", "displaced_migrants", 1),  # ... or nobody, before "ne"
])
def test_a_negation_before_a_mention_is_a_feature(finder, text, language, code, negated):
    [mention] = [c for c in finder.find(text, language) if c.code == code]
    assert mention.features["negated"] == negated


def test_text_in_capitals_is_read_as_in_lower_case_with_exact_offsets(finder):
    text = "PEOPLE WHO CANNOT WALK ARE LEFT OUT."
    assert [(c.code, c.text) for c in finder.find(text) if c.code == "disability"] == [
        ("disability", "CANNOT WALK")]  # "cannot walk", as "can not walk" in lower case


@pytest.mark.parametrize("text, codes", [
    ("Under 5s are malnourished.", {"children"}),
    ("The remote-control toy and the remote controlled car were broken.", set()),
])
def test_phrases_added_from_a_bug_hunt(finder, text, codes):
    assert {c.code for c in finder.find(text)} & {"children", "rural_remote"} == codes
