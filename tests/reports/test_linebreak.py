"""Names wrap at spaces, hyphens, ZWSP and Thai word boundaries, never mid-word if avoidable."""

from __future__ import annotations

import pytest

from calms_desktop.reports import fonts, linebreak
from calms_desktop.reports.linebreak import break_points, cluster_points, wrap_lines


def _chars(text: str, font: str, size: float) -> float:
    """Every character one point wide: widths in tests are character counts."""
    return float(len(text))


def test_a_name_that_fits_is_one_line() -> None:
    assert wrap_lines("Anil Kumar", fonts.SANS, 8.5, 100, _chars) == ["Anil Kumar"]


def test_lines_break_at_spaces_before_hyphens() -> None:
    name = "Maximilian von und zu Hohenzollern-Sigmaringen"
    lines = wrap_lines(name, fonts.SANS, 8.5, 26, _chars)
    assert lines == ["Maximilian von und zu", "Hohenzollern-Sigmaringen"]


def test_a_word_wider_than_the_line_breaks_after_its_hyphen() -> None:
    lines = wrap_lines("zu Hohenzollern-Sigmaringen", fonts.SANS, 8.5, 16, _chars)
    assert lines == ["zu", "Hohenzollern-", "Sigmaringen"]
    assert all(len(ln) <= 16 * linebreak.SLACK for ln in lines)


def test_zero_width_space_is_a_break() -> None:
    assert break_points("Zero\u200bWidth") == [5]


def test_a_hyphen_between_letters_only() -> None:
    assert break_points("A-B") == [2]
    assert break_points("-5 x") == [3]  # a leading minus is no break


@pytest.mark.skipif(not linebreak.thai_breaker().available, reason="libthai not installed")
def test_thai_breaks_between_words() -> None:
    name = "ณัฐพงศ์ศรีสุขสวัสดิ์วงศ์ไพบูลย์"
    points = break_points(name)
    assert name[:points[0]] == "ณัฐ"
    assert name[:points[1]] == "ณัฐพงศ์"
    lines = wrap_lines(name, fonts.SANS, 8.5, 14, _chars)
    assert "".join(lines) == name
    cuts = [sum(len(ln) for ln in lines[:k]) for k in range(1, len(lines))]
    assert set(cuts) <= set(points)  # at word boundaries only


def test_a_long_word_is_cut_between_whole_letters() -> None:
    name = "श्रीनिवासत्रिपाठीचतुर्वेदी"
    lines = wrap_lines(name, fonts.SANS, 8.5, 8, _chars)
    assert "".join(lines) == name
    cuts = [sum(len(ln) for ln in lines[:k]) for k in range(1, len(lines))]
    assert set(cuts) <= set(cluster_points(name))


def test_real_widths_fit_the_cell() -> None:
    fonts.register_fonts()
    name = "Mr. Very-Long-Name Maximilian Alexander von und zu Hohenzollern-Sigmaringen"
    for line in wrap_lines(name, fonts.SANS, 8.5, 110):
        assert linebreak.text_width(line, fonts.SANS, 8.5) <= 110
    lines = wrap_lines(name, fonts.SANS, 8.5, 110)
    assert "".join(ln if ln.endswith("-") else ln + " " for ln in lines).strip() == name
    assert "Hohenzollern-" in lines  # wider than 110 points alone: broken after its hyphen
    assert "Hohenzollern-Sigmaringen" in wrap_lines(name, fonts.SANS, 8.5, 150)


def test_the_statements_tables_level_column_fits_its_longest_level_name():
    """German "Wegweisend" wrapped "Wegweisen|d" in a 62-point column."""
    from calms_desktop.core.scoring import level_name
    from calms_desktop.reports import blocks, common
    from tests.reports.conftest import make_workshop

    ws = make_workshop()
    data = blocks.prepare(ws, None)
    top3, _bottom3 = blocks.extremes(data)
    t = blocks.statements_table(data, top3, "Strongest", common.GOOD)
    st = common.styles()
    need = max(linebreak.text_width(level_name(ws, ss.stats.mean), st.cell.fontName,
                                    st.cell.fontSize) for ss in top3)
    assert t._colWidths[3] >= need + 10  # the cell's padding
    assert sum(t._colWidths) == pytest.approx(common.CONTENT_WIDTH)
