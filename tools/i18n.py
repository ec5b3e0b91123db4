"""Extract, merge and compile the translation catalogues (``make i18n``).

    python -m tools.i18n extract   # calms_desktop/locale/calms.pot from the sources
    python -m tools.i18n update    # merge the .pot into every <lang>/LC_MESSAGES/calms.po
    python -m tools.i18n compile   # .po -> .mo (make setup runs this)
    python -m tools.i18n check     # untranslated or fuzzy entries, a stale .pot

Sources are the package's Python files (``_``, ``ngettext``, ``pgettext``,
``N_``) and the Designer forms in ``ui/`` (every ``<string>`` not marked
``notr="true"``, with the form's class as its context, which is what
``QUiLoader`` asks the app's ``QTranslator`` for), and the shown texts of the
delivery-metrics data file (``resources/dora/``, context ``delivery-metrics``,
which ``core/metrics.py`` reads in the active language).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "calms_desktop"
UI_DIR = PACKAGE / "resources" / "ui"
METRICS_DATA = PACKAGE / "resources" / "dora" / "delivery-metrics.json"
LOCALE_DIR = PACKAGE / "locale"
POT = LOCALE_DIR / "calms.pot"
DOMAIN = "calms"
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2), "Nn_": (1, 2),
                            "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2)}
HEADER = "Translations of CALMS Workshop."


def extract_ui(fileobj: IO[bytes]) -> Iterator[tuple[int, str, str, str | None]]:
    """Every translatable ``<string>`` of a Designer form: (line, context, text, comment)."""
    root = ET.parse(fileobj).getroot()
    cls = root.findtext("class") or ""
    # Dynamic properties (role="title" for the style sheet) are names, not text.
    names = {id(s) for prop in root.iter("property") if prop.get("stdset") == "0"
             for s in prop.iter("string")}
    for node in root.iter("string"):
        if node.get("notr") == "true" or id(node) in names or not (node.text or "").strip():
            continue
        yield 0, cls, node.text or "", node.get("comment")


def build_catalogue() -> Catalog:
    """The template catalogue of everything the sources mark."""
    catalogue = Catalog(project="CALMS Workshop", header_comment="# " + HEADER,
                        fuzzy=False, charset="utf-8")
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for lineno, message, comments, context in extract_from_file(
                "python", str(path), keywords=KEYWORDS, comment_tags=("Translators:",)):
            catalogue.add(message, locations=[(rel, lineno)], auto_comments=comments,
                          context=context)
    from calms_desktop.core import metrics

    rel = METRICS_DATA.relative_to(ROOT).as_posix()
    for text in metrics.shown_texts(json.loads(METRICS_DATA.read_text(encoding="utf-8"))):
        catalogue.add(text, locations=[(rel, 0)], context=metrics.DATA_CONTEXT)
    for path in sorted(UI_DIR.glob("*.ui")):
        rel = path.relative_to(ROOT).as_posix()
        with path.open("rb") as f:
            for _line, context, text, comment in extract_ui(f):
                catalogue.add(text, locations=[(rel, 0)], context=context,
                              auto_comments=[comment] if comment else [])
    return catalogue


def pot_text(catalogue: Catalog) -> bytes:
    """The .pot as written (no dates or line numbers, so it only changes with the texts)."""
    out = io.BytesIO()
    write_po(out, catalogue, omit_header=False, sort_output=True, include_lineno=False,
             width=100)
    lines = [line for line in out.getvalue().split(b"\n")
             if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))]
    return b"\n".join(lines)


def po_files() -> list[Path]:
    return sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=path.parents[1].name)


def extract() -> None:
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(pot_text(build_catalogue()))
    print(f"wrote {POT.relative_to(ROOT)}")


def update() -> None:
    template = build_catalogue()
    for path in po_files():
        catalogue = read(path)
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        with path.open("wb") as f:
            write_po(f, catalogue, sort_output=True, include_lineno=False, width=100)
        print(f"updated {path.relative_to(ROOT)}")


def compile_all() -> None:
    for path in po_files():
        catalogue = read(path)
        with path.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalogue, use_fuzzy=False)


def problems(catalogue: Catalog) -> list[str]:
    """Entries a user would see in English: untranslated, partly translated or fuzzy."""
    found = []
    for message in catalogue:
        if not message.id:
            continue
        label = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"fuzzy: {label!r}")
        elif not all(strings):
            found.append(f"untranslated: {label!r}")
    return found


def check() -> int:
    bad = 0
    if not POT.exists() or POT.read_bytes() != pot_text(build_catalogue()):
        print("calms.pot is stale: run `make i18n`")
        bad += 1
    for path in po_files():
        for problem in problems(read(path)):
            print(f"{path.relative_to(ROOT)}: {problem}")
            bad += 1
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.i18n")
    parser.add_argument("command", choices=["extract", "update", "compile", "check", "all"])
    args = parser.parse_args(argv)
    if args.command in ("extract", "all"):
        extract()
    if args.command in ("update", "all"):
        update()
    if args.command in ("compile", "all"):
        compile_all()
    if args.command == "check":
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
