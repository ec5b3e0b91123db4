"""CSV exports that are safe to open in a spreadsheet and ready for a pivot table.

Two files, long form, every row self-describing (the workshop's id,
organisation, team, title and date on each):

* **votes** (:func:`votes_csv`) — **one row per vote**, and one row per
  level of a show-of-hands tally whose ``weight`` says how many hands it
  stands for (a vote's weight is 1). A room of 400 hands is a few rows, not
  400. A statement's mean is ``SUMPRODUCT(score, weight) / SUMIFS(weight,
  dont_know, 0)`` over its rows (in a pivot table: the sum of
  ``weighted_score`` over the sum of ``scored``), its answers ``SUM(weight)``;
  without tallies every weight is 1 and a plain ``AVERAGE`` of ``score`` is
  the mean. Columns: ``workshop_id, organisation, team, workshop, date,
  pillar, statement_id, statement_code, statement, participant_id,
  participant, role, source, answer, score, dont_know, weight,
  weighted_score, scored, note``. ``score`` is the number 1–5 (empty for
  "don't know"); ``dont_know`` is 1 or 0; ``weighted_score`` is score ×
  weight and ``scored`` the weight of a scored row (0 for "don't know");
  ``answer`` says it in words. ``pillar_part`` and ``overall_part`` make the
  scores a plain pivot ``SUM``: a pillar's score is the mean of its
  statements' means, so a scored row's ``pillar_part`` is its
  ``weighted_score`` over (its statement's ``SUM(scored)`` × the pillar's
  scored statements), and ``overall_part`` that over the scored pillars; the
  sum of ``pillar_part`` over a pillar is its score, of ``overall_part`` over
  the file the overall score (9 decimals; round half up to one for the score
  the reports print). In an **anonymous** workshop there are no names or ids: rows are
  sorted by answer, so neither a name nor the order of rows ties an answer to
  a person; a statement the privacy rule withholds (fewer than 3 scored
  answers) has a single row with ``answer`` "withheld" and the number of
  answers in ``note``.
* **pillar summary** (:func:`summary_csv`) — one row per pillar (``row`` is
  "pillar") and one "overall" row (``row`` is "overall"), so a total over
  the pillar rows never counts the overall twice: ``score`` (as printed in the
  reports, one decimal) and ``level`` agree by :func:`calms_desktop.core.scoring.level_of`;
  ``mean_exact`` (the unrounded mean, 6 decimals), median, spread, answers,
  don't know, statements that agree / to discuss, ``baseline_score`` (as
  printed), ``delta`` (score − baseline_score, of the printed scores: 3.6 −
  2.6 = 1.0), target and ``gap`` (target − score). Every score, change and gap
  follows the one rounding rule (:func:`calms_desktop.core.scoring.shown_score`).

**User text is cleaned**: control characters (other than line breaks) and
bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
can make a spreadsheet show text in an order other than its characters', are
removed; so are invisible marks that make two equal-looking cells differ
(zero-width space U+200B, word joiner U+2060, invisible operators
U+2061–U+2064, byte-order mark U+FEFF, left-to-right and right-to-left marks
U+200E/U+200F, Arabic letter mark U+061C), and every other invisible format
character: the soft hyphen U+00AD (which a spreadsheet shows in some cells and
not others), the Mongolian vowel separator, interlinear annotation marks, tag
characters outside a tag-sequence flag, and the blank Hangul fillers. Two are
kept where a script needs them: the zero-width non-joiner U+200C always
(Persian "می‌خواهم" and Indic spellings depend on it, and it never hides in
Latin text by accident), and the
zero-width joiner U+200D between emoji (family sequences) or letters of a
non-Latin script (Malayalam chillu, Sinhala, Devanagari eyelash ra); a ZWJ
next to a Latin letter, a digit, a space or the end of the text is removed.

**CSV injection (OWASP).** A text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` so a spreadsheet shows
it as text instead of running it as a formula; every other cell is written
unchanged. *Numbers are not text cells*: the numbers this module computes
(means, changes, gaps, counts) are written as plain numbers — ``-0.30`` stays
``-0.30`` so the spreadsheet can calculate with it. A lone number cannot carry
a formula, and no user text is ever written through the number path.

**Language.** The texts people read follow the report language (the active
translator, see :func:`calms_desktop.reports.build_export`): the pillar's and
level's names, the statement's text (the shipped questionnaire in that
language, found by id, as the PDFs print it), ``answer`` ("don't know" /
"weiß nicht"), the withheld answer and the ``note``. The column names and the
machine keys do not: ``pillar`` (``culture`` … ``overall``), ``statement_id``,
``statement_code``, ``row``, ``source`` (``votes``, ``tally``), ``dont_know``,
ISO dates and every number (with a "." decimal point in every language, so a
spreadsheet parses it as a number whatever its own locale) — a script reads a
German and an English export alike.

Files are UTF-8 with a byte-order mark (so spreadsheet programs detect
UTF-8 and names such as "Zoë" or "李娜" survive) and CRLF line ends. This
module loads neither matplotlib nor ReportLab (``export --csv`` stays fast).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache

from ..charts.codes import statement_codes
from ..core import privacy
from ..core.i18n import N_, _, ngettext
from ..core.model import DONT_KNOW, SCORES, Workshop
from ..core.scoring import level_name, shown_score, statement_distribution
from .scores import private_score

WORKSHOP_COLUMNS = ("workshop_id", "organisation", "team", "workshop", "date")
VOTE_COLUMNS = (*WORKSHOP_COLUMNS, "pillar", "statement_id", "statement_code", "statement",
                "participant_id", "participant", "role", "source", "answer", "score",
                "dont_know", "weight", "weighted_score", "scored", "note", "pillar_part",
                "overall_part")
SUMMARY_COLUMNS = (*WORKSHOP_COLUMNS, "row", "pillar", "pillar_name", "score", "level",
                   "mean_exact", "median", "spread", "answers", "dont_know", "statements",
                   "agree", "discuss", "baseline_score", "delta", "target", "gap", "note")

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
#: The answer column's words (marked here, translated into the report language as written).
DONT_KNOW_TEXT = N_("don't know")
WITHHELD = N_("withheld")

Cell = str | int | float | Decimal | None

#: Control characters (line breaks and tabs kept) and bidi embeddings, overrides, isolates.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


#: Invisible marks with no use in a cell (see the module notes; ZWNJ and some ZWJ stay).
_ZERO_WIDTH = re.compile("[\u200b\u200e\u200f\u061c\u2060-\u2064\ufeff]")
#: Format characters that print something (number signs of Arabic, Syriac, Kaithi …),
#: the joiners (handled by :func:`_zwj`), and tag characters (kept in tag-sequence flags).
_VISIBLE_FORMAT = re.compile("[\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u200c\u200d"
                             "\U000110bd\U000110cd]")
#: A flag of tag characters (England's: a black flag, "gbeng" in tags, CANCEL TAG).
_TAG_FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
#: Blank letters that hide in names (Hangul fillers).
_BLANK_LETTERS = re.compile("[\u115f\u1160\u3164\uffa0]")


def _format_characters(text: str) -> str:
    """``text`` without invisible format characters (category Cf): the soft hyphen U+00AD,
    the Mongolian vowel separator, deprecated format controls, interlinear annotation,
    tag characters outside a flag, and the blank Hangul fillers."""
    text = _BLANK_LETTERS.sub("", text)
    if not any(unicodedata.category(ch) == "Cf" for ch in text):
        return text
    flags = {i for m in _TAG_FLAG.finditer(text) for i in range(m.start(), m.end())}
    return "".join(ch for i, ch in enumerate(text)
                   if unicodedata.category(ch) != "Cf" or i in flags
                   or _VISIBLE_FORMAT.match(ch))


def _joins(ch: str) -> bool:
    """Whether a ZWJ next to ``ch`` can be part of a sequence (emoji or a non-Latin script)."""
    if not ch or ord(ch) < 0x0370:
        return False
    return unicodedata.category(ch)[0] in "LMS" or ch == "\ufe0f"


def _zwj(text: str) -> str:
    if "\u200d" not in text:
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == "\u200d":
            before = out[-1] if out else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            chillu = bool(before) and unicodedata.combining(before) == 9  # virama + ZWJ
            if not chillu and not (_joins(before) and _joins(after)):
                continue
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=4096)
def clean_text(text: str) -> str:
    """User text without control characters, bidi overrides or stray invisible marks.

    Line breaks are kept, and so are the joiners a script needs (module notes).
    Cached: every row repeats the workshop's organisation, team and title and
    its statement's text, which were checked character by character each time.
    """
    text = _ZERO_WIDTH.sub("", _INVISIBLE.sub("", text.replace("\r\n", "\n")))
    return _zwj(_format_characters(text))


def safe_text(text: str) -> str:
    """A cleaned text cell, with the OWASP prefix if it could start a formula."""
    text = clean_text(text)
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text


def cell(value: Cell) -> str:
    """One cell: text through :func:`safe_text`, numbers as plain numbers, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int; never expected here
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, Decimal):  # a score as printed (shown_score): its own digits
        return str(value)
    return safe_text(str(value))


