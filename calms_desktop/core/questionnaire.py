"""Questionnaires: JSON data files under ``calms_desktop/resources/questionnaires/``.

A questionnaire names the five CALMS pillars (each once, in any order), gives
each an explanation for the room and 1–10 statements, and every statement a
descriptor for each level 1–5. Facilitators can write their own; loading one
validates it and says what is wrong where.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from . import validate as v
from .assets import resource_dir
from .errors import ValidationError
from .i18n import LANGUAGES, SOURCE_LANGUAGE, _, active, ngettext
from .model import PILLARS, Level, Pillar, PillarSection, Questionnaire, Statement, Workshop

FORMAT = "calms-questionnaire"
FORMAT_VERSION = 1
DEFAULT_ID = "calms-default"
QUICK_CHECK_ID = "quick-check"

QUESTIONNAIRE_DIR = resource_dir("questionnaires")


def from_dict(data: Any, where: str = "$") -> Questionnaire:
    """Validate a questionnaire document and build a :class:`Questionnaire`.

    Raises:
        ValidationError: naming the JSON path and the problem.
    """
    d = v.obj(data, where)
    fmt = d.get("format", FORMAT)
    if fmt != FORMAT:
        raise ValidationError(f"{where}.format", _('expected "{format}", got {value!r}').format(
            format=FORMAT, value=fmt))
    version = d.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise ValidationError(
            f"{where}.format_version",
            _("unsupported version {version!r} (this app reads 1)").format(version=version),
        )
    qid = v.text(v.field(d, "id", where), f"{where}.id", required=True, max_len=200)
    title = v.text(v.field(d, "title", where), f"{where}.title", required=True, max_len=500)
    description = v.text(d.get("description", ""), f"{where}.description")
    levels = _levels(d.get("levels"), f"{where}.levels")
    raw_pillars = v.lst(v.field(d, "pillars", where), f"{where}.pillars")
    sections: dict[Pillar, PillarSection] = {}
    seen_ids: set[str] = set()
    for i, raw in enumerate(raw_pillars):
        sec = _section(raw, f"{where}.pillars[{i}]", seen_ids)
        if sec.pillar in sections:
            raise ValidationError(
                f"{where}.pillars[{i}].id",
                _('pillar "{pillar}" appears twice').format(pillar=sec.pillar),
            )
        sections[sec.pillar] = sec
    missing = [p.value for p in PILLARS if p not in sections]
    if missing:
        raise ValidationError(f"{where}.pillars", ngettext(
            "missing pillar: {pillars}", "missing pillars: {pillars}", len(missing)).format(
                pillars=", ".join(missing)))
    return Questionnaire(
        id=qid,
        title=title,
        description=description,
        levels=levels,
        sections=tuple(sections[p] for p in PILLARS),
    )


def _levels(raw: Any, where: str) -> tuple[Level, ...]:
    if raw is None:
        return tuple(Level(n, str(n)) for n in range(1, 6))
    items = v.lst(raw, where)
    if len(items) != 5:
        raise ValidationError(where, _("expected 5 levels, got {count}").format(count=len(items)))
    levels = []
    for i, item in enumerate(items):
        o = v.obj(item, f"{where}[{i}]")
        n = v.integer(v.field(o, "level", f"{where}[{i}]"), f"{where}[{i}].level", 1, 5)
        if n != i + 1:
            raise ValidationError(f"{where}[{i}].level", _("expected level {expected}, got {level}")
                                  .format(expected=i + 1, level=n))
        name = v.text(v.field(o, "name", f"{where}[{i}]"), f"{where}[{i}].name", required=True)
        levels.append(Level(n, name))
    return tuple(levels)


def _section(raw: Any, where: str, seen_ids: set[str]) -> PillarSection:
    o = v.obj(raw, where)
    pillar = v.choice(v.field(o, "id", where), f"{where}.id", Pillar)
    name = v.text(o.get("name", pillar.title), f"{where}.name", required=True, max_len=200)
    explanation = v.text(v.field(o, "explanation", where), f"{where}.explanation", required=True)
    raw_statements = v.lst(v.field(o, "statements", where), f"{where}.statements")
    if not 1 <= len(raw_statements) <= 10:
        raise ValidationError(
            f"{where}.statements", _("a pillar needs 1–10 statements, got {count}").format(
                count=len(raw_statements)),
        )
    statements = []
    for j, rs in enumerate(raw_statements):
        sw = f"{where}.statements[{j}]"
        so = v.obj(rs, sw)
        sid = v.text(v.field(so, "id", sw), f"{sw}.id", required=True, max_len=200)
        if sid in seen_ids:
            raise ValidationError(f"{sw}.id", _('statement id "{id}" is used twice').format(id=sid))
        seen_ids.add(sid)
        stext = v.text(v.field(so, "text", sw), f"{sw}.text", required=True, max_len=2000)
        lv = v.obj(v.field(so, "levels", sw), f"{sw}.levels")
        descriptors = []
        for n in range(1, 6):
            if str(n) not in lv:
                raise ValidationError(
                    f"{sw}.levels",
                    _('missing the descriptor for level "{level}"').format(level=n))
            descriptors.append(
                v.text(lv[str(n)], f"{sw}.levels.{n}", required=True, max_len=2000)
            )
        extra = sorted(set(lv) - {"1", "2", "3", "4", "5"})
        if extra:
            raise ValidationError(f"{sw}.levels", ngettext(
                "unexpected level: {levels}", "unexpected levels: {levels}", len(extra)).format(
                    levels=", ".join(extra)))
        statements.append(Statement(sid, pillar, stext, tuple(descriptors)))  # type: ignore[arg-type]
    return PillarSection(pillar, name, explanation, tuple(statements))


def to_dict(q: Questionnaire) -> dict[str, Any]:
    """The questionnaire as a JSON-ready document (inverse of :func:`from_dict`)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": q.id,
        "title": q.title,
        "description": q.description,
        "levels": [{"level": lv.level, "name": lv.name} for lv in q.levels],
        "pillars": [
            {
                "id": sec.pillar.value,
                "name": sec.name,
                "explanation": sec.explanation,
                "statements": [
                    {
                        "id": s.id,
                        "text": s.text,
                        "levels": {str(n): s.levels[n - 1] for n in range(1, 6)},
                    }
                    for s in sec.statements
                ],
            }
            for sec in q.sections
        ],
    }


