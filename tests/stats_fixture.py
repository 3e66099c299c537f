"""A small hand-made catalogue with two commits (tag v1 = baseline, tag v2 = after a reform), for the stats tests.

Every entry is listed here with the elements the figures count, so the expected numbers in test_stats.py can be
worked out by hand from this file alone. Commit dates are fixed, so commit ids are the same on every run.

Bodies: M 杭州市西湖区市场监督管理局 (区县级, 330106), P 杭州市西湖区公安分局 (区县级, 330106),
C 杭州市市场监督管理局 (地市级, 330100), S 杭州市滨江区市场监督管理局 (区县级, 330108).

Base entries                       v1                         v2
  B1 000104001000 行政许可          在用 [地市级, 区县级]        在用 (kept)
  B2 000204001000 行政处罚          在用 [地市级, 区县级]        暂停 (suspended)
  B3 000104002000 行政许可          在用 [地市级]               absent (cancelled)
  B4 000104003000 行政许可          在用 [区县级]               absent; B5 合并自 B4 (merged)
  B6 000604001000 行政检查 (公安部)  在用 [区县级]               absent; B8 原事项编码 B6 (renumbered)
  B9 000104009000 行政许可          已取消 (never counted)       absent
  B5 000104004000 行政许可          —                          在用, 合并自 [B4] (added)
  B8 000604002000 行政检查 (公安部)  —                          在用, 原事项编码 [B6] (added)

Implementation entries (materials: n, proofs marked P; limits legal/promised; 即办 = 即办件 without a promise)
      base body region level   v1                                          v2
  I1  B1   M   330106 区县级  3 mats (1 P), 20/5 wd, 0 visits, 全程网办     1 mat, 20/1 wd, 0 visits, 全程网办 (kept)
  I2  B2   M   330106 区县级  0 mats, 90/60 自然日, 1 visit                0 mats, 90/30 自然日, 0 visits (kept)
  I3  B3   C   330100 地市级  2 mats (1 P), 20/10 wd, 2 visits            absent (cancelled)
  I4  B1   C   330100 地市级  2 mats, 20/即办, 0 visits, 全程网办, fee      absent; I6 is new at 区县级 (delegated)
  I5  B4   M   330106 区县级  1 mat, 30/15 wd, 1 visit                    absent; base merged into B5 (merged)
  I8  B6   P   330106 区县级  0 mats, no limits, 1 visit                  absent; I9 原事项编码 I8 (renumbered)
  I10 B2   C   330100 地市级  1 mat (1 P), 60/30 wd, 1 visit              暂停 (suspended)
  I11 B1   P   330106 区县级  已取消 (never counted)                        absent
  I6  B1   S   330108 区县级  —                                           2 mats, 20/即办, 0 visits, 全程网办, fee
  I7  B5   M   330106 区县级  —                                           2 mats (1 P), 20/10 wd, 1 visit
  I9  B8   P   330106 区县级  —                                           0 mats, no limits, 1 visit
v2 also holds impl/330106/broken.yaml, which fails the schema (left out, listed as skipped).

办理性质: B2/I2/I10 (行政处罚) and B6/B8/I8/I9 (行政检查) are 依职权 and carry no service elements (办件类型,
承诺办结时限, 到办事现场次数: the "visits" and "promised" columns above do not apply to them), so the service shares
count I1 I3 I4 I5 in v1 and I1 I6 I7 in v2.
不适宜 (v2): I7 declares 跑零次 and 网上办理 unsuitable (with reasons).
办件量 (v2): I1 2025: 300 and I6 2025: 100 in their files; I7 2024: 40 and 2025: 50 in registry/case-volumes.yaml.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"

M = ("杭州市西湖区市场监督管理局", "113301060025000178")
P = ("杭州市西湖区公安分局", "113301060025000253")
C = ("杭州市市场监督管理局", "11330100002041455F")
S = ("杭州市滨江区市场监督管理局", "113301080000000001")
LEVEL_DIGIT = {"省级": "2", "地市级": "3", "区县级": "4", "乡镇(街道)级": "5"}
REGION = {M: "330106", P: "330106", C: "330100", S: "330108"}

B1, B2, B3, B4, B5, B6, B8, B9 = (
    "000104001000", "000204001000", "000104002000", "000104003000", "000104004000", "000604001000",
    "000604002000", "000104009000",
)  # fmt: skip
BASIS = [{"法律法规名称": "中华人民共和国行政许可法", "条款号": "第十二条"}]
PENALTY = {"处罚的行为": "违法行为", "处罚的种类": ["罚款"], "处罚的幅度": "一万元以下罚款"}
TYPE_OF = {"01": "行政许可", "02": "行政处罚", "06": "行政检查"}
EX_OFFICIO = ("行政处罚", "行政检查")
#: 不适宜 declarations of I7 (v2): it needs a site visit and cannot be handled online.
I7_UNSUITABLE = [{"方式": "跑零次", "理由": "须现场核验摊点位置"}, {"方式": "网上办理", "理由": "须现场核验摊点位置"}]

FORM = {"材料名称": "申请书", "材料类别": "申请表"}
LICENCE = {"材料名称": "营业执照", "材料类别": "证照"}
HEALTH = {"材料名称": "从业人员健康证明", "材料类别": "证明"}
RECORD = {"材料名称": "无犯罪记录证明", "材料类别": "证明"}
RESIDENCE = {"材料名称": "居住证明(原件)", "材料类别": "证明"}


def impl_code(body: tuple[str, str], level: str, basic: str) -> str:
    return body[1] + LEVEL_DIGIT[level] + basic


def base(code: str, name: str, levels: list[str], department: str = "国家市场监督管理总局", **extra: Any) -> dict:
    doc: dict[str, Any] = {
        "基本编码": code,
        "事项名称": name,
        "事项类型": TYPE_OF[code[2:4]],
        "主管部门": department,
        "行使层级": levels,
        "设定依据": BASIS,
        "申请材料": [FORM, LICENCE, HEALTH, RECORD, RESIDENCE],
        "法定办结时限": {"时限": 60, "单位": "工作日"},
    }
    if doc["事项类型"] == "行政处罚":
        doc.update(PENALTY)
    doc.update(extra)
    return doc


def limit(value: int, unit: str = "工作日") -> dict:
    return {"时限": value, "单位": unit}


def impl(
    basic: str,
    body: tuple[str, str],
    level: str,
    materials: list[dict],
    legal: dict | None,
    promised: dict | None,
    visits: int,
    online: bool = False,
    fee: bool = False,
    immediate: bool = False,
    **extra: Any,
) -> dict:
    doc: dict[str, Any] = {
        "实施编码": impl_code(body, level, basic),
        "基本编码": basic,
        "事项名称": f"事项{basic}",
        "事项类型": TYPE_OF[basic[2:4]],
        "行政区划代码": REGION[body],
        "实施主体": {"名称": body[0], "统一社会信用代码": body[1]},
        "行使层级": level,
        "申请材料": materials,
    }
    ex_officio = doc["事项类型"] in EX_OFFICIO
    if not ex_officio:  # 依职权 entries carry no service elements (办件类型, 承诺时限, 到现场次数, 办理形式 …)
        doc["办件类型"] = "即办件" if immediate else "承诺件"
        doc["到办事现场次数"] = visits
    if legal:
        doc["法定办结时限"] = legal
    if promised and not ex_officio:
        doc["承诺办结时限"] = promised
    if visits and not ex_officio:
        doc["到现场原因"] = "现场核验"
    if online:
        doc["办理形式"] = ["网上办理"]
        doc["网上办理深度"] = ["互联网咨询", "收件", "预审", "受理", "办理"]
    if fee:
        doc["是否收费"] = True
        doc["收费项目"] = [{"收费项目名称": "工本费", "收费标准": "10元", "收费依据": BASIS}]
    if doc["事项类型"] == "行政处罚":
        doc.update(PENALTY)
    doc.update(extra)
    return doc


def v1_files() -> dict[str, dict]:
    entries = [
        base(B1, "食品经营许可", ["地市级", "区县级"]),
        base(B2, "对无证经营的行政处罚", ["地市级", "区县级"]),
        base(B3, "食品小作坊登记", ["地市级"]),
        base(B4, "食品摊贩登记", ["区县级"]),
        base(B6, "对旅馆业的检查", ["区县级"], department="公安部"),
        base(B9, "已取消的许可", ["区县级"], 事项状态="已取消"),
        impl(B1, M, "区县级", [FORM, LICENCE, HEALTH], limit(20), limit(5), 0, online=True),
        impl(B2, M, "区县级", [], limit(90, "自然日"), limit(60, "自然日"), 1),
        impl(B3, C, "地市级", [FORM, RECORD], limit(20), limit(10), 2),
        impl(B1, C, "地市级", [FORM, LICENCE], limit(20), None, 0, online=True, fee=True, immediate=True),
        impl(B4, M, "区县级", [FORM], limit(30), limit(15), 1),
        impl(B6, P, "区县级", [], None, None, 1),
        impl(B2, C, "地市级", [RESIDENCE], limit(60), limit(30), 1),
        impl(B1, P, "区县级", [FORM], limit(20), limit(5), 0, 事项状态="已取消"),
    ]
    return {path_of(doc): doc for doc in entries}


def v2_files() -> dict[str, dict]:
    i8 = impl_code(P, "区县级", B6)
    entries = [
        base(B1, "食品经营许可", ["地市级", "区县级"]),
        base(B2, "对无证经营的行政处罚", ["地市级", "区县级"], 事项状态="暂停"),
        base(B5, "食品小摊点登记", ["区县级"], 合并自=[B4]),
        base(B8, "对旅馆业的治安检查", ["区县级"], department="公安部", 原事项编码=[B6]),
        impl(B1, M, "区县级", [FORM], limit(20), limit(1), 0, online=True, 办件量=[{"年度": 2025, "件数": 300}]),
        impl(B2, M, "区县级", [], limit(90, "自然日"), limit(30, "自然日"), 0),
        impl(
            B1,
            S,
            "区县级",
            [FORM, LICENCE],
            limit(20),
            None,
            0,
            online=True,
            fee=True,
            immediate=True,
            办件量=[{"年度": 2025, "件数": 100}],
        ),
        impl(B5, M, "区县级", [FORM, RESIDENCE], limit(20), limit(10), 1, 不适宜=I7_UNSUITABLE),
        impl(B8, P, "区县级", [], None, None, 1, 原事项编码=[i8]),
        impl(B2, C, "地市级", [RESIDENCE], limit(60), limit(30), 1, 事项状态="暂停"),
    ]
    return {path_of(doc): doc for doc in entries}


def path_of(doc: dict) -> str:
    if "实施编码" in doc:
        return f"impl/{doc['行政区划代码']}/{doc['实施编码']}.yaml"
    return f"base/{doc['基本编码']}.yaml"


GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(root: Path, *args: str, date: str = "2024-01-01T00:00:00+08:00") -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


#: v2's registry of 办件量: I7's two years (I1 and I6 write theirs in the matter file).
CASE_VOLUMES = f"""办件量记录:
  - 实施编码: "{impl_code(M, "区县级", B5)}"
    办件量:
      - {{年度: 2024, 件数: 40}}
      - {{年度: 2025, 件数: 50}}
"""


def write_version(root: Path, files: dict[str, dict]) -> None:
    for sub in ("base", "impl"):
        shutil.rmtree(root / sub, ignore_errors=True)
    for rel, doc in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def make_repo(root: Path) -> Path:
    """The two-commit catalogue in `root` (a new git repository); v1 and v2 are tags. Returns the catalogue root."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(MINI / "registry", root / "registry")
    git(root, "init", "-q", "-b", "main")
    write_version(root, v1_files())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    git(root, "tag", "v1")
    write_version(root, v2_files())
    (root / "registry" / "case-volumes.yaml").write_text(CASE_VOLUMES, encoding="utf-8")
    (root / "impl/330106/broken.yaml").write_text('基本编码: "000104001000"\n', encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v2", date="2024-06-01T00:00:00+08:00")
    git(root, "tag", "v2")
    return root