def write_rows(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """CSV bytes (UTF-8 with BOM, CRLF) of the header and rows, every cell made safe."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def _answer_cells(score: int, weight: int = 1) -> list[Cell]:
    """answer, score, dont_know, weight, weighted_score, scored."""
    if score == DONT_KNOW:
        return [_(DONT_KNOW_TEXT), None, 1, weight, None, 0]
    return [str(score), score, 0, weight, score * weight, weight]


def workshop_cells(ws: Workshop) -> list[Cell]:
    """The columns every row starts with: id, organisation, team, title, date."""
    return [ws.id, ws.organisation, ws.team, ws.title, ws.date]


def vote_rows(ws: Workshop) -> list[list[Cell]]:
    """The rows of the votes CSV, one per answer (see the module docstring)."""
    rows: list[list[Cell]] = []
    order = {p.id: i for i, p in enumerate(ws.participants)}
    answer_order = {s: i for i, s in enumerate((*SCORES, DONT_KNOW))}
    head = workshop_cells(ws)
    for sec in ws.questionnaire.sections:
        codes = statement_codes(ws, sec.pillar)
        for s, code in zip(sec.statements, codes, strict=True):
            lead: list[Cell] = [*head, sec.pillar.value, s.id, code, s.text]
            votes = ws.votes_for(s.id)
            tally = {k: v for k, v in ws.tallies.get(s.id, {}).items() if v}
            if ws.is_anonymous:
                dist = statement_distribution(ws, s.id)
                if not privacy.can_show_distribution(ws, dist):
                    rows.append([*lead, "", "", "", "", _(WITHHELD), None, None, None, None,
                                 None, ngettext("{n} answer", "{n} answers",
                                                dist.total).format(n=dist.total)])
                    continue
                counted = Counter(v.score for v in votes)
                for score in sorted(counted, key=answer_order.__getitem__):
                    rows += [[*lead, "", "", "", "votes", *_answer_cells(score), ""]
                             for _ in range(counted[score])]
            else:
                for v in sorted(votes, key=lambda v: order.get(v.participant_id, len(order))):
                    try:
                        person = ws.participant(v.participant_id)
                        name, role = person.name, person.role
                    except KeyError:
                        name, role = v.participant_id, ""
                    rows.append([*lead, v.participant_id, name, role, v.source,
                                 *_answer_cells(v.score), ""])
            for score in sorted(tally, key=lambda k: answer_order.get(k, 99)):
                rows.append([*lead, "", "", "", "tally", *_answer_cells(score, tally[score]),
                             _("show of hands")])
    return _with_parts(rows)


def _with_parts(rows: list[list[Cell]]) -> list[list[Cell]]:
    """``rows`` with ``pillar_part`` and ``overall_part``: a pivot's plain SUM gives the scores.

    A pillar's score is the mean of its statements' means (each statement
    counts the same, however many answered it), the overall score the mean of
    the pillars'. So a scored row's ``pillar_part`` is ``weighted_score /
    (the statement's SUM(scored) × the pillar's statements with a mean)`` and
    its ``overall_part`` that over the pillars with a mean: the sum of
    ``pillar_part`` over a pillar's rows is its score, the sum of
    ``overall_part`` over all rows the overall score (before rounding).
    """
    pillar, statement = VOTE_COLUMNS.index("pillar"), VOTE_COLUMNS.index("statement_id")
    weighted, scored = VOTE_COLUMNS.index("weighted_score"), VOTE_COLUMNS.index("scored")
    answered: Counter[str] = Counter()
    pillar_of: dict[str, str] = {}
    for r in rows:
        if r[scored]:
            answered[str(r[statement])] += int(r[scored] or 0)
            pillar_of[str(r[statement])] = str(r[pillar])
    statements = Counter(pillar_of.values())
    for r in rows:
        part = None
        if r[weighted] is not None and answered[str(r[statement])]:
            share = answered[str(r[statement])] * statements[str(r[pillar])]
            part = int(r[weighted] or 0) / share
        r += [None, None] if part is None else [shown_score(part, 9),
                                                 shown_score(part / len(statements), 9)]
    return rows


def votes_csv(ws: Workshop) -> bytes:
    """The votes CSV of ``ws`` as bytes."""
    return write_rows(VOTE_COLUMNS, vote_rows(ws))


def _shown(mean: float | None) -> Decimal | None:
    return None if mean is None else shown_score(mean)


def _exact(mean: float | None) -> Decimal | None:
    """The unrounded mean (to 6 decimals) for the ``mean_exact`` column."""
    return None if mean is None else shown_score(mean, 6)


def _difference(a: float | None, b: float | None) -> Decimal | None:
    """``a − b`` of the two scores as shown: 3.6 − 2.6 = 1.0, whatever the means behind them."""
    if a is None or b is None:
        return None
    return shown_score(a) - shown_score(b)


def summary_rows(ws: Workshop, baseline: Workshop | None = None) -> list[list[Cell]]:
    """The rows of the pillar-summary CSV (privacy rule applied)."""
    score = private_score(ws, baseline)
    head = workshop_cells(ws)
    rows: list[list[Cell]] = []
    all_shown = True
    agree_total = discuss_total = 0
    for p, ps in score.pillars.items():
        shown = privacy.can_show(ws, ps)
        all_shown &= shown
        name = ws.questionnaire.section(p).name
        dist = ps.pooled.distribution
        verdicts = [s.stats.consensus for s in ps.statements if privacy.can_show(ws, s)]
        agree_total += verdicts.count(True)
        discuss_total += verdicts.count(False)
        lead: list[Cell] = [*head, "pillar", p.value, name]
        counts: list[Cell] = [dist.total, dist.dont_know, len(ps.statements),
                              verdicts.count(True), verdicts.count(False)]
        if shown:
            rows.append([*lead, _shown(ps.mean),
                         level_name(ws, ps.mean) if ps.mean is not None else None,
                         _exact(ps.mean), ps.pooled.median, ps.pooled.spread, *counts,
                         _shown(ps.baseline_mean), _difference(ps.mean, ps.baseline_mean),
                         ps.target, _difference(ps.target or None, ps.mean), ""])
        else:
            rows.append([*lead, None, None, None, None, None, *counts, _shown(ps.baseline_mean),
                         None, ps.target, None,
                         _("withheld: some statements have fewer than {n} scored answers")
                         .format(n=privacy.MIN_ANONYMOUS_ANSWERS)])
    total = sum(ps.pooled.distribution.total for ps in score.pillars.values())
    dont = sum(ps.pooled.distribution.dont_know for ps in score.pillars.values())
    n = sum(len(ps.statements) for ps in score.pillars.values())
    overall = score.overall if all_shown else None
    rows.append([*head, "overall", "overall", _("Overall"), _shown(overall),
                 level_name(ws, overall) if overall is not None else None, _exact(overall),
                 None, None, total, dont, n, agree_total, discuss_total,
                 _shown(score.baseline_overall), _difference(overall, score.baseline_overall),
                 None, None,
                 "" if all_shown else _(WITHHELD)])
    return rows


def summary_csv(ws: Workshop, baseline: Workshop | None = None) -> bytes:
    """The pillar-summary CSV of ``ws`` (compared with ``baseline``) as bytes."""
    return write_rows(SUMMARY_COLUMNS, summary_rows(ws, baseline))
