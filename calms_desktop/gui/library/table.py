"""The library's table: one row per workshop, filtered and sorted in a proxy.

:class:`RowsModel` computes every cell's text and sort key once when the
library is (re)loaded, so a thousand workshops list at once;
:class:`WorkshopFilter` matches organisation, team and title (ignoring case
and accents) and a date range. The browser screen (:mod:`.browser`) shows
two of these tables: the workshops and the trash.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ...core.i18n import N_, _, format_date, format_datetime
from ...core.model import PILLARS, PillarState
from ...core.progress import fold

Row = dict[str, Any]
ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Longest tooltip of user text (a 10,000-character title stays readable).
TOOLTIP_CHARS = 600


_ROOT = QModelIndex()  # "no parent" for the flat table model

def one_line(text: str) -> str:
    return " ".join(text.split())


def tooltip_text(text: str) -> str:
    return text if len(text) <= TOOLTIP_CHARS else text[: TOOLTIP_CHARS - 1] + "…"


def status_of(states: dict[str, str]) -> tuple[str, int]:
    """(text, sort key) of a workshop's progress through its pillars."""
    done = sum(1 for p in PILLARS if states.get(p.value) == PillarState.DONE.value)
    started = sum(1 for p in PILLARS
                  if states.get(p.value, PillarState.NOT_STARTED.value)
                  != PillarState.NOT_STARTED.value)
    if done == len(PILLARS):
        return _("Complete"), 100
    if started == 0:
        return _("Not started"), 0
    return (_("In progress · {done}/{n} pillars done").format(done=done, n=len(PILLARS)),
            1 + done * 10 + started)


@dataclass(frozen=True)
class Column:
    """A column of a rows model: header, cell text, sort key."""

    header: str  # marked with N_, translated where the header is shown
    text: Callable[[Row], str]
    key: Callable[[Row], Any]
    right: bool = False
    editable: bool = False


def _text_column(header: str, field: str, empty: str = "—", editable: bool = False) -> Column:
    return Column(header, lambda r: one_line(r.get(field) or "") or empty,
                  lambda r: fold(r.get(field) or ""), editable=editable)


def _deleted(r: Row) -> str:
    return format_datetime(datetime.fromtimestamp(r["deleted"]))


def _date(r: Row) -> str:
    """The workshop's date as the UI language writes it (the column sorts by the ISO text)."""
    return format_date(r.get("date"), "short", empty="—")


WORKSHOP_COLUMNS = (
    Column(N_("Title"), lambda r: one_line(r.get("title") or "") or _("Untitled workshop"),
           lambda r: fold(r.get("title") or ""), editable=True),
    _text_column(N_("Organisation"), "organisation"),
    _text_column(N_("Team"), "team"),
    Column(N_("Date"), _date, lambda r: r.get("date") or ""),
    Column(N_("Participants"), lambda r: str(r.get("participants", 0)),
           lambda r: int(r.get("participants", 0)), right=True),
    Column(N_("Status"), lambda r: status_of(r.get("pillar_states", {}))[0],
           lambda r: status_of(r.get("pillar_states", {}))[1]),
)
TRASH_COLUMNS = (
    Column(N_("Title"), lambda r: one_line(r.get("title") or "") or _("Untitled workshop"),
           lambda r: fold(r.get("title") or "")),
    _text_column(N_("Organisation"), "organisation"),
    _text_column(N_("Team"), "team"),
    Column(N_("Date"), _date, lambda r: r.get("date") or ""),
    Column(N_("Deleted"), _deleted, lambda r: float(r["deleted"])),
)
TITLE, ORGANISATION, TEAM, DATE, PARTICIPANTS, STATUS = range(6)


class RowsModel(QAbstractTableModel):
    """Summary rows as a table; every cell's text and sort key computed once per load.

    Args:
        columns: what the table shows.
        rename: called with (workshop id, new title) when a title is edited;
            returns the updated row, or None if the rename was refused.
    """

    def __init__(self, columns: Sequence[Column],
                 rename: Callable[[str, str], Row | None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rename = rename
        self.rows: list[Row] = []
        self._text: list[list[str]] = []
        self._keys: list[list[Any]] = []
        #: Folded "organisation team title" of each row, for the search.
        self.search_text: list[str] = []

    def _cells(self, r: Row) -> tuple[list[str], list[Any], str]:
        return ([c.text(r) for c in self.columns], [c.key(r) for c in self.columns],
                fold(" ".join((r.get("organisation") or "", r.get("team") or "",
                               r.get("title") or ""))))

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        cells = [self._cells(r) for r in self.rows]
        self._text = [c[0] for c in cells]
        self._keys = [c[1] for c in cells]
        self.search_text = [c[2] for c in cells]
        self.endResetModel()

    def replace_row(self, i: int, row: Row) -> None:
        self.rows[i] = row
        self._text[i], self._keys[i], self.search_text[i] = self._cells(row)
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))

    def row_of(self, workshop_id: str) -> int | None:
        for i, r in enumerate(self.rows):
            if r["id"] == workshop_id:
                return i
        return None

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section].header)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text[r][c]
        if role == SORT_ROLE:
            return self._keys[r][c]
        if role == ID_ROLE:
            return self.rows[r]["id"]
        if role == Qt.ItemDataRole.EditRole:
            return self.rows[r].get("title") or ""
        if role == Qt.ItemDataRole.ToolTipRole and c in (TITLE, ORGANISATION, TEAM):
            field = ("title", "organisation", "team")[c]
            text = self.rows[r].get(field) or ""
            return tooltip_text(text) if len(text) > 30 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[c].right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.columns[index.column()].editable and self._rename:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self._rename is None or not index.isValid():
            return False
        i = index.row()
        if str(value) == (self.rows[i].get("title") or ""):
            return False
        updated = self._rename(self.rows[i]["id"], str(value))
        if updated is None:
            return False
        self.replace_row(i, updated)
        return True


class WorkshopFilter(QSortFilterProxyModel):
    """Search words (all must match, accent- and case-insensitive) and a date range."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._from = ""
        self._to = ""
        self.setSortRole(SORT_ROLE)

    def _changed(self, apply: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9
            self.beginFilterChange()
            apply()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            apply()
            self.invalidateFilter()

    def set_query(self, text: str) -> None:
        words = fold(text).split()
        if words != self._words:
            self._changed(lambda: setattr(self, "_words", words))

    def set_dates(self, start: str, end: str) -> None:
        """ISO dates (inclusive); "" for no limit. Undated workshops show only without limits."""
        if (start, end) != (self._from, self._to):
            def apply() -> None:
                self._from, self._to = start, end
            self._changed(apply)

    @property
    def filtering(self) -> bool:
        return bool(self._words or self._from or self._to)

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RowsModel)
        if self._words:
            text = model.search_text[source_row]
            if not all(w in text for w in self._words):
                return False
        if self._from or self._to:
            day = model.rows[source_row].get("date") or ""
            if not day or (self._from and day < self._from) or (self._to and day > self._to):
                return False
        return True
