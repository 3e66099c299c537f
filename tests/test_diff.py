"""The semantic diff on real git repositories: every reform action, element changes, and what is no change."""

from __future__ import annotations

from pathlib import Path

import pytest

from diff_repo import (
    CITY_BUREAU,
    DEFAULT_MATERIALS,
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
from mattercli.catalogue.catalog import CatalogError
from mattercli.catalogue.gitio import WORKTREE, GitError
from mattercli.diff.compare import CatalogDiff, diff_revisions, summary_text
from mattercli.diff.elements import ChangeKind, ElementChange
from mattercli.diff.reform import MatchBasis, MatterChange, ReformAction


@pytest.fixture
def repo(tmp_path: Path) -> CatalogRepo:
    """The mini catalogue committed, with the licence entry rewritten from the template (committed too)."""
    r = CatalogRepo(tmp_path)
    r.write(LICENCE_FILE, impl_yaml())
    r.commit("template")
    return r


def last(repo: CatalogRepo) -> CatalogDiff:
    return diff_revisions(repo.catalog, "HEAD~1", "HEAD")


def only(diff: CatalogDiff) -> MatterChange:
    assert len(diff.changes) == 1, diff.changes
    return diff.changes[0]


def elements(change: MatterChange, element: str) -> list[ElementChange]:
    return [e for e in change.elements if e.element == element]


def test_added(repo: CatalogRepo) -> None:
    code = impl_code(CITY_BUREAU, "地市级")
    repo.write(f"impl/330100/{code}.yaml", impl_yaml(body=CITY_BUREAU, level="地市级", region="330100"))
    repo.commit("新增")
    change = only(last(repo))
    assert change.actions == (ReformAction.ADDED,) and change.match is MatchBasis.NONE
    assert change.old == () and change.new[0].code == code and change.new[0].level == "地市级"
    assert summary_text(last(repo).summary) == "新增 1 项"


def test_cancelled_by_deleting_the_file(repo: CatalogRepo) -> None:
    repo.delete(PENALTY_FILE)
    repo.commit("取消处罚事项")
    change = only(last(repo))
    assert change.actions == (ReformAction.CANCELLED,) and change.new == ()
    assert change.old[0].code == PENALTY and change.old[0].file == PENALTY_FILE


def test_cancelled_by_status(repo: CatalogRepo) -> None:
    repo.write(LICENCE_FILE, impl_yaml(status="已取消"))
    repo.commit("取消")
    change = only(last(repo))
    assert change.actions == (ReformAction.CANCELLED,) and change.match is MatchBasis.CODE
    assert [(e.element, e.old, e.new) for e in change.elements] == [("事项状态", "在用", "已取消")]
    assert change.new[0].status == "已取消"


def test_restored_matter_is_added(repo: CatalogRepo) -> None:
    repo.write(LICENCE_FILE, impl_yaml(status="已取消"))
    repo.commit("取消")
    repo.write(LICENCE_FILE, impl_yaml())
    repo.commit("恢复")
    assert only(last(repo)).actions == (ReformAction.ADDED,)


def delegate(repo: CatalogRepo, lineage: bool) -> str:
    new_code = impl_code(STREET_OFFICE, "乡镇(街道)级")
    repo.delete(LICENCE_FILE)
    repo.write(
        f"impl/330106/{new_code}.yaml",
        impl_yaml(
            body=STREET_OFFICE,
            level="乡镇(街道)级",
            power_source="上级下放",
            previous=[LICENCE] if lineage else [],
        ),
    )
    repo.commit("下放至街道")
    return new_code


def test_delegated_down_recoded_with_previous_code(repo: CatalogRepo) -> None:
    new_code = delegate(repo, lineage=True)
    change = only(last(repo))
    assert change.actions == (ReformAction.DELEGATED,)
    assert change.match is MatchBasis.LINEAGE
    assert (change.old[0].code, change.new[0].code) == (LICENCE, new_code)
    (level,) = elements(change, "行使层级")
    assert (level.kind, level.old, level.new, level.delta) == (ChangeKind.LOWERED, "区县级", "乡镇(街道)级", 1.0)
    assert elements(change, "实施编码")[0].new == new_code


def test_delegated_down_matched_by_name_and_department(repo: CatalogRepo) -> None:
    """No 原事项编码, and the file too different for git to call it a rename: matched by name + department."""
    new_code = impl_code(STREET_OFFICE, "乡镇(街道)级")
    repo.delete(LICENCE_FILE)
    steps = ["申请", "受理", "审查", "现场核查", "决定", "制证", "送达", "归档"]
    materials = [(f"材料{i}", "其他材料") for i in range(8)]
    text = impl_yaml(body=STREET_OFFICE, level="乡镇(街道)级", steps=steps, materials=materials, visits=1)
    repo.write(f"impl/330106/{new_code}.yaml", text)
    repo.commit("下放至街道")
    change = only(last(repo))
    assert change.actions == (ReformAction.DELEGATED, ReformAction.ADJUSTED)
    assert change.match is MatchBasis.PROBABLE and change.similarity is not None and change.similarity >= 80


def test_recoded_in_a_file_git_calls_a_rename(repo: CatalogRepo) -> None:
    delegate(repo, lineage=False)
    change = only(last(repo))
    assert change.actions == (ReformAction.DELEGATED,) and change.match is MatchBasis.FILE


def test_taken_up_to_the_city(repo: CatalogRepo) -> None:
    new_code = impl_code(CITY_BUREAU, "地市级")
    repo.delete(LICENCE_FILE)
    repo.write(
        f"impl/330100/{new_code}.yaml",
        impl_yaml(body=CITY_BUREAU, level="地市级", region="330100", previous=[LICENCE]),
    )
    repo.commit("上收至市级")
    change = only(last(repo))
    assert change.actions == (ReformAction.RECENTRALISED,)
    assert elements(change, "行使层级")[0].kind is ChangeKind.RAISED
    assert elements(change, "行政区划代码")[0].new == "330100"


def test_level_change_outside_the_region_line_is_an_adjustment(repo: CatalogRepo) -> None:
    other = ("宁波市市场监督管理局", CITY_BUREAU[1])
    repo.write(LICENCE_FILE, impl_yaml(level="地市级", region="330200", body=other, code=LICENCE))
    repo.commit("换到别的城市")
    assert only(last(repo)).actions == (ReformAction.ADJUSTED,)


def test_base_entry_levels_moved_down(repo: CatalogRepo) -> None:
    repo.edit("base/000104001000.yaml", "行使层级: [地市级, 区县级]", "行使层级: [区县级, 乡镇(街道)级]")
    repo.commit("基本目录下放")
    change = only(last(repo))
    assert change.actions == (ReformAction.DELEGATED,)
    assert {(e.kind, e.item) for e in change.elements} == {
        (ChangeKind.REMOVED, "地市级"),
        (ChangeKind.ADDED, "乡镇(街道)级"),
    }


def three_matters(repo: CatalogRepo) -> list[str]:
    codes = []
    for i, name in enumerate(("食品经营许可(新办)", "食品经营许可(变更)", "食品经营许可(延续)")):
        body = (f"杭州市西湖区第{i + 1}办事处", XIHU_BUREAU[1][:-1] + "ABC"[i])
        code = impl_code(body, "区县级")
        repo.write(f"impl/330106/{code}.yaml", impl_yaml(name=name, body=body))
        codes.append(code)
    repo.commit("三个事项")
    return codes


def test_three_matters_merged_into_one(repo: CatalogRepo) -> None:
    sources = three_matters(repo)
    repo.delete(f"impl/330106/{sources[0]}.yaml")
    repo.delete(f"impl/330106/{sources[1]}.yaml")
    repo.edit(f"impl/330106/{sources[2]}.yaml", "事项类型: 行政许可\n", "事项类型: 行政许可\n事项状态: 已取消\n")
    merged = impl_code(("杭州市西湖区综合办事处", XIHU_BUREAU[1][:-1] + "D"), "区县级")
    repo.write(
        f"impl/330106/{merged}.yaml",
        impl_yaml(
            name="食品经营许可(新办、变更、延续)", body=("杭州市西湖区综合办事处", merged[:18]), merged_from=sources
        ),
    )
    repo.commit("三合一")
    diff = last(repo)
    change = only(diff)
    assert change.actions == (ReformAction.MERGED,) and change.match is MatchBasis.LINEAGE
    assert [r.code for r in change.old] == sources and [r.code for r in change.new] == [merged]
    assert [r.name for r in change.old] == ["食品经营许可(新办)", "食品经营许可(变更)", "食品经营许可(延续)"]
    assert summary_text(diff.summary) == "合并 3 项为 1 项"


def test_merged_into_a_matter_that_keeps_its_code(repo: CatalogRepo) -> None:
    sources = three_matters(repo)
    for code in sources:
        repo.delete(f"impl/330106/{code}.yaml")
    repo.write(LICENCE_FILE, impl_yaml(merged_from=sources, materials=DEFAULT_MATERIALS[:1]))
    repo.commit("并入")
    change = only(last(repo))
    assert change.actions == (ReformAction.MERGED, ReformAction.ADJUSTED)
    assert [r.code for r in change.old] == [LICENCE, *sources]
    assert [e.item for e in elements(change, "申请材料")] == ["身份证(复印件)"]


def test_split_into_two(repo: CatalogRepo) -> None:
    repo.delete(LICENCE_FILE)
    parts = []
    for suffix, name in (("E", "食品经营许可(食品销售)"), ("F", "食品经营许可(餐饮服务)")):
        body = (f"杭州市西湖区{name}办事处", XIHU_BUREAU[1][:-1] + suffix)
        code = impl_code(body, "区县级")
        repo.write(f"impl/330106/{code}.yaml", impl_yaml(name=name, body=body, split_from=LICENCE))
        parts.append(code)
    repo.commit("一分为二")
    diff = last(repo)
    change = only(diff)
    assert change.actions == (ReformAction.SPLIT,)
    assert [r.code for r in change.old] == [LICENCE] and sorted(r.code for r in change.new) == sorted(parts)
    assert summary_text(diff.summary) == "拆分 1 项为 2 项"


def test_split_off_while_the_source_stays(repo: CatalogRepo) -> None:
    body = ("杭州市西湖区餐饮办事处", XIHU_BUREAU[1][:-1] + "G")
    part = impl_code(body, "区县级")
    repo.write(f"impl/330106/{part}.yaml", impl_yaml(name="食品经营许可(餐饮服务)", body=body, split_from=LICENCE))
    repo.write(LICENCE_FILE, impl_yaml(name="食品经营许可(食品销售)"))
    repo.commit("拆出餐饮")
    change = only(last(repo))
    assert change.actions == (ReformAction.SPLIT, ReformAction.RENAMED)
    assert [r.code for r in change.new] == [LICENCE, part]


def test_renamed(repo: CatalogRepo) -> None:
    repo.write(LICENCE_FILE, impl_yaml(name="食品经营许可(告知承诺制)"))
    repo.commit("更名")
    change = only(last(repo))
    assert change.actions == (ReformAction.RENAMED,)
    assert [(e.element, e.old, e.new) for e in change.elements] == [
        ("事项名称", "食品经营许可", "食品经营许可(告知承诺制)")
    ]


def test_adjusted_materials_time_fee_visits_depth_and_basis(repo: CatalogRepo) -> None:
    repo.write(
        LICENCE_FILE,
        impl_yaml(
            materials=[("食品经营许可申请书", "申请表"), ("营业执照", "证照")],
            bases=[("食品经营许可和备案管理办法", "第三条")],
            legal=(21, "自然日"),
            promised=(3, "工作日"),
            visits=1,
            depth=["互联网咨询", "收件"],
            fee=("许可证工本费", "每证 10 元"),
        ),
    )
    repo.commit("调整")
    diff = last(repo)
    change = only(diff)
    assert change.actions == (ReformAction.ADJUSTED,)
    got = {(e.element, e.kind, e.item) for e in change.elements}
    assert got == {
        ("设定依据", ChangeKind.REMOVED, "《食品经营许可和备案管理办法》第二条"),
        ("设定依据", ChangeKind.ADDED, "《食品经营许可和备案管理办法》第三条"),
        ("申请材料", ChangeKind.REMOVED, "身份证(复印件)"),
        ("申请材料", ChangeKind.ADDED, "营业执照"),
        ("法定办结时限", ChangeKind.SHORTENED, None),
        ("承诺办结时限", ChangeKind.SHORTENED, None),
        ("到办事现场次数", ChangeKind.INCREASED, None),
        ("到现场原因", ChangeKind.ADDED, None),
        ("网上办理深度", ChangeKind.DECREASED, None),
        ("是否收费", ChangeKind.INCREASED, None),
        ("收费项目", ChangeKind.ADDED, "许可证工本费"),
    }
    assert elements(change, "法定办结时限")[0].delta == -5.0  # 21 自然日 = 15 工作日
    assert elements(change, "网上办理深度")[0].delta == -2.0  # Ⅳ级 -> Ⅱ级
    assert change.time_delta == -2.0
    assert summary_text(diff.summary) == (
        "调整 1 项、减少材料 1 份、增加材料 1 份、压缩时限 2 个工作日、增加跑动 1 次、新增收费 1 项、降低网办深度 1 项"
    )


def test_time_lengthened_and_immediate(repo: CatalogRepo) -> None:
    repo.write(LICENCE_FILE, impl_yaml(promised=(8, "工作日")))
    repo.commit("延长")
    change = only(last(repo))
    assert elements(change, "承诺办结时限")[0].kind is ChangeKind.LENGTHENED and change.time_delta == 3.0
    repo.write(LICENCE_FILE, impl_yaml(case_kind="即办件", promised=(0, "工作日")))
    repo.commit("即办")
    diff = last(repo)
    assert summary_text(diff.summary) == "调整 1 项、压缩时限 8 个工作日、改为即办 1 项"


def test_material_detail_change_is_a_change_of_that_material(repo: CatalogRepo) -> None:
    repo.edit(LICENCE_FILE, "    材料类别: 申请表\n", "    材料类别: 申请表\n    必要性: 容缺后补\n")
    repo.commit("容缺")
    (e,) = only(last(repo)).elements
    assert (e.element, e.kind, e.item) == ("申请材料", ChangeKind.CHANGED, "食品经营许可申请书")
    assert [(f.element, f.old, f.new) for f in e.fields] == [("必要性", "必要", "容缺后补")]


def test_synonym_of_a_material_is_the_same_material(repo: CatalogRepo) -> None:
    repo.edit(LICENCE_FILE, "身份证(复印件)", "居民身份證【原件】")
    repo.commit("规范材料名称")
    (e,) = only(last(repo)).elements
    assert (e.kind, e.item) == (ChangeKind.CHANGED, "居民身份證【原件】")
    assert [f.element for f in e.fields] == ["材料名称"]


def test_file_moved_with_the_same_code_is_no_difference(repo: CatalogRepo) -> None:
    repo.move(LICENCE_FILE, f"impl/330106/food/{LICENCE}.yaml")
    repo.commit("移动")
    diff = last(repo)
    assert diff.changes == () and not diff.differs
    (move,) = diff.moves
    assert (move.code, move.old_file, move.new_file) == (LICENCE, LICENCE_FILE, f"impl/330106/food/{LICENCE}.yaml")


def test_reordering_is_no_change(repo: CatalogRepo) -> None:
    repo.write(
        LICENCE_FILE,
        impl_yaml(
            materials=list(reversed(DEFAULT_MATERIALS)),
            depth=["办理结果信息反馈", "办理", "受理", "预审", "收件", "互联网咨询"],
        ),
    )
    text = repo.read(LICENCE_FILE)
    head, _, rest = text.partition("事项名称: 食品经营许可\n")
    repo.write(
        LICENCE_FILE,
        head.replace('基本编码: "000104001000"\n', "") + rest + '基本编码: "000104001000"\n事项名称: 食品经营许可\n',
    )
    repo.edit(LICENCE_FILE, "办理形式: [窗口办理, 网上办理]", "办理形式: [网上办理, 窗口办理]")
    repo.commit("重新排序")
    diff = last(repo)
    assert diff.files_changed == 1
    assert diff.changes == () and diff.moves == () and not diff.differs


def test_comments_quoting_and_layout_are_no_change(repo: CatalogRepo) -> None:
    text = repo.read(LICENCE_FILE)
    text = text.replace(f'实施编码: "{LICENCE}"', f"实施编码: '{LICENCE}'   # 31 位实施编码")
    text = text.replace("办理形式: [窗口办理, 网上办理]", '办理形式:\n    - 窗口办理\n    - "网上办理"')
    text = text.replace("# 食品经营许可\n", "# 食品经营许可(西湖区)\n# 修改注释不改变事项\n\n")
    repo.write(LICENCE_FILE, text)
    repo.commit("格式")
    diff = last(repo)
    assert diff.files_changed == 1 and diff.changes == () and not diff.differs


def test_work_tree_is_the_default_new_side(repo: CatalogRepo) -> None:
    repo.write(LICENCE_FILE, impl_yaml(name="食品经营许可(西湖)"))
    code = impl_code(CITY_BUREAU, "地市级")
    repo.write(f"impl/330100/{code}.yaml", impl_yaml(body=CITY_BUREAU, level="地市级", region="330100"))  # untracked
    diff = diff_revisions(repo.catalog)
    assert diff.new_label == "工作区" and diff.new_commit is None
    assert [c.actions for c in diff.changes] == [(ReformAction.ADDED,), (ReformAction.RENAMED,)]
    back = diff_revisions(repo.catalog, WORKTREE, "HEAD")
    assert [c.actions for c in back.changes] == [(ReformAction.CANCELLED,), (ReformAction.RENAMED,)]


def test_only_changed_files_are_read(repo: CatalogRepo) -> None:
    repo.write("impl/330106/broken.yaml", "实施编码: [unclosed\n")
    repo.commit("一个坏文件")
    repo.write(LICENCE_FILE, impl_yaml(name="食品经营许可(西湖)"))
    repo.commit("更名")
    diff = last(repo)
    assert diff.files_changed == 1 and diff.problems == ()
    broken = diff_revisions(repo.catalog, "HEAD~2", "HEAD~1")
    (issue,) = broken.problems
    assert (issue.side, issue.file, issue.line, issue.problem) == ("new", "impl/330106/broken.yaml", 2, "yaml-syntax")
    assert broken.differs


def test_registry_changes_are_listed_as_other_files(repo: CatalogRepo) -> None:
    repo.edit("registry/laws.yaml", '施行日期: "2004-01-01"', '施行日期: "2004-01-02"')
    repo.commit("名录")
    diff = last(repo)
    assert diff.changes == () and diff.other_files == (("M", "registry/laws.yaml"),) and diff.differs


def test_bad_revision_and_no_catalogue(repo: CatalogRepo, tmp_path: Path) -> None:
    with pytest.raises(GitError, match="no-such-rev"):
        diff_revisions(repo.catalog, "no-such-rev", "HEAD")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CatalogError):
        diff_revisions(tmp_path / "empty")


def test_penalty_code_is_untouched_by_unrelated_changes(repo: CatalogRepo) -> None:
    repo.write(LICENCE_FILE, impl_yaml(steps=["受理", "审查", "决定"]))
    repo.commit("流程")
    repo.write(LICENCE_FILE, impl_yaml(steps=["决定", "受理", "审查"]))
    repo.commit("流程顺序")
    assert last(repo).changes == ()
    assert all(PENALTY not in c.code for c in diff_revisions(repo.catalog, "HEAD~2", "HEAD").changes)
