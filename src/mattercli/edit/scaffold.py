"""`new`: a matter file scaffolded with the next free code, pre-filled from its base entry, and TODO markers the
validator reports where an editor still has to fill something in.

A code is never reused: the next 基本编码 sequence (SSS) or sub-item (UUU) comes after the highest one ever used —
by a file in the catalogue (cancelled ones included), by a 原事项编码 / 合并自 / 拆分自 / 出具事项 reference, or by a
file that git history shows was deleted, renamed or re-coded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mattercli.catalogue.catalog import Registries, find_root, relpath
from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.gitio import GitError, GitRepo
from mattercli.catalogue.snapshot import WorktreeSnapshot
from mattercli.catalogue.yamlio import RtDocument, RtEntry, RtMap, RtSeq, load_bytes, rt_node
from mattercli.edit.fmt import format_document
from mattercli.model import Department
from mattercli.model.codes import Level, MatterStatus, MatterType
from mattercli.model.identifiers import (
    USCC_ALPHABET,
    check_uscc,
    parse_basic_code,
    parse_business_item_code,
    parse_implementation_code,
)
from mattercli.model.matter import TYPE_REQUIRED_ELEMENTS

TODO = "待填写"
TODO_HEADER = (
    "# TODO: 新建事项,请补全标为「待填写」的要素和下列 TODO 注释(mattercli validate 会逐行指出)。",
    "# TODO: new matter — fill in every 待填写 value and TODO comment (mattercli validate points at each).",
)
#: SSS after 999: a letter (the USCC alphabet, no I O S V Z) and two digits, A00 … Y99.
_SEQ_LETTERS = [ch for ch in USCC_ALPHABET if ch.isalpha()]
#: Elements a sub-item or an implementation entry takes over from the entry it derives from.
_INHERITED = (
    "设定依据",
    "实施依据",
    "服务对象",
    "受理条件",
    "申请材料",
    "法定办结时限",
    "是否收费",
    "收费项目",
    "办理结果",
    "处罚的行为",
    "处罚的种类",
    "处罚的幅度",
    "征收种类",
)


class ScaffoldError(Exception):
    """The request cannot be met (unknown department, base entry, level …); the message says why."""


# ---- sequences ------------------------------------------------------------------------------------------------------


def sequence_rank(seq: str) -> int | None:
    """Order of an SSS: 001–999 by value, then A00 … Y99; None for anything else."""
    if len(seq) != 3:
        return None
    if seq.isdigit():
        return int(seq)
    if seq[0] in _SEQ_LETTERS and seq[1:].isdigit():
        return 1000 + _SEQ_LETTERS.index(seq[0]) * 100 + int(seq[1:])
    return None


def sequence_at(rank: int) -> str:
    if rank < 1:
        raise ValueError(rank)
    if rank <= 999:
        return f"{rank:03d}"
    letter, number = divmod(rank - 1000, 100)
    if letter >= len(_SEQ_LETTERS):
        raise ScaffoldError("顺序号已用尽(Y99 之后没有可用的顺序号)")
    return f"{_SEQ_LETTERS[letter]}{number:02d}"


def next_sequence(used: Iterable[str]) -> str:
    """The SSS after the highest one used (gaps are never filled: a gap is a code that once existed)."""
    ranks = [r for seq in used if (r := sequence_rank(seq)) is not None]
    return sequence_at(max(ranks, default=0) + 1)


# ---- every code ever used -------------------------------------------------------------------------------------------


def basic_of(code: Any) -> str | None:
    """The 基本编码 inside a 12-, 31- or 33-character code."""
    if not isinstance(code, str):
        return None
    if parse_basic_code(code) is not None:
        return code
    if (impl := parse_implementation_code(code)) is not None:
        return impl.basic.text
    if (item := parse_business_item_code(code)) is not None:
        return item.implementation.basic.text
    return None


def codes_in(data: Any) -> set[str]:
    """Every 基本编码 a matter document uses or refers to."""
    if not isinstance(data, dict):
        return set()
    refs: list[Any] = [data.get("基本编码"), data.get("实施编码"), data.get("拆分自")]
    for key in ("原事项编码", "合并自"):
        value = data.get(key)
        refs.extend(value if isinstance(value, list) else [value])
    items = data.get("业务办理项")
    if isinstance(items, list):
        refs.extend(item.get("业务办理项编码") for item in items if isinstance(item, dict))
    return {basic for ref in refs if (basic := basic_of(ref)) is not None}


@dataclass
class UsedCodes:
    """基本编码 in use or once used, and where the allocation looked."""

    codes: set[str] = field(default_factory=set)
    files: int = 0
    commits: int = 0

    def sequences(self, prefix: str) -> set[str]:
        """SSS used under RR TT DD `prefix` (any UUU)."""
        return {code[6:9] for code in self.codes if code[:6] == prefix}

    def sub_items(self, main: str) -> set[str]:
        return {code[9:] for code in self.codes if code[:9] == main[:9] and code[9:] not in ("000", "00Y")}


def used_codes(root: Path, registries: Registries | None = None, history: bool = True) -> UsedCodes:
    """Codes of every matter file, every reference, the proof registry's 出具事项, and (in a git repository) every
    matter file version that history shows deleted, renamed or changed."""
    used = UsedCodes()
    snapshot = WorktreeSnapshot(root)
    for data in matter_documents(snapshot):
        used.files += 1
        used.codes |= codes_in(data)
    for proof in (registries or snapshot.registries()).proofs:
        if proof.issuing_matter:
            used.codes.add(proof.issuing_matter)
    if history:
        used.commits = _codes_from_history(root, used.codes)
    return used


def matter_documents(snapshot: WorktreeSnapshot) -> Iterator[Any]:
    """The data of every matter file (None for one that cannot be read) — read only, no schema or model work."""
    for rel in snapshot.matter_files():
        doc = snapshot.document(rel)
        yield doc.data if doc is not None else None


def same_name(root: Path, planned: NewMatter) -> list[str]:
    """Files of matters already named like the new one (事项名称; for an implementation entry, with the same
    实施主体): a new file for an existing matter is the usual way a catalogue gets a duplicate."""
    from mattercli.catalogue.yamlio import load_text

    new = load_text(planned.text, planned.file).data or {}
    name = new.get("事项名称")
    body = new.get("实施主体", {}).get("统一社会信用代码") if isinstance(new.get("实施主体"), dict) else None
    if not isinstance(name, str) or name == TODO:
        return []
    snapshot = WorktreeSnapshot(root)
    out = []
    for rel in snapshot.matter_files():
        doc = snapshot.document(rel)
        data = doc.data if doc is not None else None
        if not isinstance(data, dict) or data.get("事项名称") != name or rel == planned.file:
            continue
        if ("实施编码" in data) != (planned.kind == "implementation"):
            continue
        other = data.get("实施主体")
        if planned.kind == "implementation" and (not isinstance(other, dict) or other.get("统一社会信用代码") != body):
            continue
        out.append(rel)
    return out


def _codes_from_history(root: Path, into: set[str]) -> int:
    try:
        repo = GitRepo(root)
    except GitError:
        return 0
    with repo:
        subdir = repo.relative(root)
        try:
            commits = repo.log([subdir] if subdir else [])
        except GitError:
            return 0  # a repository without commits yet
        blobs: set[str] = set()
        for commit in commits:
            try:
                changes = repo.diff_trees(f"{commit.sha}^", commit.sha, subdir)
            except GitError:
                continue  # the root commit only adds files, which the later trees still hold or deleted
            blobs.update(c.old_blob for c in changes if c.old_blob and c.status in "DMR")
        if commits:
            blobs.update(c.old_blob for c in repo.diff_worktree("HEAD", subdir) if c.old_blob and c.status in "DMR")
        for sha in sorted(blobs):
            doc = load_bytes(repo.read_blob(sha), sha)
            into |= codes_in(doc.data)
        return len(commits)


# ---- what to create -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewMatterRequest:
    """What the editor asked for (`mattercli new` options)."""

    type: str | None = None
    dept: str | None = None
    name: str | None = None
    base: str | None = None
    level: str | None = None
    region: str | None = None
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class NewMatter:
    """A scaffolded matter: its catalogue-relative file, code, text, and the TODO items left for the editor."""

    file: str
    path: Path
    code: str
    kind: str
    text: str
    todo: tuple[str, ...]


def parse_type(value: str) -> MatterType:
    for member in MatterType:
        if value == member.value or (member.code and value == member.code):
            return member
    raise ScaffoldError(f"未知事项类型「{value}」,可用代码或名称,如 01 / 行政许可")


def parse_level(value: str) -> Level:
    for member in Level:
        if value in (member.value, member.code):
            return member
    raise ScaffoldError(f"未知行使层级「{value}」,可用代码或名称,如 4 / 区县级")


def find_department(registries: Registries, key: str) -> Department:
    """A registered department by USCC, full name or short name."""
    department = registries.department_by_uscc.get(key) or registries.department_by_name.get(key)
    if department is None:
        department = next((d for d in registries.departments if d.short_name == key), None)
    if department is None:
        raise ScaffoldError(f"部门名录(registry/departments.yaml)中没有「{key}」(按统一社会信用代码、名称或简称查找)")
    return department


def _matter_data(root: Path, code: str) -> tuple[str, dict[str, Any]]:
    """The file and data of the base entry with 基本编码 `code`."""
    direct = root / "base" / f"{code}.yaml"
    candidates = [direct] if direct.is_file() else []
    if not candidates:
        snapshot = WorktreeSnapshot(root)
        for rel in snapshot.matter_files():
            doc = snapshot.document(rel)
            data = doc.data if doc is not None else None
            if isinstance(data, dict) and data.get("基本编码") == code and "实施编码" not in data:
                candidates.append(root / rel)
    for path in candidates:
        doc = load_bytes(path.read_bytes(), relpath(path, root))
        if isinstance(doc.data, dict) and doc.data.get("基本编码") == code and "实施编码" not in doc.data:
            return relpath(path, root), doc.data
    raise ScaffoldError(f"目录中没有基本编码为 {code} 的基本目录事项")


def plan_new_matter(root: Path, request: NewMatterRequest, history: bool = True) -> NewMatter:
    """The file `new` would write: a base entry, a sub-item (request.parent), or an implementation entry
    (request.base). Raises ScaffoldError when the request cannot be met."""
    root = find_root(root)
    registries = WorktreeSnapshot(root).registries()
    if request.base and request.parent:
        raise ScaffoldError("--base 与 --parent 不能同时使用")
    if request.base:
        return _implementation_entry(root, registries, request)
    used = used_codes(root, registries, history)
    if request.parent:
        return _sub_item(root, registries, request, used)
    return _base_entry(root, registries, request, used)


def _need(value: str | None, option: str) -> str:
    if not value:
        raise ScaffoldError(f"缺少 {option}")
    return value


def _base_entry(root: Path, registries: Registries, request: NewMatterRequest, used: UsedCodes) -> NewMatter:
    matter_type = parse_type(_need(request.type, "--type"))
    name = _need(request.name, "--name")
    department = find_department(registries, _need(request.dept, "--dept"))
    if not department.guiding_code:
        raise ScaffoldError(f"部门「{department.name}」没有业务指导部门代码,无法确定基本编码第 5-6 位(DD)")
    region = request.region or department.region
    if request.region and not (len(request.region) == 6 and request.region.isdigit()):
        raise ScaffoldError(f"行政区划代码「{request.region}」应为 6 位数字")
    rr = "00" if department.level is Level.NATIONAL and not request.region else (region or "")[:2]
    if len(rr) != 2:
        raise ScaffoldError(f"无法确定基本编码前两位:部门「{department.name}」没有行政区划代码,请用 --region 指定")
    type_code = registries.code_of(matter_type)
    if type_code is None:
        raise ScaffoldError(
            f"事项类型「{matter_type.value}」没有国家代码,请在 registry/local-codes.yaml 中给出本地代码(基本编码第 3-4 位)"
        )
    prefix = f"{rr}{type_code}{department.guiding_code}"
    code = f"{prefix}{next_sequence(used.sequences(prefix))}000"
    levels = [parse_level(request.level).value] if request.level else [TODO]
    data: dict[str, Any] = {
        "基本编码": code,
        "事项名称": name,
        "事项类型": matter_type.value,
        "事项状态": MatterStatus.ACTIVE.value,
        "主管部门": department.name,
        "行使层级": levels,
        "设定依据": [{"法律法规名称": TODO}],
    }
    return _finish(root, f"base/{code}.yaml", code, "base", data, matter_type)


def _sub_item(root: Path, registries: Registries, request: NewMatterRequest, used: UsedCodes) -> NewMatter:
    parent_code = _need(request.parent, "--parent")
    parsed = parse_basic_code(parent_code)
    if parsed is None or not parsed.has_sub_items:
        raise ScaffoldError(f"--parent {parent_code} 不是有子项的主项编码(应以 00Y 结尾)")
    _, parent = _matter_data(root, parent_code)
    matter_type = parse_type(str(parent.get("事项类型", "")))
    if request.type and parse_type(request.type) is not matter_type:
        raise ScaffoldError(f"--type 与主项 {parent_code} 的事项类型「{matter_type.value}」不一致")
    if request.dept:
        department = find_department(registries, request.dept)
        if department.name != parent.get("主管部门"):
            raise ScaffoldError(f"--dept 与主项的主管部门「{parent.get('主管部门')}」不一致")
    subs = [int(s) for s in used.sub_items(parent_code) if s.isdigit()]
    number = max(subs, default=0) + 1
    if number > 999:
        raise ScaffoldError(f"主项 {parent_code} 的子项编号已用尽")
    code = f"{parent_code[:9]}{number:03d}"
    data: dict[str, Any] = {
        "基本编码": code,
        "事项名称": _need(request.name, "--name"),
        "事项类型": matter_type.value,
        "事项状态": MatterStatus.ACTIVE.value,
        "主管部门": parent.get("主管部门", TODO),
        "行使层级": parent.get("行使层级", [TODO]),
    }
    data.update({key: parent[key] for key in _INHERITED if key in parent})
    data.setdefault("设定依据", [{"法律法规名称": TODO}])
    return _finish(root, f"base/{code}.yaml", code, "base", data, matter_type)


def _implementation_entry(root: Path, registries: Registries, request: NewMatterRequest) -> NewMatter:
    base_code = _need(request.base, "--base")
    if parse_basic_code(base_code) is None:
        raise ScaffoldError(f"--base {base_code} 不是合法的 12 位基本编码")
    base_file, base = _matter_data(root, base_code)
    if base.get("事项状态") == MatterStatus.CANCELLED.value:
        raise ScaffoldError(f"基本目录事项 {base_code}({base_file})已取消,不能再新增实施清单")
    matter_type = parse_type(str(base.get("事项类型", "")))
    if request.type and parse_type(request.type) is not matter_type:
        raise ScaffoldError(f"--type 与基本目录事项 {base_code} 的事项类型「{matter_type.value}」不一致")
    key = _need(request.dept, "--dept")
    department = registries.department_by_uscc.get(key)
    if department is None and check_uscc(key) is not None:
        # Not a valid USCC: a registered department's name or 简称, which must carry its USCC in the registry.
        try:
            department = find_department(registries, key)
        except ScaffoldError:
            problem = check_uscc(key)
            kind = problem.kind if problem is not None else ""
            raise ScaffoldError(
                f"--dept「{key}」既不是有效的统一社会信用代码({kind}),也不是部门名录中的部门名称或简称"
            ) from None
        if not department.uscc:
            raise ScaffoldError(f"部门名录中「{department.name}」没有统一社会信用代码,请用 --dept 直接给出")
    uscc = department.uscc if department is not None and department.uscc else key
    level_text = request.level or (department.level.value if department else None)
    level = parse_level(_need(level_text, "--level(部门名录中没有该部门,须指定行使层级)"))
    allowed = base.get("行使层级") or []
    if isinstance(allowed, list) and allowed and level.value not in allowed:
        raise ScaffoldError(
            f"基本目录事项 {base_code} 不允许在「{level.value}」行使(允许: {'、'.join(map(str, allowed))})"
        )
    region = request.region or (department.region if department else None)
    region = _need(region, "--region(部门名录中没有该部门的行政区划代码)")
    if not (len(region) == 6 and region.isdigit()):
        raise ScaffoldError(f"行政区划代码「{region}」应为 6 位数字")
    code = f"{uscc}{level.code}{base_code}"
    rel = f"impl/{region}/{code}.yaml"
    data: dict[str, Any] = {
        "实施编码": code,
        "基本编码": base_code,
        "事项名称": request.name or base.get("事项名称", TODO),
        "事项类型": matter_type.value,
        "事项状态": MatterStatus.ACTIVE.value,
        "行政区划代码": region,
        "实施主体": {"名称": department.name if department else TODO, "统一社会信用代码": uscc, "性质": "法定机关"},
        "行使层级": level.value,
        "权力来源": "法定本级行使",
    }
    data.update({key: base[key] for key in _INHERITED if key in base})
    data["办件类型"] = TODO
    data["到办事现场次数"] = TODO
    return _finish(root, rel, code, "implementation", data, matter_type)


def _finish(root: Path, rel: str, code: str, kind: str, data: dict[str, Any], matter_type: MatterType) -> NewMatter:
    """Add the TODO markers, check nothing is overwritten or re-coded, and render through fmt."""
    path = root / rel
    if path.exists():
        raise ScaffoldError(f"文件已存在: {rel}")
    todo: list[str] = []
    doc = RtDocument(rt_node(data))  # type: ignore[arg-type]
    assert isinstance(doc.root, RtMap)
    if kind == "base":
        for key in ("处罚的行为", "处罚的幅度", "征收种类"):
            if key in _type_required(matter_type) and key not in data:
                # A text element has no value that fails validation, so it is left out: the schema reports it missing.
                todo.append(f"{key}: 必填,尚未填写(校验会报告缺少该要素)")
        if "处罚的种类" in _type_required(matter_type) and "处罚的种类" not in data:
            doc.root.entries.append(RtEntry("处罚的种类", rt_node([TODO])))
    for path_, entry in _entries(doc.root, ()):
        if _holds_todo(entry):
            entry.eol = f"# TODO: 填写{_label(path_)}"
            todo.append(f"{_label(path_)}: {TODO}")
    header = [*TODO_HEADER]
    header.extend(f"# TODO: {line}" for line in todo if "尚未填写" in line)
    if kind == "base":
        header.append("# TODO: 建议补充 服务对象、受理条件、申请材料、法定办结时限、办理结果")
    else:
        header.append("# TODO: 核对从基本目录带入的要素(只减不增),补充 承诺办结时限、办理形式、咨询电话")
    doc.header = header
    text = format_document(doc, rel)
    return NewMatter(rel, path, code, kind, text, tuple(todo))


def _type_required(matter_type: MatterType) -> tuple[str, ...]:
    return TYPE_REQUIRED_ELEMENTS.get(matter_type, ())


def _entries(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], RtEntry]]:
    if isinstance(node, RtMap):
        for entry in node.entries:
            yield (*path, entry.key), entry
            yield from _entries(entry.value, (*path, entry.key))
    elif isinstance(node, RtSeq):
        for index, entry in enumerate(node.entries):
            yield from _entries(entry.value, (*path, index))


def _holds_todo(entry: RtEntry) -> bool:
    value = entry.value
    if isinstance(value, RtSeq):
        return any(getattr(item.value, "value", None) == TODO for item in value.entries)
    return getattr(value, "value", None) == TODO


def _label(path: tuple[Any, ...]) -> str:
    return "".join(f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))


def write_new_matter(planned: NewMatter) -> None:
    if planned.path.exists():
        raise ScaffoldError(f"文件已存在: {planned.file}")
    atomic_write_text(planned.path, planned.text)
