"""`mattercli log` and `show` on real git repositories: a matter's history follows file moves and lineage
(原事项编码, 合并自), each commit classified; `show` finds a matter's file by code at any revision."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diff_repo import (
    LICENCE,
    LICENCE_FILE,
    PENALTY,
    PENALTY_FILE,
    STREET_OFFICE,
    XIHU_BUREAU,
    CatalogRepo,
    impl_code,
    impl_yaml,
)
from mattercli.cli import app
from mattercli.diff.history import matter_history, matter_text
from mattercli.diff.reform import ReformAction

GOLDEN = Path(__file__).parent / "golden" / "diff"
runner = CliRunner()
STREET = impl_code(STREET_OFFICE, "乡镇(街道)级")
MOVED_FILE = f"impl/330106/food/{LICENCE}.yaml"


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> CatalogRepo:
    """init (the mini catalogue) → template → fewer materials → file moved → unrelated → 下放 (recoded)."""
    repo = CatalogRepo(tmp_path_factory.mktemp("story"))
    repo.write(LICENCE_FILE, impl_yaml())
    repo.commit("按模板重写", author="alice")
    repo.write(LICENCE_FILE, impl_yaml(materials=[("食品经营许可申请书", "申请表")]))
    repo.commit("减少材料", author="bob")
    repo.move(LICENCE_FILE, MOVED_FILE)
    repo.commit("整理目录", author="carol")
    repo.edit(PENALTY_FILE, "处罚的种类: [没收违法所得, 罚款]", "处罚的种类: [警告, 没收违法所得, 罚款]")
    repo.commit("无关修改", author="dave")
    repo.delete(MOVED_FILE)
    repo.write(
        f"impl/330106/{STREET}.yaml",
        impl_yaml(
            body=STREET_OFFICE, level="乡镇(街道)级", previous=[LICENCE], materials=[("食品经营许可申请书", "申请表")]
        ),
    )
    repo.commit("下放至街道", author="erin")
    return repo


def test_history_follows_moves_and_recoding(story: CatalogRepo) -> None:
    history = matter_history(story.catalog, STREET)
    assert history.file == f"impl/330106/{STREET}.yaml"
    assert [e.commit.subject for e in history.entries] == ["下放至街道", "整理目录", "减少材料", "按模板重写", "init"]
    assert [e.commit.author for e in history.entries] == ["erin", "carol", "bob", "alice", "t"]
    down, moved, fewer, template, born = history.entries
    assert [c.actions for c in down.changes] == [(ReformAction.DELEGATED,)]
    assert moved.changes == () and [(m.old_file, m.new_file) for m in moved.moves] == [(LICENCE_FILE, MOVED_FILE)]
    assert [e.item for e in fewer.changes[0].elements] == ["身份证(复印件)"]
    assert template.changes[0].actions == (ReformAction.ADJUSTED,)
    assert born.changes[0].actions == (ReformAction.ADDED,) and born.changes[0].new[0].code == LICENCE
    assert set(history.codes) == {STREET, LICENCE}


def test_history_from_an_earlier_revision_and_of_a_deleted_matter(story: CatalogRepo) -> None:
    earlier = matter_history(story.catalog, LICENCE, "HEAD~2")
    assert earlier.file == MOVED_FILE
    assert [e.commit.subject for e in earlier.entries] == ["整理目录", "减少材料", "按模板重写", "init"]
    gone = matter_history(story.catalog, LICENCE)
    assert gone.file is None
    assert [e.commit.subject for e in gone.entries][:1] == ["下放至街道"]
    assert [e.commit.subject for e in matter_history(story.catalog, PENALTY).entries] == ["无关修改", "init"]


def test_history_of_a_merged_matter_includes_its_sources(tmp_path: Path) -> None:
    repo = CatalogRepo(tmp_path)
    sources = []
    for suffix, name in (("A", "食品经营许可(新办)"), ("B", "食品经营许可(变更)"), ("C", "食品经营许可(延续)")):
        body = (f"杭州市西湖区{name}窗口", XIHU_BUREAU[1][:-1] + suffix)
        sources.append(impl_code(body, "区县级"))
        repo.write(f"impl/330106/{sources[-1]}.yaml", impl_yaml(name=name, body=body))
    repo.commit("三个事项")
    repo.edit(f"impl/330106/{sources[0]}.yaml", "  时限: 5", "  时限: 4")
    repo.commit("新办压缩时限")
    for code in sources:
        repo.delete(f"impl/330106/{code}.yaml")
    body = ("杭州市西湖区食品经营许可专窗", XIHU_BUREAU[1][:-1] + "D")
    merged = impl_code(body, "区县级")
    repo.write(f"impl/330106/{merged}.yaml", impl_yaml(name="食品经营许可", body=body, merged_from=sources))
    repo.commit("三合一")
    history = matter_history(repo.catalog, merged)
    assert [e.commit.subject for e in history.entries] == ["三合一", "新办压缩时限", "三个事项"]
    assert history.entries[0].changes[0].actions == (ReformAction.MERGED,)
    assert history.entries[1].changes[0].time_delta == -1.0
    assert len(history.entries[2].changes) == 3 and set(history.codes) == {merged, *sources}


def normalised(text: str) -> str:
    return re.sub(r"\b[0-9a-f]{10}\b", "<commit>", text)


def test_log_command_text_golden_and_json(story: CatalogRepo) -> None:
    result = runner.invoke(app, ["log", STREET, "--catalog", str(story.catalog)])
    assert result.exit_code == 0, result.output
    golden = GOLDEN / "log.txt"
    text = normalised(result.output)
    if __import__("os").environ.get("MATTERCLI_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == text
    doc = json.loads(runner.invoke(app, ["log", STREET, "--catalog", str(story.catalog), "-f", "json"]).output)
    assert doc["code"] == STREET and doc["codes"] == sorted([STREET, LICENCE])
    assert [e["author"] for e in doc["entries"]] == ["erin", "carol", "bob", "alice", "t"]
    assert doc["entries"][0]["changes"][0]["actions"] == ["delegated"]
    assert doc["entries"][1]["moves"] == [{"code": LICENCE, "old_file": LICENCE_FILE, "new_file": MOVED_FILE}]
    english = runner.invoke(app, ["log", STREET, "--catalog", str(story.catalog), "--lang", "en"]).output
    assert "delegated down" in english and "History of" in english


def test_log_of_an_unknown_code_exits_2(story: CatalogRepo) -> None:
    result = runner.invoke(app, ["log", "000000000000", "--catalog", str(story.catalog)])
    assert result.exit_code == 2


def test_show_a_matter_at_a_revision(story: CatalogRepo) -> None:
    now = matter_text(story.catalog, STREET)
    assert now.file == f"impl/330106/{STREET}.yaml" and now.label == "工作区" and STREET_OFFICE[0] in now.text
    before = matter_text(story.catalog, LICENCE, "HEAD~3")
    assert before.file == LICENCE_FILE and "身份证(复印件)" not in before.text
    assert "身份证(复印件)" in matter_text(story.catalog, LICENCE, "HEAD~4").text
    result = runner.invoke(app, ["show", LICENCE, "--rev", "HEAD~1", "--catalog", str(story.catalog), "--path"])
    assert result.exit_code == 0
    assert result.output.startswith("# HEAD~1(") and f": {MOVED_FILE}\n# 食品经营许可\n" in result.output
    missing = runner.invoke(app, ["show", LICENCE, "--catalog", str(story.catalog)])
    assert missing.exit_code == 2 and LICENCE in missing.output


def test_show_finds_a_file_not_named_after_its_code(tmp_path: Path) -> None:
    repo = CatalogRepo(tmp_path)
    repo.move(LICENCE_FILE, "impl/330106/食品经营许可.yaml")
    repo.commit("按名称命名")
    for rev in ("HEAD", None):
        shown = matter_text(repo.catalog, LICENCE, rev) if rev else matter_text(repo.catalog, LICENCE)
        assert shown.file == "impl/330106/食品经营许可.yaml"
    # a base code is matched to the base entry, never to the implementation entries that cite it
    assert matter_text(repo.catalog, "000104001000", "HEAD").file == "base/000104001000.yaml"
    repo.move("base/000104001000.yaml", "base/licence.yaml")
    repo.commit("基本目录按名称命名")
    assert matter_text(repo.catalog, "000104001000", "HEAD").file == "base/licence.yaml"
