"""Counting over the effective labels: groups and causes by country, co-occurrence, regions, and choosing
which segments to quote. Pure functions of ``ReportData``; every choice is deterministic (ties by id)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Iterable

from synthesis.records import DIALOGUE
from synthesis.report.data import ReportData
from synthesis.store import ReportUnit


@dataclass(frozen=True)
class CodeCount:
    """One group or cause: units coded with it, by source, and the dialogue countries where it came up."""

    code: str
    label: str
    dialogue_units: int
    consultation_units: int
    countries: tuple[str, ...]  # dialogue countries

    @property
    def units(self) -> int:
        return self.dialogue_units + self.consultation_units


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    units: int
    jaccard: float
    examples: tuple[int, ...]  # segment ids of units coded with both, best to quote first


def code_counts(data: ReportData, units: Iterable[ReportUnit], kind: str) -> list[CodeCount]:
    """Every top-level code of ``kind`` (group or cause) counted over ``units``, ranked by number of dialogue
    countries, then units, then codebook order."""
    order = data.codebook.ids(kind)
    dialogue, consultation, countries = Counter(), Counter(), defaultdict(set)
    for unit in units:
        for code in _codes(data, unit.segment_id, kind):
            if unit.document_kind == DIALOGUE:
                dialogue[code] += 1
                countries[code].add(unit.country)
            else:
                consultation[code] += 1
    counts = [CodeCount(code, data.code_label(code), dialogue[code], consultation[code],
                        tuple(sorted(countries[code]))) for code in order]
    return sorted(counts, key=lambda c: (-len(c.countries), -c.units, order.index(c.code)))


def share_by_country(data: ReportData, kind: str) -> tuple[list[str], list[str], list[list[float]], list[list[int]]]:
    """(codes, countries, share of each dialogue country's units coded with the code in %, counts)."""
    codes = data.codebook.ids(kind)
    countries = [d.country for d in sorted(data.dialogues, key=lambda d: (d.region, d.country))]
    totals, counts = Counter(), defaultdict(Counter)
    for unit in data.dialogue_units():
        totals[unit.country] += 1
        for code in _codes(data, unit.segment_id, kind):
            counts[unit.country][code] += 1
    matrix = [[counts[c][code] for c in countries] for code in codes]
    shares = [[100 * counts[c][code] / totals[c] if totals[c] else 0.0 for c in countries] for code in codes]
    return codes, countries, shares, matrix


def cooccurrence(data: ReportData) -> tuple[list[str], list[list[int]], list[Pair]]:
    """Groups coded together on the same unit: (codes, symmetric count matrix, pairs strongest first)."""
    codes = data.codebook.ids("group")
    index = {c: i for i, c in enumerate(codes)}
    matrix = [[0] * len(codes) for _ in codes]
    examples: dict[tuple[str, str], list[ReportUnit]] = defaultdict(list)
    for unit in data.units:
        groups = _codes(data, unit.segment_id, "group")
        for code in groups:
            matrix[index[code]][index[code]] += 1
        for a, b in combinations(groups, 2):
            matrix[index[a]][index[b]] += 1
            matrix[index[b]][index[a]] += 1
            examples[(a, b)].append(unit)
    pairs = []
    for (a, b), units in examples.items():
        both = len(units)
        union = matrix[index[a]][index[a]] + matrix[index[b]][index[b]] - both
        pairs.append(Pair(a, b, both, both / union if union else 0.0,
                          tuple(u.segment_id for u in quotable(units)[:10])))
    pairs.sort(key=lambda p: (-p.units, -p.jaccard, index[p.a], index[p.b]))
    return codes, matrix, pairs


def causes_by_group(data: ReportData) -> dict[str, Counter]:
    """For each group, how many of its units carry each cause (all sources)."""
    result: dict[str, Counter] = {g: Counter() for g in data.codebook.ids("group")}
    for unit in data.units:
        labels = data.labels_of(unit.segment_id)
        for group in labels.groups:
            result[group].update(labels.causes)
    return result


@dataclass(frozen=True)
class RegionProfile:
    region: str
    countries: tuple[str, ...]
    units: int
    top: tuple[tuple[str, float], ...]  # (group code, % of the region's units), highest first
    distinctive: tuple[tuple[str, float], ...]  # (group code, ratio of regional to overall share) > 1.25


def regions(data: ReportData, top: int = 3) -> list[RegionProfile]:
    """What each region's dialogues raise most, and more than the others do."""
    units_by_region = defaultdict(list)
    region_of_country = {d.country: d.region for d in data.dialogues}
    for unit in data.dialogue_units():
        units_by_region[region_of_country.get(unit.country, "Other")].append(unit)
    overall = _shares(data, data.dialogue_units())
    result = []
    for region in sorted(units_by_region):
        units = units_by_region[region]
        shares = _shares(data, units)
        ranked = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        lifts = sorted(((c, s / overall[c]) for c, s in shares.items() if overall.get(c) and s >= 2.0),
                       key=lambda kv: (-kv[1], kv[0]))
        countries = tuple(sorted(d.country for d in data.dialogues if d.region == region))
        result.append(RegionProfile(region, countries, len(units), tuple(ranked),
                                    tuple((c, r) for c, r in lifts if r >= 1.25)[:top]))
    return result


def _shares(data: ReportData, units: list[ReportUnit]) -> dict[str, float]:
    counts = Counter(c for u in units for c in _codes(data, u.segment_id, "group"))
    return {code: 100 * n / len(units) for code, n in counts.items()} if units else {}


def quotable(units: Iterable[ReportUnit], ideal: int = 220) -> list[ReportUnit]:
    """Units best suited to quoting first: dialogue before consultation, then close to ``ideal`` characters,
    then by segment id."""
    return sorted(units, key=lambda u: (u.document_kind != DIALOGUE, len(u.text) < 40,
                                        abs(len(u.text) - ideal) // 60, u.segment_id))


def spread(units: Iterable[ReportUnit], n: int, key=lambda u: u.country) -> list[ReportUnit]:
    """Up to ``n`` units in a deterministic shuffled order (by hash of the segment id), one per ``key`` value
    first, so that quotes come from as many countries as there are."""
    ordered = sorted(units, key=lambda u: hashlib.sha1(str(u.segment_id).encode()).hexdigest())
    chosen, seen = [], set()
    for unit in ordered:
        if len(chosen) < n and key(unit) not in seen:
            chosen.append(unit)
            seen.add(key(unit))
    for unit in ordered:
        if len(chosen) < n and unit not in chosen:
            chosen.append(unit)
    return chosen


def voices(data: ReportData, units: Iterable[ReportUnit], n: int) -> list[ReportUnit]:
    """Consultation answers worth quoting: coded, 60 to 260 characters, spread over countries."""
    candidates = [u for u in units if 60 <= len(u.text) <= 260 and data.labels_of(u.segment_id).groups]
    return spread(candidates, n)


def _codes(data: ReportData, segment_id: int, kind: str) -> tuple[str, ...]:
    labels = data.labels_of(segment_id)
    return labels.groups if kind == "group" else labels.causes
