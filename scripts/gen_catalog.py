#!/usr/bin/env python3
"""Generate a realistic, valid synthetic matter catalogue for tests and benchmarks.

    python scripts/gen_catalog.py OUT_DIR --matters N [--seed S] [--git] [--change K] [--force]

Deterministic: everything is drawn from one seeded ``random.Random`` in a fixed order, so the same arguments give
byte-identical files (and, with ``--git``, identical commit ids: author, committer and dates are fixed).

Layout (as tests/fixtures/mini): registry/{departments,laws,proofs,proofs-kept,regions}.yaml,
base/<基本编码>.yaml (~5% of N, every national 事项类型) and impl/<行政区划代码>/<实施编码>.yaml (the rest),
spread over one province, several of its prefectures and all their counties (real GB/T 2260 codes), and a few
streets/towns per county. Material names vary the way real catalogues do (traditional characters, 原件/复印件,
brackets, dictionary synonyms) and some proofs carry near-duplicate names across base entries, but every
implementation material still normalises to a material of its base, so `mattercli validate` reports no errors.

Files are written from string templates (no YAML library) so that 20,000 matters take a few seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import opencc

from mattercli.model.identifiers import org_code_check_char, uscc_check_char
from mattercli.model.normalize import normalise
from mattercli.model.regions import Region, region_table

# --------------------------------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------------------------------

TYPES = (  # label, code, weight (share of base entries)
    ("行政许可", "01", 28),
    ("行政处罚", "02", 34),
    ("行政强制", "03", 5),
    ("行政征收", "04", 2),
    ("行政给付", "05", 3),
    ("行政检查", "06", 8),
    ("行政确认", "07", 6),
    ("行政奖励", "08", 2),
    ("行政裁决", "09", 1),
    ("其他行政权力", "10", 5),
    ("公共服务", "20", 6),
)
TYPE_CODE = {label: code for label, code, _ in TYPES}

LEVEL_CODE = {"国家级": "1", "省级": "2", "地市级": "3", "区县级": "4", "乡镇(街道)级": "5", "村(社区)级": "6"}

VIOLATIONS = (
    "未取得许可擅自从事经营活动",
    "伪造、变造、出租、出借许可证件",
    "拒绝、阻碍监督检查",
    "未按规定建立管理制度",
    "未按规定报送有关资料",
    "隐瞒有关情况或者提供虚假材料申请许可",
    "超出许可范围从事经营活动",
    "未按规定公示相关信息",
    "未按规定履行安全管理义务",
    "未按规定办理变更手续",
    "未按规定保存原始记录",
    "以欺骗、贿赂等不正当手段取得许可",
)
INSPECTION_ASPECTS = ("", "安全生产情况", "许可条件保持情况", "经营活动", "质量管理情况", "制度执行情况")
COERCIONS = (
    "对{s}涉嫌违法物品的查封、扣押",
    "对{s}违法场所的查封",
    "对{s}逾期不缴纳罚款的加处罚款",
    "对{s}违法建设物的强制拆除",
)
PERMIT_VARIANTS = ("新办", "变更", "延续", "注销", "补办")
PENALTY_KINDS = (
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "吊销许可证件",
    "责令停产停业",
)
PENALTY_RANGES = (
    "处{a}元以上{b}元以下罚款",
    "责令改正,给予警告;拒不改正的,处{a}元以上{b}元以下罚款",
    "没收违法所得,并处{a}元以上{b}元以下罚款",
    "货值金额不足一万元的,并处{a}元以上{b}元以下罚款;情节严重的,吊销许可证件",
)
CASE_DOCUMENTS = (
    "立案审批表",
    "现场检查笔录",
    "询问笔录",
    "调查终结报告",
    "行政处罚事先告知书",
    "陈述申辩笔录",
    "证据材料清单",
    "送达回证",
    "现场照片",
    "案件集体讨论记录",
    "抽样取证凭证",
    "责令改正通知书",
)
VISIT_REASONS = (
    "核验原件",
    "现场勘验",
    "领取证照",
    "现场核查经营场所",
    "签署法律文书",
    "现场调查取证",
    "人脸识别核验身份",
)
STREETS = (
    "城东",
    "城西",
    "城南",
    "城北",
    "新城",
    "东湖",
    "西山",
    "南苑",
    "北山",
    "文化",
    "湖滨",
    "临江",
    "中山",
    "金沙",
)
CONDITIONS = (
    "申请人应当具备与{n}相适应的场所、设备设施和专业技术人员,并有完善的管理制度。",
    "符合法律法规规定的{n}条件,申请材料齐全、符合法定形式。",
    "申请人为本行政区域内依法登记的自然人、法人或者其他组织,申请材料真实、完整、有效。",
    "属于本机关管辖范围,申请事项依法需要取得{n},并按规定提交全部材料。",
)
FAQ = (
    ("办理{n}需要多长时间?", "材料齐全、符合法定形式的,按承诺办结时限办结,即办件当场办结。"),
    ("{n}可以网上办理吗?", "可以通过政务服务网或政务服务APP在线申请,部分环节需到现场核验。"),
    ("申请材料不齐全怎么办?", "窗口将一次性告知需要补正的全部内容,申请人补正后重新提交。"),
    ("可以委托他人代为办理吗?", "可以,代理人须提交授权委托书及本人有效身份证件。"),
)
ARTICLE_TEXTS = (
    "从事{o}活动,应当依法取得许可。",
    "有关主管部门应当依照本法规定的条件和程序进行审查,作出准予或者不予许可的决定。",
    "违反本法规定的,由县级以上人民政府有关主管部门责令改正,给予警告,并处罚款。",
    "县级以上人民政府有关主管部门应当加强监督检查,依法查处违法行为。",
)

# Laws cited everywhere: name, rank, issuer, document number, date.
GENERAL_LAWS = (
    ("中华人民共和国行政许可法", "法律", "全国人民代表大会常务委员会", "主席令第七号", "2004-07-01"),
    ("中华人民共和国行政处罚法", "法律", "全国人民代表大会常务委员会", "主席令第七十号", "2021-07-15"),
    ("中华人民共和国行政强制法", "法律", "全国人民代表大会常务委员会", "主席令第四十九号", "2012-01-01"),
    ("国务院对确需保留的行政审批项目设定行政许可的决定", "国务院决定", "国务院", "国务院令第412号", "2004-07-01"),
    ("行政事业性收费标准管理办法", "规范性文件", "国家发展改革委、财政部", "发改价格规〔2018〕988号", "2018-07-01"),
    ("优化营商环境条例", "行政法规", "国务院", "国务院令第722号", "2020-01-01"),
)
REPEALED_LAWS = (
    ("食品流通许可证管理办法", "部门规章", "国家工商行政管理总局", "2009-07-30"),
    ("餐饮服务许可管理办法", "部门规章", "卫生部", "2010-05-01"),
    ("城市房屋拆迁管理条例", "行政法规", "国务院", "2001-11-01"),
)
FEE_STANDARDS = (
    "按照省价格主管部门核定的标准收取",
    "每件{x}元",
    "按面积分档收取,每件{x}元起",
    "按国家规定标准减半收取",
)


#: The most base entries a generated catalogue gets (see build_bases).
MAX_BASES = 20_000


@dataclass(frozen=True)
class Line:
    """A line of business: a State Council department, its local counterparts and what it deals with."""

    key: str
    ministry: str
    dd: str
    province_suffix: str
    local_suffix: str
    district_suffix: str
    permits: tuple[str, ...]
    subjects: tuple[str, ...]
    laws: tuple[tuple[str, str, str], ...]  # name, rank, date
    materials: tuple[str, ...]
    confirms: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    payments: tuple[str, ...] = ()
    levies: tuple[str, ...] = ()
    rewards: tuple[str, ...] = ()
    adjudications: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    center: str | None = None  # an authorised public institution at prefecture level
    township: bool = False


LINES = (
    Line(
        "market",
        "国家市场监督管理总局",
        "04",
        "市场监督管理局",
        "市场监督管理局",
        "市场监督管理局",
        (
            "食品经营",
            "食品生产",
            "药品零售企业",
            "医疗器械经营",
            "特种设备使用",
            "计量器具制造",
            "工业产品生产",
            "化妆品生产",
            "检验检测机构资质",
            "食品小作坊",
        ),
        (
            "食品经营者",
            "食品生产企业",
            "药品零售企业",
            "医疗器械经营企业",
            "特种设备使用单位",
            "计量器具制造企业",
            "检验检测机构",
            "网络交易平台经营者",
            "广告发布者",
        ),
        (
            ("中华人民共和国食品安全法", "法律", "2015-10-01"),
            ("中华人民共和国药品管理法", "法律", "2019-12-01"),
            ("中华人民共和国特种设备安全法", "法律", "2014-01-01"),
            ("中华人民共和国计量法", "法律", "1986-07-01"),
            ("中华人民共和国产品质量法", "法律", "1993-09-01"),
            ("医疗器械监督管理条例", "行政法规", "2021-06-01"),
            ("食品经营许可和备案管理办法", "部门规章", "2023-12-01"),
            ("中华人民共和国市场主体登记管理条例", "行政法规", "2022-03-01"),
        ),
        (
            "经营场所平面布局图",
            "食品安全管理制度文本",
            "主要设备设施清单",
            "食品安全管理人员培训合格证明",
            "产品检验报告",
            "质量管理体系文件",
            "特种设备安装质量证明文件",
            "计量器具型式评价报告",
        ),
        confirms=("特种设备使用登记", "计量器具强制检定登记", "个体工商户登记"),
        services=("企业信用信息查询", "食品安全抽检结果查询", "消费投诉举报受理"),
        rewards=("对举报食品安全违法行为有功人员的奖励",),
        adjudications=("专利侵权纠纷行政裁决",),
        others=("食品经营备案", "仅销售预包装食品备案", "广告发布登记"),
    ),
    Line(
        "police",
        "公安部",
        "02",
        "公安厅",
        "公安局",
        "公安分局",
        (
            "保安服务公司设立",
            "剧毒化学品购买",
            "烟花爆竹道路运输",
            "民用爆炸物品购买",
            "大型群众性活动安全",
            "旅馆业特种行业",
            "公章刻制业特种行业",
            "易制毒化学品购买",
        ),
        (
            "保安服务公司",
            "旅馆业经营者",
            "公章刻制企业",
            "烟花爆竹运输单位",
            "民用爆炸物品使用单位",
            "大型活动承办者",
            "易制毒化学品经营单位",
        ),
        (
            ("中华人民共和国居民身份证法", "法律", "2004-01-01"),
            ("中华人民共和国户口登记条例", "行政法规", "1958-01-09"),
            ("中华人民共和国治安管理处罚法", "法律", "2006-03-01"),
            ("保安服务管理条例", "行政法规", "2010-01-01"),
            ("烟花爆竹安全管理条例", "行政法规", "2006-01-21"),
            ("民用爆炸物品安全管理条例", "行政法规", "2006-09-01"),
        ),
        ("保安员证", "安全保卫制度", "技术防范设施设置说明", "运输车辆安全技术状况证明", "从业人员名单"),
        confirms=("户口登记", "居民身份证核发", "机动车登记", "机动车驾驶证核发"),
        services=("户籍证明开具", "交通违法信息查询", "出入境证件办理进度查询", "居住证签注"),
        rewards=("对见义勇为人员的奖励", "对举报涉毒违法犯罪线索的奖励"),
        others=("保安服务公司自行招用保安员备案", "旅馆业治安管理信息变更备案"),
    ),
    Line(
        "hrss",
        "人力资源和社会保障部",
        "05",
        "人力资源和社会保障厅",
        "人力资源和社会保障局",
        "人力资源和社会保障局",
        ("劳务派遣经营", "人力资源服务", "民办职业培训学校设立", "企业实行不定时工作制和综合计算工时工作制审批"),
        ("劳务派遣单位", "人力资源服务机构", "用人单位", "民办职业培训学校", "职业技能鉴定机构"),
        (
            ("中华人民共和国劳动合同法", "法律", "2008-01-01"),
            ("中华人民共和国社会保险法", "法律", "2011-07-01"),
            ("失业保险条例", "行政法规", "1999-01-22"),
            ("工伤保险条例", "行政法规", "2004-01-01"),
            ("人力资源市场暂行条例", "行政法规", "2018-10-01"),
        ),
        ("劳动合同", "工资支付凭证", "社会保险缴费证明", "职业资格证书", "解除劳动关系证明"),
        confirms=("工伤认定", "劳动能力鉴定", "社会保险登记"),
        services=("就业登记", "失业登记", "社会保险参保缴费查询", "职业介绍服务"),
        payments=("失业保险金发放", "工伤保险待遇支付", "一次性创业补贴发放", "职业培训补贴发放"),
        rewards=("对职业技能竞赛优胜者的奖励",),
        adjudications=("劳动人事争议调解仲裁",),
        others=("劳务派遣经营事项变更备案",),
        center="公共就业和人才服务中心",
        township=True,
    ),
    Line(
        "civil",
        "民政部",
        "06",
        "民政厅",
        "民政局",
        "民政局",
        ("社会团体成立登记", "民办非企业单位成立登记", "基金会成立登记", "经营性公墓建设", "殡仪馆建设"),
        ("社会团体", "民办非企业单位", "养老机构", "殡葬服务单位", "婚姻介绍机构"),
        (
            ("社会团体登记管理条例", "行政法规", "1998-10-25"),
            ("民办非企业单位登记管理暂行条例", "行政法规", "1998-10-25"),
            ("婚姻登记条例", "行政法规", "2003-10-01"),
            ("殡葬管理条例", "行政法规", "1997-07-21"),
            ("社会救助暂行办法", "行政法规", "2014-05-01"),
        ),
        ("社会团体章程草案", "验资报告", "拟任负责人基本情况", "住所使用证明", "家庭经济状况申报表"),
        confirms=("内地居民婚姻登记", "收养登记", "最低生活保障对象认定", "特困人员认定"),
        services=("婚姻登记档案查询", "养老服务补贴申请受理", "社会组织信息查询"),
        payments=(
            "最低生活保障金发放",
            "特困人员救助供养金发放",
            "临时救助金发放",
            "高龄津贴发放",
            "困难残疾人生活补贴和重度残疾人护理补贴发放",
        ),
        rewards=("对在社会救助工作中作出显著成绩的单位和个人的表彰奖励",),
        others=("养老机构备案", "社会团体年度检查"),
        township=True,
    ),
    Line(
        "transport",
        "交通运输部",
        "07",
        "交通运输厅",
        "交通运输局",
        "交通运输局",
        (
            "道路旅客运输经营",
            "道路货物运输经营",
            "出租汽车经营",
            "网络预约出租汽车经营",
            "机动车维修经营",
            "公路超限运输",
            "占用、挖掘公路",
        ),
        ("道路运输经营者", "出租汽车经营者", "机动车维修经营者", "机动车驾驶员培训机构", "公路养护作业单位"),
        (
            ("中华人民共和国公路法", "法律", "1998-01-01"),
            ("中华人民共和国道路运输条例", "行政法规", "2004-07-01"),
            ("道路货物运输及站场管理规定", "部门规章", "2005-08-01"),
            ("出租汽车经营服务管理规定", "部门规章", "2015-01-01"),
        ),
        ("车辆行驶证", "从业资格证", "安全生产管理制度文本", "停车场地使用证明", "车辆技术等级评定证明"),
        confirms=("道路运输从业人员从业资格认定",),
        services=("道路运输证件查询", "公路出行信息服务"),
        levies=("车辆通行费征收",),
        others=("机动车维修经营备案", "道路运输站场经营备案"),
    ),
    Line(
        "ecology",
        "生态环境部",
        "08",
        "生态环境厅",
        "生态环境局",
        "生态环境分局",
        ("排污", "建设项目环境影响报告书审批", "危险废物经营", "辐射安全", "江河湖库排污口设置"),
        ("排污单位", "危险废物产生单位", "建设单位", "放射性同位素使用单位", "机动车排放检验机构"),
        (
            ("中华人民共和国环境保护法", "法律", "2015-01-01"),
            ("中华人民共和国环境影响评价法", "法律", "2003-09-01"),
            ("排污许可管理条例", "行政法规", "2021-03-01"),
            ("中华人民共和国固体废物污染环境防治法", "法律", "2020-09-01"),
        ),
        ("环境影响报告书", "污染防治设施设计文件", "监测报告", "排污口设置论证报告", "危险废物管理计划"),
        services=("环境质量信息查询", "环境污染举报受理"),
        levies=("环境保护税征收",),
        others=("建设项目环境影响登记表备案",),
    ),
    Line(
        "housing",
        "住房和城乡建设部",
        "09",
        "住房和城乡建设厅",
        "住房和城乡建设局",
        "住房和城乡建设局",
        ("建筑工程施工", "商品房预售", "建筑业企业资质", "燃气经营", "城市建筑垃圾处置", "城镇污水排入排水管网"),
        ("建设单位", "施工单位", "房地产开发企业", "燃气经营企业", "物业服务企业", "建筑垃圾运输单位"),
        (
            ("中华人民共和国建筑法", "法律", "1998-03-01"),
            ("城镇燃气管理条例", "行政法规", "2011-03-01"),
            ("城市房地产开发经营管理条例", "行政法规", "1998-07-20"),
            ("建设工程质量管理条例", "行政法规", "2000-01-30"),
        ),
        ("施工图设计文件审查合格书", "建设工程规划许可证", "施工合同", "资金到位证明", "安全施工措施资料"),
        confirms=("房屋交易合同网签备案", "建设工程竣工验收备案"),
        services=("住房公积金缴存查询", "商品房预售信息查询"),
        levies=("城市基础设施配套费征收", "防空地下室易地建设费征收"),
        others=("建设工程竣工验收消防备案",),
    ),
    Line(
        "resources",
        "自然资源部",
        "10",
        "自然资源厅",
        "自然资源和规划局",
        "自然资源和规划分局",
        ("建设用地规划", "建设工程规划", "乡村建设规划", "采矿权新立", "测绘资质", "临时用地"),
        ("用地单位", "采矿权人", "测绘单位", "不动产登记申请人"),
        (
            ("中华人民共和国土地管理法", "法律", "2020-01-01"),
            ("中华人民共和国城乡规划法", "法律", "2008-01-01"),
            ("不动产登记暂行条例", "行政法规", "2015-03-01"),
            ("中华人民共和国矿产资源法", "法律", "1986-10-01"),
        ),
        ("宗地图", "土地权属来源证明", "建设项目用地预审意见", "测绘成果报告", "规划设计方案"),
        confirms=("国有建设用地使用权首次登记", "不动产抵押权登记", "不动产转移登记"),
        services=("不动产登记资料查询", "地质灾害危险性评估咨询"),
        levies=("土地闲置费征收", "国有土地使用权出让收入征收"),
        adjudications=("土地权属争议行政裁决",),
        others=("建设项目用地预审",),
    ),
    Line(
        "health",
        "国家卫生健康委员会",
        "11",
        "卫生健康委员会",
        "卫生健康局",
        "卫生健康局",
        ("医疗机构执业", "公共场所卫生", "母婴保健技术服务执业", "放射诊疗", "饮用水供水单位卫生"),
        ("医疗机构", "公共场所经营者", "供水单位", "放射诊疗机构", "医师"),
        (
            ("中华人民共和国基本医疗卫生与健康促进法", "法律", "2020-06-01"),
            ("医疗机构管理条例", "行政法规", "1994-09-01"),
            ("公共场所卫生管理条例", "行政法规", "1987-04-01"),
            ("中华人民共和国医师法", "法律", "2022-03-01"),
        ),
        ("卫生管理制度", "卫生检测报告", "医疗机构执业许可证", "医师执业证书", "放射防护评价报告"),
        confirms=("医师执业注册", "护士执业注册", "出生医学证明签发"),
        services=("预防接种服务", "妇幼健康服务", "生育登记"),
        payments=("计划生育家庭特别扶助金发放", "农村部分计划生育家庭奖励扶助金发放"),
        rewards=("对在传染病防治工作中作出显著成绩的单位和个人的奖励",),
        others=("诊所备案",),
        township=True,
    ),
    Line(
        "education",
        "教育部",
        "12",
        "教育厅",
        "教育局",
        "教育局",
        ("民办学校设立", "中外合作办学", "校外培训机构设立"),
        ("民办学校", "校外培训机构", "幼儿园"),
        (
            ("中华人民共和国教育法", "法律", "1995-09-01"),
            ("中华人民共和国民办教育促进法", "法律", "2003-09-01"),
            ("中华人民共和国教师法", "法律", "1994-01-01"),
        ),
        ("办学章程", "校舍使用证明", "师资情况说明", "学历证书", "教学计划"),
        confirms=("教师资格认定",),
        services=("学籍信息查询", "义务教育入学报名"),
        payments=("家庭经济困难学生资助",),
        rewards=("对教学成果突出者的奖励",),
    ),
    Line(
        "culture",
        "文化和旅游部",
        "13",
        "文化和旅游厅",
        "文化和旅游局",
        "文化和旅游局",
        ("娱乐场所经营", "营业性演出", "旅行社设立", "互联网上网服务营业场所经营", "艺术品经营"),
        ("娱乐场所", "演出经纪机构", "旅行社", "互联网上网服务营业场所", "导游"),
        (
            ("中华人民共和国旅游法", "法律", "2013-10-01"),
            ("娱乐场所管理条例", "行政法规", "2006-03-01"),
            ("营业性演出管理条例", "行政法规", "2005-09-01"),
            ("旅行社条例", "行政法规", "2009-05-01"),
        ),
        ("演出协议", "消防安全检查意见书", "营业场所平面图", "导游证"),
        services=("公共图书馆借阅服务", "文化馆培训服务"),
        others=("艺术品经营单位备案",),
    ),
    Line(
        "agriculture",
        "农业农村部",
        "14",
        "农业农村厅",
        "农业农村局",
        "农业农村局",
        ("农药经营", "兽药经营", "种子生产经营", "动物防疫条件合格证核发", "渔业捕捞", "生鲜乳收购站"),
        ("农药经营者", "兽药经营企业", "种子生产经营者", "动物饲养场", "渔业船舶所有人"),
        (
            ("中华人民共和国种子法", "法律", "2016-01-01"),
            ("农药管理条例", "行政法规", "2017-06-01"),
            ("兽药管理条例", "行政法规", "2004-11-01"),
            ("中华人民共和国动物防疫法", "法律", "2021-05-01"),
            ("中华人民共和国渔业法", "法律", "1986-07-01"),
        ),
        ("经营场所和仓储设施证明", "专业技术人员资格证明", "动物防疫制度", "渔船检验证书", "土地承包合同"),
        confirms=("农村土地承包经营权登记", "农民专业合作社示范社认定"),
        services=("农业技术推广服务", "农产品质量安全检测"),
        payments=("耕地地力保护补贴发放", "农机购置补贴发放"),
        adjudications=("渔业水域滩涂养殖使用权争议裁决",),
        others=("农作物种子生产经营备案",),
        township=True,
    ),
    Line(
        "water",
        "水利部",
        "15",
        "水利厅",
        "水利局",
        "水利局",
        ("取水", "河道管理范围内建设项目工程建设方案审批", "生产建设项目水土保持方案审批", "洪水影响评价类审批"),
        ("取水单位", "河道采砂单位", "生产建设单位", "水利工程管理单位"),
        (
            ("中华人民共和国水法", "法律", "2002-10-01"),
            ("取水许可和水资源费征收管理条例", "行政法规", "2006-04-15"),
            ("中华人民共和国水土保持法", "法律", "2011-03-01"),
            ("中华人民共和国防洪法", "法律", "1998-01-01"),
        ),
        ("水资源论证报告", "水土保持方案报告书", "防洪评价报告", "取水计量设施说明"),
        levies=("水资源费征收", "水土保持补偿费征收"),
        adjudications=("水事纠纷裁决",),
    ),
    Line(
        "emergency",
        "应急管理部",
        "16",
        "应急管理厅",
        "应急管理局",
        "应急管理局",
        ("危险化学品经营", "烟花爆竹经营", "非煤矿山安全生产", "危险化学品安全使用"),
        ("危险化学品经营单位", "烟花爆竹经营单位", "生产经营单位", "非煤矿山企业"),
        (
            ("中华人民共和国安全生产法", "法律", "2002-11-01"),
            ("危险化学品安全管理条例", "行政法规", "2011-12-01"),
            ("生产安全事故应急条例", "行政法规", "2019-04-01"),
        ),
        ("安全评价报告", "安全生产管理制度", "应急救援预案", "主要负责人安全生产知识和管理能力考核合格证明"),
        rewards=("对报告重大事故隐患或者举报安全生产违法行为的有功人员的奖励",),
        others=("生产安全事故应急预案备案",),
    ),
    Line(
        "veterans",
        "退役军人事务部",
        "18",
        "退役军人事务厅",
        "退役军人事务局",
        "退役军人事务局",
        ("光荣院设立",),
        ("优抚对象", "退役军人服务站"),
        (
            ("中华人民共和国退役军人保障法", "法律", "2021-01-01"),
            ("军人抚恤优待条例", "行政法规", "2004-10-01"),
            ("退役士兵安置条例", "行政法规", "2011-11-01"),
        ),
        ("退出现役证", "伤残证明", "立功受奖证书", "军人证件"),
        confirms=("烈士褒扬金发放对象确认", "伤残等级评定"),
        services=("退役军人信息采集", "优待证申领"),
        payments=("优抚对象抚恤补助金发放", "退役士兵自主就业一次性经济补助发放"),
        rewards=("对在国防和军队建设中作出突出贡献的退役军人的表彰奖励",),
        township=True,
    ),
    Line(
        "medical",
        "国家医疗保障局",
        "19",
        "医疗保障局",
        "医疗保障局",
        "医疗保障分局",
        ("定点医药机构协议管理",),
        ("定点医药机构", "参保单位"),
        (
            ("医疗保障基金使用监督管理条例", "行政法规", "2021-05-01"),
            ("中华人民共和国社会保险法", "法律", "2011-07-01"),
        ),
        ("医疗费用发票", "费用明细清单", "出院小结", "诊断证明书"),
        confirms=("基本医疗保险参保登记",),
        services=("异地就医备案", "医保关系转移接续", "医保缴费信息查询"),
        payments=("医疗救助金给付", "生育津贴支付"),
        center="医疗保障事务中心",
        township=True,
    ),
    Line(
        "forestry",
        "国家林业和草原局",
        "20",
        "林业局",
        "林业局",
        "林业局",
        ("林木采伐", "使用林地审核同意", "野生动物人工繁育", "林草种子生产经营"),
        ("林木经营者", "野生动物人工繁育单位", "林地使用单位"),
        (
            ("中华人民共和国森林法", "法律", "2020-07-01"),
            ("中华人民共和国野生动物保护法", "法律", "2023-05-01"),
            ("中华人民共和国森林法实施条例", "行政法规", "2000-01-29"),
        ),
        ("林权证", "伐区调查设计", "林地现状调查表", "人工繁育技术方案"),
        levies=("森林植被恢复费征收",),
        adjudications=("林木林地权属争议裁决",),
    ),
)

# The proof dictionary: standard name, synonyms, category, issuing line.
PROOFS: tuple[tuple[str, tuple[str, ...], str, str | None], ...] = (
    ("居民身份证", ("身份证", "二代身份证", "身份证件"), "证照", "police"),
    ("营业执照", ("工商营业执照", "企业营业执照"), "证照", "market"),
    ("居民户口簿", ("户口簿", "户口本"), "证照", "police"),
    ("结婚证", ("结婚证书",), "证照", "civil"),
    ("离婚证", ("离婚证书",), "证照", "civil"),
    ("不动产权证书", ("房产证", "房屋所有权证", "不动产证"), "证照", "resources"),
    ("出生医学证明", ("出生证明", "出生证"), "证照", "health"),
    ("机动车驾驶证", ("驾驶证", "驾照"), "证照", "police"),
    ("机动车行驶证", ("行驶证",), "证照", "police"),
    ("社会保障卡", ("社保卡",), "证照", "hrss"),
    ("居住证", (), "证照", "police"),
    ("残疾人证", ("残疾证",), "证照", None),
    ("医学死亡证明", ("死亡证明",), "证明", "health"),
    ("教师资格证书", ("教师资格证",), "证照", "education"),
    ("毕业证书", ("毕业证",), "证照", "education"),
    ("无犯罪记录证明", ("无犯罪证明",), "证明", "police"),
    ("健康证明", ("健康证",), "证明", "health"),
    ("婚姻状况证明", (), "证明", "civil"),
    ("亲属关系证明", (), "证明", "police"),
    ("居住证明", (), "证明", "police"),
)
# Names of the same proof that the dictionary does not link (planted near-duplicates across base entries).
NEAR_DUPLICATES = {
    "无犯罪记录证明": "无违法犯罪记录证明",
    "法定代表人身份证明": "法定代表人身份证明书",
    "授权委托书": "委托授权书",
    "场所使用证明": "经营场所使用证明",
    "健康证明": "健康体检证明",
    "房屋租赁合同": "房屋租赁协议",
    "申请人承诺书": "告知承诺书",
    "近期一寸免冠照片": "近期二寸免冠彩色照片",
    "居住证明": "居住地证明",
}
COMMON_MATERIALS = (
    "授权委托书",
    "法定代表人身份证明",
    "场所使用证明",
    "房屋租赁合同",
    "申请人承诺书",
    "近期一寸免冠照片",
    "公司章程",
    "相关人员名单",
    "安全管理制度",
)
PERSON_PROOFS = (
    "居民户口簿",
    "结婚证",
    "离婚证",
    "出生医学证明",
    "社会保障卡",
    "居住证",
    "残疾人证",
    "婚姻状况证明",
    "亲属关系证明",
    "居住证明",
    "毕业证书",
    "医学死亡证明",
)
BUSINESS_PROOFS = ("不动产权证书", "无犯罪记录证明", "健康证明", "机动车行驶证", "机动车驾驶证", "教师资格证书")
DECORATIONS = (
    "{}",
    "{}",
    "{}复印件",
    "{}(复印件)",
    "{}(原件)",
    "{}原件及复印件",
    "{}(原件或复印件)",
    "【{}】",
    "{}复印件加盖公章",
    "{} 副本",
    "《{}》",
    "{}扫描件",
    "{}（原件）",
    "{}电子版",
)
CERT_RE = re.compile(r"(?:证|照|证书|执照|许可证|证件)(?:[（(][^）)]*[）)])?$")
NOT_CERT_RE = re.compile(r"(?:证明|保证|论证|认证)$")
CN_DIGITS = "零一二三四五六七八九"

# --------------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------------


def cn_number(n: int) -> str:
    """1..999 in Chinese numerals, as article numbers are written (第一百二十二条)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    out = CN_DIGITS[hundreds] + "百"
    if rest == 0:
        return out
    if rest < 10:
        return out + "零" + CN_DIGITS[rest]
    return out + CN_DIGITS[rest // 10] + "十" + (CN_DIGITS[rest % 10] if rest % 10 else "")


_PLAIN_OK = re.compile(r"^[^\x00-\x40\[\]{}`|>'\"\\^_~-][^\x00-\x1f]*$")


def q(value: str) -> str:
    """A YAML scalar for `value`: plain when it starts with a non-ASCII character or letter and is unambiguous."""
    if _PLAIN_OK.match(value) and ": " not in value and " #" not in value and not value.endswith((" ", ":")):
        return value
    return json.dumps(value, ensure_ascii=False)


def flow(values: Iterable[str]) -> str:
    return "[" + ", ".join(values) + "]"


def result_type(name: str, preferred: str) -> str:
    return "出证办结" if CERT_RE.search(name) and not NOT_CERT_RE.search(name) else preferred


@dataclass
class Dept:
    name: str
    uscc: str | None
    region: str | None
    level: str
    line: str | None  # None for street offices (they implement several lines' matters)
    kind: str = "政府部门"
    guiding_code: str | None = None
    short: str | None = None


@dataclass
class Limit:
    value: int
    unit: str

    def working_days(self) -> float:
        if self.unit == "工作日":
            return float(self.value)
        days = self.value if self.unit == "自然日" else self.value / 24
        return days * 5 / 7


@dataclass
class Mat:
    std: str  # dictionary / vocabulary name this material is
    name: str  # as written in the file
    kind: str
    form: str | None
    copies: int | None
    necessity: str
    source: str
    issuer_line: str | None
    basis: tuple[str, str] | None = None
    instructions: str | None = None


@dataclass
class BaseSpec:
    code: str
    name: str
    type: str
    line: Line
    levels: list[str]
    bases: list[tuple[str, str, str | None]]  # law, article, text
    targets: list[str]
    conditions: str
    materials: list[Mat]
    legal: Limit
    fees: list[tuple[str, str, str]]  # name, standard, law
    results: list[tuple[str, str]]  # type, name
    penalty: tuple[str, list[str], str] | None = None
    levy: str | None = None
    status: str = "在用"
    version: int = 1
    main: bool = False  # a main item (…00Y) that only its sub-items implement
    remarks: str | None = None


@dataclass
class ImplSpec:
    code: str
    base: BaseSpec
    region: Region
    body: Dept
    name: str
    power_source: str
    entrusting: str | None
    bases: list[tuple[str, str, str | None]]
    targets: list[str]
    materials: list[Mat]
    issuers: list[str | None]
    case_kind: str
    promised: Limit
    visits: int
    visit_reason: str | None
    forms: list[str]
    depth: list[str]
    scope: str | None
    in_hall: bool
    charges: bool
    special: list[tuple[str, Limit]]
    intermediary: list[tuple[str, bool, str]]
    process: list[tuple[str, Limit | None]]
    phone: str
    supervise: str
    address: str
    faq: list[tuple[str, str]]
    business_items: list[str]
    status: str
    version: int


# --------------------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------------------


class Generator:
    def __init__(self, matters: int, seed: int, province: str) -> None:
        if matters < 12:
            raise SystemExit("--matters must be at least 12 (11 base entries, one per type, and an implementation)")
        self.n = matters
        self.rng = random.Random(seed)
        self.table = region_table()
        found = self.table.get(province + "0000")
        if found is None:
            raise SystemExit(f"unknown province code {province}")
        self.province: Region = found
        self.s2t = opencc.OpenCC("s2t")
        self.s2hk = opencc.OpenCC("s2hk")
        self.lines = {line.key: line for line in LINES}
        self.synonyms = self._synonym_table()
        self.proof_by_name = {p[0]: p for p in PROOFS}
        self._variants: dict[str, tuple[list[str], list[str], list[str]]] = {}
        self.usccs: set[str] = set()
        self.bases: list[BaseSpec] = []
        self.impls: list[ImplSpec] = []
        self.depts: list[Dept] = []
        self.regions: list[Region] = []
        self.area_code: dict[str, str] = {}
        self.streets = 2

    # -- material names ------------------------------------------------------------------------------------------

    def _synonym_table(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for name, synonyms, _, _ in PROOFS:
            standard = normalise(name).key
            table[standard] = standard
            for alias in synonyms:
                table.setdefault(normalise(alias).key, standard)
        return table

    def key(self, name: str) -> str:
        k = normalise(name).key
        return self.synonyms.get(k, k)

    def variants(self, std: str) -> tuple[list[str], list[str], list[str]]:
        """The ways this generator writes material `std` that still normalise to it: (decorated, synonyms,
        traditional), each sorted so that choices are deterministic."""
        cached = self._variants.get(std)
        if cached is not None:
            return cached
        target = self.key(std)
        synonyms = list(self.proof_by_name[std][1]) if std in self.proof_by_name else []

        def ok(names: Iterable[str]) -> list[str]:
            return sorted({n for n in names if n != std and self.key(n) == target})

        decorated = ok(d.format(std) for d in DECORATIONS)
        by_synonym = ok(d.format(s) for s in synonyms for d in DECORATIONS[:6])
        traditional = ok(
            conv.convert(n) for n in [std, *decorated[:6], *by_synonym[:3]] for conv in (self.s2t, self.s2hk)
        )
        self._variants[std] = (decorated, by_synonym, traditional)
        return self._variants[std]

    def written(self, std: str, plain: float) -> str:
        """How one file writes material `std`: usually as is, otherwise a decorated, synonym or traditional form."""
        rng = self.rng
        if rng.random() < plain:
            return std
        decorated, by_synonym, traditional = self.variants(std)
        roll = rng.random()
        pool = (by_synonym if roll < 0.3 else traditional if roll < 0.45 else decorated) or decorated or [std]
        return rng.choice(pool)

    # -- registry ------------------------------------------------------------------------------------------------

    def new_uscc(self, region: str, head: str = "11") -> str:
        while True:
            roll = self.rng.random()
            if roll < 0.7:
                org8 = "00" + "".join(self.rng.choice("0123456789") for _ in range(6))
            elif roll < 0.9:
                org8 = "MB" + "".join(self.rng.choice("0123456789") for _ in range(6))
            else:
                org8 = "".join(self.rng.choice("0123456789") for _ in range(8))
            org = org8 + (org_code_check_char(org8) or "0")
            first17 = head + region + org
            uscc = first17 + (uscc_check_char(first17) or "0")
            if uscc not in self.usccs:
                self.usccs.add(uscc)
                return uscc

    def choose_regions(self, prefectures: int) -> None:
        table = self.table
        prefs = sorted((r for r in table if r.parent == self.province.code), key=lambda r: r.code)
        chosen = prefs[:prefectures]
        regions = [self.province]
        for pref in chosen:
            regions.append(pref)
            regions.extend(sorted((r for r in table if r.parent == pref.code), key=lambda r: r.code))
        self.regions = regions

    def build_departments(self) -> None:
        depts: list[Dept] = []
        for line in LINES:
            depts.append(Dept(line.ministry, None, None, "国家级", line.key, guiding_code=line.dd))
        rng = self.rng
        names: set[str] = set()
        for region in self.regions:
            parent_name = ""
            if region.level == "省级":
                level, prefix = "省级", region.name
            elif region.level == "地市级":
                level, prefix = "地市级", region.name
            else:
                parent = self.table.get(region.parent or "")
                parent_name = parent.name if parent else ""
                level = "区县级"
                prefix = (parent_name if region.name.endswith("区") else "") + region.name
            self.area_code.setdefault(region.code[:4], "0" + str(rng.randint(510, 599)))
            if level == "地市级" and region.name == self.province.name:
                continue  # a municipality (北京市): its prefecture level has no departments of its own
            for line in LINES:
                if level == "省级":
                    suffix = line.province_suffix
                elif level == "区县级" and region.name.endswith("区"):
                    suffix = line.district_suffix
                else:
                    suffix = line.local_suffix
                name = prefix + suffix
                if name in names and parent_name:
                    name = parent_name + name
                names.add(name)
                depts.append(Dept(name, self.new_uscc(region.code), region.code, level, line.key))
                if level == "地市级" and line.center:
                    depts.append(
                        Dept(
                            prefix + line.center,
                            self.new_uscc(region.code, "12"),
                            region.code,
                            level,
                            line.key,
                            kind="事业单位",
                        )
                    )
            if level == "区县级":
                for street in rng.sample(STREETS, self.streets):
                    town = street + ("街道" if region.name.endswith("区") else "镇")
                    office = "办事处" if town.endswith("街道") else "人民政府"
                    depts.append(
                        Dept(
                            prefix + town + office,
                            self.new_uscc(region.code),
                            region.code,
                            "乡镇(街道)级",
                            None,
                            short=town,
                        )
                    )
        self.depts = depts
        self.dept_by_region_line: dict[tuple[str, str], Dept] = {}
        for d in depts:
            if d.region and d.line and d.kind == "政府部门":
                self.dept_by_region_line.setdefault((d.region, d.line), d)

    # -- base entries --------------------------------------------------------------------------------------------

    def base_names(self, line: Line, type_: str) -> Iterator[str]:
        """Candidate names for base entries of one line and type, most specific first, never running out."""
        rng = self.rng
        subjects, permits = list(line.subjects), list(line.permits)
        if type_ == "行政许可":
            names = [p + "许可" if not p.endswith(("审批", "核发", "审核同意")) else p for p in permits]
        elif type_ == "行政处罚":
            names = [f"对{s}{v}的行政处罚" for s in subjects for v in VIOLATIONS]
        elif type_ == "行政强制":
            names = [c.format(s=s) for s in subjects for c in COERCIONS]
        elif type_ == "行政检查":
            names = [f"对{s}{a}的监督检查" if a else f"对{s}的行政检查" for s in subjects for a in INSPECTION_ASPECTS]
        elif type_ == "行政确认":
            names = list(line.confirms) + [f"{s}信息变更登记" for s in subjects]
        elif type_ == "行政给付":
            names = list(line.payments) + [f"{s}相关补助资金发放" for s in subjects]
        elif type_ == "行政征收":
            names = list(line.levies) + [f"{p}相关行政事业性收费征收" for p in permits]
        elif type_ == "行政奖励":
            names = list(line.rewards) + [f"对举报{s}违法行为有功人员的奖励" for s in subjects]
        elif type_ == "行政裁决":
            names = list(line.adjudications) + [f"{s}相关权属争议的行政裁决" for s in subjects]
        elif type_ == "其他行政权力":
            names = list(line.others) + [f"{p}事项备案" for p in permits]
        else:
            names = list(line.services) + [f"{p}政策咨询" for p in permits] + [f"{s}信息查询" for s in subjects]
        specific = {
            "行政确认": line.confirms,
            "行政给付": line.payments,
            "行政征收": line.levies,
            "行政奖励": line.rewards,
            "行政裁决": line.adjudications,
            "其他行政权力": line.others,
            "公共服务": line.services,
        }.get(type_, ())
        first, rest = names[: len(specific)], names[len(specific) :]
        rng.shuffle(first)
        rng.shuffle(rest)
        yield from first
        yield from rest
        n = 2
        while True:
            for name in names:
                yield f"{name}(第{cn_number(n)}类情形)"
            n += 1

    def build_bases(self) -> None:
        rng = self.rng
        # ~5% base entries, but no more than a province's base catalogue holds (a few thousand to ~20,000 matters):
        # at 2,000,000 matters that is 20,000 bases with ~100 implementation entries each. Below 400,000 matters the
        # cap changes nothing, so the catalogues of earlier sizes stay byte-identical.
        total = max(11, min(round(self.n * 0.05), MAX_BASES))
        # Every type at least once, the rest by weight.
        types = [t for t, _, _ in TYPES]
        weights = [w for _, _, w in TYPES]
        rest = rng.choices(types, weights=weights, k=total - len(types))
        rng.shuffle(types)
        plan = types + rest  # the mandatory one of each type comes first, so sub-items never crowd a type out
        name_iters: dict[tuple[str, str], Iterator[str]] = {}
        used_names: set[str] = set()
        seq: dict[tuple[str, str, str], int] = {}
        count = 0
        for type_ in plan:
            if count >= total:
                break
            line = rng.choice(LINES)
            it = name_iters.setdefault((line.key, type_), self.base_names(line, type_))
            name = next(it)
            while name in used_names:
                name = next(it)
            used_names.add(name)
            region = "00" if rng.random() < 0.97 else self.province.code[:2]
            key = (region, TYPE_CODE[type_], line.dd)
            seq[key] = seq.get(key, 0) + 1
            sss = f"{seq[key]:03d}"
            if seq[key] > 999:
                raise SystemExit("too many base entries for one type and department; use fewer --matters")
            stem = region + TYPE_CODE[type_] + line.dd + sss
            levels = self.base_levels(line, type_)
            if type_ == "行政许可" and count + 3 <= total and rng.random() < 0.12:
                main = self.make_base(stem + "00Y", name, type_, line, levels)
                main.main = True
                self.bases.append(main)
                count += 1
                for i, variant in enumerate(rng.sample(PERMIT_VARIANTS, rng.randint(2, 3)), start=1):
                    sub = self.make_base(f"{stem}{i:03d}", f"{name}({variant})", type_, line, levels)
                    sub.results = main.results
                    self.bases.append(sub)
                    count += 1
            else:
                self.bases.append(self.make_base(stem + "000", name, type_, line, levels))
                count += 1
        # A few cancelled entries (their implementations are cancelled too).
        for base in rng.sample(self.bases, max(1, len(self.bases) // 100)):
            if not base.main and not base.code.endswith("00Y"):
                base.status = "已取消"
                base.remarks = "根据国务院关于取消和下放一批行政许可事项的决定予以取消"

    def base_levels(self, line: Line, type_: str) -> list[str]:
        rng = self.rng
        options = [["省级", "地市级", "区县级"], ["地市级", "区县级"], ["区县级"], ["省级", "地市级"], ["省级"]]
        weights = [40, 30, 18, 8, 4]
        if line.township and type_ in ("行政给付", "行政确认", "公共服务", "其他行政权力"):
            options += [["区县级", "乡镇(街道)级"], ["地市级", "区县级", "乡镇(街道)级"]]
            weights += [30, 30]
        return list(rng.choices(options, weights=weights)[0])

    def make_base(self, code: str, name: str, type_: str, line: Line, levels: list[str]) -> BaseSpec:
        rng = self.rng
        laws = list(line.laws)
        cited = rng.sample(laws, rng.randint(1, min(2, len(laws))))
        bases = [
            (
                law[0],
                f"第{cn_number(rng.randint(2, 120))}条",
                rng.choice(ARTICLE_TEXTS).format(o=name[:6]) if rng.random() < 0.6 else None,
            )
            for law in cited
        ]
        general = {"行政许可": 0, "行政处罚": 1, "行政强制": 2}.get(type_)
        if general is not None and rng.random() < 0.5:
            bases.append((GENERAL_LAWS[general][0], f"第{cn_number(rng.randint(2, 60))}条", None))
        if code[:2] != "00":
            bases.append(
                (f"{self.province.name}{line.permits[0]}管理条例", f"第{cn_number(rng.randint(2, 40))}条", None)
            )
        person = rng.random() < 0.5
        if type_ in ("行政给付", "行政奖励", "公共服务") or (line.key in ("veterans", "civil") and person):
            targets = ["自然人"]
        elif type_ in ("行政处罚", "行政强制", "行政检查"):
            targets = ["自然人", "企业法人", "非法人企业", "其他组织"]
        else:
            targets = rng.choice(
                [
                    ["企业法人", "非法人企业"],
                    ["自然人", "企业法人"],
                    ["企业法人", "事业法人", "社会组织法人"],
                    ["自然人"],
                ]
            )
        materials = self.base_materials(name, type_, line, targets)
        legal = self.legal_limit(type_)
        fees: list[tuple[str, str, str]] = []
        if type_ in ("行政许可", "行政确认") and rng.random() < 0.1:
            fees.append(
                (
                    f"{name[:10]}费",
                    rng.choice(FEE_STANDARDS).format(x=rng.choice((10, 20, 50, 80, 100, 550))),
                    GENERAL_LAWS[4][0],
                )
            )
        results = self.results(name, type_, line)
        penalty = None
        if type_ == "行政处罚":
            conduct = name.removeprefix("对").removesuffix("的行政处罚")
            a = rng.choice((1000, 2000, 5000, 10000))
            penalty = (
                conduct,
                sorted(rng.sample(PENALTY_KINDS, rng.randint(1, 3)), key=PENALTY_KINDS.index),
                rng.choice(PENALTY_RANGES).format(a=a, b=a * rng.choice((5, 10, 20))),
            )
        levy = rng.choice(("行政事业性收费", "政府性基金")) if type_ == "行政征收" else None
        if levy and "税" in name:
            levy = "税收"
        conditions = rng.choice(CONDITIONS).format(n=name[:12])
        return BaseSpec(
            code,
            name,
            type_,
            line,
            levels,
            bases,
            targets,
            conditions,
            materials,
            legal,
            fees,
            results,
            penalty,
            levy,
            version=rng.randint(1, 4),
        )

    def base_materials(self, name: str, type_: str, line: Line, targets: list[str]) -> list[Mat]:
        rng = self.rng
        out: list[Mat] = []
        seen: set[str] = set()

        def add(
            std: str,
            kind: str,
            source: str = "申请人自备",
            issuer_line: str | None = None,
            basis: tuple[str, str] | None = None,
            instructions: str | None = None,
        ) -> None:
            if std in NEAR_DUPLICATES and rng.random() < 0.35:
                std = NEAR_DUPLICATES[std]
            k = self.key(std)
            if k in seen:
                return
            seen.add(k)
            form = rng.choice(("原件", "复印件", "原件或复印件", "原件和复印件", "电子", None))
            out.append(
                Mat(
                    std,
                    self.written(std, 0.8),
                    kind,
                    form,
                    rng.choice((1, 1, 2, None)),
                    "必要",
                    source,
                    issuer_line,
                    basis,
                    instructions,
                )
            )

        size = rng.randint(4, 14)
        if type_ in ("行政处罚", "行政强制", "行政检查"):
            for doc in rng.sample(CASE_DOCUMENTS, min(size, len(CASE_DOCUMENTS))):
                add(doc, "其他材料")
            return out
        suffix = "申请书" if type_ == "行政许可" else "申请表"
        add(
            f"{name}{suffix}",
            "申请表",
            instructions="按要求如实填写,并由申请人签字或者盖章" if rng.random() < 0.3 else None,
        )
        if "自然人" in targets:
            add("居民身份证", "证照", "政府部门核发", "police")
        if any(t != "自然人" for t in targets):
            add("营业执照", "证照", "政府部门核发", "market")
            add("法定代表人身份证明", "证明")
        proofs = list(PERSON_PROOFS if "自然人" in targets else BUSINESS_PROOFS)
        line_materials, common = list(line.materials), list(COMMON_MATERIALS)
        rng.shuffle(line_materials)
        rng.shuffle(common)
        pool: list[tuple[str, str]] = [(p, self.proof_by_name[p][2]) for p in rng.sample(proofs, rng.randint(0, 3))]
        pool += [(m, "其他材料") for m in line_materials[: rng.randint(2, len(line_materials))]]
        pool += [(m, "其他材料") for m in common]
        for std, kind in pool:
            if len(out) >= size:
                break
            proof = self.proof_by_name.get(std)
            if proof is not None and proof[3] is not None:
                basis = None
                if kind == "证明" and rng.random() < 0.5:
                    law = rng.choice(self.lines[proof[3]].laws)[0]
                    basis = (law, f"第{cn_number(rng.randint(2, 80))}条")
                add(std, kind, "政府部门核发", proof[3], basis=basis)
            else:
                add(std, kind if kind in ("证照", "证明") else rng.choice(("其他材料", "其他材料", "证明")))
        return out

    def legal_limit(self, type_: str) -> Limit:
        rng = self.rng
        if type_ == "行政处罚":
            return Limit(rng.choice((90, 90, 180)), "自然日")
        if type_ == "行政强制":
            return Limit(30, "自然日")
        if type_ == "公共服务":
            return Limit(rng.choice((1, 3, 5)), "工作日")
        if type_ == "行政许可":
            return Limit(rng.choice((20, 20, 20, 15, 30, 45, 60)), "工作日")
        return Limit(rng.choice((5, 10, 15, 20, 30, 60)), "工作日")

    def results(self, name: str, type_: str, line: Line) -> list[tuple[str, str]]:
        rng = self.rng
        if name.endswith("许可"):
            licence = name + "证"
        elif name.endswith("核发"):
            licence = name.removesuffix("核发")
        else:
            licence = name + "决定书"
        table = {
            "行政许可": [(licence, "出证办结"), (f"准予{name}决定书", "出文办结"), (f"{name}批复", "审批办结")],
            "行政处罚": [("行政处罚决定书", "出文办结"), ("不予行政处罚决定书", "出文办结")],
            "行政强制": [("查封(扣押)决定书", "出文办结"), ("行政强制执行决定书", "出文办结")],
            "行政征收": [("非税收入缴款通知书", "出文办结")],
            "行政给付": [(f"{name.removesuffix('发放')}给付决定", "审批办结"), ("给付结果告知书", "出文办结")],
            "行政检查": [("检查结果告知书", "出文办结"), ("责令整改通知书", "出文办结")],
            "行政确认": [(f"{name}证书", "出证办结"), (f"{name}结果通知书", "出文办结")],
            "行政奖励": [("荣誉证书", "出证办结"), ("表彰奖励决定", "出文办结")],
            "行政裁决": [("行政裁决书", "出文办结")],
            "其他行政权力": [("备案回执", "其他"), ("备案证明", "出文办结")],
            "公共服务": [("办理结果告知", "其他"), (f"{name.removesuffix('查询')}证明", "出文办结")],
        }[type_]
        picked = rng.sample(table, 1 if rng.random() < 0.8 or len(table) == 1 else 2)
        return [(result_type(n, t), n) for n, t in picked]

    # -- implementation entries ----------------------------------------------------------------------------------

    def candidates(self, base: BaseSpec) -> list[Dept]:
        if base.main:
            return []
        out = []
        for d in self.depts:
            if d.region is None or d.level not in base.levels:
                continue
            if d.line == base.line.key or (d.line is None and base.line.township):
                out.append(d)
        return out

    def plan_implementations(self) -> list[tuple[BaseSpec, Dept]]:
        need = self.n - len(self.bases)
        prefs = sorted(r.code for r in self.table if r.parent == self.province.code)
        k = min(len(prefs), max(2, math.ceil(self.n / 3000)))
        while True:
            self.choose_regions(k)
            self.build_departments()
            cands = [self.candidates(b) for b in self.bases]
            capacity = sum(len(c) for c in cands)
            if capacity >= need * 1.3 or (k >= len(prefs) and (capacity >= need or self.streets >= len(STREETS))):
                break
            if k < len(prefs):
                k += 1
            else:
                self.streets += 2  # a small province (e.g. 北京市): more streets and towns per district
            self.usccs.clear()
        if capacity < need:
            raise SystemExit(
                f"only {capacity} implementation slots for {need}; use another --province or fewer matters"
            )
        rng = self.rng
        counts = [need * len(c) // capacity for c in cands]
        spare = [i for i, c in enumerate(cands) if len(c) > counts[i]]
        while sum(counts) < need:
            i = rng.choice(spare)
            counts[i] += 1
            if counts[i] >= len(cands[i]):
                spare.remove(i)
        plan = []
        for base, cand, count in zip(self.bases, cands, counts, strict=True):
            for dept in rng.sample(cand, count):
                plan.append((base, dept))
        return plan

    def build_implementations(self) -> None:
        for base, dept in self.plan_implementations():
            self.impls.append(self.make_impl(base, dept))

    def make_impl(self, base: BaseSpec, body: Dept) -> ImplSpec:
        rng = self.rng
        region = self.table.get(body.region or "")
        assert region is not None
        code = f"{body.uscc}{LEVEL_CODE[body.level]}{base.code}"
        source, entrusting = "法定本级行使", None
        if body.level == "乡镇(街道)级":
            source = rng.choice(("上级下放", "法定本级行使"))
        elif body.kind == "事业单位":
            source = "上级授权"
        elif rng.random() < 0.05 and region.parent:
            parent_dept = self.dept_by_region_line.get((region.parent, base.line.key))
            if parent_dept is not None:
                source, entrusting = "上级委托", parent_dept.name
        bases = base.bases[: rng.randint(1, len(base.bases))]
        targets = sorted(rng.sample(base.targets, rng.randint(1, len(base.targets))), key=base.targets.index)
        size = len(base.materials)
        keep = min(size, max(3, size - rng.choice((0, 0, 0, 1, 1, 2, 3))), 12)
        chosen = sorted(rng.sample(range(size), keep))
        materials, issuers = [], []
        for i in chosen:
            m = base.materials[i]
            name = self.written(m.std, 0.45)
            necessity = m.necessity if rng.random() < 0.9 else rng.choice(("容缺后补", "非必要"))
            materials.append(
                Mat(m.std, name, m.kind, m.form, m.copies, necessity, m.source, m.issuer_line, m.basis, m.instructions)
            )
            issuer = None
            if m.source == "政府部门核发" and m.issuer_line:
                dept = self.dept_by_region_line.get((region.code, m.issuer_line)) or self.dept_by_region_line.get(
                    (self.province.code, m.issuer_line)
                )
                issuer = dept.name if dept else None
            issuers.append(issuer)
        legal = base.legal
        ex_officio = base.type in ("行政处罚", "行政强制", "行政检查")
        immediate = not ex_officio and ((legal.value <= 5 and rng.random() < 0.6) or rng.random() < 0.12)
        if immediate:
            case_kind, promised = "即办件", Limit(0, legal.unit if legal.unit != "小时" else "工作日")
        else:
            case_kind = "承诺件"
            if legal.value == 0:
                case_kind, promised = "即办件", Limit(0, "工作日")
            elif legal.unit == "工作日" and legal.value <= 2 and rng.random() < 0.5:
                promised = Limit(rng.choice((2, 4, 8)) * legal.value, "小时")
            else:
                ratio = rng.choice((1.0, 0.75, 0.5, 0.5, 0.3, 0.25, 0.2))
                promised = Limit(max(1, int(legal.value * ratio)), legal.unit)
        if ex_officio:
            forms, depth = ["窗口办理"], []
        else:
            forms = rng.choice(
                (["窗口办理", "网上办理"], ["窗口办理", "网上办理", "快递申请"], ["网上办理"], ["窗口办理"])
            )
            if "网上办理" in forms:
                full = ["互联网咨询", "收件", "预审", "受理", "办理", "办理结果信息反馈"]
                depth = full[: rng.choice((2, 4, 5, 6, 6))]
                if "办理" in depth and any(m.kind == "证照" for m in materials) and rng.random() < 0.3:
                    depth.append("电子证照反馈")
            else:
                depth = []
        if "办理" in depth:
            visits, reason = 0, None
        else:
            visits = rng.choice((0, 1, 1, 1, 2)) if not ex_officio else 1
            reason = rng.choice(VISIT_REASONS) if visits else None
        charges = bool(base.fees) and rng.random() < 0.85
        special = []
        if base.type == "行政许可" and rng.random() < 0.2:
            special.append(
                rng.choice(
                    (
                        ("现场核查", Limit(10, "工作日")),
                        ("专家评审", Limit(20, "工作日")),
                        ("听证", Limit(20, "工作日")),
                        ("检验检测", Limit(15, "工作日")),
                    )
                )
            )
        intermediary = []
        if base.type == "行政许可" and rng.random() < 0.1:
            intermediary.append(
                (
                    rng.choice(("安全评价", "环境影响评价文件编制", "检验检测", "工程勘察设计")),
                    rng.random() < 0.7,
                    base.bases[0][0],
                )
            )
        steps = (
            ("立案", "调查取证", "告知", "决定", "送达", "执行")
            if ex_officio
            else ("申请与受理", "审查", "决定", "送达")
            if case_kind == "承诺件"
            else ("受理", "办结")
        )
        process: list[tuple[str, Limit | None]] = []
        for step in steps:
            if case_kind == "承诺件" and step in ("审查", "调查取证") and promised.value > 1:
                process.append((step, Limit(max(1, promised.value // 2), promised.unit)))
            else:
                process.append((step, None))
        area = self.area_code[region.code[:4]]
        phone = f"{area}-{rng.randint(81000000, 89999999)}"
        parent = self.table.get(region.parent or "")
        where = parent.name + region.name if region.level == "区县级" and parent else region.name
        if body.level == "乡镇(街道)级":
            where = body.short or where
        hall = "便民服务中心" if body.level == "乡镇(街道)级" else "政务服务中心"
        address = f"{where}{hall}{rng.randint(1, 40)}号窗口" if not ex_officio else f"{body.name}执法大队"
        faq = [(qq.format(n=base.name[:16]), aa) for qq, aa in rng.sample(FAQ, rng.randint(0, 2))]
        items = []
        if rng.random() < 0.05:
            items = [f"{base.name}(首次申请)", f"{base.name}(变更)"][: rng.randint(1, 2)]
        name = base.name
        return ImplSpec(
            code,
            base,
            region,
            body,
            name,
            source,
            entrusting,
            bases,
            targets,
            materials,
            issuers,
            case_kind,
            promised,
            visits,
            reason,
            forms,
            depth,
            rng.choice((None, "全市", "全市", "全省", "跨省")),
            rng.random() < 0.9,
            charges,
            special,
            intermediary,
            process,
            phone,
            "12345",
            address,
            faq,
            items,
            "已取消" if base.status == "已取消" else ("暂停" if rng.random() < 0.005 else "在用"),
            rng.randint(1, base.version),
        )

    def generate(self) -> None:
        self.build_bases()
        self.build_implementations()

    # -- rendering -----------------------------------------------------------------------------------------------

    def files(self) -> Iterator[tuple[str, str]]:
        yield "registry/departments.yaml", self.render_departments()
        yield "registry/laws.yaml", self.render_laws()
        yield "registry/proofs.yaml", self.render_proofs()
        yield "registry/proofs-kept.yaml", self.render_proof_list()
        yield "registry/regions.yaml", self.render_regions()
        for base in self.bases:
            yield f"base/{base.code}.yaml", render_base(base)
        for impl in self.impls:
            yield f"impl/{impl.region.code}/{impl.code}.yaml", render_impl(impl)

    def render_departments(self) -> str:
        out = ["部门:"]
        for d in self.depts:
            out.append(f"  - 部门名称: {q(d.name)}")
            if d.uscc:
                out.append(f'    统一社会信用代码: "{d.uscc}"')
            if d.short:
                out.append(f"    简称: {q(d.short)}")
            if d.region:
                out.append(f'    行政区划代码: "{d.region}"')
            out.append(f"    层级: {d.level}")
            if d.kind != "政府部门":
                out.append(f"    部门性质: {d.kind}")
            if d.guiding_code:
                out.append(f'    业务指导部门代码: "{d.guiding_code}"')
        return "\n".join(out) + "\n"

    def render_laws(self) -> str:
        out = ["法律法规:"]
        seen: set[str] = set()

        def law(
            name: str, rank: str, issuer: str | None, number: str | None, date: str | None, valid: bool = True
        ) -> None:
            if name in seen:
                return
            seen.add(name)
            out.append(f"  - 名称: {q(name)}")
            out.append(f"    效力级别: {rank}")
            if issuer:
                out.append(f"    制定机关: {q(issuer)}")
            if number:
                out.append(f"    文号: {q(number)}")
            if date:
                out.append(f'    施行日期: "{date}"')
            if not valid:
                out.append("    是否有效: false")

        for name, rank, issuer, number, date in GENERAL_LAWS:
            law(name, rank, issuer, number, date)
        for line in LINES:
            for name, rank, date in line.laws:
                issuer = {"法律": "全国人民代表大会常务委员会", "行政法规": "国务院"}.get(rank, line.ministry)
                law(name, rank, issuer, None, date)
        for line in LINES:
            law(
                f"{self.province.name}{line.permits[0]}管理条例",
                "地方性法规",
                f"{self.province.name}人民代表大会常务委员会",
                None,
                "2020-01-01",
            )
        for name, rank, issuer, date in REPEALED_LAWS:
            law(name, rank, issuer, None, date, valid=False)
        return "\n".join(out) + "\n"

    def province_dept(self, line_key: str | None) -> str | None:
        if line_key is None:
            return None
        dept = self.dept_by_region_line.get((self.province.code, line_key))
        return dept.name if dept else None

    def render_proofs(self) -> str:
        out = ["证照证明:"]
        issuing: dict[str, str] = {}
        for base in self.bases:
            for result_kind, result in base.results:
                if result_kind == "出证办结" and not base.main:
                    issuing.setdefault(result, base.code)
        for name, synonyms, kind, line in PROOFS:
            out.append(f"  - 标准名称: {q(name)}")
            if synonyms:
                out.append(f"    同义词: {flow(q(s) for s in synonyms)}")
            out.append(f"    类别: {kind}")
            issuer = self.province_dept(line)
            if issuer:
                out.append(f"    出具单位: {q(issuer)}")
        # Certificates that the catalogue's own matters issue.
        keys = set(self.synonyms)
        for result, code in list(issuing.items())[:30]:
            if self.key(result) in keys:
                continue
            keys.add(self.key(result))
            out.append(f"  - 标准名称: {q(result)}")
            out.append("    类别: 证照")
            out.append(f'    出具事项: "{code}"')
        return "\n".join(out) + "\n"

    def render_proof_list(self) -> str:
        """registry/proofs-kept.yaml: every generated 证明 kept, on its line's first law (the generated matters ask
        for them as the kept list says, so the proof rules find nothing; the embedded catalogue plants those)."""
        out = ["保留证明事项:"]
        for i, (name, _synonyms, kind, line) in enumerate(PROOFS):
            if kind != "证明" or line is None:
                continue
            issuer = self.province_dept(line)
            law = self.lines[line].laws[0][0]
            out.append(f"  - 证明名称: {q(name)}")
            out.append("    证明用途:")
            out.append(f"      - 用途: {q('办理需要' + name + '的事项')}")
            out.append("    设定依据:")
            out.append(f"      - 法律法规名称: {q(law)}")
            out.append(f"        条款号: 第{cn_number(3 + i)}条")
            out.append(f"    开具单位: {q(issuer or '')}")
            out.append("    告知承诺: 不适用")
            out.append("    不适用原因: 须由开具单位核实")
        return "\n".join(out) + "\n"

    def render_regions(self) -> str:
        out = ["行政区划:"]
        for r in self.regions:
            out.append(f'  - 行政区划代码: "{r.code}"')
            out.append(f"    名称: {q(r.name)}")
            out.append(f"    层级: {r.level}")
            if r.parent:
                out.append(f'    上级: "{r.parent}"')
        return "\n".join(out) + "\n"


def _legal_bases(out: list[str], bases: Sequence[tuple[str, str, str | None]], indent: str = "") -> None:
    out.append(f"{indent}设定依据:")
    for law, article, text in bases:
        out.append(f"{indent}  - 法律法规名称: {q(law)}")
        out.append(f"{indent}    条款号: {q(article)}")
        if text:
            out.append(f"{indent}    条款内容: {q(text)}")


def _limit(out: list[str], key: str, limit: Limit, note: str | None = None, indent: str = "") -> None:
    out.append(f"{indent}{key}:")
    out.append(f"{indent}  时限: {limit.value}")
    out.append(f"{indent}  单位: {limit.unit}")
    if note:
        out.append(f"{indent}  说明: {q(note)}")


def _materials(out: list[str], materials: Sequence[Mat], issuers: Sequence[str | None] | None = None) -> None:
    if not materials:
        return
    out.append("申请材料:")
    for i, m in enumerate(materials):
        out.append(f"  - 材料名称: {q(m.name)}")
        out.append(f"    材料类别: {m.kind}")
        if m.form:
            out.append(f"    材料形式: {m.form}")
        if m.copies is not None:
            out.append(f"    纸质份数: {m.copies}")
        if m.necessity != "必要":
            out.append(f"    必要性: {m.necessity}")
        if m.source != "申请人自备":
            out.append(f"    来源渠道: {m.source}")
        issuer = issuers[i] if issuers else None
        if issuer:
            out.append(f"    出具单位: {q(issuer)}")
        if m.basis:
            out.append("    设定依据:")
            out.append(f"      - 法律法规名称: {q(m.basis[0])}")
            out.append(f"        条款号: {q(m.basis[1])}")
        if m.instructions:
            out.append(f"    填报须知: {q(m.instructions)}")


def _common_tail(out: list[str], spec: BaseSpec, charges: bool, with_fees: bool) -> None:
    out.append(f"是否收费: {'true' if charges else 'false'}")
    if with_fees and spec.fees:
        out.append("收费项目:")
        for name, standard, law in spec.fees:
            out.append(f"  - 收费项目名称: {q(name)}")
            out.append(f"    收费标准: {q(standard)}")
            out.append("    收费依据:")
            out.append(f"      - 法律法规名称: {q(law)}")
    if spec.results:
        out.append("办理结果:")
        for kind, name in spec.results:
            out.append(f"  - 结果类型: {kind}")
            out.append(f"    结果名称: {q(name)}")
    if spec.penalty:
        conduct, kinds, range_ = spec.penalty
        out.append(f"处罚的行为: {q(conduct)}")
        out.append(f"处罚的种类: {flow(kinds)}")
        out.append(f"处罚的幅度: {q(range_)}")
    if spec.levy:
        out.append(f"征收种类: {spec.levy}")


def render_base(b: BaseSpec) -> str:
    out = [f"# {b.name}", f'基本编码: "{b.code}"', f"事项名称: {q(b.name)}", f"事项类型: {b.type}"]
    if b.status != "在用":
        out.append(f"事项状态: {b.status}")
    out.append(f"事项版本: {b.version}")
    out.append(f"主管部门: {q(b.line.ministry)}")
    out.append(f"行使层级: {flow(b.levels)}")
    _legal_bases(out, b.bases)
    out.append(f"服务对象: {flow(b.targets)}")
    out.append(f"受理条件: {q(b.conditions)}")
    _materials(out, b.materials)
    _limit(out, "法定办结时限", b.legal)
    _common_tail(out, b, bool(b.fees), True)
    if b.remarks:
        out.append(f"备注: {q(b.remarks)}")
    # The name --change gives an implementation it renames (apply_changes): an accepted variant, so name-drift
    # does not fire on the changed catalogue.
    out.append(f"别名: {flow([b.name + ('(简易程序)' if b.type == '行政处罚' else '(告知承诺制)')])}")
    return "\n".join(out) + "\n"


#: 事项类型 exercised ex officio (mattercli.model.codes.EX_OFFICIO_TYPES).
EX_OFFICIO_TYPES = ("行政处罚", "行政强制", "行政检查", "行政征收")


def render_impl(m: ImplSpec) -> str:
    b = m.base
    out = [
        f"# {m.name}({m.region.name})",
        f'实施编码: "{m.code}"',
        f'基本编码: "{b.code}"',
        f"事项名称: {q(m.name)}",
        f"事项类型: {b.type}",
    ]
    if m.status != "在用":
        out.append(f"事项状态: {m.status}")
    out.append(f"事项版本: {m.version}")
    out.append(f'行政区划代码: "{m.region.code}"')
    out.append("实施主体:")
    out.append(f"  名称: {q(m.body.name)}")
    out.append(f'  统一社会信用代码: "{m.body.uscc}"')
    out.append(f"  性质: {'授权组织' if m.body.kind == '事业单位' else '法定机关'}")
    out.append(f"行使层级: {m.body.level}")
    out.append(f"权力来源: {m.power_source}")
    if m.entrusting:
        out.append(f"委托部门: {q(m.entrusting)}")
    _legal_bases(out, m.bases)
    out.append(f"服务对象: {flow(m.targets)}")
    out.append(f"受理条件: {q(b.conditions)}")
    _materials(out, m.materials, m.issuers)
    _limit(out, "法定办结时限", b.legal)
    _common_tail(out, b, m.charges, m.charges)
    if b.type not in EX_OFFICIO_TYPES:  # 依职权 matters carry no service elements (rule ex-officio-service-elements)
        out.append(f"办件类型: {m.case_kind}")
        _limit(out, "承诺办结时限", m.promised, "即办" if m.case_kind == "即办件" else None)
        out.append(f"到办事现场次数: {m.visits}")
        if m.visit_reason:
            out.append(f"到现场原因: {q(m.visit_reason)}")
        out.append(f"办理形式: {flow(m.forms)}")
        if m.depth:
            out.append(f"网上办理深度: {flow(m.depth)}")
    if m.scope:
        out.append(f"通办范围: {m.scope}")
    out.append(f"是否进驻政务大厅: {'true' if m.in_hall else 'false'}")
    if m.special:
        out.append("特别程序:")
        for name, limit in m.special:
            out.append(f"  - 名称: {q(name)}")
            _limit(out, "时限", limit, indent="    ")
    if m.intermediary:
        out.append("中介服务:")
        for name, required, law in m.intermediary:
            out.append(f"  - 名称: {q(name)}")
            out.append(f"    是否必须: {'true' if required else 'false'}")
            out.append("    设定依据:")
            out.append(f"      - 法律法规名称: {q(law)}")
    out.append("办理流程:")
    for step, step_limit in m.process:
        out.append(f"  - 环节名称: {q(step)}")
        if step_limit:
            _limit(out, "环节时限", step_limit, indent="    ")
    out.append(f"咨询电话: {q(m.phone)}")
    out.append(f"监督电话: {q(m.supervise)}")
    out.append(f"办理地点: {q(m.address)}")
    if m.faq:
        out.append("常见问题:")
        for question, answer in m.faq:
            out.append(f"  - 问题: {q(question)}")
            out.append(f"    解答: {q(answer)}")
    if m.business_items:
        out.append("业务办理项:")
        for i, item in enumerate(m.business_items, start=1):
            out.append(f'  - 业务办理项编码: "{m.code}{i:02d}"')
            out.append(f"    名称: {q(item)}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------------------
# Writing, changes, git
# --------------------------------------------------------------------------------------------------------------


def write_files(root: Path, files: Iterable[tuple[str, str]]) -> int:
    made: set[Path] = set()
    count = 0
    for rel, text in files:
        path = root / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(text.encode("utf-8"))
        count += 1
    return count


def apply_changes(gen: Generator, k: int, seed: int) -> list[tuple[str, str]]:
    """Modify k implementation entries deterministically; return (relative path, new text) of each."""
    rng = random.Random(seed * 7919 + 17)
    active = [m for m in gen.impls if m.status == "在用"]
    picked = sorted(rng.sample(range(len(active)), min(k, len(active))))
    changed = []
    for n, index in enumerate(picked):
        m = active[index]
        action = ("shorten", "drop", "rename")[n % 3]
        if action == "shorten" and not (m.case_kind == "承诺件" and m.promised.value >= 2):
            action = "drop" if len(m.materials) > 1 else "rename"
        if action == "drop" and len(m.materials) <= 1:
            action = "rename"
        if action == "shorten":
            m.promised = Limit(max(1, m.promised.value // 2), m.promised.unit)
            m.process = [
                (s, Limit(min(lim.value, m.promised.value), lim.unit) if lim else None) for s, lim in m.process
            ]
        elif action == "drop":
            drop = rng.randrange(len(m.materials))
            del m.materials[drop]
            del m.issuers[drop]
        else:
            m.name += "(简易程序)" if m.base.type == "行政处罚" else "(告知承诺制)"
        m.version += 1
        changed.append((f"impl/{m.region.code}/{m.code}.yaml", render_impl(m)))
    return changed


def git(root: Path, *args: str, date: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    ident = [
        "-c",
        "user.name=mattercli generator",
        "-c",
        "user.email=generator@mattercli.invalid",
        "-c",
        "init.defaultBranch=main",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "core.autocrlf=false",
    ]
    result = subprocess.run(["git", *ident, *args], cwd=root, env=env, check=True, capture_output=True, text=True)
    return result.stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--matters", type=int, default=1000, help="number of matter files (base + implementation)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--province", default="33", help="2-digit GB/T 2260 province code (default 33 浙江省)")
    parser.add_argument("--git", action="store_true", help="git init and commit the catalogue")
    parser.add_argument(
        "--change",
        type=int,
        default=0,
        metavar="K",
        help="with --git: a second commit that modifies K implementation entries",
    )
    parser.add_argument("--force", action="store_true", help="replace OUT_DIR if it exists")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.change and not args.git:
        parser.error("--change needs --git")
    root: Path = args.out_dir
    if root.exists() and any(root.iterdir()):
        if not args.force:
            parser.error(f"{root} exists and is not empty (use --force to replace it)")
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    gen = Generator(args.matters, args.seed, args.province)
    gen.generate()
    count = write_files(root, gen.files())
    seconds = time.perf_counter() - started
    if not args.quiet:
        print(
            f"wrote {count} files ({len(gen.bases)} base, {len(gen.impls)} implementation entries, "
            f"{len(gen.regions)} regions, {len(gen.depts)} departments) to {root} in {seconds:.2f}s"
        )
    if args.git:
        git(root, "init", "-q", date="2025-01-01T09:00:00+08:00")
        git(root, "add", "-A", date="2025-01-01T09:00:00+08:00")
        git(
            root,
            "commit",
            "-q",
            "-m",
            f"生成事项目录 ({args.matters} 个事项, seed {args.seed})",
            date="2025-01-01T09:00:00+08:00",
        )
        first = git(root, "rev-parse", "HEAD", date="2025-01-01T09:00:00+08:00")
        print(f"commit {first}")
        if args.change:
            changed = apply_changes(gen, args.change, args.seed)
            write_files(root, changed)
            date = "2025-02-01T09:00:00+08:00"
            git(root, "add", "-A", date=date)
            git(root, "commit", "-q", "-m", f"调整 {len(changed)} 个实施清单事项", date=date)
            second = git(root, "rev-parse", "HEAD", date=date)
            print(f"commit {second}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
