"""Throughput of the whole extract pipeline on a synthetic corpus, beside a jionlp baseline.

The corpus is made from the five bundled example reports (examples/*.txt): each synthetic report takes a
title and a random selection of paragraphs from the examples written in one script (a report is in
simplified or in traditional characters, never both: four of the five examples are simplified, so
about four reports in five are), with its numbers re-drawn (same number of digits; years kept) and its
place names replaced by other places of the division table. The seed is fixed, so every run reads the
same texts.

    .venv/bin/python benchmarks/bench_throughput.py            # 10,000 reports
    .venv/bin/python benchmarks/bench_throughput.py --n 500    # a quick run
    .venv/bin/python benchmarks/bench_throughput.py --save     # also write the corpus to benchmarks/_corpus/

Printed: reports/s and MB/s (10^6 bytes of UTF-8 input per second of CPU time of this one process, so
per core) for fazhi's pipeline (``fazhi.pipeline.process_text``: cleaning, metadata, outline, facts,
areas), for the facts stage alone (``extract_facts``), and for the baseline, then the ratios. The
baseline extracts numbers and money with jionlp 1.5, which has a money extractor but no number
extractor: money with ``jionlp.ner.extract_money`` (with parsing), numbers as jionlp's own number
pattern (``jionlp.rule.rule_pattern.BASE_NUMBER_PATTERN``) finds them, each read with
``jionlp.parse_money`` (the numeral reader jionlp has). Its money part is also timed alone, and the
ratio against it printed too: a stricter yardstick, since it does far less than fazhi does.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPUS_DIR = Path(__file__).resolve().parent / "_corpus"
SEED = 20240401
PLACES_IN_EXAMPLES = re.compile("厦门|湖里|石狮|泉州|思明|集美|海沧|同安|翔安")
NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
YEAR = re.compile(r"(?:19|20)[0-9]{2}(?=年)")


def _places() -> list[str]:
    from fazhi.resources import load_tsv

    names = {r["short"] or r["name"] for r in load_tsv("divisions.tsv")}
    return sorted(n for n in names if 2 <= len(n) <= 4)


def _paragraphs() -> dict[str, tuple[list[str], list[str]]]:
    """script -> (titles, paragraphs) of the examples written in it."""
    from fazhi.cleaning import detect_script

    groups: dict[str, tuple[list[str], list[str]]] = {}
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        titles, paras = groups.setdefault(detect_script(text), ([], []))
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        lines = [ln for ln in lines if len(ln) >= 8]
        titles.append(next((ln for ln in lines if "法治政府建设" in ln and len(ln) < 60), lines[0]))
        paras.extend(ln for ln in lines if len(ln) >= 40)
    return groups


def _vary_numbers(text: str, rng: random.Random) -> str:
    years = {m.start() for m in YEAR.finditer(text)}

    def draw(m: re.Match[str]) -> str:
        if m.start() in years:
            return m.group()
        whole, _, frac = m.group().partition(".")
        lo = 10 ** (len(whole) - 1) if len(whole) > 1 else 1
        out = str(rng.randrange(lo, 10 ** len(whole)))
        if frac:
            out += "." + "".join(rng.choice("0123456789") for _ in frac)
        return out

    return NUMBER.sub(draw, text)


def build_corpus(n: int, seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    groups = sorted(_paragraphs().items())
    weights = [len(titles) for _, (titles, _) in groups]  # one vote per example
    places = _places()
    out = []
    for _ in range(n):
        place = rng.choice(places)
        _, (titles, paras) = rng.choices(groups, weights)[0]
        chosen = rng.sample(paras, k=min(len(paras), rng.randint(8, 16)))
        body = "\n".join([rng.choice(titles), *chosen])
        body = PLACES_IN_EXAMPLES.sub(lambda _m, p=place: p, body)
        out.append(_vary_numbers(body, rng))
    return out


def _run(label: str, fn, texts: list[str]) -> float:
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    t0, c0 = time.perf_counter(), time.process_time()
    count = 0
    for t in texts:
        count += fn(t)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    mbs = nbytes / 1e6 / cpu
    print(
        f"{label:34s} {len(texts) / cpu:9.1f} reports/s  {mbs:6.2f} MB/s per core"
        f"  ({nbytes / 1e6:.1f} MB, {cpu:.1f} s CPU, {wall:.1f} s wall, {count} items)"
    )
    return mbs


def _jionlp_baseline() -> tuple[Callable[[str], int], Callable[[str], int]]:
    """(money alone, numbers and money): jionlp's extractors as a user of jionlp would call them."""
    import jionlp
    from jionlp.rule.rule_pattern import BASE_NUMBER_PATTERN, CHINESE_NUM

    number = re.compile(BASE_NUMBER_PATTERN)
    numeral = re.compile(r"[0-9]|" + CHINESE_NUM)  # the pattern also takes lone 多, 余, 点, 万

    def money(text: str) -> int:
        return len(jionlp.ner.extract_money(text, with_parsing=True))

    def numbers_and_money(text: str) -> int:
        found = money(text)
        for m in number.finditer(text):
            if numeral.search(m.group()) is None:
                continue
            try:
                jionlp.parse_money(m.group())
            except Exception:  # noqa: BLE001, S112 - jionlp raises on what it cannot read; skip it
                continue
            found += 1
        return found

    return money, numbers_and_money


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="number of synthetic reports (default 10,000)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--save", action="store_true", help="also write the corpus to benchmarks/_corpus/")
    ap.add_argument("--no-baseline", action="store_true", help="skip the jionlp baseline")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT / "src"))
    from fazhi.facts import extract_facts
    from fazhi.pipeline import process_text

    texts = build_corpus(args.n, args.seed)
    if args.save:
        CORPUS_DIR.mkdir(exist_ok=True)
        for i, t in enumerate(texts):
            (CORPUS_DIR / f"synthetic-{i:05d}.txt").write_text(t, encoding="utf-8")
    print(f"corpus: {len(texts)} synthetic reports from {EXAMPLES.relative_to(ROOT)}/, seed {args.seed}")

    process_text(texts[0], doc="warmup")  # load data files and compile regexes outside the timing
    ours = _run("fazhi pipeline (process_text)", lambda t: len(process_text(t, doc="bench").facts), texts)
    _run("fazhi facts stage (extract_facts)", lambda t: len(extract_facts(t)), texts)
    if args.no_baseline:
        return 0
    money, numbers_and_money = _jionlp_baseline()
    numbers_and_money(texts[0])
    base = _run("jionlp baseline (numbers and money)", numbers_and_money, texts)
    money_only = _run("jionlp money alone (extract_money)", money, texts)
    print(f"ratio fazhi pipeline / jionlp baseline: {ours / base:.2f}x")
    print(f"ratio fazhi pipeline / jionlp money alone: {ours / money_only:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
