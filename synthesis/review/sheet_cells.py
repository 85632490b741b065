"""Reading and writing the cells of the offline review sheet (``sheets``): text as a worksheet can hold it, the marks
reviewers put in `reviewed`, and the codes they type in `groups` and `causes`."""

from __future__ import annotations

import difflib
import re
import unicodedata

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from synthesis.coding.codebook import Code

MAX_CELL = 32767  # Excel's limit: it cuts a longer cell when it opens the sheet
# the ways people mark a row done in English, Spanish and French, compared without case, spaces or a final "." or "!"
DONE = {"yes", "y", "x", "1", "true", "done", "ok", "okay", "reviewed", "checked", "✓", "✔", "☑", "✅",
        "oui", "fait", "vu", "révisé", "revu", "sí", "si", "hecho", "listo", "revisado"}
NOT_DONE = {"", "no", "n", "0", "false", "non", "not yet", "todo", "to do", "pending", "later", "-"}
_SCORE = re.compile(r"\(\s*\d*[.,]?\d+\s*\)\s*$")  # "children (0.96)", as model_groups shows a code


def cell_text(text: str) -> str:
    """``text`` as a worksheet can hold it: without the control characters openpyxl refuses (text pasted into surveys
    or pulled out of PDFs has them), and no longer than Excel keeps."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL]


def same_text(cell: str, stored: str) -> bool:
    """Whether a sheet's `text` cell shows the stored segment text: compared as exported (``cell_text``), whatever
    line breaks, spaces or Unicode composition the spreadsheet program wrote back."""
    def comparable(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", ILLEGAL_CHARACTERS_RE.sub("", text)).split())
    return comparable(cell) == comparable(cell_text(stored))


def reviewed_mark(value) -> bool | None:
    """True for a row marked done, False for one left open (empty, "no"), None for a mark that says neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    written = "" if value is None else str(value).replace("\ufe0f", "")  # emoji keyboards add U+FE0F: "✔️"
    mark = unicodedata.normalize("NFC", written).casefold().strip().rstrip(".!").strip()
    mark = " ".join(mark.split())
    return True if mark in DONE else False if mark in NOT_DONE else None


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


class CodeReader:
    """Reads a `groups` or `causes` cell: code ids or labels of the codebook in any case, separated by commas,
    semicolons or line breaks (or spaces between ids); a score copied from the model's columns is ignored."""

    def __init__(self, codes: list[Code]):
        self.kinds = {code.id: code.kind for code in codes}
        self.ids = {_key(code.id): code.id for code in codes}
        labels: dict[str, set[str]] = {}
        for code in codes:
            labels.setdefault(_key(code.label), set()).add(code.id)
        self.labels = {name: ids for name, ids in labels.items() if name not in self.ids}  # an id wins over a label

    def read(self, value: str, kind: str) -> tuple[list[str], str | None]:
        """The sorted code ids of a cell of codes of ``kind``, or the reason it cannot be read."""
        found: set[str] = set()
        for piece in self._pieces(value):
            key = _key(piece)
            if key in self.ids:
                named = [self.ids[key]]
            elif key in self.labels:
                named = sorted(self.labels[key])
                if len(named) > 1:  # a label a group and a cause share names the one of this column
                    named = [c for c in named if self.kinds[c] == kind] or named
                if len(named) > 1:
                    return [], f"{kind}s: {piece!r} is the label of {', '.join(named)}; write the code id"
            elif len(key.split()) > 1 and all(word in self.ids for word in key.split()):
                named = [self.ids[word] for word in key.split()]  # "disability youth": ids between spaces
            else:
                return [], self._unknown(piece, key, kind, value)
            wrong = [c for c in named if self.kinds[c] != kind]
            if wrong:
                other = self.kinds[wrong[0]]
                return [], f"{kind}s: {wrong[0]} is a {other} code; put it in the {other}s column"
            found.update(named)
        return sorted(found), None

    def _pieces(self, value: str) -> list[str]:
        """The names in a cell, split at commas, semicolons and line breaks except inside a label with a comma
        ("Refugees, displaced people and migrants")."""
        parts = [" ".join(_SCORE.sub("", part).split()) for part in re.split(r"[,;\n\r]+", value)]
        pieces, start = [], 0
        while start < len(parts):
            end = next((end for end in range(min(len(parts), start + 5), start + 1, -1)
                        if _key(", ".join(parts[start:end])) in self.labels), start + 1)
            pieces.append(", ".join(parts[start:end]))
            start = end
        return [piece for piece in pieces if piece]

    def _unknown(self, piece: str, key: str, kind: str, value: str) -> str:
        choices = {name: code for name, code in self.ids.items() if self.kinds[code] == kind}
        choices.update({name: min(ids) for name, ids in self.labels.items() if self.kinds[min(ids)] == kind})
        close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.75)
        hint = f" (did you mean {choices[close[0]]}?)" if close else " (see the codes sheet)"
        where = "" if piece == " ".join(value.split()) else f" (in {' '.join(value.split())!r})"
        return f"{kind}s: {piece!r}{where} is not a {kind} code or label of the codebook{hint}"
