"""data/labels.yaml gives a Chinese word to every value of the models' vocabularies."""

from __future__ import annotations

import pytest

from fazhi import labels
from fazhi.models import APPROX, AREAS, ELEMENTS, KINDS, LEVELS


@pytest.mark.parametrize(
    ("group", "values"),
    [
        ("levels", LEVELS),
        ("elements", ELEMENTS),
        ("kinds", KINDS),
        ("approx", APPROX),
        ("areas", AREAS),
        ("substance", ("absent", "generic", "specific")),
    ],
)
def test_every_value_has_a_label(group: str, values: tuple[str, ...]) -> None:
    vocab = labels.labels(group)
    assert set(values) <= set(vocab)
    words = [vocab[v] for v in values if v != "none"]
    assert all(words) and len(set(words)) == len(words)  # no empty and no repeated wording


def test_label_helpers() -> None:
    assert labels.label("levels", "county") == "县级"
    assert labels.label("levels", None, "—") == "—"
    assert labels.label("levels", "unknown") == "unknown"
    assert labels.with_approx("1,700", "over") == "1,700以上" and labels.with_approx("3", "about") == "约3"
    assert labels.area_name("disputes") == "矛盾纠纷化解" and labels.area_name(None) == "未分类"
    assert labels.indicator_name("leader_appearance_rate")
    assert labels.area_ids()[0] == "leadership"
