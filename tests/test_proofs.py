"""The proof analyses as the spec states them: identity of names, duplicate clusters (exact, synonym, fuzzy), cycles,
shareable and baseless proofs, on small catalogues written for each case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mattercli.catalogue.catalog import Registries
from mattercli.catalogue.snapshot import WorktreeSnapshot, open_snapshot, parse_matter
from mattercli.catalogue.store import STORE_DIR as CACHE_DIR
from mattercli.catalogue.store import STORE_FILE, JsonRecords, Store
from mattercli.catalogue.yamlio import load_bytes
from mattercli.model import ImplementationEntry, ProofDictionaryEntry
from mattercli.model.normalize import material_key, normalise
from mattercli.proofs import index as proof_index
from mattercli.proofs.index import PARALLEL_MIN_FILES, build_index, file_record, record_cache
from mattercli.proofs.run import (
    BaselessReason,
    DuplicateKind,
    ProofCatalogue,
    ProofOptions,
    ProofReport,
    Section,
    ShareReason,
    analyse,
)
from mattercli.proofs.similarity import (
    one_substitution_pairs,
    shortest_fuzzy_length,
    similar_pairs,
    similarity,
)
from proofs_catalog import (
    BASIS,
    CATALOG,
    IMPL_PREFIX,
    MINI_FIXTURE,
    PROOFS_FIXTURE,
    XIHU_CDC,
    XIHU_POLICE,
    XIHU_SAMR,
    listed,
    material,
    proof_entry,
    write_catalogue,
)


def run(root: Path, *sections: Section, **options: object) -> ProofReport:
    chosen = frozenset(sections) if sections else frozenset(Section)
    return analyse(open_snapshot(root), ProofOptions(sections=chosen, **options))  # type: ignore[arg-type]


ID_CARD = proof_entry("居民身份证", ["身份证", "身份证明"], issuer=XIHU_POLICE)
LICENCE = proof_entry("营业执照", ["工商营业执照"], issuer=XIHU_SAMR)
REGISTER = proof_entry("户口簿", ["户口本", "居民户口簿"], issuer=XIHU_POLICE)


# =============================================================================================================
# Identity of a material name
# =============================================================================================================


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("居民身份證", "居民身份证"),
        ("戶口簿", "户口簿"),
        ("營業執照", "营业执照"),
        ("結婚證書", "结婚证书"),
        ("無犯罪記錄證明", "无犯罪记录证明"),
        ("出生醫學證明", "出生医学证明"),
        ("不動產權證書", "不动产权证书"),
    ],
)
def test_traditional_and_simplified_names_are_one_material(written: str, key: str) -> None:
    assert normalise(written).key == key == normalise(key).key


@pytest.mark.parametrize(
    ("written", "qualifiers"),
    [
        ("营业执照原件", ("原件",)),
        ("营业执照复印件", ("复印件",)),
        ("营业执照原件及复印件", ("原件及复印件",)),
        ("营业执照(原件或复印件)", ("原件或复印件",)),
        ("营业执照复印件加盖公章", ("复印件加盖公章",)),
        ("营业执照扫描件", ("扫描件",)),
        ("营业执照电子版", ("电子版",)),
        ("营业执照一份", ("一份",)),
    ],
)
def test_suffixes_are_qualifiers_not_identity(written: str, qualifiers: tuple[str, ...]) -> None:
    assert normalise(written).key == "营业执照"
    assert normalise(written).qualifiers == qualifiers


@pytest.mark.parametrize(
    "written", ["【户口簿】", "《户口簿》", "（户口簿）", "〔户口簿〕", "「户口簿」", "[户口簿]", "户口簿（复印件）"]
)
def test_brackets_do_not_change_the_material(written: str) -> None:
    assert normalise(written).key == "户口簿"


@pytest.mark.parametrize(
    ("written", "key"),
    [("ＩＣＰ许可证", "ICP许可证"), ("居民身份证（ＶＩＰ）", "居民身份证VIP"), ("户口簿\u3000（复印件）", "户口簿")],
)
def test_full_width_forms_become_half_width(written: str, key: str) -> None:
    assert normalise(written).key == key


def test_dictionary_synonyms_give_the_standard_identity() -> None:
    registries = Registries(proofs=[ProofDictionaryEntry.model_validate(ID_CARD)])
    proofs = ProofCatalogue(registries)
    for written in ("身份证", "身份證（复印件）", "【身份证明】", "居民身份證原件"):
        assert material_key(written, registries.synonyms) == "居民身份证"
        assert proofs.identity(normalise(written).key) == "居民身份证"
    assert proofs.entry("居民身份证") is not None
    assert proofs.identity("户口簿") == "户口簿"  # not in the dictionary: its own identity


# =============================================================================================================
# Similar names
# =============================================================================================================


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("房屋租赁合同", "房屋租凭合同"),  # one wrong character in six: 0.83
        ("居民户口簿", "居民户口薄"),  # one in five: 0.8
        ("法定代表人身份证明", "法定代表人身分证明"),
        ("法定代表人身份证明", "法定代表人身份证明书"),  # one added
    ],
)
def test_one_wrong_character_in_a_long_name_is_similar(a: str, b: str) -> None:
    pairs = similar_pairs([a, b, "营业执照"])
    assert [(p.a, p.b) for p in pairs] == [(0, 1)]
    assert pairs[0].similarity == pytest.approx(similarity(a, b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("结婚证明", "离婚证明"),  # four characters: one change is a different document
        ("一级建造师证书", "二级建造师证书"),  # only a numeral differs
        ("A类资质证书", "B类资质证书"),  # only a letter differs
        ("食品经营许可证", "食品生产许可证"),  # two in seven
    ],
)
def test_different_documents_are_not_similar(a: str, b: str) -> None:
    assert similar_pairs([a, b]) == []


def test_threshold_above_five_sixths_no_longer_joins_one_wrong_character_in_six() -> None:
    assert similar_pairs(["房屋租赁合同", "房屋租凭合同"], threshold=0.84) == []
    assert shortest_fuzzy_length(0.8) == 5
    assert shortest_fuzzy_length(0.9) == 10


def test_similar_pairs_compare_across_lengths_in_blocks() -> None:
    keys = ["身份证", "法定代表人身份证明书", "法定代表人身份证明", "无关材料名称很长很长", "法定代表人身份证"]
    found = {(keys[p.a], keys[p.b]) for p in similar_pairs(keys)}
    assert found == {
        ("法定代表人身份证明书", "法定代表人身份证明"),  # 0.9
        ("法定代表人身份证明", "法定代表人身份证"),  # 0.89
        ("法定代表人身份证明书", "法定代表人身份证"),  # two of ten: 0.8
    }


def test_one_substitution_pairs_in_short_names() -> None:
    keys = ["户口簿", "户口薄", "户口", "户口本子", "结婚证", "离婚证", "一级证", "二级证"]
    found = {(keys[p.a], keys[p.b]) for p in one_substitution_pairs(keys, 3, 4)}
    assert found == {("户口簿", "户口薄"), ("结婚证", "离婚证")}


# =============================================================================================================
# Duplicates
# =============================================================================================================


def test_name_variants_form_one_cluster_named_after_the_dictionary(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={
            "000104001000": ("食品经营许可", [material("身份证(复印件)"), material("营业执照")]),
            "000104002000": ("食品生产许可", [material("居民身份證"), material("营业执照")]),
        },
        proofs=[ID_CARD, LICENCE],
    )
    report = run(root, Section.duplicates)
    assert [c.canonical for c in report.duplicates] == ["居民身份证"]
    cluster = report.duplicates[0]
    assert cluster.in_dictionary
    assert cluster.kinds == (DuplicateKind.NAME_VARIANCE, DuplicateKind.SEVERAL_MATTERS)
    assert {v.name for v in cluster.variants} == {"身份证(复印件)", "居民身份證"}
    assert cluster.keys == ("居民身份证", "身份证")
    assert (cluster.matters, cluster.entries) == (2, 2)
    assert {(r.file, r.line) for r in cluster.refs} == {("base/000104001000.yaml", 11), ("base/000104002000.yaml", 11)}
    assert cluster.places == cluster.refs  # no place writes the standard name: every one is to fix


def test_a_proof_under_one_name_in_several_matters_is_reported_only_on_request(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={code: (f"事项{code}", [material("营业执照")]) for code in ("000104001000", "000104002000")},
        proofs=[LICENCE],
    )
    assert run(root, Section.duplicates).duplicates == []
    wide = run(root, Section.duplicates, several_matters=2)
    assert [(c.canonical, c.kinds, c.matters) for c in wide.duplicates] == [
        ("营业执照", (DuplicateKind.SEVERAL_MATTERS,), 2)
    ]
    assert len(wide.duplicates[0].refs) == 2  # reported for being asked by several matters: every place counts
    assert run(root, Section.duplicates, several_matters=3).duplicates == []


def test_an_implementation_is_the_same_matter_as_its_base(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={"000104001000": ("食品经营许可", [material("营业执照")])},
        impls={"000104001000": ("食品经营许可", [material("营业执照")])},
        proofs=[LICENCE],
    )
    assert run(root, Section.duplicates, several_matters=2).duplicates == []


def test_one_matter_asking_twice_is_a_duplicate(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={"000104001000": ("食品经营许可", [material("身份证原件"), material("身份证复印件")])},
        proofs=[ID_CARD],
    )
    (cluster,) = run(root, Section.duplicates).duplicates
    assert DuplicateKind.SAME_MATTER in cluster.kinds
    assert [r.material for r in cluster.refs] == ["身份证原件", "身份证复印件"]
    assert cluster.repeated_in == ("base/000104001000.yaml",)


def test_a_misspelt_synonym_is_found_by_similarity(tmp_path: Path) -> None:
    # Nobody writes the synonym 居民户口簿; the typo still meets it in the dictionary.
    root = write_catalogue(tmp_path, bases={"000104001000": ("事项", [material("居民户口薄")])}, proofs=[REGISTER])
    (cluster,) = run(root, Section.duplicates).duplicates
    assert cluster.canonical == "户口簿"
    assert cluster.kinds == (DuplicateKind.NAME_VARIANCE,)
    assert [(s.a, s.b, s.similarity, s.rule.value) for s in cluster.similar] == [
        ("居民户口簿", "居民户口薄", 0.8, "edit-similarity")
    ]


def test_a_short_name_one_character_off_a_registered_name_joins_it(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={
            "000104001000": ("甲", [material("户口簿")]),
            "000104002000": ("乙", [material("户口薄")]),
            "000104003000": ("丙", [material("结婚证"), material("离婚证")]),  # neither registered: left alone
        },
        proofs=[REGISTER],
    )
    (cluster,) = run(root, Section.duplicates).duplicates
    assert cluster.canonical == "户口簿"
    assert {v.name for v in cluster.variants} == {"户口簿", "户口薄"}
    assert {s.rule.value for s in cluster.similar} == {"one-character"}


def test_two_registered_proofs_are_never_joined_however_alike(tmp_path: Path) -> None:
    bases = {"000104001000": ("甲", [material("机动车驾驶证")]), "000104002000": ("乙", [material("机动车行驶证")])}
    unregistered = write_catalogue(tmp_path / "a", bases=bases)
    (cluster,) = run(unregistered, Section.duplicates).duplicates  # 0.83 alike: a candidate for the editor
    assert {v.name for v in cluster.variants} == {"机动车驾驶证", "机动车行驶证"}
    registered = write_catalogue(
        tmp_path / "b", bases=bases, proofs=[proof_entry("机动车驾驶证"), proof_entry("机动车行驶证")]
    )
    assert run(registered, Section.duplicates).duplicates == []


def test_application_forms_and_other_materials_are_not_proofs(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={
            "000104001000": ("甲", [material("食品经营许可申请书", "申请表"), material("授权委托书", "其他材料")]),
            "000104002000": ("乙", [material("食品经营许可申请表", "申请表"), material("授权委托书", "其他材料")]),
        },
    )
    report = run(root, Section.duplicates, several_matters=2)
    assert report.duplicates == []
    assert (report.materials, report.proofs) == (4, 0)


def test_a_registered_proof_counts_whatever_its_category(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={"000104001000": ("甲", [material("身份证", "其他材料"), material("居民身份证")])},
        proofs=[ID_CARD],
    )
    (cluster,) = run(root, Section.duplicates).duplicates
    assert cluster.repeated_in == ("base/000104001000.yaml",)


# =============================================================================================================
# Cycles
# =============================================================================================================


def _issued(name: str, code: str) -> dict[str, object]:
    return proof_entry(name, kind="证明", issuing_matter=code)


def test_a_three_matter_cycle_is_reported_once_with_its_path(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={
            "000104003000": ("丙证开具", [material("甲证")]),
            "000104001000": ("甲证开具", [material("乙证")]),
            "000104002000": ("乙证开具", [material("丙证明")]),  # a synonym of 丙证
        },
        proofs=[
            _issued("甲证", "000104001000"),
            _issued("乙证", "000104002000"),
            {**_issued("丙证", "000104003000"), "同义词": ["丙证明"]},
        ],
    )
    (cycle,) = run(root, Section.cycles).cycles
    assert cycle.matters == ("000104001000", "000104002000", "000104003000")
    assert [s.proof for s in cycle.steps] == ["乙证", "丙证", "甲证"]
    assert cycle.path() == (
        "000104001000「甲证开具」 —乙证→ 000104002000「乙证开具」 —丙证→ 000104003000「丙证开具」 —甲证→ "
        "000104001000「甲证开具」"
    )
    assert cycle.steps[1].refs[0].material == "丙证明"


def test_a_chain_is_not_a_cycle(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={"000104001000": ("甲证开具", [material("乙证")]), "000104002000": ("乙证开具", [material("丙证")])},
        proofs=[_issued("甲证", "000104001000"), _issued("乙证", "000104002000"), _issued("丙证", "000104009000")],
    )
    assert run(root, Section.cycles).cycles == []


def test_an_implementation_entry_closes_a_cycle_its_base_does_not(tmp_path: Path) -> None:
    proofs = [_issued("甲证", "000104001000"), _issued("乙证", "000104002000")]
    bases = {"000104001000": ("甲证开具", [material("居民身份证")]), "000104002000": ("乙证开具", [material("甲证")])}
    root = write_catalogue(tmp_path / "a", bases=bases, proofs=proofs)
    assert run(root, Section.cycles).cycles == []
    root = write_catalogue(
        tmp_path / "b", bases=bases, impls={"000104001000": ("甲证开具", [material("乙证")])}, proofs=proofs
    )
    (cycle,) = run(root, Section.cycles).cycles
    assert cycle.steps[0].refs[0].file == f"impl/330106/{IMPL_PREFIX}000104001000.yaml"
    assert cycle.steps[0].refs[0].matter_code == IMPL_PREFIX + "000104001000"


def test_a_matter_needing_its_own_result_is_a_cycle_only_when_asked(tmp_path: Path) -> None:
    # A renewal (延续) needs the licence it renews: not a circular proof by default.
    root = write_catalogue(
        tmp_path, bases={"000104001000": ("甲证延续", [material("甲证")])}, proofs=[_issued("甲证", "000104001000")]
    )
    assert run(root, Section.cycles).cycles == []
    (loop,) = run(root, Section.cycles, self_loops=True).cycles
    assert loop.matters == ("000104001000",)


def test_cycle_enumeration_stops_at_the_limit(tmp_path: Path) -> None:
    # Four matters that all need each other's proofs: 20 cycles of length 2 to 4.
    codes = [f"00010400{i}000" for i in range(1, 5)]
    proofs = [_issued(f"证{i}", code) for i, code in enumerate(codes)]
    bases = {code: (f"证{i}开具", [material(f"证{j}") for j in range(4) if j != i]) for i, code in enumerate(codes)}
    root = write_catalogue(tmp_path, bases=bases, proofs=proofs)
    full = run(root, Section.cycles)
    assert len(full.cycles) == 20 and not full.cycles_truncated
    capped = run(root, Section.cycles, max_cycles=5)
    assert len(capped.cycles) == 5 and capped.cycles_truncated


# =============================================================================================================
# Shareable
# =============================================================================================================


def test_shareable_by_source_or_by_government_issuer(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={
            "000104001000": (
                "甲",
                [
                    material("营业执照", source="政府部门核发", issuer=XIHU_SAMR),
                    material("户口簿", issuer=XIHU_POLICE),  # brought by the applicant, but a government issues it
                    material("体检报告", "其他材料", issuer=XIHU_CDC),  # 事业单位: not shareable
                    material("居民身份证", source="政府部门核发"),  # issuer from the dictionary
                    material("无犯罪证明", "证明", source="政府部门核发"),  # issuer unknown
                ],
            )
        },
        proofs=[ID_CARD, LICENCE],
    )
    report = run(root, Section.shareable)
    found = {(g.issuer, p.name, p.reasons) for g in report.shareable for p in g.proofs}
    assert found == {
        (XIHU_SAMR, "营业执照", (ShareReason.GOVERNMENT_SOURCE, ShareReason.GOVERNMENT_ISSUER)),
        (XIHU_POLICE, "户口簿", (ShareReason.GOVERNMENT_ISSUER,)),
        (XIHU_POLICE, "居民身份证", (ShareReason.GOVERNMENT_SOURCE,)),
        (None, "无犯罪证明", (ShareReason.GOVERNMENT_SOURCE,)),
    }
    assert [g.issuer for g in report.shareable][-1] is None  # the unknown issuer comes last
    assert [g.issuer for g in report.shareable].count(XIHU_POLICE) == 1


def test_shareable_proof_shows_its_proof_list_mode(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={"000104001000": ("甲", [material("居住证明", "证明", source="政府部门核发", basis=BASIS)])},
        proof_list=[listed("居住证明", "数据共享")],
    )
    ((proof,),) = [g.proofs for g in run(root, Section.shareable).shareable]
    assert proof.list_mode == "数据共享"


# =============================================================================================================
# Baseless
# =============================================================================================================


def test_baseless_reasons(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={
            "000104001000": (
                "甲",
                [
                    material("无犯罪证明", "证明"),  # neither basis nor listed
                    material("场地证明", "证明", basis=BASIS),  # a basis, but not listed
                    material("居住證明", "证明"),  # listed, but no basis here
                    material("住址证明", "证明", basis=BASIS),  # a synonym of a listed proof, with a basis
                    material("营业执照"),  # a certificate: not this analysis' business
                ],
            )
        },
        proofs=[proof_entry("居住证明", ["住址证明"], kind="证明")],
        proof_list=[listed("居住证明")],
    )
    found = {(b.name, b.reasons) for b in run(root, Section.baseless).baseless}
    assert found == {
        ("无犯罪证明", (BaselessReason.NO_BASIS, BaselessReason.NOT_LISTED)),
        ("场地证明", (BaselessReason.NOT_LISTED,)),
        ("居住证明", (BaselessReason.NO_BASIS,)),
    }


def test_without_a_proof_list_only_the_basis_counts(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={"000104001000": ("甲", [material("无犯罪证明", "证明"), material("场地证明", "证明", basis=BASIS)])},
    )
    report = run(root, Section.baseless)
    assert [(b.name, b.reasons) for b in report.baseless] == [("无犯罪证明", (BaselessReason.NO_BASIS,))]


def test_a_broken_proof_list_is_noted_and_treated_as_absent(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path, bases={"000104001000": ("甲", [material("场地证明", "证明", basis=BASIS)])}, proof_list=[]
    )
    (root / "registry" / "proofs-kept.yaml").write_text("保留证明事项:\n  - 证明名称: 缺少开具单位\n", encoding="utf-8")
    report = run(root, Section.baseless)
    assert report.baseless == []
    assert any("registry/proofs-kept.yaml" in note for note in report.notes)


# =============================================================================================================
# Reading the catalogue
# =============================================================================================================


def test_invalid_files_are_skipped_and_noted(tmp_path: Path) -> None:
    root = write_catalogue(tmp_path, bases={"000104001000": ("甲", [material("无犯罪证明", "证明")])})
    (root / "base" / "000104002000.yaml").write_text("基本编码: [\n", encoding="utf-8")
    (root / "base" / "000104003000.yaml").write_text('基本编码: "000104003000"\n事项名称: 缺要素\n', encoding="utf-8")
    report = run(root)
    assert {(s.file, s.reason) for s in report.skipped} == {
        ("base/000104002000.yaml", "yaml-syntax"),
        ("base/000104003000.yaml", "schema"),
    }
    assert (report.files, report.matters) == (3, 1)
    assert any("2 个事项文件" in note for note in report.notes)
    assert [b.name for b in report.baseless] == ["无犯罪证明"]


def test_material_lines_in_flow_style_files(tmp_path: Path) -> None:
    root = write_catalogue(tmp_path, bases={"000104001000": ("甲", [material("占位")])})
    path = root / "base" / "000104001000.yaml"
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("申请材料:")]
    path.write_text(head + "申请材料: [{材料名称: 无犯罪证明, 材料类别: 证明},\n  {材料名称: 场地证明, 材料类别: 证明}]\n",
                    encoding="utf-8")  # fmt: skip
    index = build_index(open_snapshot(root))
    line = head.count("\n") + 1
    assert [(o.name, o.line) for o in index.occurrences] == [("无犯罪证明", line), ("场地证明", line + 1)]


def test_parallel_reading_matches_serial(tmp_path: Path) -> None:
    count = PARALLEL_MIN_FILES + 8
    bases = {f"000100{i:03d}000": ("甲", [material("身份证")]) for i in range(1, count + 1)}
    root = write_catalogue(tmp_path, bases=bases, proofs=[ID_CARD])
    serial = build_index(open_snapshot(root), jobs=1)
    parallel = build_index(open_snapshot(root), jobs=2)
    assert len(serial.occurrences) == count
    assert parallel.occurrences == serial.occurrences
    assert parallel.matters == serial.matters


class ReadCountingSnapshot(WorktreeSnapshot):
    """The work tree, counting the files read so far."""

    reads = 0

    def read(self, rel: str) -> bytes | None:
        self.reads += 1
        return super().read(rel)


def test_files_stream_through_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small batches, so that a few hundred files show what a province's catalogue would: files are read only a
    # bounded number of chunks ahead of the parsed ones — never the whole catalogue before the first is parsed.
    monkeypatch.setattr(proof_index, "CHUNK", 8)
    monkeypatch.setattr(proof_index, "LOOKUP_BATCH", 16)
    monkeypatch.setattr(proof_index, "PARALLEL_MIN_FILES", 16)
    count, jobs = 300, 2
    root = write_catalogue(
        tmp_path,
        bases={f"000100{i:03d}000": ("甲", [material("身份证")]) for i in range(1, count + 1)},
        proofs=[ID_CARD],
    )
    snapshot = ReadCountingSnapshot(root)
    ahead: list[int] = []
    index = build_index(snapshot, jobs=jobs, progress=lambda done, total: ahead.append(snapshot.reads - done))
    assert len(index.occurrences) == count and snapshot.reads == count
    assert len(ahead) == -(-count // 8)  # one progress call per chunk parsed
    assert max(ahead) <= 16 + (proof_index.IN_FLIGHT_PER_JOB * jobs + 1) * 8


def test_occurrences_share_their_matter_and_material_form(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path,
        bases={
            "000100001000": ("甲", [material("身份证"), material("户口本")]),
            "000100002000": ("乙", [material("身份证")]),
        },
    )
    index = build_index(open_snapshot(root))
    first, second, third = sorted(index.occurrences, key=lambda o: (o.file, o.position))
    assert first.matter is second.matter and first.file == "base/000100001000.yaml"
    assert first.form is third.form and (third.name, third.matter_name) == ("身份证", "乙")


def test_the_proofs_fixture_has_one_finding_of_each_kind(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(PROOFS_FIXTURE, root)
    report = run(root)
    assert [c.canonical for c in report.duplicates] == ["居民身份证", "营业执照", "户口簿", "健康证明"]
    assert [c.matters for c in report.cycles] == [("000104001000", "002004001000")]
    assert [(g.issuer, [p.name for p in g.proofs]) for g in report.shareable] == [
        (XIHU_SAMR, ["营业执照"]),
        (None, ["健康体检合格证明"]),
    ]
    assert [b.name for b in report.baseless] == ["健康体检合格证明", "无犯罪证明", "生产场所使用证明"]


# =============================================================================================================
# Cache
# =============================================================================================================


def _cached_run(root: Path) -> tuple[ProofReport, JsonRecords]:
    cache = record_cache(Store(root))
    try:
        return analyse(open_snapshot(root), ProofOptions(), cache=cache), cache
    finally:
        cache.close()


def _findings(report: ProofReport) -> object:
    return (report.duplicates, report.cycles, report.shareable, report.baseless, report.skipped)


def test_a_second_run_reads_every_file_from_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(PROOFS_FIXTURE, root)
    first, cache = _cached_run(root)
    assert (cache.hits, cache.misses) == (0, 4)
    second, cache = _cached_run(root)
    assert (cache.hits, cache.misses) == (4, 0)
    assert (root / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    assert _findings(second) == _findings(first) == _findings(run(root))


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(PROOFS_FIXTURE, root)
    _cached_run(root)
    path = root / "base" / "000104002000.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("无犯罪证明", "无犯罪记录证明"), encoding="utf-8")
    report, cache = _cached_run(root)
    assert (cache.hits, cache.misses) == (3, 1)
    assert "无犯罪记录证明" in {b.name for b in report.baseless}
    assert _findings(report) == _findings(run(root))


def test_a_skipped_file_is_cached_as_skipped(tmp_path: Path) -> None:
    root = write_catalogue(tmp_path, bases={"000104001000": ("甲", [material("无犯罪证明", "证明")])})
    (root / "base" / "000104002000.yaml").write_text("基本编码: [\n", encoding="utf-8")
    _cached_run(root)
    report, cache = _cached_run(root)
    assert cache.hits == 2
    assert [(s.file, s.reason) for s in report.skipped] == [("base/000104002000.yaml", "yaml-syntax")]


def test_a_broken_cache_steps_aside(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(PROOFS_FIXTURE, root)
    (root / CACHE_DIR).mkdir()
    (root / CACHE_DIR / STORE_FILE).write_bytes(b"this is not a database" * 100)
    report, cache = _cached_run(root)
    assert _findings(report) == _findings(run(root))
    assert (cache.hits, cache.misses) == (0, 4)
    _, cache = _cached_run(root)  # started afresh, so it works again
    assert cache.hits == 4


def _model_record(rel: str, raw: bytes) -> object:
    """The record as the pydantic model gives it (what file_record must agree with)."""
    doc = load_bytes(raw, rel)
    matter = parse_matter(doc)
    if matter is None:
        return None
    department = matter.body.name if isinstance(matter, ImplementationEntry) else matter.guiding_department
    materials = [(m.name, m.kind.value, m.source.value, m.issuer, bool(m.legal_basis)) for m in matter.materials]
    return (matter.code, matter.basic_code, matter.name, department, isinstance(matter, ImplementationEntry), materials)


@pytest.mark.parametrize("root", [CATALOG, PROOFS_FIXTURE, MINI_FIXTURE], ids=["catalog", "proofs", "mini"])
def test_records_agree_with_the_models(root: Path) -> None:
    snapshot = open_snapshot(root)
    for rel in snapshot.matter_files():
        raw = snapshot.read(rel)
        assert raw is not None
        record = file_record(rel, raw)
        expected = _model_record(rel, raw)
        assert expected is not None, rel
        code, basic, name, department, impl, materials = record  # type: ignore[misc]
        assert (code, basic, name, department, impl, [m[:5] for m in materials]) == expected, rel
