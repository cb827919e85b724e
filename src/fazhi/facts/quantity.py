"""``parse_quantity``: one quantity expression, as a user or another stage writes it, -> ``Quantity``."""

from __future__ import annotations

from ..models import Quantity
from .changes import change_sign
from .extract import candidates


def parse_quantity(s: str) -> Quantity | None:
    """Read one quantity expression: ``"17.5万件"`` -> 175000 件; ``"八成以上"`` -> 80 % over;
    ``"同比下降4.44%"`` -> -4.44 % change; ``"第八名"`` -> 8 rank. None when ``s`` holds no quantity
    (or only a date, a year or a number inside a name). Never raises."""
    if not isinstance(s, str):
        return None
    text = s.strip()
    if not text or len(text) > 200:
        return None
    found = candidates(text, strict=False)
    if not found:
        return None
    c = found[0]
    kind, value, high = c.kind, c.value, c.high
    if kind != "rank":
        sign = change_sign(text, 0, c.pre_start, c.unit, 0)
        if sign:
            kind, value = "change", sign * value
            high = sign * high if high is not None else None
    return Quantity(value=value, unit=c.unit, approx=c.approx, kind=kind, high=high)
