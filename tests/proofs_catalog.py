"""Helpers for the proofs tests: small catalogues written into tmp dirs, each test stating only the matters and
materials it is about."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
MINI_FIXTURE = HERE / "fixtures" / "mini"
PROOFS_FIXTURE = HERE / "fixtures" / "proofs"
CATALOG = HERE.parent / "catalog"

GUIDE = "国家市场监督管理总局"
XIHU_SAMR = "杭州市西湖区市场监督管理局"
XIHU_POLICE = "杭州市西湖区公安分局"
XIHU_CDC = "杭州市西湖区疾病预防控制中心"  # 事业单位, not a government department

DEPARTMENTS = [
    {"部门名称": GUIDE, "层级": "国家级", "业务指导部门代码": "04"},
    {"部门名称": XIHU_SAMR, "统一社会信用代码": "113301060025000178", "行政区划代码": "330106", "层级": "区县级"},
    {"部门名称": XIHU_POLICE, "统一社会信用代码": "113301060025000253", "行政区划代码": "330106", "层级": "区县级"},
    {"部门名称": XIHU_CDC, "行政区划代码": "330106", "层级": "区县级", "部门性质": "事业单位"},
]
#: USCC of 西湖区市场监督管理局 + 行使层级 4 (区县级): an implementation code is this + the 基本编码.
IMPL_PREFIX = "1133010600250001784"
LAW = "中华人民共和国食品安全法"
BASIS = [{"法律法规名称": LAW, "条款号": "第三十五条"}]


class _CodeDumper(yaml.SafeDumper):
    """Quotes all-digit strings, as an editor must (YAML 1.2 would read 000104001000 as a number); no aliases,
    which mattercli refuses."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_CodeDumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style='"' if value.isdigit() else None
    ),
)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_CodeDumper, allow_unicode=True, sort_keys=False, width=10_000)


def material(name: str, kind: str = "证照", **extra: Any) -> dict[str, Any]:
    """A 申请材料 entry; keyword arguments use the Chinese keys' English names below."""
    keys = {"source": "来源渠道", "issuer": "出具单位", "basis": "设定依据", "form": "材料形式"}
    out: dict[str, Any] = {"材料名称": name, "材料类别": kind}
    for key, value in extra.items():
        out[keys[key]] = value
    return out


def proof_entry(name: str, synonyms: Sequence[str] = (), kind: str = "证照", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"标准名称": name}
    if synonyms:
        out["同义词"] = list(synonyms)
    out["类别"] = kind
    keys = {"issuer": "出具单位", "issuing_matter": "出具事项", "basis": "设定依据"}
    for key, value in extra.items():
        out[keys[key]] = value
    return out


def base_yaml(code: str, name: str, materials: Sequence[dict[str, Any]], type_: str = "行政许可") -> str:
    data = {
        "基本编码": code,
        "事项名称": name,
        "事项类型": type_,
        "主管部门": GUIDE,
        "行使层级": ["区县级"],
        "设定依据": BASIS,
        "申请材料": list(materials),
    }
    return dump(data)


def impl_yaml(basic: str, name: str, materials: Sequence[dict[str, Any]], type_: str = "行政许可") -> str:
    data = {
        "实施编码": IMPL_PREFIX + basic,
        "基本编码": basic,
        "事项名称": name,
        "事项类型": type_,
        "行政区划代码": "330106",
        "实施主体": {"名称": XIHU_SAMR, "统一社会信用代码": "113301060025000178", "性质": "法定机关"},
        "行使层级": "区县级",
        "设定依据": BASIS,
        "申请材料": list(materials),
        "办件类型": "承诺件",
        "到办事现场次数": 0,
    }
    return dump(data)


def write_catalogue(
    root: Path,
    *,
    bases: dict[str, tuple[str, Sequence[dict[str, Any]]]] | None = None,
    impls: dict[str, tuple[str, Sequence[dict[str, Any]]]] | None = None,
    proofs: Sequence[dict[str, Any]] = (),
    proof_list: Sequence[tuple[str, dict[str, Any]]] | None = None,
) -> Path:
    """A catalogue at root: registries (departments, laws, the given dictionary and proof lists) and matters.

    `bases` maps 基本编码 -> (name, materials); `impls` maps 基本编码 -> (name, materials) for an implementation
    entry of 西湖区市场监督管理局. `proof_list` holds (file, entry) pairs from `listed` / `cancelled` (kept and
    cancelled proofs); None means none of the three list files at all.
    """
    (root / "registry").mkdir(parents=True, exist_ok=True)
    (root / "registry" / "departments.yaml").write_text(dump({"部门": DEPARTMENTS}), encoding="utf-8")
    (root / "registry" / "laws.yaml").write_text(
        dump({"法律法规": [{"名称": LAW, "效力级别": "法律"}]}), encoding="utf-8"
    )
    (root / "registry" / "proofs.yaml").write_text(dump({"证照证明": list(proofs)}), encoding="utf-8")
    if proof_list is not None:
        for file_name, top in (("proofs-kept.yaml", "保留证明事项"), ("proofs-cancelled.yaml", "取消的证明事项")):
            entries = [entry for f, entry in proof_list if f == file_name]
            if entries or (not proof_list and file_name == "proofs-kept.yaml"):  # []: one empty list file
                (root / "registry" / file_name).write_text(dump({top: entries}), encoding="utf-8")
    for code, (name, materials) in (bases or {}).items():
        (root / "base").mkdir(exist_ok=True)
        (root / "base" / f"{code}.yaml").write_text(base_yaml(code, name, materials), encoding="utf-8")
    for code, (name, materials) in (impls or {}).items():
        folder = root / "impl" / "330106"
        folder.mkdir(parents=True, exist_ok=True)
        text = impl_yaml(code, name, materials)
        (folder / f"{IMPL_PREFIX}{code}.yaml").write_text(text, encoding="utf-8")
    return root


def listed(name: str, mode: str = "保留") -> tuple[str, dict[str, Any]]:
    """A proof on the lists: kept (mode 保留), else cancelled with 替代方式 `mode`."""
    if mode == "保留":
        entry = {
            "证明名称": name,
            "证明用途": [{"用途": f"办理需要{name}的事项"}],
            "设定依据": BASIS,
            "开具单位": XIHU_POLICE,
            "告知承诺": "不适用",
            "不适用原因": "须核实",
        }
        return "proofs-kept.yaml", entry
    entry = {"证明名称": name, "原设定依据": BASIS, "开具单位": XIHU_POLICE, "取消文件": "示例文件", "替代方式": mode}
    return "proofs-cancelled.yaml", entry
