"""`new --bundle`: a 一件事 file (bundles/<编码>.yaml) scaffolded from its members — their names, the merged material
list with each material's 来源事项 (materials several members ask appear once), a 承诺时限 no longer than the
members' together, and 待填写 markers where an editor has to decide (docs/bundles.md)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mattercli.catalogue.bundles import MatterLookup, facts_of
from mattercli.catalogue.catalog import BUNDLES_DIR, YAML_SUFFIXES, find_root
from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.snapshot import WorktreeSnapshot, parse_matter
from mattercli.edit.scaffold import TODO, ScaffoldError
from mattercli.model.bundle import BundleTier

_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_.]{1,63}$")


@dataclass(frozen=True)
class BundleRequest:
    name: str | None
    region: str | None
    lead: str | None
    members: Sequence[str]
    code: str | None = None
    tier: str | None = None
    partners: Sequence[str] = ()


@dataclass(frozen=True)
class NewBundle:
    file: str
    path: Path
    code: str
    text: str
    todo: tuple[str, ...]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML 1.2)."""
    return json.dumps(text, ensure_ascii=False)


def next_code(root: Path, region: str) -> str:
    """`<区划>-YJS-<NNN>`: the next number after the highest used in bundles/ (the embedded catalogue's convention;
    --code gives another)."""
    used = [0]
    folder = root / BUNDLES_DIR
    for path in folder.iterdir() if folder.is_dir() else ():
        m = re.fullmatch(rf"{re.escape(region)}-YJS-(\d+)", path.stem)
        if m and path.suffix in YAML_SUFFIXES:
            used.append(int(m.group(1)))
    return f"{region}-YJS-{max(used) + 1:03d}"


def _need(value: str | None, option: str) -> str:
    if not value:
        raise ScaffoldError(f"新建一件事须给出 {option}")
    return value


def plan_new_bundle(path: Path, request: BundleRequest) -> NewBundle:
    root = find_root(path)
    name, region, lead = _need(request.name, "--name"), _need(request.region, "--region"), _need(request.lead, "--dept")
    if not re.fullmatch(r"[0-9]{6}", region):
        raise ScaffoldError(f"--region 须为 6 位行政区划代码,而不是 {region}")
    if len(request.members) < 2:
        raise ScaffoldError("一件事至少包含两个事项:用 --member 基本编码 给出每个成员事项")
    tier = request.tier or BundleTier.COUNTY.value
    if tier not in {t.value for t in BundleTier}:
        raise ScaffoldError(f"--tier 须为 {'、'.join(t.value for t in BundleTier)} 之一,而不是 {tier}")
    code = request.code or next_code(root, region)
    if not _CODE.fullmatch(code):
        raise ScaffoldError(f"一件事编码 {code} 只能含字母、数字和 - _ .")
    rel = f"{BUNDLES_DIR}/{code}.yaml"
    if (root / rel).exists():
        raise ScaffoldError(f"文件已存在: {rel}")
    snapshot = WorktreeSnapshot(root)
    registries = snapshot.registries()
    if registries.departments and lead not in registries.department_by_name:
        raise ScaffoldError(f"牵头部门「{lead}」不在部门名录 registry/departments.yaml 中")
    facts = []
    wanted = {m: None for m in request.members}
    for rel_path in _member_files(snapshot, list(wanted)):
        doc = snapshot.document(rel_path)
        matter = parse_matter(doc) if doc is not None else None
        if matter is not None:
            facts.append(facts_of(matter, rel_path, registries.synonyms))
    lookup = MatterLookup(facts)
    missing = [m for m in wanted if m not in lookup.bases]
    if missing:
        raise ScaffoldError(f"这些基本编码不在基本目录中: {'、'.join(missing)}")
    return _render(root, rel, code, name, tier, region, lead, list(request.partners), list(wanted), lookup)


