"""Contrast of the projector's themes, and the contrast helper itself (no Qt)."""

from __future__ import annotations

import pytest

from calms_desktop.charts import style as chart_style
from calms_desktop.gui.projector.contrast import (
    AAA,
    contrast_ratio,
    parse_hex,
    relative_luminance,
)
from calms_desktop.gui.projector.theme import (
    FONT_ROLES,
    THEMES,
    base_size,
    stylesheet,
    theme_named,
)


def test_contrast_of_black_and_white_is_21():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)


def test_contrast_matches_known_values():
    # WCAG's well-known reference points
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#595959", "#ffffff") == pytest.approx(7.0, abs=0.01)
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#000") == pytest.approx(0.0)


def test_short_and_long_hex_and_bad_input():
    assert parse_hex("#abc") == (0xAA, 0xBB, 0xCC)
    assert parse_hex("0072B2") == (0x00, 0x72, 0xB2)
    for bad in ("", "#12345", "#ggg", "red"):
        with pytest.raises(ValueError):
            parse_hex(bad)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_text_pair_reaches_7_to_1(name):
    theme = THEMES[name]
    failures = [
        (what, fg, bg, round(contrast_ratio(fg, bg), 2))
        for what, fg, bg in theme.text_pairs()
        if contrast_ratio(fg, bg) < AAA
    ]
    assert not failures
    assert theme.min_text_contrast() >= AAA


@pytest.mark.parametrize("name", sorted(THEMES))
def test_bars_stand_out_from_what_they_are_drawn_on(name):
    for what, fg, bg in THEMES[name].graphic_pairs():
        assert contrast_ratio(fg, bg) >= 3.0, what


@pytest.mark.parametrize("name", sorted(THEMES))
def test_the_radar_text_on_the_projector_reaches_7_to_1(name):
    chart = chart_style.THEMES[name]
    assert chart.background == THEMES[name].background  # the radar sits on the slide
    assert contrast_ratio(chart.foreground, chart.background) >= AAA
    assert contrast_ratio(chart.muted, chart.background) >= AAA


def test_every_colour_the_style_sheet_uses_is_a_checked_one():
    import re

    for theme in THEMES.values():
        used = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", stylesheet(theme, 30))}
        checked = {c.lower() for _, fg, bg in theme.text_pairs() for c in (fg, bg)}
        checked |= {theme.bar.lower(), theme.track.lower(), "#000000"}
        assert used <= checked


def test_text_scales_with_the_height_of_a_16_9_area():
    assert base_size(1280, 720) == pytest.approx(30)
    assert base_size(1920, 1080) == pytest.approx(45)
    assert base_size(3000, 720) == pytest.approx(30)  # wide: height decides
    assert base_size(1280, 3000) == pytest.approx(30)  # tall: the 16:9 area decides
    sheet = stylesheet(THEMES["dark"], 45)
    factor, _weight = FONT_ROLES["timer"]
    assert f"font-size: {45 * factor:.1f}px" in sheet


def test_unknown_theme_names_fall_back_to_dark():
    assert theme_named("neon") is THEMES["dark"]
    assert theme_named("light") is THEMES["light"]
