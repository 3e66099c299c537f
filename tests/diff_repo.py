"""Helpers for the diff/log/show tests: a real git repository in a tmp dir holding a copy of the mini catalogue,
and implementation entries written from a template so each test states only what it changes."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from mattercli.model.identifiers import org_code_check_char, uscc_check_char

MINI = Path(__file__).parent / "fixtures" / "mini"

#: The mini catalogue's two implementation entries (西湖区市场监督管理局, 区县级).
LICENCE = "1133010600250001784000104001000"  # 食品经营许可
PENALTY = "1133010600250001784000204001000"  # 对未取得食品经营许可……的行政处罚
LICENCE_FILE = f"impl/330106/{LICENCE}.yaml"
PENALTY_FILE = f"impl/330106/{PENALTY}.yaml"


def make_uscc(region: str, org8: str, head: str = "11") -> str:
    """A valid 统一社会信用代码 for a body registered in `region` with organisation code `org8` + check."""
    org = org8 + (org_code_check_char(org8) or "0")
    first17 = head + region + org
    return first17 + (uscc_check_char(first17) or "0")


XIHU_BUREAU = ("杭州市西湖区市场监督管理局", "113301060025000178")
CITY_BUREAU = ("杭州市市场监督管理局", make_uscc("330100", "00250001"))
STREET_OFFICE = ("杭州市西湖区北山街道办事处", make_uscc("330106", "00250002"))
LEVEL_DIGIT = {"国家级": "1", "省级": "2", "地市级": "3", "区县级": "4", "乡镇(街道)级": "5", "村(社区)级": "6"}

DEFAULT_MATERIALS = (("食品经营许可申请书", "申请表"), ("身份证(复印件)", "证照"))
FULL_DEPTH = ("互联网咨询", "收件", "预审", "受理", "办理", "办理结果信息反馈")


def impl_code(body: tuple[str, str], level: str, basic: str = "000104001000") -> str:
    return body[1] + LEVEL_DIGIT[level] + basic


def impl_yaml(
    *,
    name: str = "食品经营许可",
    basic: str = "000104001000",
    type_: str = "行政许可",
    region: str = "330106",
    body: tuple[str, str] = XIHU_BUREAU,
    level: str = "区县级",
    code: str | None = None,
    status: str | None = None,
    power_source: str = "法定本级行使",
    bases: Sequence[tuple[str, str]] = (("食品经营许可和备案管理办法", "第二条"),),
    materials: Sequence[tuple[str, str]] = DEFAULT_MATERIALS,
    legal: tuple[int, str] = (20, "工作日"),
    case_kind: str = "承诺件",
    promised: tuple[int, str] | None = (5, "工作日"),
    visits: int = 0,
    depth: Sequence[str] = FULL_DEPTH,
    fee: tuple[str, str] | None = None,
    previous: Sequence[str] = (),
    merged_from: Sequence[str] = (),
    split_from: str | None = None,
    steps: Sequence[str] = (),
) -> str:
    """An implementation entry as its YAML text (block style, codes quoted)."""
    code = code or impl_code(body, level, basic)
    out = [
        f"# {name}",
        f'实施编码: "{code}"',
        f'基本编码: "{basic}"',
        f"事项名称: {name}",
        f"事项类型: {type_}",
    ]
    if status:
        out.append(f"事项状态: {status}")
    out += [
        f'行政区划代码: "{region}"',
        "实施主体:",
        f"  名称: {body[0]}",
        f'  统一社会信用代码: "{body[1]}"',
        f"行使层级: {level}",
        f"权力来源: {power_source}",
        "设定依据:",
    ]
    for law, article in bases:
        out += [f"  - 法律法规名称: {law}", f"    条款号: {article}"]
    if materials:
        out.append("申请材料:")
        for material, kind in materials:
            out += [f"  - 材料名称: {material}", f"    材料类别: {kind}"]
    out += ["法定办结时限:", f"  时限: {legal[0]}", f"  单位: {legal[1]}", f"办件类型: {case_kind}"]
    if promised is not None:
        out += ["承诺办结时限:", f"  时限: {promised[0]}", f"  单位: {promised[1]}"]
    out.append(f"到办事现场次数: {visits}")
    if visits:
        out.append("到现场原因: 现场核查")
    forms = ["窗口办理", "网上办理"] if depth else ["窗口办理"]
    out.append(f"办理形式: [{', '.join(forms)}]")
    if depth:
        out.append(f"网上办理深度: [{', '.join(depth)}]")
    if fee:
        out += [
            "是否收费: true",
            "收费项目:",
            f"  - 收费项目名称: {fee[0]}",
            f"    收费标准: {fee[1]}",
            "    收费依据:",
            "      - 法律法规名称: 中华人民共和国食品安全法",
            "        条款号: 第三十五条",
        ]
    if steps:
        out.append("办理流程:")
        out += [f"  - 环节名称: {step}" for step in steps]
    for key, values in (("原事项编码", previous), ("合并自", merged_from)):
        if values:
            out.append(f"{key}:")
            out += [f'  - "{v}"' for v in values]
    if split_from:
        out.append(f'拆分自: "{split_from}"')
    out += ["办理结果:", "  - 结果类型: 出证办结", "    结果名称: 食品经营许可证"]
    return "\n".join(out) + "\n"


class CatalogRepo:
    """A git repository at tmp/repo with the mini catalogue under catalog/, committed once ("init")."""

    def __init__(self, tmp_path: Path, catalog: Path = MINI) -> None:
        self.top = tmp_path / "repo"
        self.catalog = self.top / "catalog"
        shutil.copytree(catalog, self.catalog)
        self._tick = 0
        self.git("init", "-q", "-b", "main")
        self.commit("init")

    def git(self, *args: str, author: str = "t") -> str:
        date = f"2025-01-{self._tick:02d}T09:00:00+08:00"  # one day per commit: fixed dates, fixed commit ids
        env = {
            **os.environ,
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
        }
        ident = ["-c", f"user.name={author}", "-c", f"user.email={author}@example.com", "-c", "commit.gpgsign=false"]
        return subprocess.run(
            ["git", *ident, *args], cwd=self.top, env=env, check=True, capture_output=True, text=True
        ).stdout.strip()

    def path(self, rel: str) -> Path:
        return self.catalog / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        path = self.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def delete(self, rel: str) -> None:
        self.path(rel).unlink()

    def move(self, old: str, new: str) -> None:
        self.path(new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", f"catalog/{old}", f"catalog/{new}")

    def commit(self, message: str, author: str = "t") -> str:
        self._tick = max(self._tick + 1, 1)
        self.git("add", "-A", author=author)
        self.git("commit", "-q", "--allow-empty", "-m", message, author=author)
        return self.git("rev-parse", "HEAD")
