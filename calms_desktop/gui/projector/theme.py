"""The projector's presentation themes and their style sheet (no Qt imports).

Every text colour of a theme is listed with each background it is drawn on
(:meth:`PresentationTheme.text_pairs`) so a test can hold the 7:1 promise;
bar colours are non-text and are held to WCAG's 3:1 for graphics.

Text sizes are not fixed: :func:`stylesheet` takes a base size in pixels
that the window derives from its height, and every text role is a multiple
of it (:data:`FONT_ROLES`), so the slide reads the same on a 720p projector
and a 4K wall.
"""

from __future__ import annotations

from dataclasses import dataclass

from .contrast import contrast_ratio


@dataclass(frozen=True)
class PresentationTheme:
    """The colours of one presentation theme.

    Attributes:
        name: ``"light"`` or ``"dark"``; also the charts' theme name.
        background: the slide.
        surface: cards (voting progress, results) drawn on the slide.
        foreground: body text.
        muted: secondary text (captions, the footer); still at least 7:1.
        accent: headings and the level numbers.
        agree: the "room agrees" verdict (always with a ✓ and words too).
        discuss: the "worth discussing" verdict (always with a ⚑ and words).
        warn: the timer near the end of its timebox.
        over: the timer over time (also shown with a "+" and "over time").
        badge_fg: level numbers drawn on ``badge_bg``.
        badge_bg: the level number badges.
        bar: distribution and progress bars (non-text).
        track: the empty part of a bar (non-text, decorative).
    """

    name: str
    background: str
    surface: str
    foreground: str
    muted: str
    accent: str
    agree: str
    discuss: str
    warn: str
    over: str
    badge_fg: str
    badge_bg: str
    bar: str
    track: str

    @property
    def text_colours(self) -> dict[str, str]:
        return {
            "foreground": self.foreground,
            "muted": self.muted,
            "accent": self.accent,
            "agree": self.agree,
            "discuss": self.discuss,
            "warn": self.warn,
            "over": self.over,
        }

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """Every (what, foreground, background) text pair the projector draws."""
        pairs = [
            (f"{name} on {where}", fg, bg)
            for name, fg in self.text_colours.items()
            for where, bg in (("background", self.background), ("surface", self.surface))
        ]
        pairs.append(("badge", self.badge_fg, self.badge_bg))
        return pairs

    def graphic_pairs(self) -> list[tuple[str, str, str]]:
        """Non-text pairs (bars against what they are drawn on): WCAG asks 3:1."""
        return [
            ("bar on background", self.bar, self.background),
            ("bar on surface", self.bar, self.surface),
            ("bar on track", self.bar, self.track),
        ]

    def min_text_contrast(self) -> float:
        return min(contrast_ratio(fg, bg) for _, fg, bg in self.text_pairs())


DARK = PresentationTheme(
    name="dark",
    background="#111111",
    surface="#1f1f1f",
    foreground="#f2f2f2",
    muted="#c8c8c8",
    accent="#8fd3ff",
    agree="#7fe0bb",
    discuss="#ffb380",
    warn="#ffd966",
    over="#ff9f80",
    badge_fg="#111111",
    badge_bg="#8fd3ff",
    bar="#56b4e9",  # Okabe–Ito sky blue
    track="#333333",
)

LIGHT = PresentationTheme(
    name="light",
    background="#ffffff",
    surface="#f0f0f0",
    foreground="#111111",
    muted="#3d3d3d",
    accent="#004a75",
    agree="#00573f",
    discuss="#7a2d00",
    warn="#5c4000",
    over="#8f2500",
    badge_fg="#ffffff",
    badge_bg="#004a75",
    bar="#0072b2",  # Okabe–Ito blue
    track="#d4d4d4",
)

THEMES: dict[str, PresentationTheme] = {"dark": DARK, "light": LIGHT}


def theme_named(name: str) -> PresentationTheme:
    """The theme called ``name``; the dark theme for an unknown name."""
    return THEMES.get(name, DARK)


#: Text roles (the ``role`` property of a label): size as a multiple of the
#: base size, and weight.
FONT_ROLES: dict[str, tuple[float, int]] = {
    "title": (1.5, 700),  # the step's title in the header
    "chip": (0.72, 700),  # the pillar's state next to the title
    "timer": (1.6, 700),
    "caption": (0.68, 400),  # small print: "time left", "Statement 2 of 5"
    "hero": (2.2, 700),  # the workshop's title on the intro slide
    "subtitle": (1.05, 400),
    "body": (0.66, 400),  # the pillar's explanation
    "heading": (0.86, 700),
    "statement": (0.95, 700),
    "badge": (0.8, 700),
    "level": (0.68, 400),
    "count": (0.78, 700),
    "big": (1.9, 700),  # "4 of 6" and the mean
    "verdict": (0.95, 700),
    "agenda": (0.8, 400),
    "item": (0.7, 400),  # ranking, actions
    "item-strong": (0.7, 700),
    "meta": (0.68, 400),
    "footer": (0.6, 400),
    "footer-current": (0.6, 700),
}

#: Roles drawn in a colour other than the foreground.
_ROLE_COLOURS = {
    "chip": "accent",
    "caption": "muted",
    "heading": "accent",
    "meta": "muted",
    "footer": "muted",
    "footer-current": "foreground",
    "verdict": "foreground",
}


def base_size(width: int, height: int) -> float:
    """The base text size (px) for a slide of this size: height/24 of a 16:9 area.

    A window wider or narrower than 16:9 is measured by the 16:9 area that
    fits in it, so text never outgrows a narrow window.
    """
    usable = min(height, width * 9 / 16)
    return max(8.0, usable / 24)


def stylesheet(theme: PresentationTheme, base: float) -> str:
    """The projector's style sheet for ``theme`` with text sized from ``base`` px."""
    t = theme
    rules = [
        f"#projectorRoot, #livePage, QStackedWidget#slideStack > QWidget {{"
        f" background: {t.background}; }}",
        f"QWidget {{ color: {t.foreground}; }}",
        "#blankPage { background: #000000; }",
        f"QFrame[card=\"true\"] {{ background: {t.surface}; border-radius: {base * 0.4:.0f}px; }}",
        "QFrame[card=\"true\"] QLabel { background: transparent; }",
        f"QProgressBar {{ background: {t.track}; border: none;"
        f" border-radius: {base * 0.15:.0f}px; max-height: {base * 0.35:.0f}px; }}",
        f"QProgressBar::chunk {{ background: {t.bar}; border-radius: {base * 0.15:.0f}px; }}",
    ]
    for role, (factor, weight) in FONT_ROLES.items():
        colour = getattr(t, _ROLE_COLOURS.get(role, "foreground"))
        rules.append(
            f'QLabel[role="{role}"] {{ font-size: {base * factor:.1f}px;'
            f" font-weight: {weight}; color: {colour}; }}"
        )
    rules += [
        f'QLabel[role="badge"] {{ background: {t.badge_bg}; color: {t.badge_fg};'
        f" border-radius: {base * 0.2:.0f}px; }}",
        'QLabel[role="footer-current"] { text-decoration: underline; }',
        f'QLabel[tone="agree"] {{ color: {t.agree}; }}',
        f'QLabel[tone="discuss"] {{ color: {t.discuss}; }}',
        f'QLabel[tone="warn"] {{ color: {t.warn}; }}',
        f'QLabel[tone="over"] {{ color: {t.over}; }}',
        f'QLabel[tone="muted"] {{ color: {t.muted}; }}',
        f'QLabel[tone="accent"] {{ color: {t.accent}; }}',
    ]
    return "\n".join(rules)
