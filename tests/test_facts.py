"""The facts stage on sentences written the way reports write them, including forms the gold samples lack."""

import json
from pathlib import Path

import pytest

from fazhi.facts import extract_facts

GOLD = Path(__file__).parent / "eval" / "gold"


def facts_of(text):
    return [(f.surface, f.value, f.unit) for f in extract_facts(text)]


def one(text):
    found = extract_facts(text)
    assert len(found) == 1, [(f.surface, f.value, f.unit) for f in found]
    return found[0]


def test_offsets_evidence_and_order():
    text = "一、依法行政\n全年办理行政复议案件356件；出庭应诉率100%。下一步将继续努力！"
    found = extract_facts(text)
    assert [f.surface for f in found] == ["356件", "100%"]
    for f in found:
        assert text[f.start : f.end] == f.surface
        assert f.evidence in text and f.surface in f.evidence
    assert found[0].evidence == "全年办理行政复议案件356件"
    assert found[1].evidence == "出庭应诉率100%"


@pytest.mark.parametrize(
    "text, expected",
    [
        # a unit written on every item of a list
        (
            "办理市人大代表议案2件、建议268件,市政协提案411件。",
            [("2件", 2, "件"), ("268件", 268, "件"), ("411件", 411, "件")],
        ),
        # a bare number takes the unit of the quantity ending the clause before it
        (
            "线上排查矛盾纠纷3353起，办结化解3323，办结化解率99.1%。",
            [("3353起", 3353, "起"), ("3323", 3323, "起"), ("99.1%", 99.1, "%")],
        ),
        (
            "应调用电子证照45283次,实际调用45283,调用率100%。",
            [("45283次", 45283, "次"), ("45283", 45283, "次"), ("100%", 100, "%")],
        ),
        # ... or of the quantity it is listed with
        ("抽查比例分别为12、15、20件。", [("12", 12, "件"), ("15", 15, "件"), ("20件", 20, "件")]),
        # a bare number with no sibling keeps no unit
        (
            "上线3个月访问量即突破13万、导询导办量突破2.9万。",
            [("3个月", 3, "个月"), ("13万", 130000, ""), ("2.9万", 29000, "")],
        ),
        # numbers back to back
        ("出动救援366批3897人次。", [("366批", 366, "批"), ("3897人次", 3897, "人次")]),
        ("组织15批次85名领导干部参加任前法律知识考试。", [("15批次", 15, "批次"), ("85名", 85, "名")]),
        (
            "力促3个项目补发2304人工资1458万元。",
            [("3个", 3, "个"), ("2304人", 2304, "人"), ("1458万元", 14580000, "元")],
        ),
        # thousands separators, full-width digits, a space before the unit
        ("清理规范性文件1,024件，废止３５件。", [("1,024件", 1024, "件"), ("３５件", 35, "件")]),
        ("全国100 个城市消费者满意度测评。", [("100 个", 100, "个")]),
        # 余 between the number and 万: 3000余万元
        (
            "为企业减免租金3000余万元，惠及企业1,200余家。",
            [("3000余万元", 30000000, "元"), ("1,200余家", 1200, "家")],
        ),
        # inside brackets
        ("共审查法律事务145件(其中合同19件)。", [("145件", 145, "件"), ("19件", 19, "件")]),
        # a unit this stage knows only from data: 通 is not a unit, so 3.2万通 is not read as a count of 万
        ("受理来电3.2万通。", []),
    ],
)
def test_units_in_context(text, expected):
    assert facts_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024年，厦门市坚持以习近平新时代中国特色社会主义思想为指导。",
        "全面贯彻落实党的二十大和二十届二中、三中全会精神。",
        "传达泉州市委十三届七次全会精神，召开市委依法治市委第五次会议。",
        "融入“十四五”规划纲要，科学谋划“八五”普法规划。",
        "构建市级“1+57”、区级“1+X”的应急预案体系，创新“234”工作法。",
        "形成涉台调解1+3+N的网络模式，优化2+2+N企业服务体系。",
        "全面推行行政执法三项制度，深化市、区两级应急指挥部体系建设。",
        "强化区、街、社区三级综治中心运作，构建四级应急预案体系。",
        "12345热线连续保持全国政务热线服务质量评估最高等级，加强12348热线平台建设。",
        "拨打12345、12348咨询。",
        "一是加强组织领导；二是完善制度机制。",
        "（一）加强党的领导\n1.加强组织领导\n(2)完善制度",
        "根据《中华人民共和国行政复议法》第二十三条规定，依据厦府〔2024〕5号文件。",
        "2025年1月22日，9月30日以来，1-6月，上午9:30召开。",
        "落实领导干部任前宪法宣誓，推动“高效办成一件事”，实现数据最多采一次。",
        "推进镇(街)一支队伍管执法，统一受理，进一步优化，实现零距离服务。",
        "扎实开展提升行政执法质量三年行动。近五年来成效明显。",
        "认真履行推进法治建设第一责任人职责，第一时间处置。",
        "入选全省2024年第二批典型经验，获评第三批全国法治宣传教育基地。",
        "推进5G基站建设，打造AI+政务问答。",
        "建党100周年，市委理论学习中心组组织市四套班子领导学习。",
        "向上级机关报告上一年度法治政府建设情况。",
        "送法进万家，千方百计为百姓办实事。",
        "按照一次性告知要求，落实三位一体考核制度。",
        "基层行政执法队伍人员不足，执法队伍人数偏少，为退伍人员提供服务。",
        "附件1\n附件2 2024年度行政执法数据统计表",
        "惠及成千上万的群众，服务千家万户。",
        "上午九点召开会议。",
    ],
)
def test_not_facts(text):
    assert facts_of(text) == []


