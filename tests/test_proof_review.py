"""The 证明事项 review: the bundled 六部门 list, the rule options in the config file, and the shared checks."""

from __future__ import annotations

import shutil
from pathlib import Path

from mattercli.check.config import load_config
from mattercli.check.engine import ValidateOptions, validate
from mattercli.check.findings import Severity
from mattercli.check.proof_review import (
    DEFAULT_OPTIONS,
    MatterFacts,
    ReviewOptions,
    community_list,
    pledge_scope,
    sensitive_domains,
)
from test_rules import apply_edit

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
FB = "base/000104001000.yaml"


def test_the_community_list_has_the_twenty_proofs_and_its_source() -> None:
    community = community_list()
    assert len(set(community.names.values())) == 20
    assert "民发〔2020〕20号" in community.source and "民政部" in community.source
    assert {"亲属关系证明", "居民身份信息证明", "市场主体住所证明", "证件遗失证明"} <= set(community.names.values())
    assert community.is_community_body("西溪街道某某社区居民委员会")
    assert community.is_community_body("某某村村民委员会")
    assert not community.is_community_body("杭州市西湖区民政局")
    assert not community.is_community_body(None)


def _rule_basis_catalogue(tmp_path: Path, config: str) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    # a 部门规章
    apply_edit(root, {"file": FB, "set": {"申请材料.3.设定依据.0.法律法规名称": "食品经营许可和备案管理办法"}})
    (root / "mattercli.toml").write_text(config, encoding="utf-8")
    return root


def _rank_findings(root: Path) -> list[tuple[str, Severity]]:
    report = validate([root], ValidateOptions(cache=False))
    return [(f.file, f.severity) for f in report.findings if f.rule == "proof-basis-rank"]


def test_a_departmental_rule_is_a_warning_by_default(tmp_path: Path) -> None:
    root = _rule_basis_catalogue(tmp_path, "")
    assert _rank_findings(root) == [(FB, Severity.WARNING)]


def test_the_config_makes_a_departmental_rule_an_error_or_silent(tmp_path: Path) -> None:
    root = _rule_basis_catalogue(tmp_path, '[proof-rules]\ndepartment-rule = "error"\n')
    assert _rank_findings(root) == [(FB, Severity.ERROR)]
    (root / "mattercli.toml").write_text('[proof-rules]\ndepartment-rule = "off"\n', encoding="utf-8")
    assert _rank_findings(root) == []


def test_the_config_replaces_the_sensitive_domains(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "mattercli.toml").write_text('[proof-rules.sensitive-domains]\n"金融审慎" = ["农商行"]\n', encoding="utf-8")
    options = load_config(root).config.proof_rules.review_options()
    assert options.domains() == {"金融审慎": ("农商行",)}
    food = MatterFacts(True, "000104001000", "食品经营许可", "杭州市西湖区市场监督管理局", None)
    assert sensitive_domains(food, DEFAULT_OPTIONS) == ["人身健康"]
    assert sensitive_domains(food, options) == []
    assert pledge_scope(food, ["健康证明"], options) is None
    problem = pledge_scope(food, ["健康证明"], ReviewOptions())
    assert problem is not None and problem.args["domains"] == ["人身健康"]
    noted = MatterFacts(True, "000104001000", "食品经营许可", "杭州市西湖区市场监督管理局", "事后核查")
    assert pledge_scope(noted, ["健康证明"], ReviewOptions()) is None
