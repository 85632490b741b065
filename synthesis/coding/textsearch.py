"""A batch of texts searched as one string: which texts hold a word at all.

Most texts hold none of the rare words a closer look needs (a digit for a stated age, "discuss" for a rapporteur's
note), and one ``str.find`` over the whole batch is far cheaper than a test per text.
"""

from __future__ import annotations

import bisect


class TextBatch:
    def __init__(self, texts: list[str]):
        self.texts = texts
        self.joined = "\n".join(texts)
        self.starts, at = [], 0  # each text's offset in ``joined``
        for text in texts:
            self.starts.append(at)
            at += len(text) + 1

    def lower(self) -> TextBatch:
        """The batch lower-cased (with the same offsets where no character's lower case is longer, as almost
        always)."""
        lowered = TextBatch.__new__(TextBatch)
        lowered.joined = self.joined.lower()
        if len(lowered.joined) != len(self.joined):  # "İ" is "i̇": each text lower-cased on its own
            return TextBatch([text.lower() for text in self.texts])
        lowered.texts, lowered.starts = None, self.starts
        return lowered

    def holding(self, word: str) -> set[int]:
        """The positions of the texts in which ``word`` occurs (as written: lower-case the texts for any case)."""
        found, starts = set(), self.starts
        at = self.joined.find(word)
        while at != -1:
            text = bisect.bisect_right(starts, at) - 1
            found.add(text)
            # on to the next text: one occurrence is enough
            at = self.joined.find(word, starts[text + 1]) if text + 1 < len(starts) else -1
        return found

    def holding_any(self, words) -> set[int]:
        return set().union(*(self.holding(word) for word in words))