@pytest.mark.parametrize(
    "text, value, unit, approx, kind",
    [
        ("全市行政机关负责人出庭应诉率99.81%。", 99.81, "%", "none", "rate"),
        ("超八成案件在行政复议阶段案结事了。", 80, "%", "over", "rate"),
        ("群众安全感率保持在99%以上。", 99, "%", "over", "rate"),
        ("行政复议直接纠错率近三成。", 30, "%", "under", "rate"),
        ("累计减少检查次数4539次。", -4539, "次", "none", "change"),
        ("累计减少证明材料15.85万份。", -158500, "份", "none", "change"),
        ("压减办理时限、办事环节、跑动次数70%以上。", -70, "%", "over", "change"),
        ("平均办理时间缩短60%。", -60, "%", "none", "change"),
        # a lone 百/千/万 is a number after an approximation word (and only then: 万家, 百姓 are words)
        ("全年调解涉外商事纠纷逾千件。", 1000, "件", "over", "count"),
        ("律师不足百人。", 100, "人", "under", "count"),
        ("惠及近万家企业。", 10000, "家", "under", "count"),
        ("培训干部上千人次。", 1000, "人次", "over", "count"),
        # Chinese numerals with a decimal point, and tenths of 成
        ("网上可办率达到百分之九十八点五。", 98.5, "%", "none", "rate"),
        ("学法考试平均成绩八十七点六分。", 87.6, "分", "none", "other"),
        ("受众三点五万人次。", 35000, "人次", "none", "count"),
        ("代表委员满意率九成五。", 95, "%", "none", "rate"),
        ("其中废止约占一成半。", 15, "%", "about", "rate"),
        ("走访企业上万家。", 10000, "家", "over", "count"),
        # 压缩至…的 30%: the level reached, however far the number stands from 至
        ("平均办理时限压缩至法定时限的30%以内。", 30, "%", "under", "rate"),
        ("罚没款同比增长15%。", 15, "%", "none", "change"),
        ("行政诉讼败诉率同比下降1.4个百分点。", -1.4, "百分点", "none", "change"),
        ("收到政府信息公开申请较上年增加156件。", 156, "件", "none", "change"),
        ("新增市场主体5.8万户。", 58000, "户", "none", "count"),
        ("增加3个便民服务窗口。", 3, "个", "none", "count"),
        ("全市信访总量下降至1.2万件。", 12000, "件", "none", "count"),
        ("审批时限压缩至3个工作日。", 3, "个工作日", "none", "duration"),
        ("标的额超104亿元。", 10400000000, "元", "over", "money"),
        ("涉案金额达1.5亿余元。", 150000000, "元", "over", "money"),
        ("挽回经济损失约5600万元。", 56000000, "元", "about", "money"),
        ("法治政府建设总体情况获评第三方评估第八名。", 8, "rank", "none", "rank"),
        ("城市综合信用指数保持全国第一。", 1, "rank", "none", "rank"),
        ("营商环境位居全省首位。", 1, "rank", "none", "rank"),
        ("在全省考核中排名前三。", 3, "rank", "under", "rank"),
        ("打造15分钟服务圈。", 15, "分钟", "none", "duration"),
        ("市委主要领导两次作出批示。", 2, "次", "none", "count"),
        ("一起案例获评全国典型案例。", 1, "起", "none", "count"),
        ("举办法治讲座十余场。", 10, "场", "over", "count"),
        ("每年开展培训至少2次。", 2, "次", "over", "count"),
        ("覆盖企业三分之一。", 100 / 3, "%", "none", "rate"),
        # measured levels in environment reports: their own units (分贝 is not 分), kind other
        ("PM2.5平均浓度为38微克/立方米。", 38, "微克/立方米", "none", "other"),
        ("噪声昼间平均等效声级为53.6分贝。", 53.6, "分贝", "none", "other"),
        ("河流断面氨氮平均浓度0.35毫克/升。", 0.35, "毫克/升", "none", "other"),
        ("全年节约用水12万立方米。", 120000, "立方米", "none", "count"),
    ],
)
def test_value_kind_approx(text, value, unit, approx, kind):
    f = one(text)
    assert f.value == pytest.approx(value)
    assert (f.unit, f.approx, f.kind) == (unit, approx, kind)


