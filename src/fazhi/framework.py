"""Scoring frameworks as data: load and validate a framework file (YAML).

A framework names its criteria, their points and how each is measured; a user loads their own city's
assessment rules (考评办法) instead of the bundled ``default.v1``::

    id: mycity            # with `version`, the name stored with every score: mycity.v1
    version: 1
    name: 某市法治政府建设年度报告评分办法
    criteria:
      - id: shortcomings
        name: 存在的不足和原因
        max: 10           # points; a report's total is rescaled to 0-100
        kind: element_present
        params: {element: shortcomings}

``kind`` is one of a small closed set of measurement functions (``KINDS``; implemented in
``fazhi.assessment.measures``); ``params`` are checked against that kind's parameter list. Every
problem in a file is reported as one ``FrameworkError`` naming the file, the line and the problem.
A changed framework gets a new version, never an edit in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .models import AREAS, FazhiError
from .settings import DATA_DIR

FRAMEWORK_DIR = DATA_DIR / "frameworks"
DEFAULT_FRAMEWORK = "default.v1"

# The elements a report must contain (2019 督察工作规定); `other` is 其他需要报告的情况.
REQUIRED_ELEMENTS = ("achievements", "shortcomings", "principal_duty", "plan", "other")
# The ten areas of the national outline (2021-2025) that coverage is measured on.
OUTLINE_AREAS = tuple(a for a in AREAS if a != "other")
# The measurable signals of an element's substance (see fazhi.assessment.elements).
SIGNALS = (
    "problems",
    "specific_problems",
    "reasons",
    "numbers",
    "commitments",
    "targets",
    "deadlines",
    "acts",
    "chars",
)


class FrameworkError(FazhiError):
    """A framework file that cannot be used: ``FILE:LINE: problem``."""


@dataclass(frozen=True)
class Param:
    """One parameter of a criterion kind."""

    name: str
    types: tuple[type, ...]
    required: bool = True
    choices: tuple[str, ...] = ()
    low: float | None = None  # inclusive bounds for numbers
    high: float | None = None
    help: str = ""


_NUM = (int, float)
_SHARE = {"low": 0.0, "high": 1.0}

# kind -> its parameters. The measurement functions themselves live in fazhi.assessment.measures
# (a dict name -> function with exactly these keys; a test checks they agree).
KINDS: dict[str, tuple[Param, ...]] = {
    "element_present": (
        Param("element", (str,), choices=REQUIRED_ELEMENTS, help="which required element"),
        Param(
            "embedded_share",
            _NUM,
            required=False,
            **_SHARE,
            help="share of the points when the element has no part of its own (only sentences inside another part); default 1",
        ),
    ),
    "element_signals": (
        Param("element", (str,), choices=REQUIRED_ELEMENTS, help="which required element"),
        Param(
            "signals",
            (list,),
            help="list of {signal, min, share}: `share` of the points once `min` is reached, pro rata below",
        ),
    ),
    "area_coverage": (
        Param("basis", (str,), choices=("text", "facts"), help="share of text or count of facts per area"),
        Param("min_share", _NUM, required=False, **_SHARE, help="text basis: an area counts from this share"),
        Param(
            "min_facts",
            (int,),
            required=False,
            low=1,
            help="facts basis: an area counts from this many facts",
        ),
        Param("areas", (list,), required=False, help="area ids measured; default the ten outline areas"),
    ),
    "fact_density": (
        Param("full_at", _NUM, low=0.001, help="facts per thousand characters that earn all points"),
    ),
    "indicator_share": (
        Param("indicators", (list, str), help="indicator ids, or `all` for the whole catalogue"),
        Param(
            "full_at",
            _NUM,
            low=0.001,
            high=1.0,
            help="share of the indicators reported that earns all points",
        ),
    ),
    "indicator_reference": (
        Param("indicator", (str,), help="indicator id (data/indicators.yaml)"),
        Param("direction", (str,), choices=("higher", "lower"), help="higher or lower is better"),
        Param("reference", _NUM, help="reference level: at or beyond it, all points"),
        Param("zero_at", _NUM, help="at or beyond this level the other way, no points; linear between"),
        Param("kind", (str,), required=False, help="only facts of this kind (e.g. rate)"),
        Param("unit", (str,), required=False, help="only facts in this unit (e.g. %)"),
        Param("missing_share", _NUM, required=False, **_SHARE, help="share of the points when not reported"),
        Param("source", (str,), required=False, help="where the reference level comes from"),
    ),
    "timeliness": (
        Param("late_share", _NUM, required=False, **_SHARE, help="share of the points when published late"),
        Param(
            "unknown_share", _NUM, required=False, **_SHARE, help="share of the points when no date is known"
        ),
    ),
}

_TOP_FIELDS = {"id": (str,), "version": (int,), "name": (str,), "description": (str,), "criteria": (list,)}
_TOP_REQUIRED = ("id", "version", "name", "criteria")
_CRITERION_FIELDS = {
    "id": (str,),
    "name": (str,),
    "max": _NUM,
    "kind": (str,),
    "params": (dict,),
    "group": (str,),
    "description": (str,),
}
_CRITERION_REQUIRED = ("id", "name", "max", "kind")
_SIGNAL_FIELDS = {"signal": (str,), "min": _NUM, "share": _NUM}


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str  # Chinese, shown to users
    max: float  # points
    kind: str  # a key of KINDS
    params: Mapping[str, Any] = field(default_factory=dict)
    group: str = ""  # display group (Chinese), e.g. 报告要素
    description: str = ""


@dataclass(frozen=True)
class Framework:
    id: str
    version: int
    name: str
    criteria: tuple[Criterion, ...]
    description: str = ""
    source: str = ""  # the file it was read from

    @property
    def key(self) -> str:
        """The name stored with every score, e.g. ``default.v1``."""
        return f"{self.id}.v{self.version}"

    @property
    def total(self) -> float:
        return sum(c.max for c in self.criteria)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "key": self.key,
            "name": self.name,
            "description": self.description,
            "criteria": [
                {
                    "id": c.id,
                    "name": c.name,
                    "max": c.max,
                    "kind": c.kind,
                    "params": dict(c.params),
                    "group": c.group,
                    "description": c.description,
                }
                for c in self.criteria
            ],
        }


# -- reading with line numbers ---------------------------------------------------------------------


class _Map(dict):
    """A YAML mapping that remembers its line and the line of each key (1-based)."""

    line = 0
    lines: dict[Any, int]


class _Seq(list):
    line = 0
    lines: list[int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    out = _Map()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise _Problem(key_node.start_mark.line + 1, f"key {key!r} is not a string")
        if key in out:
            raise _Problem(key_node.start_mark.line + 1, f"duplicate key `{key}`")
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    out = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


class _Problem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _type_name(types: tuple[type, ...]) -> str:
    names = {int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a mapping"}
    if set(types) == {int, float}:
        return "a number"
    return " or ".join(names.get(t, t.__name__) for t in types)


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _is(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool):  # YAML `yes`/`true` is not a number
        return False
    return isinstance(value, types)


def _fields(
    m: Any, line: int, what: str, allowed: dict[str, tuple[type, ...]], required: tuple[str, ...]
) -> None:
    if not isinstance(m, dict):
        raise _Problem(line, f"{what} must be a mapping, got {_kind_of(m)}")
    lines = getattr(m, "lines", {})
    for key in m:
        if key not in allowed:
            raise _Problem(
                lines.get(key, line), f"{what}: unknown field `{key}` (allowed: {', '.join(allowed)})"
            )
    for key in required:
        if key not in m or m[key] is None:
            raise _Problem(getattr(m, "line", line), f"{what}: missing field `{key}`")
    for key, value in m.items():
        if value is not None and not _is(value, allowed[key]):
            raise _Problem(
                lines.get(key, line),
                f"{what}: `{key}` must be {_type_name(allowed[key])}, got {value!r}",
            )


def _check_param(p: Param, value: Any, line: int, what: str) -> None:
    if not _is(value, p.types):
        raise _Problem(line, f"{what}: parameter `{p.name}` must be {_type_name(p.types)}, got {value!r}")
    if p.choices and value not in p.choices:
        raise _Problem(
            line, f"{what}: parameter `{p.name}` is {value!r}; expected one of {', '.join(p.choices)}"
        )
    if isinstance(value, (int, float)):
        if p.low is not None and value < p.low:
            raise _Problem(line, f"{what}: parameter `{p.name}` is {value}; it must be at least {p.low:g}")
        if p.high is not None and value > p.high:
            raise _Problem(line, f"{what}: parameter `{p.name}` is {value}; it must be at most {p.high:g}")


def _check_signals(signals: list, line: int, what: str) -> None:
    lines = getattr(signals, "lines", [])
    if not signals:
        raise _Problem(line, f"{what}: `signals` is empty")
    total = 0.0
    for k, item in enumerate(signals):
        item_line = lines[k] if k < len(lines) else line
        _fields(item, item_line, f"{what}, signal {k + 1}", _SIGNAL_FIELDS, ("signal", "min", "share"))
        il = getattr(item, "lines", {})
        if item["signal"] not in SIGNALS:
            raise _Problem(
                il.get("signal", item_line),
                f"{what}: unknown signal {item['signal']!r}; expected one of {', '.join(SIGNALS)}",
            )
        if item["min"] <= 0:
            raise _Problem(il.get("min", item_line), f"{what}: signal `min` must be above 0")
        if not 0 < item["share"] <= 1:
            raise _Problem(il.get("share", item_line), f"{what}: signal `share` must be in (0, 1]")
        total += item["share"]
    if total > 1 + 1e-9:
        raise _Problem(line, f"{what}: the signals' shares add up to {total:g}; at most 1")


def _check_criterion(c: Any, line: int, known_indicators: frozenset[str] | None) -> Criterion:
    named = isinstance(c, dict) and isinstance(c.get("id"), str)
    what = f"criterion `{c['id']}`" if named else "criterion"
    _fields(c, line, what, _CRITERION_FIELDS, _CRITERION_REQUIRED)
    lines = c.lines
    if c["max"] <= 0:
        raise _Problem(lines["max"], f"{what}: `max` must be above 0, got {c['max']!r}")
    if c["kind"] not in KINDS:
        raise _Problem(
            lines["kind"], f"{what}: unknown kind {c['kind']!r}; expected one of {', '.join(KINDS)}"
        )
    params = c.get("params") or _Map()
    pline = lines.get("params", line)
    plines = getattr(params, "lines", {})
    spec = {p.name: p for p in KINDS[c["kind"]]}
    for name in params:
        if name not in spec:
            raise _Problem(
                plines.get(name, pline),
                f"{what}: unknown parameter `{name}` for kind {c['kind']} (allowed: {', '.join(spec)})",
            )
    for p in spec.values():
        if p.name not in params or params[p.name] is None:
            if p.required:
                raise _Problem(pline, f"{what}: missing parameter `{p.name}` ({p.help})")
            continue
        _check_param(p, params[p.name], plines.get(p.name, pline), what)
    if c["kind"] == "element_signals":
        _check_signals(params["signals"], plines.get("signals", pline), what)
    if c["kind"] == "area_coverage" and "areas" in params:
        for k, area in enumerate(params["areas"]):
            if area not in OUTLINE_AREAS:
                raise _Problem(
                    params["areas"].lines[k],
                    f"{what}: unknown area {area!r}; expected one of {', '.join(OUTLINE_AREAS)}",
                )
    if (
        c["kind"] == "indicator_share"
        and isinstance(params["indicators"], str)
        and params["indicators"] != "all"
    ):
        raise _Problem(plines["indicators"], f"{what}: `indicators` must be a list of ids or `all`")
    if known_indicators is not None:
        ids: list[tuple[str, int]] = []
        if c["kind"] == "indicator_reference":
            ids = [(params["indicator"], plines["indicator"])]
        elif c["kind"] == "indicator_share" and isinstance(params["indicators"], list):
            ids = list(zip(params["indicators"], params["indicators"].lines, strict=True))
        for ind, ind_line in ids:
            if ind not in known_indicators:
                raise _Problem(ind_line, f"{what}: unknown indicator {ind!r} (not in data/indicators.yaml)")
    if c["kind"] == "indicator_reference":
        ref, zero = params["reference"], params["zero_at"]
        if (params["direction"] == "higher" and zero >= ref) or (
            params["direction"] == "lower" and zero <= ref
        ):
            raise _Problem(
                plines["zero_at"],
                f"{what}: `zero_at` {zero:g} must lie on the worse side of `reference` {ref:g} "
                f"(direction {params['direction']})",
            )
    return Criterion(
        id=c["id"],
        name=c["name"],
        max=float(c["max"]),
        kind=c["kind"],
        params=_plain(params),
        group=c.get("group") or "",
        description=c.get("description") or "",
    )


def _plain(value: Any) -> Any:
    """Strip the line-number containers (plain dicts and lists for the rest of the program)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def parse_framework(
    text: str, source: str = "<framework>", known_indicators: frozenset[str] | None = None
) -> Framework:
    """A Framework from YAML text; ``FrameworkError("SOURCE:LINE: problem")`` when it is not usable."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except _Problem as exc:
        raise FrameworkError(f"{source}:{exc.line}: {exc.message}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise FrameworkError(f"{source}:{line}: YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise FrameworkError(f"{source}:1: YAML error: {exc}") from None
    try:
        return _build(data, source, known_indicators)
    except _Problem as exc:
        raise FrameworkError(f"{source}:{exc.line}: {exc.message}") from None


def _build(data: Any, source: str, known_indicators: frozenset[str] | None) -> Framework:
    if data is None:
        raise _Problem(1, "the file is empty")
    _fields(data, 1, "framework", _TOP_FIELDS, _TOP_REQUIRED)
    lines = data.lines
    if not data["criteria"]:
        raise _Problem(lines["criteria"], "framework: `criteria` is empty")
    criteria: list[Criterion] = []
    seen: dict[str, int] = {}
    for k, c in enumerate(data["criteria"]):
        line = data["criteria"].lines[k]
        crit = _check_criterion(c, line, known_indicators)
        if crit.id in seen:
            raise _Problem(line, f"duplicate criterion id `{crit.id}` (first on line {seen[crit.id]})")
        seen[crit.id] = line
        criteria.append(crit)
    if data["version"] < 1:
        raise _Problem(lines["version"], "framework: `version` must be 1 or more")
    return Framework(
        id=data["id"],
        version=data["version"],
        name=data["name"],
        criteria=tuple(criteria),
        description=data.get("description") or "",
        source=source,
    )


def _known_indicators() -> frozenset[str] | None:
    """Ids of the key-indicator catalogue (data/indicators.yaml), or None when it is not there."""
    path = DATA_DIR / "indicators.yaml"
    if not path.exists():
        return None
    from .assessment.catalogue import indicator_names

    return frozenset(indicator_names())


def load_framework(path: str | Path | None = None) -> Framework:
    """A framework from a YAML file; ``None`` (or a bundled name such as ``default.v1``) is bundled.

    Raises ``FrameworkError`` with ``FILE:LINE: problem`` for a missing, unreadable or invalid file.
    """
    if path is None:
        return _bundled(DEFAULT_FRAMEWORK)
    p = Path(path)
    if not p.exists() and (FRAMEWORK_DIR / f"{path}.yaml").is_file():
        return _bundled(str(path))
    return _read(p)


@lru_cache(maxsize=8)
def _bundled(name: str) -> Framework:
    return _read(FRAMEWORK_DIR / f"{name}.yaml")


def _read(p: Path) -> Framework:
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise FrameworkError(f"{p}: no such framework file") from None
    except OSError as exc:
        raise FrameworkError(f"{p}: cannot read framework file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FrameworkError(f"{p}:{line}: not UTF-8 text") from None
    return parse_framework(text, str(p), _known_indicators())
