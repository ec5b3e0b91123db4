"""CSV exports that are safe to open in a spreadsheet.

Two files:

* **votes** (:func:`votes_csv`) — one row per vote, or per answer of a
  show-of-hands tally (with its number of hands). Columns: ``workshop_id,
  pillar, statement_id, statement_code, statement, participant, source,
  answer, hands``. ``answer`` is 1–5 or ``don't know``; ``hands`` is 1 for a
  vote. In an **anonymous** workshop there are no names: votes are counted
  per answer (``source`` "votes"), rows sorted by answer, so neither a name
  nor the order of rows ties an answer to a person; and a statement the
  privacy rule withholds (fewer than 3 scored answers) has a single row with
  ``answer`` "withheld" and its number of answers.
* **pillar summary** (:func:`summary_csv`) — one row per pillar (its id and
  name) and one "overall" row: mean, median, spread, level, answers, don't know, statements
  that agree / to discuss, baseline mean, change, target, gap.

**CSV injection (OWASP).** A text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` so a spreadsheet shows
it as text instead of running it as a formula; every other cell is written
unchanged. *Numbers are not text cells*: the numbers this module computes
(means, changes, gaps, counts) are written as plain numbers — ``-0.30`` stays
``-0.30`` so the spreadsheet can calculate with it. A lone number cannot carry
a formula, and no user text is ever written through the number path.

Files are UTF-8 with a byte-order mark (so spreadsheet programs detect
UTF-8 and names such as "Zoë" or "李娜" survive) and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence

from ..charts.distribution import statement_codes
from ..core import privacy
from ..core.model import DONT_KNOW, SCORES, Workshop
from ..core.scoring import level_name, statement_distribution
from .scores import private_score

VOTE_COLUMNS = ("workshop_id", "pillar", "statement_id", "statement_code", "statement",
                "participant", "source", "answer", "hands")
SUMMARY_COLUMNS = ("workshop_id", "pillar", "pillar_name", "mean", "median", "spread", "level",
                   "answers", "dont_know", "statements", "agree", "discuss", "baseline_mean",
                   "delta", "target", "gap", "note")

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
DONT_KNOW_TEXT = "don't know"
WITHHELD = "withheld"

Cell = str | int | float | None


def safe_text(text: str) -> str:
    """A text cell with the OWASP prefix if it could start a formula."""
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
    return safe_text(str(value))


def write_rows(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """CSV bytes (UTF-8 with BOM, CRLF) of the header and rows, every cell made safe."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def _answer(score: int) -> str:
    return DONT_KNOW_TEXT if score == DONT_KNOW else str(score)


def vote_rows(ws: Workshop) -> list[list[Cell]]:
    """The rows of the votes CSV (see the module docstring)."""
    rows: list[list[Cell]] = []
    order = {p.id: i for i, p in enumerate(ws.participants)}
    answer_order = {s: i for i, s in enumerate((*SCORES, DONT_KNOW))}
    for sec in ws.questionnaire.sections:
        codes = statement_codes(ws, sec.pillar)
        for s, code in zip(sec.statements, codes, strict=True):
            lead: list[Cell] = [ws.id, sec.pillar.value, s.id, code, s.text]
            votes = ws.votes_for(s.id)
            tally = {k: v for k, v in ws.tallies.get(s.id, {}).items() if v}
            if ws.is_anonymous:
                dist = statement_distribution(ws, s.id)
                if not privacy.can_show_distribution(ws, dist):
                    rows.append([*lead, "", "", WITHHELD, dist.total])
                    continue
                counted = Counter(v.score for v in votes)
                for score in sorted(counted, key=answer_order.__getitem__):
                    rows.append([*lead, "", "votes", _answer(score), counted[score]])
            else:
                for v in sorted(votes, key=lambda v: order.get(v.participant_id, len(order))):
                    try:
                        name = ws.participant(v.participant_id).name
                    except KeyError:
                        name = v.participant_id
                    rows.append([*lead, name, v.source, _answer(v.score), 1])
            for score in sorted(tally, key=lambda k: answer_order.get(k, 99)):
                rows.append([*lead, "", "tally", _answer(score), tally[score]])
    return rows


def votes_csv(ws: Workshop) -> bytes:
    """The votes CSV of ``ws`` as bytes."""
    return write_rows(VOTE_COLUMNS, vote_rows(ws))


def summary_rows(ws: Workshop, baseline: Workshop | None = None) -> list[list[Cell]]:
    """The rows of the pillar-summary CSV (privacy rule applied)."""
    score = private_score(ws, baseline)
    rows: list[list[Cell]] = []
    all_shown = True
    for p, ps in score.pillars.items():
        shown = privacy.can_show(ws, ps)
        all_shown &= shown
        name = ws.questionnaire.section(p).name
        dist = ps.pooled.distribution
        verdicts = [s.stats.consensus for s in ps.statements if privacy.can_show(ws, s)]
        if shown:
            rows.append([ws.id, p.value, name, ps.mean, ps.pooled.median, ps.pooled.spread,
                         level_name(ws, ps.mean) if ps.mean is not None else None,
                         dist.total, dist.dont_know, len(ps.statements),
                         verdicts.count(True), verdicts.count(False), ps.baseline_mean,
                         ps.delta, ps.target, ps.gap, ""])
        else:
            rows.append([ws.id, p.value, name, None, None, None, None, dist.total, dist.dont_know,
                         len(ps.statements), verdicts.count(True), verdicts.count(False),
                         ps.baseline_mean, None, ps.target, None,
                         f"{WITHHELD}: some statements have fewer than "
                         f"{privacy.MIN_ANONYMOUS_ANSWERS} scored answers"])
    total = sum(ps.pooled.distribution.total for ps in score.pillars.values())
    dont = sum(ps.pooled.distribution.dont_know for ps in score.pillars.values())
    n = sum(len(ps.statements) for ps in score.pillars.values())
    agree = sum(r[10] for r in rows if isinstance(r[10], int))
    discuss = sum(r[11] for r in rows if isinstance(r[11], int))
    rows.append([ws.id, "overall", "Overall", score.overall if all_shown else None, None, None,
                 level_name(ws, score.overall) if all_shown and score.overall is not None
                 else None, total, dont, n, agree, discuss, score.baseline_overall,
                 score.delta if all_shown else None, None, None,
                 "" if all_shown else WITHHELD])
    return rows


def summary_csv(ws: Workshop, baseline: Workshop | None = None) -> bytes:
    """The pillar-summary CSV of ``ws`` (compared with ``baseline``) as bytes."""
    return write_rows(SUMMARY_COLUMNS, summary_rows(ws, baseline))
