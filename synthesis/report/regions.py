"""Regions of the world (the UNDP regional bureaux' groupings used by the 2017 synthesis, with the Pacific apart)
and country names: aliases, and ISO codes from names in English, Spanish and French.

Countries in no bureau's region (most high-income ones) fall in "Other".
"""

from __future__ import annotations

import functools
import gettext
import unicodedata
from collections import Counter

import pycountry

REGIONS: dict[str, tuple[str, ...]] = {
    "Sub-Saharan Africa": ("KEN", "MOZ", "NGA", "RWA", "SLE", "TGO", "TZA", "UGA", "ZAF", "ZWE", "GHA", "ETH",
                           "MWI", "ZMB", "SEN", "CMR", "BEN", "BFA", "MLI", "NER", "COD", "SSD", "SOM", "LBR",
                           "AGO", "BDI", "BWA", "CAF", "CIV", "COG", "COM", "CPV", "ERI", "GAB", "GIN", "GMB", "GNB",
                           "GNQ", "LSO", "MDG", "MRT", "MUS", "NAM", "STP", "SWZ", "SYC", "TCD"),
    "Arab States": ("SDN", "PSE", "LBN", "JOR", "EGY", "TUN", "MAR", "YEM", "IRQ", "SYR", "DZA", "LBY", "DJI",
                    "BHR", "KWT", "OMN", "QAT", "SAU", "ARE"),
    "Asia": ("AFG", "BGD", "IND", "KHM", "NPL", "PAK", "PHL", "TLS", "LKA", "MMR", "IDN", "VNM", "THA", "LAO",
             "BTN", "CHN", "IRN", "MDV", "MNG", "MYS", "PRK"),
    "Europe and Central Asia": ("TJK", "KGZ", "KAZ", "UZB", "ARM", "GEO", "MDA", "UKR", "ALB", "AZE", "BLR", "BIH",
                                "MKD", "MNE", "SRB", "TKM", "TUR"),
    "Latin America and the Caribbean": ("ARG", "BOL", "BRA", "COL", "JAM", "PER", "SLV", "MEX", "GTM", "HND",
                                        "NIC", "ECU", "PRY", "CHL", "HTI", "DOM", "ATG", "BHS", "BLZ", "BRB", "CRI",
                                        "CUB", "DMA", "GRD", "GUY", "KNA", "LCA", "PAN", "SUR", "TTO", "URY", "VCT",
                                        "VEN"),
    "Pacific": ("FJI", "PNG", "VUT", "SLB", "WSM", "TON", "COK", "FSM", "KIR", "MHL", "NIU", "NRU", "PLW", "TUV"),
}
OTHER = "Other"

_BY_ISO = {iso: region for region, isos in REGIONS.items() for iso in isos}

# Consultation exports name countries in their own way; map such names to the dialogue's country name.
COUNTRY_ALIASES = {
    "timor-leste": "East Timor",
    "state of palestine": "Palestine",
    "united republic of tanzania": "Tanzania",
    "perú": "Peru",
    "viet nam": "Vietnam",
}


def region_of(iso: str) -> str:
    return _BY_ISO.get(iso.upper(), OTHER)


def canonical_country(name: str) -> str:
    """A consultation country name as the dialogues spell it."""
    return _CANONICAL.get(_folded(name), name.strip())


def country_key(name: str) -> str:
    """What two spellings of one country share: the name by its alias, case-folded, without accents, with
    apostrophes, hyphens and full stops as spaces ("Perú", "PERU" and "peru" are "peru"; "Côte-d’Ivoire" and "Cote
    d'Ivoire" are "cote d ivoire")."""
    return _folded(canonical_country(name))


# Apostrophes, hyphens and full stops read as spaces in a country's name: "Côte-d’Ivoire" is "Cote d Ivoire",
# "Guinea Bissau" "Guinea-Bissau", "R.D. Congo" "R D Congo"
_SPACED = str.maketrans(dict.fromkeys("'’‘`´ʼ-‐‑‒–—.", " "))


def _folded(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).translate(_SPACED).split())


_CANONICAL = {_folded(alias): name for alias, name in COUNTRY_ALIASES.items()}