def test_changes_in_a_list_keep_their_sign():
    found = extract_facts("全市信访总量和重复信访量分别同比下降22%、28%。")
    assert [(f.value, f.kind) for f in found] == [(-22, "change"), (-28, "change")]
    assert [f.subject for f in found] == ["全市信访总量同比下降", "重复信访量同比下降"]


@pytest.mark.parametrize(
    "text, subjects",
    [
        # 分别 with no list of its own: the numbers just before it in the sentence are the members
        (
            "共办理行政处罚案件28.7万件，罚没款金额31.6亿元，同比分别下降6.3%、11.4%。",
            ["办理行政处罚案件", "罚没款金额", "办理行政处罚案件同比下降", "罚没款金额同比下降"],
        ),
        (
            "企业和个体工商户分别为138.6万户、376.4万户，分别同比增长5.2%、7.8%。",
            ["企业", "个体工商户", "企业同比增长", "个体工商户同比增长"],
        ),
        # more numbers before than members: the last ones are the members
        (
            "受理案件120件，审结110件、调解50件，分别同比增长5%、6%。",
            ["受理案件", "审结", "调解", "审结同比增长", "调解同比增长"],
        ),
    ],
)
def test_respectively_refers_back(text, subjects):
    assert [f.subject for f in extract_facts(text)] == subjects


@pytest.mark.parametrize(
    "text, ends",
    [
        # two neighbouring digits are a range, not a two-digit number; so is 7到8
        ("每季度召开例会三四次。", [("三", 3, "次", "over", "count"), ("四次", 4, "次", "under", "count")]),
        ("常驻调解员五六十人。", [("五", 50, "人", "over", "count"), ("六十人", 60, "人", "under", "count")]),
        ("调解纠纷7到8件。", [("7", 7, "件", "over", "count"), ("8件", 8, "件", "under", "count")]),
        # each end of a range is a number of the report: the low one at least, the high one at most
        ("培训执法人员3至5次。", [("3", 3, "次", "over", "count"), ("5次", 5, "次", "under", "count")]),
        (
            "每季度开展5-10件案卷评查。",
            [("5", 5, "件", "over", "count"), ("10件", 10, "件", "under", "count")],
        ),
        (
            "办理时限3～5个工作日。",
            [("3", 3, "个工作日", "over", "duration"), ("5个工作日", 5, "个工作日", "under", "duration")],
        ),
        ("压减时限30%至50%。", [("30%", -30, "%", "over", "change"), ("50%", -50, "%", "under", "change")]),
        # a qualifier of the whole range holds for both ends
        ("每年开展约3至5次。", [("3", 3, "次", "about", "count"), ("5次", 5, "次", "about", "count")]),
        (
            "同比下降二至三成左右。",
            [("二", -20, "%", "about", "change"), ("三成", -30, "%", "about", "change")],
        ),
    ],
)
def test_range_gives_both_ends(text, ends):
    found = extract_facts(text)
    assert [(f.surface, f.value, f.unit, f.approx, f.kind) for f in found] == ends
    assert found[0].subject == found[1].subject
    assert [text[f.start : f.end] for f in found] == [e[0] for e in ends]


