"""The n-grams a search term is looked up by in either database's full-text index."""

from __future__ import annotations


def cover(term: str, n: int) -> list[str]:
    """The n-character pieces that cover a term, without repeats: consecutive pieces from its start,
    then the last n characters when the pieces fall short of its end (行政复议决定, 3 -> 行政复, 议决定;
    行政复议, 3 -> 行政复, 政复议; a term shorter than n is its own piece). Every text that holds the term
    holds them all."""
    out = [term[i : i + n] for i in range(0, len(term) - n + 1, n)]
    if len(term) % n or not out:
        out.append(term[-n:])
    return list(dict.fromkeys(out))
