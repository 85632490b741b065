"""Regions of the world (UN-style groupings used by the 2017 synthesis) and consultation country-name aliases.

Countries not listed fall in "Other"; add a line here when a new dialogue country joins.
"""

from __future__ import annotations

import functools
import gettext
import unicodedata
from collections import Counter

import pycountry

REGIONS: dict[str, tuple[str, ...]] = {
    "Sub-Saharan Africa": ("KEN", "MOZ", "NGA", "RWA", "SLE", "TGO", "TZA", "UGA", "ZAF", "ZWE", "GHA", "ETH",
                           "MWI", "ZMB", "SEN", "CMR", "BEN", "BFA", "MLI", "NER", "COD", "SSD", "SOM", "LBR"),
    "Arab States": ("SDN", "PSE", "LBN", "JOR", "EGY", "TUN", "MAR", "YEM", "IRQ", "SYR"),
    "Asia": ("AFG", "BGD", "IND", "KHM", "NPL", "PAK", "PHL", "TLS", "LKA", "MMR", "IDN", "VNM", "THA", "LAO"),
    "Europe and Central Asia": ("TJK", "KGZ", "KAZ", "UZB", "ARM", "GEO", "MDA", "UKR"),
    "Latin America and the Caribbean": ("ARG", "BOL", "BRA", "COL", "JAM", "PER", "SLV", "MEX", "GTM", "HND",
                                        "NIC", "ECU", "PRY", "CHL", "HTI", "DOM"),
    "Pacific": ("FJI", "PNG", "VUT", "SLB", "WSM", "TON"),
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
    return COUNTRY_ALIASES.get(name.strip().casefold(), name.strip())


def country_key(name: str) -> str:
    """What two spellings of one country share: the name by its alias, case-folded, without accents ("Perú",
    "PERU" and "peru" are "peru")."""
    folded = unicodedata.normalize("NFKD", canonical_country(name.replace("’", "'")).casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def iso_of(country: str) -> str:
    """The ISO 3166 alpha-3 code of a country named in English, Spanish or French, as ``country_key`` compares
    names ("Perú", "Rwanda", "Côte d'Ivoire", "Palestine"), or "" when it names none: a dialogue described only by
    its file's header ("Country: Rwanda") still gets its region and its ISO code for ``--country``."""
    return _iso_by_name().get(country_key(country), "")


@functools.cache
def _iso_by_name() -> dict[str, str]:
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
                    for language in ("es", "fr")]
    names: dict[str, set[str]] = {}
    for country in pycountry.countries:
        english = {getattr(country, field, "") for field in ("name", "official_name", "common_name")} - {""}
        names[country.alpha_3] = english | {t.gettext(name) for t in translations for name in english}
    table = {country_key(name): iso for iso, spelled in names.items() for name in spelled}
    # "Palestine, State of", "Bolivia, Plurinational State of": the name before the comma, where only one
    # country's names begin so ("Korea, Republic of" and "Korea, Democratic People's Republic of" do not)
    short = Counter((country_key(name.split(",")[0]), iso) for iso, spelled in names.items() for name in spelled
                    if "," in name)
    heads = Counter(head for head, _ in short)
    for (head, iso), _ in short.items():
        if heads[head] == 1:
            table.setdefault(head, iso)
    return table
