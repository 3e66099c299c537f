"""Shared helpers for the export tests: a richer copy of the mini catalogue, golden files, reading exports."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ROOT = HERE.parent
MINI = HERE / "fixtures" / "mini"
CATALOG = ROOT / "catalog"
LISTS = CATALOG / "lists"
GOLDEN = HERE / "golden" / "export"
#: MATTERCLI_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (then review the diff).
UPDATE = os.environ.get("MATTERCLI_UPDATE_GOLDEN") == "1"

FOOD = "impl/330106/1133010600250001784000104001000.yaml"
PENALTY = "impl/330106/1133010600250001784000204001000.yaml"

FEE = """\
是否收费: true
收费项目:
  - 收费项目名称: 工本费
    收费标准: 每证 10 元
    收费依据:
      - 法律法规名称: 中华人民共和国食品安全法
        条款号: 第三十五条
"""


#: A second implementation of 食品经营许可, in another region (杭州市上城区), immediate, fee-charging, with an
#: intermediary service and a proof; its body is registered below.
SHANGCHENG = (
    """\
实施编码: "11330102MB0000019G4000104001000"
基本编码: "000104001000"
事项名称: 食品经营许可
事项类型: 行政许可
行政区划代码: "330102"
实施主体:
  名称: 杭州市上城区市场监督管理局
  统一社会信用代码: "11330102MB0000019G"
行使层级: 区县级
申请材料:
  - 材料名称: 食品经营许可申请书
    材料类别: 申请表
  - 材料名称: 从业人员健康证明
    材料类别: 证明
    设定依据:
      - 法律法规名称: 中华人民共和国食品安全法
        条款号: 第四十五条
法定办结时限:
  时限: 20
  单位: 工作日
"""
    + FEE
    + """\
办件类型: 即办件
承诺办结时限:
  时限: 0
  单位: 工作日
到办事现场次数: 1
到现场原因: 核验原件
中介服务:
  - 名称: 食品安全检测
    是否必须: false
办理形式: [窗口办理]
"""
)


def write_shangcheng(root: Path) -> None:
    """Add the 上城区 implementation (and its body and region) to a copy of the mini catalogue; the base entry
    gets the fee the implementation charges (只减不增)."""
    base = root / "base" / "000104001000.yaml"
    base.write_text(base.read_text(encoding="utf-8") + FEE, encoding="utf-8")
    (root / "impl" / "330102").mkdir(parents=True, exist_ok=True)
    (root / "impl" / "330102" / "11330102MB0000019G4000104001000.yaml").write_text(SHANGCHENG, encoding="utf-8")
    departments = root / "registry" / "departments.yaml"
    departments.write_text(
        departments.read_text(encoding="utf-8")
        + "  - 部门名称: 杭州市上城区市场监督管理局\n"
        + '    统一社会信用代码: "11330102MB0000019G"\n'
        + '    行政区划代码: "330102"\n'
        + "    层级: 区县级\n",
        encoding="utf-8",
    )
    regions = root / "registry" / "regions.yaml"
    regions.write_text(
        regions.read_text(encoding="utf-8")
        + '  - 行政区划代码: "330102"\n    名称: 上城区\n    层级: 区县级\n    上级: "330100"\n',
        encoding="utf-8",
    )


def rich_catalogue(tmp: Path) -> Path:
    """The mini catalogue plus the 上城区 implementation and the shipped list definitions under lists/."""
    root = tmp / "catalog"
    shutil.copytree(MINI, root)
    write_shangcheng(root)
    shutil.copytree(LISTS, root / "lists")
    return root


def without_sections(rows: list[list[str]]) -> list[list[str]]:
    """CSV rows without the section title rows of a list in sections (分组: 设定类别, e.g. 一、中央设定的行政许可事项)."""
    return [r for r in rows if not (r[0].endswith("的行政许可事项") and not any(r[1:]))]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.is_file(), f"missing golden file {path} (run with MATTERCLI_UPDATE_GOLDEN=1)"
    assert path.read_text(encoding="utf-8").replace("\r\n", "\n") == text.replace("\r\n", "\n"), name


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def tree_bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def generated_catalogue(root: Path, matters: int) -> Path:
    """A catalogue made by scripts/gen_catalog.py (base and implementation entries in many regions)."""
    script = ROOT / "scripts" / "gen_catalog.py"
    subprocess.run(
        [sys.executable, str(script), str(root), "--matters", str(matters), "--quiet", "--force"],
        check=True,
        capture_output=True,
    )
    return root
