"""PostgreSQL's full-text keys (``fazhi.store.keys``): computed by numpy for stored text and by plain
Python for search terms, they must agree, or a search would miss sentences that hold its words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.store.keys import char_keys, sentence_keys, term_keys


def ints(literal: str) -> set[int]:
    """The keys of an array literal."""
    inner = literal.strip("{}")
    return {int(k) for k in inner.split(",")} if inner else set()


def pairs_of(text: str) -> set[int]:
    return ints(sentence_keys([text])[0])


def test_a_term_is_looked_up_by_the_pairs_that_cover_it():
    found, chars = term_keys(["行政复议"])
    assert set(found) == pairs_of("行政") | pairs_of("复议") and len(found) == 2 and chars == []
    assert set(term_keys(["行政复议书"])[0]) == pairs_of("行政") | pairs_of("复议") | pairs_of("议书")
    assert term_keys(["复议", "行政复议"])[0] == term_keys(["复议", "行政"])[0]  # no repeats


def test_punctuation_spaces_and_symbols_make_no_keys():
    assert sentence_keys(["件，共", "% 。", "“放管服”"]) == ["{}", "{}", sentence_keys(["放管服"])[0]]
    assert term_keys(["，"]) == ([], [])
    assert term_keys(["12345热线"])[0] and term_keys(["A-1"]) == ([], [ord("a"), ord("1")])
    assert ints(char_keys("行政，A 1%")) == {ord("行"), ord("政"), ord("a"), ord("1")}


def test_case_is_folded_on_both_sides():
    assert sentence_keys(["APP"]) == sentence_keys(["app"])
    assert set(term_keys(["App"])[0]) <= pairs_of("下载APP办理")
    # a letter whose lower case is longer (İ -> i̇) does not shift the keys of what follows it
    assert pairs_of("行政") <= pairs_of("İ行政")


def test_texts_keyed_together_share_no_pairs():
    assert sentence_keys(["行", "政"]) == ["{}", "{}"]
    assert sentence_keys(["", "a"]) == ["{}", "{}"]
    assert sentence_keys([]) == []


def test_one_character_terms_use_the_characters():
    assert term_keys(["法", "复议", "A"]) == (term_keys(["复议"])[0], [ord("法"), ord("a")])


TEXT = st.text(
    alphabet=st.sampled_from(list("行政复议法治办理ABCabc0123，。、 %（）-İ") + ["\U00020000", "\n"]),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.data())
def test_every_term_in_a_text_has_its_keys_in_that_texts(text, data):
    """Whatever a sentence holds (case aside), its keys include those of the term: the index never
    hides a hit from the exact check that follows."""
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    term = text[i:j]
    pairs, chars = term_keys([term])
    assert set(pairs) <= pairs_of(text)
    assert set(term_keys([term.upper()])[0]) <= pairs_of(text)  # the term as typed in either case
    if not pairs:
        assert set(chars) <= ints(char_keys(text))
