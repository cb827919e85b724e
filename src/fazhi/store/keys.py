"""The keys of PostgreSQL's full-text index: integers made from the characters of the text.

A sentence's keys are its pairs of adjacent characters, each a 4-byte integer (the first character's
code in the high half, the second's in the low); a report's are its characters. Only letters, digits
and Han characters count: a pair with a space, a punctuation mark or a symbol in it is no key (nobody
looks for 件， or %。, and they were a fifth of all pairs), and neither is such a character.

The store computes the keys when it writes (``fazhi.store.postgres``), a whole write batch at a time
with numpy, and search computes those of its terms with the same functions, so both sides agree. The
server then only indexes integers: sorting and comparing them costs a fraction of what text keys did
(migration 0008 says how much).

Both sides fold case first (``fold``), keeping the text's length, so that keys stay aligned with the
characters. A character beyond the Basic Multilingual Plane is keyed by its low 16 bits: it shares
keys with another character, which only lets a few more sentences through to the exact check
(``strpos``) that every search makes.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .ngrams import cover

SEPARATOR = "\n"  # between texts keyed together: not a letter, so no pair crosses it


@cache
def _alnum() -> np.ndarray:
    """For every code of the Basic Multilingual Plane: does a letter, digit or Han character have it?"""
    return np.array([chr(i).isalnum() for i in range(0x10000)], dtype=bool)


def fold(text: str) -> str:
    """The text with the case of its letters folded, of the same length (a letter whose lower case is
    longer, such as İ, stays as it is)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(lc if len(lc := c.lower()) == 1 else c for c in text)


def _codes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The folded text's characters as 16-bit codes, and which of them are letters, digits or Han (a
    character beyond the Basic Multilingual Plane always is: most there are Han)."""
    full = np.frombuffer(fold(text).encode("utf-32-le"), dtype="<u4")
    codes = full & 0xFFFF
    return codes, _alnum()[codes] | (full > 0xFFFF)


def _pairs(codes: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The key of each pair of adjacent characters, and whether it is one (both characters count)."""
    keys = ((codes[:-1] << 16) | codes[1:]).view(np.int32)  # uint32 codes: int4 reads the same bits
    return keys, ok[:-1] & ok[1:]


def literal(keys: np.ndarray) -> str:
    """Keys as an array literal, as COPY and INSERT take it for an int4[] column."""
    return "{" + str(keys.tolist())[1:-1] + "}"


def sentence_keys(texts: list[str]) -> list[str]:
    """The pair keys of each text (array literals), computed for all of them together."""
    if not texts:
        return []
    codes, ok = _codes(SEPARATOR.join(texts))
    keys, use = _pairs(codes, ok)
    out = []
    at = 0
    for t in texts:
        end = at + len(t) - 1  # the pairs that start in t and end in it
        if end > at:
            out.append(literal(keys[at:end][use[at:end]]))
        else:
            out.append("{}")
        at += len(t) + len(SEPARATOR)
    return out


def char_keys(text: str) -> str:
    """The keys of a report's characters (an array literal)."""
    codes, ok = _codes(text)
    return literal(np.unique(codes[ok]).astype(np.int32))


def term_keys(terms: list[str]) -> tuple[list[int], list[int]]:
    """The keys a sentence must have to hold every term: the pairs that cover each run of 2 or more
    letters, digits or Han characters in a term (行政复议 -> 行政 + 复议); and the characters of the terms
    that have no such run (a term of 1 character, or one such as A-1), which its report must have. A
    term of punctuation only has neither: nothing in the index can find it. (Keyed by ``_codes`` and
    ``_pairs``, as stored text is.)"""
    pairs: list[int] = []
    chars: list[int] = []
    for term in terms:
        folded = fold(term)
        _, ok = _codes(folded)
        runs = "".join(ch if good else " " for ch, good in zip(folded, ok.tolist(), strict=True)).split()
        long = [run for run in runs if len(run) >= 2]
        for run in long:
            pairs.extend(int(_pairs(*_codes(piece))[0][0]) for piece in cover(run, 2))
        if not long:
            chars.extend(_codes("".join(runs))[0].tolist())
    return list(dict.fromkeys(pairs)), list(dict.fromkeys(chars))