def _member_files(snapshot: WorktreeSnapshot, codes: list[str]) -> list[str]:
    wanted = set(codes)
    return [rel for rel in snapshot.matter_files() if rel.rsplit("/", 1)[-1].rsplit(".", 1)[0][-12:] in wanted]


def _render(
    root: Path, rel: str, code: str, name: str, tier: str, region: str, lead: str, partners: list[str],
    members: list[str], lookup: MatterLookup,
) -> NewBundle:  # fmt: skip
    todo: list[str] = []
    lines = [
        "# yaml-language-server: $schema=../../schemas/bundle.schema.json",
        "# TODO: 新建一件事:核对整合后的申请材料(可共享的删去)、承诺时限、办理流程,补全「待填写」(docs/bundles.md)。",
        f"一件事名称: {q(name)}",
        f"编码: {q(code)}",
        f"层级: {tier}",
        "事项状态: 在用",
        f'行政区划代码: "{region}"',
        f"牵头部门: {q(lead)}",
    ]
    if partners:
        lines += ["配合部门:", *(f"  - {q(p)}" for p in partners)]
    lines += [
        "政策依据:",
        "  - 国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见(国发〔2024〕3号)",
    ]
    lines.append("包含事项:")
    chosen = {}
    days = 0.0
    for basic in members:
        base = lookup.bases[basic]
        impls = sorted(
            (m for m in lookup.implementations.get(basic, ()) if m.region == region and m.active),
            key=lambda m: (m.level_rank, m.code),
        )
        lines += [f'  - 基本编码: "{basic}"', f"    事项名称: {q(base.name)}"]
        if not impls:
            lines[-1] += f"  # TODO: 该事项在 {region} 没有实施清单事项"
            todo.append(f"包含事项 {basic}: 在 {region} 没有实施清单事项")
            continue
        chosen[basic] = impls[0]
        days += impls[0].days or 0.0
    forms = [b for b, m in chosen.items() if m.forms]
    if forms:
        lines += [
            "申请表:",
            f"  表单名称: {q(name + '联办申请表')}",
            "  替代表单事项: [" + ", ".join(f'"{b}"' for b in forms) + "]",
        ]
    merged: dict[str, tuple[str, list[str]]] = {}
    for basic, impl in chosen.items():
        for key, material in impl.materials:
            if key in impl.form_keys:
                continue  # replaced by the integrated form (申请表)
            merged.setdefault(key, (material, []))[1].append(basic)
    if merged:
        lines.append("申请材料:")
        for material, sources in merged.values():
            lines += [f"  - 材料名称: {q(material)}", "    来源事项: [" + ", ".join(f'"{b}"' for b in sources) + "]"]
            if len(sources) > 1:
                lines[-1] += "  # 多个成员事项共同要求:只收取一次"
    limit = int(days) if days.is_integer() else round(days, 1)
    lines += [
        "承诺时限:",
        f"  时限: {limit}  # TODO: 不得长于成员事项承诺时限之和({limit} 个工作日)",
        "  单位: 工作日",
        "到办事现场次数: 0  # TODO: 核对",
        "办理渠道:",
        f"  - {TODO}  # TODO: 填写办理渠道(如 浙里办“一件事”专区、综合窗口)",
        "办理流程:",
        "  - 环节名称: 申请",
        "    办理要求: 一次告知、一表申请、一套材料",
        "  - 环节名称: 受理",
        "    办理要求: 一窗(端)受理,并联办理",
        "  - 环节名称: 办结",
        "    办理要求: 办理结果一并送达",
    ]
    todo += ["承诺时限: 核对", "到办事现场次数: 核对", f"办理渠道: {TODO}"]
    return NewBundle(rel, root / rel, code, "\n".join(lines) + "\n", tuple(todo))


def write_new_bundle(planned: NewBundle) -> None:
    if planned.path.exists():
        raise ScaffoldError(f"文件已存在: {planned.file}")
    planned.path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(planned.path, planned.text)
