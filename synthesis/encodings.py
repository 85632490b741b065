"""Which Unicode encoding other than UTF-8 a text file declares by its byte-order mark (Notepad's and Word's
"Unicode text" is UTF-16)."""

from __future__ import annotations

import codecs

# the UTF-32 marks first, as UTF-32 LE's begins with UTF-16 LE's
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def bom_encoding(data: bytes) -> str | None:
    """"utf-16" or "utf-32" when ``data`` begins with that encoding's byte-order mark, else None."""
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)
