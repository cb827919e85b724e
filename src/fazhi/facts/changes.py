"""Changes: a number after a cue such as 下降, 减少, 同比提高 is a signed change (Fact.kind "change").

Cues and when they apply are in ``data/changes.tsv``; year-on-year markers and level markers
(下降至 means "down to", not "down by") are in ``data/subjects.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_tsv
from .subjects import rules as subject_rules
from .units import alternation

# Units for which an increase cue alone (提高, 增加) marks a change.
RELATIVE_UNITS = ("%", "百分点", "倍", "‰")
# Units of a difference: a number in them is a change even with no cue (高出2个百分点).
DIFFERENCE_UNITS = ("百分点",)


@dataclass(frozen=True)
class Cue:
    word: str
    sign: int
    when: str  # always, rate_or_yoy, never


@lru_cache(maxsize=1)
def cues() -> dict[str, Cue]:
    return {r["cue"]: Cue(r["cue"], int(r["sign"]), r["when"]) for r in load_tsv("changes.tsv")}


@lru_cache(maxsize=1)
def cue_re() -> re.Pattern[str]:
    return re.compile(alternation(list(cues())))


def change_sign(text: str, clause_start: int, pre_start: int, unit: str, blocked_until: int) -> int:
    """The sign (+1/-1) of the change the number at ``pre_start`` states, or 0 when it states none.

    ``blocked_until``: the end of the last quantity before this one in the clause; a cue before it
    belongs to that quantity, not to this one. The nearest cue that applies decides (a 多 not right
    after 比上年 is another word's character: 多元, 许多).
    """
    r = subject_rules()
    lo = max(clause_start, pre_start - r.max_cue_distance, blocked_until)
    if lo >= pre_start:
        return 0
    table = cues()
    for m in reversed(list(cue_re().finditer(text, lo, pre_start))):
        cue = table[m.group()]
        if cue.when == "after_yoy":
            marker = r.yoy.search(text, max(clause_start, m.start() - 8), m.start())
            if marker is None or marker.end() != m.start():
                continue
        if cue.when == "never" or cue.sign == 0:
            return 0
        between = text[m.end() : pre_start].strip()
        if between and (between[-1] in r.level_markers or between[0] in r.level_markers):
            return 0  # 下降至, 提高到, 压缩至法定时限的 30%: a level, not a change
        # a year-on-year marker anywhere before the cue in the clause: 分别比上年减少12件和增加9件
        relative = unit in RELATIVE_UNITS or r.yoy.search(text, clause_start, pre_start)
        if cue.when == "rate_or_yoy" and not relative:
            return 0  # 增加3个窗口: an added stock, not a change
        return cue.sign
    return 0