def load_file(path: str | Path) -> Questionnaire:
    """Load and validate a questionnaire file.

    The file is read within the limits of :func:`validate.loads` (at most
    :data:`validate.MAX_FILE_BYTES`, nesting at most :data:`validate.MAX_DEPTH`
    deep); a pipe or device named like a questionnaire is refused unread.

    Raises:
        ValidationError: naming the file, the JSON path and the problem.
    """
    path = Path(path)
    try:
        raw = v.read_limited(path)
    except FileNotFoundError as exc:
        raise ValidationError("$", v.cannot_read(exc), str(path)) from None
    data = v.loads(raw, str(path))  # size, depth and number limits, every problem named
    try:
        return from_dict(data)
    except ValidationError as exc:
        raise exc.with_source(str(path)) from None


def builtin(questionnaire_id: str = DEFAULT_ID, language: str | None = None) -> Questionnaire:
    """One of the questionnaires shipped with the app (``calms-default``, ``quick-check``).

    In ``language`` (default: the active one) when a translation ships
    (``questionnaires/<language>/<id>.json``, same ids for pillars and
    statements, so workshops in either language compare); else in English.
    """
    lang = language or active().language
    translated = QUESTIONNAIRE_DIR / lang / f"{questionnaire_id}.json"
    if lang != SOURCE_LANGUAGE and translated.is_file():
        return load_file(translated)
    return load_file(QUESTIONNAIRE_DIR / f"{questionnaire_id}.json")


def in_language(q: Questionnaire, language: str) -> Questionnaire:
    """``q`` in ``language`` when it is one of the shipped questionnaires; else ``q`` itself.

    A workshop stores its questionnaire as it was when the workshop began (a
    German workshop stores German statements). A report in another language
    reads statements, level descriptors, level names and pillar explanations
    from the shipped questionnaire of that language, found by id, when the
    stored one *is* a shipped one, word for word in one of the shipped
    languages. A questionnaire someone wrote or edited stays as stored: there
    is no translation of it to take.
    """
    try:
        if q.id not in builtin_ids():
            return q
        shipped = {lang: builtin(q.id, lang) for lang in LANGUAGES}
    except (OSError, ValidationError):
        return q  # a damaged install: the stored texts are still right
    if q not in shipped.values():
        return q
    return shipped.get(language, q)


def workshop_in_language(ws: Workshop, language: str,
                         questionnaire: Questionnaire | None = None) -> Workshop:
    """``ws`` with its shipped questionnaire in ``language`` (a shallow copy; ``ws`` is not
    changed), for a report or a screen in that language. See :func:`in_language`.

    Args:
        ws: the workshop as stored.
        language: the language to show it in.
        questionnaire: ``in_language(ws.questionnaire, language)`` when the caller
            already has it (a screen keeps it across redraws).
    """
    q = in_language(ws.questionnaire, language) if questionnaire is None else questionnaire
    return ws if q is ws.questionnaire else dataclasses.replace(ws, questionnaire=q)


def builtin_or_fallback(
    preferred: str = DEFAULT_ID,
) -> tuple[Questionnaire, list[ValidationError]]:
    """The preferred shipped questionnaire, or the first other one that loads.

    Returns the questionnaire and the problems of those that did not load
    (empty when the preferred one did).

    Raises:
        ValidationError: no shipped questionnaire can be read (the first problem).
    """
    problems: list[ValidationError] = []
    try:
        others = [q for q in builtin_ids() if q != preferred]
    except OSError:
        others = []
    for qid in (preferred, *others):
        try:
            return builtin(qid), problems
        except ValidationError as exc:
            problems.append(exc)
    raise problems[0]


def builtin_ids() -> list[str]:
    return sorted(p.stem for p in QUESTIONNAIRE_DIR.glob("*.json"))
