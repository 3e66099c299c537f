"""四级四同 on the embedded catalogue: the issue's reproduction (rename 西湖区's 食品经营许可, swap one 设定依据) gives
name-drift and basis-drift errors with file:line, while the catalogue as shipped stays clean of both."""

from __future__ import annotations

import shutil
from pathlib import Path

from mattercli.check.engine import validate

CATALOG = Path(__file__).parent.parent / "catalog"
FOOD = "impl/330106/11330106003041529B4000111001000.yaml"
DRIFT_RULES = {"name-drift", "basis-drift", "license-not-listed", "license-name-drift", "license-basis-drift"}


def test_embedded_catalogue_has_no_drift() -> None:
    report = validate([CATALOG])
    assert not [f for f in report.findings if f.rule in DRIFT_RULES | {"coverage-downward"}]


def test_rename_and_basis_swap_give_drift_errors_with_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(CATALOG, root, ignore=shutil.ignore_patterns(".mattercli-cache"))
    path = root / FOOD
    text = path.read_text(encoding="utf-8")
    assert "事项名称: 食品经营许可\n" in text and "  - 法律法规名称: 食品经营许可和备案管理办法\n" in text
    text = text.replace("事项名称: 食品经营许可\n", "事项名称: 食品经营许可证核发（西湖区）\n")
    text = text.replace(
        "  - 法律法规名称: 食品经营许可和备案管理办法\n", "  - 法律法规名称: 中华人民共和国行政许可法\n"
    )
    path.write_text(text, encoding="utf-8")
    swapped = text.splitlines().index("  - 法律法规名称: 中华人民共和国行政许可法") + 1
    report = validate([root])
    drift = [(f.rule, f.file, f.line, f.severity.value) for f in report.findings if f.rule in DRIFT_RULES]
    assert drift == [("name-drift", FOOD, 4, "error"), ("basis-drift", FOOD, swapped, "error")]
    messages = {f.rule: f.message for f in report.findings}
    assert "「食品经营许可证核发（西湖区）」与基本目录事项「食品经营许可」(000111001000)" in messages["name-drift"]
    assert "《中华人民共和国行政许可法》" in messages["basis-drift"]
    assert {f.location for f in report.findings if f.rule in DRIFT_RULES} == {f"{FOOD}:4:7", f"{FOOD}:{swapped}:13"}
