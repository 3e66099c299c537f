"""docs/stats.md carries the figure definitions generated from mattercli.stats.figures.FIGURES, and stays in step."""

from __future__ import annotations

from pathlib import Path

from mattercli.stats.docs import BEGIN, END, definitions_markdown, main, render_doc
from mattercli.stats.model import FILTER_KEYS
from mattercli.stats.run import FIGURES

DOC = Path(__file__).parent.parent / "docs" / "stats.md"


def test_generated_definitions_are_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert render_doc(text) == text, "docs/stats.md is stale: run python -m mattercli.stats.docs docs/stats.md"
    assert main([str(DOC), "--check"]) == 0


def test_every_figure_and_filter_key_is_defined_once() -> None:
    generated = definitions_markdown()
    for figure in FIGURES:
        assert generated.count(f"| `{figure.id}` |") == 1
        assert figure.formula.replace("|", "\\|") in generated
        assert figure.population in generated
    for key in FILTER_KEYS:
        assert f"`{key}`" in generated


def test_check_fails_on_a_stale_page_and_rewrite_fixes_it(tmp_path: Path) -> None:
    page = tmp_path / "stats.md"
    page.write_text(f"# intro\n\n{BEGIN}\nold\n{END}\n\n## after\n", encoding="utf-8")
    assert main([str(page), "--check"]) == 1
    assert main([str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# intro\n\n") and text.endswith(f"{END}\n\n## after\n")
    assert "old" not in text and main([str(page), "--check"]) == 0


def test_every_population_is_explained_in_one_chinese_sentence() -> None:
    from mattercli.stats.figures import FIGURES, POPULATION_EN, POPULATION_NOTES

    for figure in FIGURES:
        note = POPULATION_NOTES.get(figure.population, "")
        assert note.endswith("。") and note.count("。") == 1, figure.id
        assert figure.population in POPULATION_EN, figure.id


def test_service_shares_name_the_application_population_and_their_practice() -> None:
    from mattercli.stats.figures import FIGURE_BY_ID

    for figure_id in ("immediate_share", "zero_visit_share", "max_one_visit_share", "full_online_share"):
        figure = FIGURE_BY_ID[figure_id]
        assert figure.population.startswith("依申请") and "依申请" in figure.formula and figure.practice
    assert "逐项" in FIGURE_BY_ID["time_compression_mean"].name_zh
    assert "总量" in FIGURE_BY_ID["time_compression"].name_zh
