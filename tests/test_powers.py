"""权责清单 cells: 责任事项 and 追责情形 written one item a line and read back, also as offices write them by hand."""

from __future__ import annotations

from mattercli.model import BaseEntry
from mattercli.model.codes import MatterType
from mattercli.model.powers import (
    default_stages,
    format_accountability,
    format_responsibilities,
    parse_accountability,
    parse_responsibilities,
)


def test_default_stages_of_licence_and_penalty() -> None:
    assert default_stages(MatterType.LICENSING) == ("受理", "审查", "决定", "送达", "事后监管")
    assert default_stages(MatterType.PENALTY) == ("立案", "调查取证", "审理", "告知", "决定", "送达", "执行")
    assert default_stages(MatterType.PUBLIC_SERVICE) == ()


def test_responsibilities_round_trip() -> None:
    items = [
        {
            "环节": "受理",
            "内容": "公示应当提交的材料，一次性告知补正材料。",
            "依据": "《中华人民共和国行政许可法》第三十二条",
        },
        {"环节": "审查", "内容": "对申请材料进行审查；需要现场核查的，指派两名以上工作人员核查。"},
        {"环节": "其他", "内容": "法律法规规章规定应履行的其他责任。"},
    ]
    cell = format_responsibilities(items)
    assert cell == (
        "1.受理责任：公示应当提交的材料，一次性告知补正材料。（依据：《中华人民共和国行政许可法》第三十二条）\n"
        "2.审查责任：对申请材料进行审查；需要现场核查的，指派两名以上工作人员核查。\n"
        "3.法律法规规章规定应履行的其他责任。"
    )
    assert parse_responsibilities(cell) == items


def test_responsibilities_written_by_hand_on_one_line() -> None:
    cell = "1.受理责任：依法受理或不予受理（不予受理应当告知理由）。2、审查责任：审查申请材料。3．决定：作出决定。"
    assert parse_responsibilities(cell) == [
        {"环节": "受理", "内容": "依法受理或不予受理（不予受理应当告知理由）。"},
        {"环节": "审查", "内容": "审查申请材料。"},
        {"环节": "决定", "内容": "作出决定。"},
    ]


def test_numbers_out_of_sequence_do_not_split() -> None:
    cell = "1.审查责任：审查第3.条所列材料；2.决定责任：作出决定"
    assert [i["环节"] for i in parse_responsibilities(cell)] == ["审查", "决定"]


def test_accountability_round_trip_and_shared_basis() -> None:
    items = [
        {"情形": "对符合法定条件的行政许可申请不予受理的；", "依据": "《中华人民共和国行政许可法》第七十二条"},
        {"情形": "违反法定程序实施行政许可的。", "依据": "《中华人民共和国行政许可法》第七十四条"},
    ]
    cell = format_accountability(items)
    assert parse_accountability(cell) == items
    by_hand = (
        "因不履行或不正确履行行政职责，有下列情形之一的，行政机关及相关工作人员应承担相应责任：\n"
        "1.对符合法定条件的行政许可申请不予受理的；\n2.违反法定程序实施行政许可的。\n"
        "依据：《中华人民共和国行政许可法》第七十二条至第七十四条"
    )
    assert parse_accountability(by_hand) == [
        {
            "情形": "对符合法定条件的行政许可申请不予受理的；",
            "依据": "《中华人民共和国行政许可法》第七十二条至第七十四条",
        },
        {"情形": "违反法定程序实施行政许可的。", "依据": "《中华人民共和国行政许可法》第七十二条至第七十四条"},
    ]


def test_model_carries_the_power_elements() -> None:
    entry = BaseEntry.model_validate(
        {
            "基本编码": "000104001000",
            "事项名称": "食品经营许可",
            "子项": "食品经营许可(新办)",
            "事项类型": "行政许可",
            "权责编码": "XK-330106-0001",
            "主管部门": "国家市场监督管理总局",
            "行使层级": ["区县级"],
            "设定依据": [{"法律法规名称": "中华人民共和国食品安全法"}],
            "承办机构": "行政审批科",
            "责任事项": [{"环节": "受理", "内容": "依法受理"}],
            "追责情形": [{"情形": "不予受理的", "依据": "《中华人民共和国行政许可法》第七十二条"}],
            "监督方式": "监督电话 0571-12345",
            "调整": {
                "依据": "浙政发〔2025〕1号",
                "理由": "下放至区县",
                "监管措施": "双随机抽查",
                "生效日期": "2025-03-01",
            },
        }
    )
    assert entry.responsibilities[0].stage == "受理"
    assert entry.accountability[0].basis == "《中华人民共和国行政许可法》第七十二条"
    assert entry.adjustment is not None and entry.adjustment.effective == "2025-03-01"
