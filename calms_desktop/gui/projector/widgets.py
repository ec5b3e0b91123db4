"""Small widgets of the projector: text that fits, distribution bars, a frozen frame."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: Characters laid out per allowed line at most (a 10,000-character title
#: is cut before it is measured, so fitting stays fast).
_CHARS_PER_LINE = 600

_FULL_TEXT = "fullText"
_MAX_LINES = "maxLines"
_FIT_WIDTH = "fitWidth"


def fit_text(text: str, font: QFont, width: int, max_lines: int) -> str:
    """``text`` wrapped to ``width`` px in at most ``max_lines`` lines, "…" if cut.

    Lines are joined with newlines, so the label needs no word wrap of its
    own; words longer than a line (or text without spaces, like Chinese) are
    broken anywhere.
    """
    if not text or width <= 0 or max_lines <= 0:
        return text
    limit = max_lines * _CHARS_PER_LINE
    cut = len(text) > limit
    text = text[:limit]
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    spans: list[tuple[int, int]] = []
    layout.beginLayout()
    while len(spans) <= max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    if len(spans) <= max_lines and not cut:
        return "\n".join(text[s : s + n].rstrip() for s, n in spans)
    kept = [text[s : s + n].rstrip() for s, n in spans[: max_lines - 1]]
    rest_start = spans[max_lines - 1][0] if len(spans) >= max_lines else spans[-1][0]
    rest = text[rest_start:]
    metrics = QFontMetrics(font)
    last = metrics.elidedText(rest + ("…" if cut else ""), Qt.TextElideMode.ElideRight, width)
    return "\n".join([*kept, last])


class TextFitter(QObject):
    """Keeps labels' text within a number of lines, eliding the rest with "…".

    The full text is kept on the label (property ``fullText``) and re-fitted
    whenever the label is resized or its font changes (the window scales
    fonts with its height). Labels stay plain text.
    """

    def attach(
        self, label: QLabel, max_lines: int,
        policy: QSizePolicy.Policy = QSizePolicy.Policy.Ignored,
    ) -> None:
        """Fit ``label`` to ``max_lines`` lines from now on.

        Args:
            policy: the label's horizontal size policy. ``Ignored`` (a label
                that takes the width its column gives it) or ``Preferred``
                (one that may also shrink, e.g. a title beside other widgets);
                a fixed-width label must not be ``Ignored``, or its layout
                places the next widget over it.
        """
        label.setProperty(_MAX_LINES, max_lines)
        label.setProperty(_FULL_TEXT, label.text())
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(False)
        size_policy = label.sizePolicy()
        size_policy.setHorizontalPolicy(policy)
        label.setSizePolicy(size_policy)
        label.setMinimumWidth(1)
        label.installEventFilter(self)

    def set_max_lines(self, label: QLabel, max_lines: int) -> None:
        """Fit ``label`` to ``max_lines`` lines from now on (and now)."""
        if label.property(_MAX_LINES) != max_lines:
            label.setProperty(_MAX_LINES, max_lines)
            self.refit(label)

    def set_text(self, label: QLabel, text: str) -> None:
        if label.property(_FULL_TEXT) == text and label.property(_FIT_WIDTH) == label.width():
            return  # the same text at the same width: fitted already (a vote redraws often)
        label.setProperty(_FULL_TEXT, text)
        label.setToolTip("")
        self.refit(label)

    @staticmethod
    def full_text(label: QLabel) -> str:
        value = label.property(_FULL_TEXT)
        return value if isinstance(value, str) else label.text()

    def refit(self, label: QLabel) -> None:
        full = self.full_text(label)
        lines = int(label.property(_MAX_LINES) or 1)
        label.ensurePolished()
        width = label.contentsRect().width() - 2 * label.margin() - 2
        text = fit_text(full, label.font(), width, lines)
        label.setProperty(_FIT_WIDTH, label.width())
        if text != label.text():
            label.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange) and isinstance(
            watched, QLabel
        ):
            self.refit(watched)
        return False


class DistributionBar(QWidget):
    """One bar of a distribution: ``value`` of ``maximum``, drawn as a filled bar.

    It draws no text (the count sits in a label beside it), so what the room
    reads is always a label.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = 0
        self.maximum = 1
        self._bar = QColor("#56b4e9")
        self._track = QColor("#333333")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_colours(self, bar: str, track: str) -> None:
        self._bar, self._track = QColor(bar), QColor(track)
        self.update()

    def set_value(self, value: int, maximum: int) -> None:
        self.value, self.maximum = max(0, value), max(1, maximum)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(80, 16)

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect())
        radius = r.height() / 4
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._track)
        p.drawRoundedRect(r, radius, radius)
        if self.value:
            share = min(1.0, self.value / self.maximum)
            filled = QRectF(r.x(), r.y(), r.width() * share, r.height())
            p.setBrush(self._bar)
            p.drawRoundedRect(filled, radius, radius)
        p.end()


class FrozenView(QWidget):
    """Shows the frame grabbed when the projector was frozen, scaled to fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pixmap = QPixmap()

    def set_pixmap(self, pixmap: QPixmap) -> None:
        self.pixmap = pixmap
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001
        p = QPainter(self)
        p.fillRect(self.rect(), Qt.GlobalColor.black)
        if not self.pixmap.isNull():
            scaled = self.pixmap.scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            x = (self.width() - scaled.width()) // 2
            y = (self.height() - scaled.height()) // 2
            p.drawPixmap(x, y, scaled)
        p.end()
