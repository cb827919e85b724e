"""Every data file of the facts stage checked against its schema."""

import re

import pytest

from fazhi.areas import area_table, item_lead_re
from fazhi.facts.changes import cues
from fazhi.facts.exclusions import rules as exclusion_rules
from fazhi.facts.indicators import catalogue, match_indicator
from fazhi.facts.numbers import numeral_table
from fazhi.facts.subjects import rules as subject_rules
from fazhi.facts.units import qualifier_table, unit_table
from fazhi.models import APPROX, AREAS, KINDS
from fazhi.resources import load_tsv, load_yaml

UNIT_KINDS = {"count", "money", "rate", "duration", "other"}


def test_indicator_catalogue_schema():
    cat = catalogue()
    assert 40 <= len(cat) <= 60
    ids = [i.id for i in cat]
    assert len(ids) == len(set(ids)), "duplicate indicator ids"
    known_units = {u.canonical for u in unit_table().values()} | {"rank"}
    for ind in cat:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", ind.id), ind.id
        assert re.search(r"[\u4e00-\u9fff]", ind.name), ind.id
        assert ind.area in AREAS and ind.area != "other", ind.id
        assert ind.units and set(ind.units) <= known_units, (ind.id, set(ind.units) - known_units)
        assert ind.higher_is_better in (True, False, None), ind.id
        assert ind.variants and all(v.strip() and "…" not in (v[0], v[-1]) for v in ind.variants), ind.id


def test_every_area_has_indicators():
    covered = {i.area for i in catalogue()}
    assert covered >= set(AREAS) - {"other"}


def test_brief_catalogue_ids_present():
    brief = {
        "power_list_items", "licensing_items", "notify_commit_items", "online_service_rate",
        "certificates_cancelled", "regs_enacted", "normdoc_reviewed", "normdoc_filed", "normdoc_filing_rate",
        "normdoc_cleanup", "major_decision_catalog", "major_decision_legal_review", "legal_review_contracts",
        "legal_advisors", "exec_meeting_law_study", "leader_shufa", "law_topics_meetings",
        "enforcement_three_systems", "legal_review_major_enforcement", "penalty_cases", "penalty_amount",
        "inspections", "enforcement_staff", "enforcement_training", "case_file_review", "discretion_benchmarks",
        "emergency_plans", "recon_received", "recon_closed", "recon_correction_rate", "recon_mediation",
        "litigation_cases", "litigation_loss_rate", "leader_appearance_rate", "judicial_suggestions",
        "mediation_disputes", "people_mediation", "admin_mediation", "petitions", "legal_aid", "gio_proactive",
        "gio_requests", "gio_recon_litigation", "npc_cppcc_handled", "hotline_12345", "satisfaction",
    }  # fmt: skip
    assert brief <= {i.id for i in catalogue()}


@pytest.mark.parametrize("ind", catalogue(), ids=lambda i: i.id)
def test_each_indicator_is_reachable(ind):
    """Each indicator's first variant, as a subject in its first unit, matches that indicator."""
    subject = ind.variants[0].replace("…", "")
    kind = "rank" if ind.units[0] == "rank" else "count"
    got = match_indicator(subject, ind.units[0], kind)
    assert got is not None
    assert catalogue()[[i.id for i in catalogue()].index(got)].area in AREAS


def test_areas_schema():
    data = load_yaml("areas.yaml")
    ids = [a["id"] for a in data["areas"]]
    assert ids == list(AREAS)
    for a in area_table():
        assert a.name
        if a.id != "other":
            assert a.chapters, a.id
            assert len(a.cues) >= 10, a.id
            assert all(0 < w <= 3 for _, w in a.cues), a.id
    cues_seen = {}
    for a in area_table():
        for cue, _ in a.cues:
            assert cue not in cues_seen or cues_seen[cue] != a.id
            cues_seen[cue] = a.id
    item_lead_re()  # compiles


def test_units_schema():
    rows = load_tsv("units.tsv")
    assert len({r["unit"] for r in rows}) == len(rows)
    for u in unit_table().values():
        assert u.kind in UNIT_KINDS, u
        assert u.factor > 0
        assert u.canonical
    assert "万元" not in unit_table() and "万" not in unit_table()


def test_numerals_schema():
    table = numeral_table()
    assert {n.role for n in table.values()} == {"digit", "unit", "big", "group"}
    assert all(0 <= n.value <= 9 for n in table.values() if n.role == "digit")
    assert {table[c].value for c in "零一二三四五六七八九"} == set(range(10))


def test_qualifiers_schema():
    q = qualifier_table()
    assert set(q) == {"before", "inside", "after", "magnitude"}
    for words in q.values():
        assert set(words.values()) <= set(APPROX) - {"none"}
    assert q["inside"] == {"余": "over", "多": "over"}


def test_changes_schema():
    for c in cues().values():
        assert c.sign in (-1, 0, 1)
        assert c.when in ("always", "rate_or_yoy", "after_yoy", "never")
        assert (c.sign == 0) == (c.when == "never")


def test_exclusions_schema():
    rs = exclusion_rules()
    assert len(rs) >= 30
    for r in rs:
        assert r.scope in ("span", "before", "after", "bare"), r
        assert r.note, r
        if r.scope == "span":
            assert r.starts, r.regex.pattern
            re.compile(f"[{r.starts}]")
        if r.scope == "before":
            assert r.regex.pattern.endswith("$"), r.regex.pattern
        if r.unit != "*":
            assert r.unit in {u.canonical for u in unit_table().values()}


def test_subjects_and_ranks_schema():
    r = subject_rules()
    assert r.max_len > r.max_verb_len > 0
    assert r.level_markers
    ranks = load_yaml("ranks.yaml")
    assert ranks["ordinal"] == "第" and ranks["suffixes"]
    for w in ranks["words"]:
        re.compile(w["pattern"])
        assert w["starts"] and int(w["value"]) >= 1


def test_kinds_and_approx_constants_cover_outputs():
    assert {"count", "money", "rate", "rank", "change", "duration", "other"} == set(KINDS)