# Names in common use that ISO 3166 does not give (nor its Spanish and French translations), compared as
# ``country_key`` compares names. "Congo" alone is the Republic of the Congo (COG), as ISO 3166 names it; the
# Democratic Republic is "RD Congo", "RDC", "DR Congo".
ISO_ALIASES = {
    "ivory coast": "CIV", "cote divoire": "CIV", "dr congo": "COD", "drc": "COD", "rdc": "COD", "r d c": "COD",
    "rd congo": "COD", "r d congo": "COD", "rd du congo": "COD", "rd del congo": "COD", "congo rdc": "COD",
    "democratic republic of congo": "COD", "congo-kinshasa": "COD", "congo-brazzaville": "COG", "turkey": "TUR",
    "turquie": "TUR", "turquia": "TUR", "russia": "RUS", "rusia": "RUS", "federación de rusia": "RUS",
    "cape verde": "CPV", "swaziland": "SWZ", "burma": "MMR", "uk": "GBR", "great britain": "GBR", "britain": "GBR",
    "usa": "USA", "us": "USA", "eeuu": "USA", "ee uu": "USA", "macedonia": "MKD", "macédoine": "MKD",
    "east timor": "TLS", "palestinian territories": "PSE", "occupied palestinian territory": "PSE",
    "territoires palestiniens": "PSE", "territorios palestinos": "PSE", "congo (kinshasa)": "COD",
    "congo (brazzaville)": "COG", "burkina": "BFA", "guinée conakry": "GIN", "guinea conakry": "GIN",
    "centrafrique": "CAF", "rca": "CAF", "argelia": "DZA", "holanda": "NLD", "hollande": "NLD",
    "arabia saudita": "SAU", "biélorussie": "BLR", "bosnia": "BIH", "bosnie": "BIH", "comoras": "COM",
}
_ARTICLES = ("the ", "le ", "la ", "l ", "les ", "el ", "los ", "las ")  # "The Gambia", "la RDC", "l'Algérie"


def iso_of(country: str) -> str:
    """The ISO 3166 alpha-3 code of a country named in English, Spanish or French, as ``country_key`` compares
    names ("Perú", "Rwanda", "Côte d'Ivoire", "Palestine"), in the UN's style ("Bolivia (Plurinational State of)"),
    with an article ("The Gambia", "le Sénégal") or by a name in common use ("Ivory Coast", "RD Congo", "Burkina",
    "Rusia"), or "" when it names none: a dialogue described only by its file's header ("Country: Rwanda") still
    gets its region and its ISO code."""
    table, key = _iso_by_name(), country_key(country)
    names = [key]
    head, _, inner = key.partition(" (")
    if inner.endswith(")"):  # "congo (democratic republic of the)" is "democratic republic of the congo", not "congo"
        inner = inner[:-1].strip()
        names += [f"{inner} {head}", f"{inner.removeprefix('the ')} {head}"]
    head = head.strip()
    names += [head, *(head.removeprefix(article) for article in _ARTICLES if head.startswith(article))]
    for name in names:  # "bolivia (plurinational state of)", "the gambia", "le senegal"
        if name in table:
            return table[name]
    return ""


@functools.cache
def _iso_by_name() -> dict[str, str]:
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
                    for language in ("es", "fr")]
    names: dict[str, set[str]] = {}
    for country in pycountry.countries:
        english = {getattr(country, field, "") for field in ("name", "official_name", "common_name")} - {""}
        names[country.alpha_3] = english | {t.gettext(name) for t in translations for name in english}
    table = {country_key(name): iso for iso, spelled in names.items() for name in spelled}
    # "Congo, The Democratic Republic of the" is also "The Democratic Republic of the Congo", "Bolivia, Estado
    # Plurinacional de" "Estado Plurinacional de Bolivia"
    for iso, spelled in names.items():
        for name in spelled:
            head, _, tail = name.partition(", ")
            if tail:
                for turned in (f"{tail} {head}", f"{tail.removeprefix('The ').removeprefix('the ')} {head}"):
                    table.setdefault(country_key(turned), iso)
    # "Palestine, State of", "Bolivia, Plurinational State of": the name before the comma, where only one
    # country's names begin so ("Korea, Republic of" and "Korea, Democratic People's Republic of" do not)
    short = Counter((country_key(name.split(",")[0]), iso) for iso, spelled in names.items() for name in spelled
                    if "," in name)
    heads = Counter(head for head, _ in short)
    for (head, iso), _ in short.items():
        if heads[head] == 1:
            table.setdefault(head, iso)
    for alias, iso in ISO_ALIASES.items():
        table.setdefault(country_key(alias), iso)
    return table
