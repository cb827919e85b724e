"""Numerals and ``parse_quantity``: every numeral form, qualifier, kind and exclusion, as tables."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.facts import parse_quantity
from fazhi.facts.numbers import cn_value, number_value, to_chinese


@pytest.mark.parametrize(
    "s, value",
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十五", 25),
        ("一百零五", 105),
        ("一千七百", 1700),
        ("一千五", 1500),
        ("三百五", 350),
        ("两万五", 25000),
        ("一万零五", 10005),
        ("十二万三千", 123000),
        ("一亿二千万", 120000000),
        ("一万亿", 1000000000000),
        ("二〇二四", 2024),
        ("廿三", 23),
        ("叁佰", 300),
        ("百", 100),
        ("万", 10000),
    ],
)
def test_cn_value(s, value):
    assert cn_value(s) == value


@pytest.mark.parametrize("s", ["十四五", "十十", "五四三二一x", ""])
def test_cn_value_rejects_malformed(s):
    assert cn_value(s) is None


@pytest.mark.parametrize(
    "digits, magnitude, value",
    [
        ("17.5", "万", 175000),
        ("36.53", "万", 365300),
        ("5.6", "亿", 560000000),
        ("1,234", "", 1234),
        ("３", "", 3),
    ],
)
def test_number_value_exact(digits, magnitude, value):
    assert number_value(digits, magnitude) == value


@pytest.mark.parametrize(
    "s, value, unit, approx, kind",
    [
        # Arabic with magnitudes, money always in yuan
        ("17.5万件", 175000, "件", "none", "count"),
        ("5.6亿元", 560000000, "元", "none", "money"),
        ("36.53万元", 365300, "元", "none", "money"),
        ("104万余元", 1040000, "元", "over", "money"),
        ("3000余万元", 30000000, "元", "over", "money"),
        ("1.5亿余元", 150000000, "元", "over", "money"),
        ("1.2万亿元", 1200000000000, "元", "none", "money"),
        ("3.3万余", 33000, "", "over", "count"),
        ("5400余次", 5400, "次", "over", "count"),
        ("930多件", 930, "件", "over", "count"),
        ("2,345件", 2345, "件", "none", "count"),
        ("１２件", 12, "件", "none", "count"),
        ("100 个", 100, "个", "none", "count"),
        # Chinese numerals
        ("一千七百余人次", 1700, "人次", "over", "count"),
        ("两次", 2, "次", "none", "count"),
        ("十二个", 12, "个", "none", "count"),
        ("十余场", 10, "场", "over", "count"),
        ("百余家", 100, "家", "over", "count"),
        ("两万五千人", 25000, "人", "none", "count"),
        # qualifiers before, inside, after
        ("超30亿条", 3000000000, "条", "over", "count"),
        ("超过500家", 500, "家", "over", "count"),
        ("逾百余家", 100, "家", "over", "count"),
        ("突破400件", 400, "件", "over", "count"),
        ("约300人", 300, "人", "about", "count"),
        ("近两千人次", 2000, "人次", "under", "count"),
        ("不足10%", 10, "%", "under", "rate"),
        ("不超过3天", 3, "天", "under", "duration"),
        # "not below" is at least: the negation must not be read as 低于's "under"
        ("不低于8%", 8, "%", "over", "rate"),
        ("不少于40学时", 40, "学时", "over", "duration"),
        ("不高于5000元", 5000, "元", "under", "money"),
        ("约占四分之一", 25, "%", "about", "rate"),
        ("至少2次", 2, "次", "over", "count"),
        ("99%以上", 99, "%", "over", "rate"),
        ("5万元左右", 50000, "元", "about", "money"),
        ("3个工作日以内", 3, "个工作日", "under", "duration"),
        ("60岁以下", None, None, None, None),
        # rates: percent, 成, fractions, percent words, per mille, points
        ("99.81%", 99.81, "%", "none", "rate"),
        ("99.81％", 99.81, "%", "none", "rate"),
        ("八成以上", 80, "%", "over", "rate"),
        ("超八成", 80, "%", "over", "rate"),
        ("近三成", 30, "%", "under", "rate"),
        ("1/4左右", 25, "%", "about", "rate"),
        ("三分之二", 200 / 3, "%", "none", "rate"),
        ("百分之九十五", 95, "%", "none", "rate"),
        ("3.5‰", 3.5, "‰", "none", "rate"),
        ("2.3个百分点", 2.3, "百分点", "none", "rate"),
        # ranks
        ("第八名", 8, "rank", "none", "rank"),
        ("全国第一", 1, "rank", "none", "rank"),
        ("排名第2", 2, "rank", "none", "rank"),
        ("名列全国计划单列市第二", 2, "rank", "none", "rank"),
        ("位居全国第三", 3, "rank", "none", "rank"),
        ("前十名", 10, "rank", "under", "rank"),
        ("位居全省首位", 1, "rank", "none", "rank"),
        ("名列榜首", 1, "rank", "none", "rank"),
        # changes, signed
        ("同比提高1.5%", 1.5, "%", "none", "change"),
        ("下降4.44%", -4.44, "%", "none", "change"),
        ("同比下降1.4个百分点", -1.4, "百分点", "none", "change"),
        ("减少检查次数4539次", -4539, "次", "none", "change"),
        ("压减办理时限70%以上", -70, "%", "over", "change"),
        ("缩短3个工作日", -3, "个工作日", "none", "duration_change"),
        ("同比增长15%", 15, "%", "none", "change"),
        ("较上年增加156件", 156, "件", "none", "change"),
        ("增长1.5倍", 1.5, "倍", "none", "change"),
        ("新增市场主体5.8万户", 58000, "户", "none", "count"),
        ("增加3个服务窗口", 3, "个", "none", "count"),
        ("下降至1.2万件", 12000, "件", "none", "count"),
        ("提高到98%", 98, "%", "none", "rate"),
        # durations
        ("3个月", 3, "个月", "none", "duration"),
        ("15分钟", 15, "分钟", "none", "duration"),
        ("24小时", 24, "小时", "none", "duration"),
        ("2个小时", 2, "个小时", "none", "duration"),
        ("0.5个工作日", 0.5, "个工作日", "none", "duration"),
        ("5工作日", 5, "工作日", "none", "duration"),
        ("两个星期", 2, "周", "none", "duration"),
        ("60学时", 60, "学时", "none", "duration"),
    ],
)
def test_parse_quantity(s, value, unit, approx, kind):
    q = parse_quantity(s)
    if value is None:
        assert q is None or q.unit == ""  # 60岁: 岁 is not a unit of this catalogue
        return
    assert q is not None, s
    assert q.value == pytest.approx(value, rel=1e-9)
    assert q.unit == unit
    assert q.approx == approx
    assert q.kind == ("change" if kind == "duration_change" else kind)


@pytest.mark.parametrize(
    "s, low, high, unit",
    [
        ("3至5次", 3, 5, "次"),
        ("5-10件", 5, 10, "件"),
        ("三至五次", 3, 5, "次"),
        ("10%-20%", 10, 20, "%"),
        ("3~5年", 3, 5, "年"),
    ],
)
def test_ranges(s, low, high, unit):
    q = parse_quantity(s)
    assert (q.value, q.high, q.unit) == (low, high, unit)


@pytest.mark.parametrize(
    "s",
    [
        "2024年",
        "2021-2025年",
        "二〇二四年",
        "2025年1月22日",
        "9月30日",
        "1-6月",
        "10:30",
        "二十届三中全会",
        "十四届",
        "第四届",
        "第二批",
        "第五次会议",
        "第一责任人",
        "“十四五”",
        "“八五”普法",
        "“1+57”",
        "2+2+N",
        "《法治政府建设实施纲要(2021—2025年)》",
        "三项制度",
        "市、区两级",
        "三级",
        "一体化",
        "统一",
        "一次性",
        "一件事",
        "三年行动",
        "5G",
        "万家",
        "上一年度",
        "零距离",
        "",
        "   ",
        "没有数字",
    ],
)
def test_not_quantities(s):
    assert parse_quantity(s) is None


def chinese_numerals():
    return st.integers(min_value=0, max_value=10**12 - 1).map(lambda n: (n, to_chinese(n)))


@given(chinese_numerals())
@settings(max_examples=300, deadline=None)
def test_chinese_numerals_round_trip(pair):
    n, text = pair
    assert cn_value(text) == n


@given(
    st.integers(min_value=1, max_value=99999), st.sampled_from(["件", "次", "人次", "个", "项", "家", "名"])
)
@settings(max_examples=200, deadline=None)
def test_generated_chinese_quantities_parse(n, unit):
    q = parse_quantity(to_chinese(n) + unit)
    assert q is not None and q.value == n and q.unit == unit


@given(st.text(max_size=80))
@settings(max_examples=500, deadline=None)
def test_parse_quantity_never_raises(s):
    q = parse_quantity(s)
    assert q is None or isinstance(q.value, float)


@given(
    st.text(
        alphabet="0123456789.,%万亿千百十一二两三四五六七八九零余多超约近第名次件个成分之/-至以上下左右",
        max_size=30,
    )
)
@settings(max_examples=500, deadline=None)
def test_parse_quantity_never_raises_on_numeral_soup(s):
    q = parse_quantity(s)
    assert q is None or q.kind in ("count", "money", "rate", "rank", "change", "duration", "other")


def test_to_chinese_examples():
    assert [to_chinese(n) for n in (0, 10, 12, 105, 1700, 20000, 10005, 100000005)] == [
        "零",
        "十",
        "十二",
        "一百零五",
        "一千七百",
        "二万",
        "一万零五",
        "一亿零五",
    ]