def test_parse_quantity_reads_a_range_as_one():
    from fazhi.facts import parse_quantity

    q = parse_quantity("5-10件")
    assert (q.value, q.high, q.unit, q.approx) == (5, 10, "件", "none")


@pytest.mark.parametrize(
    "text, surface, subject",
    [
        ("化解各类矛盾纠纷17.5万件。", "17.5万件", "化解各类矛盾纠纷"),
        ("办理涉外仲裁案件突破400件。", "400件", "办理涉外仲裁案件"),
        ("推动汇聚210个业务系统数据。", "210个", "推动汇聚业务系统数据"),
        ("厦门国际仲裁院等19个重点项目揭牌运行。", "19个", "重点项目揭牌运行"),
        ("3376项政务服务事项全部进驻省网办事大厅。", "3376项", "政务服务事项全部进驻省网办事大厅"),
        ("98%的审批服务事项网上可办。", "98%", "审批服务事项网上可办"),
        ("减免罚款金额共计104万余元。", "104万余元", "减免罚款金额"),
        ("其中人民调解组织排查化解矛盾纠纷4.1万件。", "4.1万件", "人民调解组织排查化解矛盾纠纷"),
        ("复议案件登记率及依法受理率均为100%。", "100%", "复议案件登记率及依法受理率"),
        ("解读《厦门市行政调解规定》等政策文件3份。", "3份", "解读政策文件"),
        ("在公共服务质量监测结果中位居全国第三。", "第三", "公共服务质量监测结果"),
        ("“全流程网办”、“秒批秒办”事项全省第一。", "第一", "“全流程网办”、“秒批秒办”事项"),
        ("新增市场主体5.8万户,增量居各区第一。", "第一", "增量"),
        ("个人办件汇聚328736件,在各县市(区)排名第2。", "第2", "个人办件汇聚排名"),
        ("全市行政机关负责人出庭应诉率99.81%,同比提高1.5%。", "1.5%", "全市行政机关负责人出庭应诉率同比提高"),
        ("培育3个泉州市级金牌调解室、18个石狮市级金牌调解室。", "18个", "石狮市级金牌调解室"),
        ("组织4次全市公务员、行政执法人员法律知识考试。", "4次", "组织全市公务员、行政执法人员法律知识考试"),
        # a 、 inside brackets does not end a list item; a count after 和 is an item of its own
        ("对7个县（市、区）和12个市级部门负责人开展约谈。", "7个", "县（市、区）和市级部门负责人开展约谈"),
        ("对7个县（市、区）和12个市级部门负责人开展约谈。", "12个", "市级部门负责人开展约谈"),
        ("对6个区、县（市）和21个市级部门开展督察。", "6个", "区、县（市）和市级部门开展督察"),
        # a word that ends like a copula keeps its end
        ("督促纠正不规范执法行为64个。", "64个", "督促纠正不规范执法行为"),
        ("开展内部审计15次。", "15次", "开展内部审计"),
        # a change verb that leads to a level is not part of what the level measures
        ("将法治建设在考核中的分值权重提高到5%。", "5%", "将法治建设在考核中的分值权重"),
        ("企业开办时间压缩至0.5个工作日。", "0.5个工作日", "企业开办时间"),
        ("群众满意度提升至98%。", "98%", "群众满意度"),
        # ... while a change keeps its verb
        ("刑事警情数同比下降16.35%。", "16.35%", "刑事警情数同比下降"),
        # "not below" is a bound, not part of the subject
        ("将法治建设纳入年度绩效考核，权重不低于8%。", "8%", "权重"),
        # the list marker and the year that open an item are no part of it
        ("1．2024年共办理行政复议案件30件。", "30件", "办理行政复议案件"),
        ("（2）全年开展执法检查12次。", "12次", "开展执法检查"),
        ("一是2024年以来化解纠纷300件。", "300件", "化解纠纷"),
    ],
)
def test_subjects(text, surface, subject):
    found = {f.surface: f for f in extract_facts(text)}
    assert found[surface].subject == subject


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("全市行政机关负责人出庭应诉率99.81%。", "leader_appearance_rate"),
        ("行政诉讼案件败诉率9.79%。", "litigation_loss_rate"),
        ("审查行政复议申请590件。", "recon_received"),
        ("主动公开政府信息3668条。", "gio_proactive"),
        ("受理政府信息公开申请43件。", "gio_requests"),
        ("向区人大常委会备案规范性文件1件。", "normdoc_filed"),
        ("办理法律援助案件2,345件。", "legal_aid"),
        ("排查化解各类矛盾纠纷1.1万余件。", "mediation_disputes"),
        ("行政复议案件数量同比上升27.6%。", None),
        ("群众来访很多3件。", "petitions"),
    ],
)
def test_indicators(text, indicator):
    assert one(text).indicator == indicator


