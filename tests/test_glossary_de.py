"""The German catalogue and questionnaires use one term per concept (docs/glossary-de.md)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary-de.md"
CATALOGUE = Path(str(resources.files("calms_desktop") / "locale" / "de" / "LC_MESSAGES"
                     / "calms.po"))
QUESTIONNAIRES = Path(str(resources.files("calms_desktop") / "resources" / "questionnaires"
                          / "de"))


def forbidden() -> dict[str, str]:
    """Each forbidden variant of the glossary's table, with the term to use instead."""
    out: dict[str, str] = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Concept (English)", "---"):
            continue
        for variant in filter(None, (v.strip() for v in cells[2].split(";"))):
            out[variant] = cells[1]
    return out


def translations() -> list[str]:
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f, locale="de")
    texts: list[str] = []
    for m in catalogue:
        if m.id:
            texts += list(m.string) if isinstance(m.string, tuple) else [m.string]
    return texts


def questionnaire_texts(value: object) -> list[str]:
    """The texts people read in a questionnaire (ids left out)."""
    if isinstance(value, dict):
        return [t for k, v in value.items() if k != "id" for t in questionnaire_texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in questionnaire_texts(v)]
    return [value] if isinstance(value, str) else []


def test_the_glossary_names_forbidden_variants():
    assert len(forbidden()) >= 10


def test_the_catalogue_uses_the_glossary_terms():
    bad = [(variant, text) for text in translations() for variant in forbidden()
           if variant in text]
    assert not bad, bad[:10]


@pytest.mark.parametrize("name", ["calms-default.json", "quick-check.json"])
def test_the_questionnaires_use_the_glossary_terms_and_speak_as_we(name):
    texts = questionnaire_texts(json.loads((QUESTIONNAIRES / name).read_text(encoding="utf-8")))
    bad = [(variant, text) for text in texts for variant in forbidden() if variant in text]
    assert not bad, bad[:10]
    addressed = [t for t in texts if any(f" {w} " in f" {t} " for w in ("Sie", "Ihr", "Ihre"))]
    assert not addressed, addressed[:5]  # the team speaks ("wir"), nobody is addressed
