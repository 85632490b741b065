"""The evidence index: one JSON line per quote printed in any report (``reports/evidence.jsonl``).

Fields: ``quote_id``, ``text`` (as printed), ``source_file`` (relative to the corpus folder), ``start``/``end``
(character offsets into the document's stored text, the text the segments index), ``country``, ``segment_id``,
``redacted``, and for checking and tracing: ``document_id``, ``paragraph_index`` (0-based block index),
``language``, ``redactions`` (``[start, end, mark]`` offsets of removed personal data) and ``reports``; a consultation
answer's also ``respondent`` (its id in the export), ``row`` (its row there, as a spreadsheet numbers it) and ``question``.
"""

from __future__ import annotations

import json
from pathlib import Path

from synthesis.report.quotes import PrintedQuote


class EvidenceLog:
    """Collects the quotes each report prints."""

    def __init__(self) -> None:
        self._quotes: dict[str, PrintedQuote] = {}
        self._reports: dict[str, set[str]] = {}

    def add(self, report: str, quotes) -> None:
        for quote in quotes:
            self._quotes.setdefault(quote.quote_id, quote)
            self._reports.setdefault(quote.quote_id, set()).add(report)

    def rows(self, previous: Path | None = None) -> list[dict]:
        """Evidence rows, quote id order. With ``previous`` (an evidence file written before), rows of reports
        not rebuilt this time are kept, so rebuilding one country profile does not lose the others' quotes."""
        rows = {qid: _row(q, sorted(self._reports[qid])) for qid, q in self._quotes.items()}
        rebuilt = set().union(*self._reports.values()) if self._reports else set()
        for old in _read(previous):
            kept = [r for r in old.get("reports", []) if r not in rebuilt]
            if not kept:
                continue
            if old["quote_id"] in rows:
                rows[old["quote_id"]]["reports"] = sorted(set(rows[old["quote_id"]]["reports"]) | set(kept))
            else:
                rows[old["quote_id"]] = {**old, "reports": kept}
        return [rows[k] for k in sorted(rows, key=lambda k: _order((k, None)))]

    def __len__(self) -> int:
        return len(self._quotes)

    @property
    def redacted(self) -> int:
        return sum(1 for q in self._quotes.values() if q.redacted)


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n" for row in rows),
                    encoding="utf-8")


def _row(quote: PrintedQuote, reports: list[str]) -> dict:
    return {
        "quote_id": quote.quote_id, "text": quote.text, "source_file": quote.source_file,
        "start": quote.start, "end": quote.end, "country": quote.country, "segment_id": quote.segment_id,
        "redacted": quote.redacted, "document_id": quote.document_id, "paragraph_index": quote.paragraph_index,
        "language": quote.language, "redactions": [[r.start, r.end, r.mark] for r in quote.redactions],
        "reports": reports,
        **({"respondent": quote.respondent, "row": quote.row, "question": quote.question}
           if quote.respondent or quote.row is not None else {}),
    }


def _order(item) -> tuple[int, str]:
    quote_id = item[0]
    return (int(quote_id[1:]) if quote_id[1:].isdigit() else 0, quote_id)


def _read(path: Path | None) -> list[dict]:
    if path is None or not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and "quote_id" in row:
            rows.append(row)
    return rows