def test_areas_from_sentence_and_section():
    from fazhi.models import Section

    text = (
        "一、深化行政复议应诉工作\n审查行政复议申请590件。完成1个突发事件总体应急预案修订。全年召开会议3次。"
    )
    sec = [Section("一", "深化行政复议应诉工作", 1, 0, len(text), heading_end=12)]
    by_surface = {f.surface: f.area for f in extract_facts(text, sec)}
    assert by_surface["590件"] == "disputes"
    assert by_surface["1个"] == "emergency"  # its own sentence names the area
    assert by_surface["3次"] == "disputes"  # no cue of its own: the section decides


def test_empty_and_odd_input():
    assert extract_facts("") == []
    assert extract_facts("\n\n   \n") == []
    assert extract_facts("没有任何数字的一段话，新一轮改革，每一个人。") == []
    assert extract_facts("%%%,,,。。。第第第") == []


def _char_f1(a, b):
    from collections import Counter

    ov = sum((Counter(a) & Counter(b)).values())
    return 0.0 if not ov else 2 * ov / (len(a) + len(b))


def test_gold_samples_gate():
    """An eval gate on the bundled gold (these are the samples the rules were checked on, so the floor
    is what a regression must not break, not a measure of quality on unseen reports)."""
    gold = [json.loads(line) for line in (GOLD / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    tp = fp = fn = subj = 0
    for doc in sorted({g["doc"] for g in gold}):
        text = (GOLD / "clean" / f"{doc}.txt").read_text(encoding="utf-8")
        facts = extract_facts(text)
        used = set()
        for g in (g for g in gold if g["doc"] == doc):
            gpos = text.find(g["context"]) + g["context"].find(g["surface"])
            hit = None
            for i, f in enumerate(facts):
                es = text.rfind(f.evidence, 0, f.start + len(f.evidence))
                if (
                    i in used
                    or f.unit != g["unit"]
                    or abs(f.value - g["value"]) > 1e-6 * max(1, abs(g["value"]))
                ):
                    continue
                if es <= gpos < es + len(f.evidence):
                    hit = i
                    break
            if hit is None:
                fn += not g["optional"]
                continue
            used.add(hit)
            if not g["optional"]:
                tp += 1
                s, gs = facts[hit].subject, g["subject"]
                subj += bool(s) and (s in gs or gs in s or _char_f1(s, gs) >= 0.6)
        fp += sum(1 for i in range(len(facts)) if i not in used)  # matches of optional gold are not counted
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert 2 * precision * recall / (precision + recall) >= 0.95
    assert subj / tp >= 0.85


def kinds_of(text):
    return [(f.surface, f.value, f.kind, f.subject) for f in extract_facts(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # both ends of a before/after pair measure the phrase before 从/由
        (
            "区级行政许可事项从42项精简为18项，“法律明白人”数量由2150名增至3020名。",
            [
                ("42项", 42, "count", "区级行政许可事项"),
                ("18项", 18, "count", "区级行政许可事项"),
                ("2150名", 2150, "count", "“法律明白人”数量"),
                ("3020名", 3020, "count", "“法律明白人”数量"),
            ],
        ),
        (
            "依申请公开案件由上年的87件降至61件。",
            [("87件", 87, "count", "依申请公开案件"), ("61件", 61, "count", "依申请公开案件")],
        ),
        # 从 with no second number is not a pair
        ("从5个方面提出整改意见。", [("5个", 5, "count", "从方面提出整改意见")]),
    ],
)
def test_before_after_pairs_share_their_subject(text, expected):
    assert kinds_of(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a year-on-year marker earlier in the clause makes 增加 a change; the second cue replaces the first
        (
            "办理数量分别比上年减少12件和增加9件。",
            [
                ("12件", -12, "change", "办理数量分别比上年减少"),
                ("9件", 9, "change", "办理数量分别比上年增加"),
            ],
        ),
        # 多/少 right after 比上年 are changes
        ("开展普法活动比上年多开展320场次。", [("320场次", 320, "change", "开展普法活动比上年多开展")]),
        ("信访量比上年少86件。", [("86件", -86, "change", "信访量比上年少")]),
        # elsewhere 多 is part of a word
        (
            "多元化解矛盾纠纷1200件，新增窗口3个。",
            [("1200件", 1200, "count", "多元化解矛盾纠纷"), ("3个", 3, "count", "新增窗口")],
        ),
        # a rank moving up or down
        (
            "考评位列全省第3，较上年前移4个位次。",
            [("第3", 3, "rank", "考评"), ("4个位次", 4, "change", "考评较上年前移")],
        ),
        ("排名较上年后移2位。", [("2位", -2, "change", "排名较上年后移")]),
    ],
)
def test_year_on_year_and_rank_changes(text, expected):
    assert kinds_of(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # money per person or per case keeps its "per"
        ("人均执法装备经费达到4200元/人。", [("4200元/人", 4200, "money", "人均执法装备经费")]),
        ("人均补贴1.2万元/人。", [("1.2万元/人", 12000, "money", "人均补贴")]),
        # a magnitude alone before money, or with a qualifier after it
        ("专项经费较上年增加千万元以上。", [("千万元", 10000000, "change", "专项经费较上年增加")]),
        ("投入资金百万元。", [("百万元", 1000000, "money", "投入资金")]),
        # ... but 千万 the adverb is no number
        ("千万不能放松，千家万户受益。", []),
        # quantities written as words
        ("企业开办时间压缩至半个工作日。", [("半个工作日", 0.5, "duration", "企业开办时间")]),
        ("企业数量比五年前翻一番。", [("翻一番", 100, "change", "企业数量比五年前")]),
        ("复议案件数同比减少一半。", [("一半", -50, "change", "复议案件数同比减少")]),
        ("上半年办理案件30件。", [("30件", 30, "count", "上半年办理案件")]),
    ],
)
def test_per_unit_money_bare_magnitudes_and_word_quantities(text, expected):
    assert kinds_of(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a difference from an average: signed by 低于/高于, measured on the sentence's rate
        (
            "败诉率为6.8%，低于全省平均水平2.3个百分点。",
            [("6.8%", 6.8, "rate", "败诉率"), ("2.3个百分点", -2.3, "change", "败诉率低于全省平均水平")],
        ),
        ("满意率高于全市平均水平1.5个百分点。", [("1.5个百分点", 1.5, "change", "满意率高于全市平均水平")]),
        # a threshold right before the number stays a qualifier
        ("持证率不低于95%，差错率低于5%。", [("95%", 95, "rate", "持证率"), ("5%", 5, "rate", "差错率")]),
        # a percentage-point figure is a difference even with no cue
        ("城乡比率相差3个百分点。", [("3个百分点", 3, "change", "城乡比率相差")]),
    ],
)
def test_differences_in_percentage_points(text, expected):
    assert kinds_of(text) == expected
