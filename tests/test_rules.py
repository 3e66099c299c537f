"""Every rule, passing and failing, driven by tests/rules/cases.yaml on copies of tests/fixtures/mini."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from mattercli.check.config import Preset
from mattercli.check.engine import ValidateOptions, validate
from mattercli.check.findings import Severity
from mattercli.check.rules import default_registry

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
CASES = yaml.safe_load((HERE / "rules" / "cases.yaml").read_text(encoding="utf-8"))
ALIASES = {
    "FB": "base/000104001000.yaml",
    "PB": "base/000204001000.yaml",
    "F": "impl/330106/1133010600250001784000104001000.yaml",
    "P": "impl/330106/1133010600250001784000204001000.yaml",
    "DEPTS": "registry/departments.yaml",
    "LAWS": "registry/laws.yaml",
    "PROOFS": "registry/proofs.yaml",
    "KEPT": "registry/proofs-kept.yaml",
    "CANCELLED": "registry/proofs-cancelled.yaml",
    "PLEDGES": "registry/pledge-catalog.yaml",
    "REGIONS": "registry/regions.yaml",
    "LICENCES": "registry/license-list.yaml",
}


class _CodeDumper(yaml.SafeDumper):
    """Quotes all-digit strings, as an editor must: YAML 1.2 would read 000104999000 as a number."""


_CodeDumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style='"' if value.isdigit() else None
    ),
)


def _set(data: Any, dotted: str, value: Any) -> None:
    parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    for part in parts[:-1]:
        data = data[part]
    last = parts[-1]
    if isinstance(data, list) and isinstance(last, int) and last == len(data):
        data.append(value)
    else:
        data[last] = value


def apply_edit(root: Path, edit: dict[str, Any]) -> None:
    path = root / ALIASES.get(edit["file"], edit["file"])
    if "write" in edit:  # a new file with this content
        path.parent.mkdir(parents=True, exist_ok=True)
        dumped = yaml.dump(edit["write"], Dumper=_CodeDumper, allow_unicode=True, sort_keys=False, width=10_000)
        path.write_text(dumped, encoding="utf-8")
        return
    if edit.get("remove"):
        path.unlink()
        return
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    leading_comments = "".join(line + "\n" for line in original.splitlines() if line.startswith("#"))
    for dotted, value in (edit.get("set") or {}).items():
        _set(data, dotted, value)
    for key in edit.get("delete") or []:
        del data[key]
    target = path
    if "rename" in edit:
        path.unlink()
        target = root / edit["rename"]
    elif "copy" in edit:
        target = root / edit["copy"]
    dumped = yaml.dump(data, Dumper=_CodeDumper, allow_unicode=True, sort_keys=False, width=10_000)
    target.write_text(leading_comments + dumped + edit.get("append", ""), encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case(case: dict[str, Any], tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    for edit in case.get("edits") or []:
        apply_edit(root, edit)
    options = ValidateOptions(
        enabled=frozenset(case.get("enable") or ()),
        preset=Preset(case["preset"]) if case.get("preset") else None,
    )
    report = validate([root], options)
    got = sorted((f.rule, f.file) for f in report.findings)
    want = sorted((rule, ALIASES.get(file, file)) for rule, file, *_ in case["expect"])
    assert got == want, "\n".join(f"{f.location} [{f.rule}] {f.message}" for f in report.findings)
    for rule, file, *line in case["expect"]:
        if line:
            lines = {f.line for f in report.findings if f.rule == rule and f.file == ALIASES.get(file, file)}
            assert line[0] in lines, f"{rule} in {file}: expected line {line[0]}, got {lines}"
    for f in report.findings:
        assert f.message and f.message_en and f.message != f.message_en


def test_every_rule_has_a_failing_case() -> None:
    file_rules = {r.id for r in default_registry() if r.scope == "file"} if False else set()
    covered = {rule for case in CASES for rule, *_ in case["expect"]}
    checked = {r.id for r in default_registry() if not r.__class__.__module__.endswith("file_problems")}
    assert checked - covered == file_rules


def test_registry_refuses_duplicate_ids() -> None:
    registry = default_registry()
    rule = next(iter(registry))
    with pytest.raises(ValueError, match="duplicate rule id"):
        registry.add(rule)


def test_every_rule_documents_itself() -> None:
    for rule in default_registry():
        assert rule.title and rule.title_en and rule.messages
        assert isinstance(rule.severity, Severity)
        module_doc = __import__(type(rule).__module__, fromlist=["_"]).__doc__
        assert type(rule).__doc__ or module_doc, rule.id
