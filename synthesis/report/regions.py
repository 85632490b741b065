"""Regions of the world (UN-style groupings used by the 2017 synthesis) and consultation country-name aliases.

Countries not listed fall in "Other"; add a line here when a new dialogue country joins.
"""

from __future__ import annotations

import unicodedata

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
    folded = unicodedata.normalize("NFKD", canonical_country(name).casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())
