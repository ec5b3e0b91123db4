"""The ``calms-desktop`` command: the GUI by default, and library commands.

    calms-desktop [--data-dir DIR] [--demo | --open ID]   open the app
    calms-desktop list [--json]                           list workshops
    calms-desktop export ID --json FILE                   export a workshop
    calms-desktop export ID --pdf FILE [--audience attendee|facilitator] [--lang en|de]
    calms-desktop export ID --csv FILE | --summary-csv FILE | --metrics-csv FILE
    calms-desktop import PATH [--replace|--keep-both|--skip]
    calms-desktop demo                                    add the demo workshops

User errors go to stderr with exit code 2 (3 when the library is locked)
and no traceback. Text from workshop files is printed with control and
other invisible characters escaped (``\x1b`` …), so a title cannot move the
cursor, recolour or retitle the terminal.
"""

from __future__ import annotations

import argparse
import errno
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .core import fileformat
from .core.errors import CalmsError, LibraryLocked, ValidationError
from .core.i18n import (
    LANGUAGES,
    N_,
    Translator,
    _,
    activate,
    format_date,
    ngettext,
    pgettext,
    system_language,
)
from .core.merge import collect_workshop_files
from .core.model import Workshop
from .core.settings_ini import SETTINGS_FILE, saved_language
from .core.storage import Conflict, Library, StagedImport, atomic_write
from .core.validate import system_reason

EXIT_USER_ERROR = 2
EXIT_LOCKED = 3


def _escape(c: str) -> str:
    n = ord(c)
    if n < 0x10000:
        return f"\\u{n:04x}" if n > 0xFF else f"\\x{n:02x}"
    return f"\\U{n:08x}"


def shown(text: str) -> str:
    """``text`` safe for a terminal: control, format and unassigned characters escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def shown_json(text: str) -> str:
    """JSON text with every invisible character written as a JSON escape (still valid JSON)."""
    if text.isprintable():
        return text
    out = []
    for c in text:
        if c.isprintable() or c in "\n":
            out.append(c)
        elif ord(c) < 0x10000:
            out.append(f"\\u{ord(c):04x}")
        else:  # a surrogate pair, as JSON writes characters beyond the BMP
            n = ord(c) - 0x10000
            out.append(f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}")
    return "".join(out)


def say(text: str, file: TextIO | None = None) -> None:
    """Print a line for people, escaped (see :func:`shown`)."""
    print(shown(text), file=file or sys.stdout)


def _data_dir(args: argparse.Namespace) -> Path:
    if getattr(args, "data_dir", None):
        return Path(args.data_dir).expanduser()
    from .appdata import default_data_dir

    return default_data_dir()


def interface_language(data_dir: Path) -> str:
    """The app's language as saved in its settings (View → Language), else the system's."""
    return saved_language(data_dir / SETTINGS_FILE, "ui") or system_language()


def report_language_of(data_dir: Path) -> str:
    """The reports' language as the app would choose it: File → Export → Report language,
    else the interface's (see :func:`interface_language`)."""
    return saved_language(data_dir / SETTINGS_FILE, "report") or interface_language(data_dir)


def cmd_list(args: argparse.Namespace) -> int:
    library = Library(_data_dir(args), read_only=True)
    rows = library.summaries()
    if args.json:
        keys = ("id", "title", "organisation", "team", "date", "location", "facilitator",
                "baseline_id", "participants", "questionnaire", "voting_mode")
        print(shown_json(json.dumps([{k: r.get(k) for k in keys} for r in rows],
                                    ensure_ascii=False, indent=2)))
    elif not rows:
        say(_('No workshops in {folder}. Try: calms-desktop demo').format(folder=library.folder))
    else:
        for r in rows:
            who = " / ".join(x for x in (r["organisation"], r["team"]) if x)
            say(f"{r['id']}  {format_date(r['date'], 'short', empty='—'):11}  {who}  "
                f"{r['title']}")
    for p in library.problems:
        say(_('warning: set aside: {message}').format(message=p.message), sys.stderr)
    return 0


def _load(library: Library, workshop_id: str) -> Workshop:
    """Load a workshop; what was left out of its file (a bad metric entry) goes to stderr."""
    ws = library.load(workshop_id)
    repair = library.repair_of(workshop_id)
    if repair is not None:  # line by line: say() escapes a newline inside a line
        first, *rest = repair.text().split("\n")
        say(_('warning: {problem}').format(problem=first), sys.stderr)
        for line in rest:
            say(line, sys.stderr)
    return ws


def _find(library: Library, wanted: str) -> Workshop:
    """A workshop by id, or by a unique id prefix (as shown by ``list``)."""
    if wanted in library:
        return _load(library, wanted)
    matches = [r["id"] for r in library.summaries() if r["id"].startswith(wanted)]
    if len(matches) == 1:
        return _load(library, matches[0])
    if matches:
        raise CalmsError(_(
            "{wanted!r} matches {n} workshops; give more of the id").format(
            wanted=wanted,
            n=len(matches)))
    raise CalmsError(_(
        "no workshop {wanted!r} in {folder} (see: calms-desktop list)").format(
        wanted=wanted,
        folder=library.folder))


def cannot_write(target: str, exc: OSError) -> str:
    """Why ``target`` (the path as the user typed it) could not be written, and what to do."""
    folder = Path(target).expanduser().parent
    reason = system_reason(exc)
    if exc.errno in (errno.ENOENT, errno.ENOTDIR) and not folder.is_dir():
        hint = _("the folder {folder} does not exist; create it or choose another").format(
            folder=shown(str(folder)))
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = _("choose a folder you may write to")
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = _("free some space or choose another disk")
    else:
        hint = _("choose another file or folder")
    return _("cannot write {target} ({reason}): {hint}").format(
        target=shown(target), reason=reason, hint=hint)


def cmd_export(args: argparse.Namespace) -> int:
    """Export a workshop: its file (JSON), a PDF report, the votes or pillar summary (CSV).

    PDF and summary CSV compare with the baseline workshop when it is in the
    library. ``-`` as FILE writes to stdout (one output at a time).
    """
    library = Library(_data_dir(args), read_only=True)
    ws = _find(library, args.id)
    pdf, csv_votes, csv_summary = args.pdf, args.csv, args.summary_csv
    csv_metrics = args.metrics_csv
    targets = [t for t in (args.json, pdf, csv_votes, csv_summary, csv_metrics) if t]
    if not targets:
        raise CalmsError(
            _("say what to export: --json FILE, --pdf FILE, --csv FILE, --summary-csv FILE "
              "or --metrics-csv FILE")
        )
    if args.audience is not None and not pdf:
        raise CalmsError(_("--audience goes with --pdf FILE"))
    if targets.count("-") > 1:
        raise CalmsError(_("only one export can go to stdout (-) at a time"))
    to = sys.stderr if "-" in targets else sys.stdout

    def write(target: str, data: bytes, what: str) -> None:
        if target == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        path = Path(target).expanduser()
        if path.exists() and not path.resolve().is_file():
            # a pipe, a device (/dev/null) or a terminal: write into it, never
            # replace it with a regular file (as root that would replace /dev/null)
            try:
                with open(path, "wb") as out:
                    out.write(data)
            except OSError as exc:
                raise CalmsError(cannot_write(target, exc)) from None
        else:
            try:
                atomic_write(path.resolve(), data)
            except OSError as exc:  # it names its hidden temporary file: name the user's
                raise CalmsError(cannot_write(target, exc)) from None
        say(_(
            "Exported {what} of {display_name} to {value}").format(
            what=what,
            display_name=ws.display_name,
            value=shown(target)), to)

    if args.json:
        text = fileformat.dumps(ws) + "\n"
        if args.json == "-":
            # to a terminal: no control character or bidi override from workshop data
            # reaches it raw (the same document, with those characters escaped)
            text = shown_json(text)
        write(args.json, text.encode("utf-8"), _("the workshop file"))
    if not (pdf or csv_votes or csv_summary or csv_metrics):
        return 0
    from .reports import ExportKind, build_export  # matplotlib and ReportLab: only for a PDF

    report_language = Translator(args.lang or report_language_of(_data_dir(args)))

    baseline: Workshop | None = None
    if ws.baseline_id and (pdf or csv_summary or csv_metrics):
        try:
            baseline = library.load(ws.baseline_id)
        except CalmsError as exc:
            say(_(
                "warning: baseline not available ({exc}); exporting without the comparison").format(
                exc=exc),
                sys.stderr)
    if pdf:
        from .reports.branding import read_branding_ini  # the app's File > Report branding
        from .reports.progress import team_history

        kind = (ExportKind.FACILITATOR_PDF if args.audience == "facilitator"
                else ExportKind.ATTENDEE_PDF)
        from .reports import ignore_bad_source_date
        from .reports.branding import usable

        branding, logo_problem = usable(read_branding_ini(_data_dir(args) / SETTINGS_FILE))
        for problem in (logo_problem, ignore_bad_source_date()):
            if problem:
                say(_('warning: {problem}').format(problem=problem), sys.stderr)
        write(pdf, build_export(kind, ws, baseline, branding=branding,
                                history=team_history(library, ws), translator=report_language),
              _("the facilitator report (PDF)") if kind == ExportKind.FACILITATOR_PDF
              else _("the attendee summary (PDF)"))
    if csv_votes:
        write(csv_votes, build_export(ExportKind.VOTES_CSV, ws, translator=report_language),
              _("the votes (CSV)"))
    if csv_summary:
        write(csv_summary, build_export(ExportKind.SUMMARY_CSV, ws, baseline,
                                        translator=report_language),
              _("the pillar summary (CSV)"))
    if csv_metrics:
        write(csv_metrics, build_export(ExportKind.METRICS_CSV, ws, baseline,
                                        translator=report_language),
              _("the delivery metrics (CSV)"))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import files and folders: everything is checked first, then stored in one step.

    One unreadable file, a clash (unless a flag says what to do) or a file
    that cannot be stored (too large, a full disk) means nothing is imported.
    """
    files, problems = collect_workshop_files(args.paths)
    workshops: list[tuple[Path, Workshop]] = []
    errors: list[str] = [str(p) for p in problems]
    for f in files:  # validate everything before touching the library
        try:
            workshops.append((f, fileformat.read_file(f)))
        except ValidationError as exc:
            errors.append(str(exc))
    if errors:
        for e in errors:
            say(_('error: {e}').format(e=e), sys.stderr)
        say(_("Nothing was imported; the library is unchanged."), sys.stderr)
        say(_("Check the paths, or export the workshop again from the app that made it "
              "(calms-desktop export ID --json FILE); then import again."), sys.stderr)
        return EXIT_USER_ERROR
    conflict: Conflict = args.on_conflict
    with Library(_data_dir(args)) as library:
        # A clash is an id already in the library, or one that two of the files share
        # (the second would clash with the first once imported).
        clashes: list[tuple[Workshop, str]] = []
        seen: set[str] = set()
        for _f, ws in workshops:
            if ws.id in library:
                clashes.append((ws, _("is already in the library")))
            elif ws.id in seen:
                clashes.append((ws, _("is in more than one of the files")))
            seen.add(ws.id)
        if clashes and conflict == "refuse":
            for ws, why in clashes:
                say(_("error: {display_name} ({id}) {why}; use --replace, --keep-both or "
                      "--skip").format(display_name=ws.display_name, id=ws.id, why=why),
                    sys.stderr)
            say(_("Nothing was imported; the library is unchanged."), sys.stderr)
            return EXIT_USER_ERROR
        staged: list[StagedImport] = []
        said: list[str] = []
        batch: set[str] = set()
        for f, ws in workshops:
            original = ws.id
            if ws.id in batch:  # a second file with an id of this import
                if conflict == "skip":
                    said.append(_(
                        "Skipped {display_name} ({original}): in an earlier file").format(
                        display_name=ws.display_name,
                        original=original))
                    continue
                if conflict == "replace":
                    staged = [s for s in staged if s.workshop.id != ws.id]
                chosen: Workshop | None = ws
                if conflict == "keep-both":
                    chosen = library.resolve_conflict(ws, "keep-both") if ws.id in library \
                        else _copy_of(ws)
            else:
                chosen = library.resolve_conflict(ws, conflict, str(f))
            if chosen is None:
                said.append(_(
                    "Skipped {display_name} ({original}): already in the library").format(
                    display_name=ws.display_name,
                    original=original))
                continue
            batch.add(chosen.id)
            staged.append(StagedImport(str(f), chosen))
            if chosen.id != original:
                said.append(_(
                    "Imported {display_name} as a copy ({id})").format(
                    display_name=ws.display_name,
                    id=chosen.id))
            else:
                said.append(_(
                    "Imported {display_name} ({id})").format(
                    display_name=ws.display_name,
                    id=chosen.id))
        try:
            library.commit_imports(staged)
        except ValidationError as exc:
            say(_('error: {exc}').format(exc=exc), sys.stderr)
            say(_("Nothing was imported; the library is unchanged."), sys.stderr)
            return EXIT_USER_ERROR
        for line in said:
            say(line)
    return 0


def _copy_of(ws: Workshop) -> Workshop:
    from .core.model import new_id, now_iso

    ws.id, ws.created = new_id(), now_iso()
    return ws


def cmd_demo(args: argparse.Namespace) -> int:
    from .core.demo import install_demo

    with Library(_data_dir(args)) as library:
        for ws in install_demo(library):
            say(f"{ws.id}  {format_date(ws.date, 'short')}  {ws.organisation} / {ws.team}  "
                f"{ws.title}")
    return 0


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_(
            "a port is a number, not {text!r}").format(
            text=text)) from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(_('a port is 0–65535, not {port}').format(port=port))
    return port


def cmd_gui(args: argparse.Namespace) -> int:
    from .gui.app import run_gui

    return run_gui(_data_dir(args), demo=args.demo, open_id=args.open,
                   phone_port=args.phone_port)


def build_parser() -> argparse.ArgumentParser:
    # The placeholders in the usage lines, translated as the messages spell them
    # ("--json DATEI" in both).
    FILE = pgettext("metavar", "FILE")  # noqa: N806
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", metavar=pgettext("metavar", "DIR"), default=argparse.SUPPRESS,
        help=_("library folder (default: the app-data location)"),
    )
    parser = argparse.ArgumentParser(
        prog="calms-desktop",
        description=_("Facilitate a live CALMS assessment. With no command, opens the app."),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=_(
        "%(prog)s {version}").format(
        version=__version__), help=_("show program's version number and exit"))
    parser.add_argument("--demo", action="store_true", help=_("open the app on the demo workshop"))
    parser.add_argument("--open", metavar="ID", help=_("open the app on this workshop"))
    parser.add_argument("--phone-port", type=_port, metavar=pgettext("metavar", "PORT"),
                        default=None,
                        help=_("port phones connect to (remembered in the settings; 0: any)"))
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title=_("commands"), metavar=_("COMMAND"))

    p = sub.add_parser("list", parents=[common], help=_("list the workshops in the library"))
    p.add_argument("--json", action="store_true", help=_("print a JSON array"))
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("export", parents=[common], help=_("export a workshop or its reports"))
    p.add_argument("id", help=_("workshop id (or a unique prefix of it)"))
    p.add_argument("--json", metavar=FILE, help=_("workshop file (JSON); - for stdout"))
    p.add_argument("--pdf", metavar=FILE, help=_("PDF report (see --audience); - for stdout"))
    p.add_argument("--audience", choices=("attendee", "facilitator"), default=None,
                   help=_("attendee: a take-home summary of at most 2 pages (scores, strongest "
                          "and weakest areas, the 10 most pressing actions, next steps; the "
                          "default); facilitator: the full report"))
    p.add_argument("--csv", metavar=FILE, help=_("every vote and show-of-hands count (CSV)"))
    p.add_argument("--summary-csv", metavar=FILE, help=_("one row per pillar (CSV)"))
    p.add_argument("--metrics-csv", metavar=FILE,
                   help=_("one row per delivery metric, with last time's (CSV)"))
    p.add_argument("--lang", choices=LANGUAGES, default=None,
                   help=_("the language of the PDFs and of the CSVs' words (names, statements, "
                          "answers; CSV columns, keys and numbers stay the same); default: the "
                          "app's report language setting, else its interface language, else "
                          "the system's"))
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", parents=[common], help=_("import workshop files or a folder"))
    p.add_argument("paths", nargs="+", metavar=pgettext("metavar", "PATH"),
                   help=_("a .json file or a folder of them"))
    g = p.add_mutually_exclusive_group()
    g.add_argument("--replace", dest="on_conflict", action="store_const", const="replace",
                   help=_("replace a workshop with the same id"))
    g.add_argument("--keep-both", dest="on_conflict", action="store_const", const="keep-both",
                   help=_("import a workshop with the same id as a copy"))
    g.add_argument("--skip", dest="on_conflict", action="store_const", const="skip",
                   help=_("leave a workshop with the same id as it is"))
    p.set_defaults(func=cmd_import, on_conflict="refuse")

    p = sub.add_parser("demo", parents=[common], help=_("add the demo workshops to the library"))
    p.set_defaults(func=cmd_demo)
    return parser


#: argparse's own words (usage, options, its errors): argparse asks gettext for them by
#: these very texts, and :func:`_argparse_in_our_language` hands it the app's catalogue.
ARGPARSE_TEXTS = (
    N_("usage: "), N_("options"), N_("positional arguments"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"), N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"), N_("expected at least one argument"),
    N_("expected at most one argument"), N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
)


def _argparse_in_our_language() -> None:
    """argparse looks its texts up with ``gettext.gettext`` (module globals ``_`` and
    ``ngettext``): the CLI gives it the active translator, so German help is German.
    With English active the texts come back unchanged."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    # The help follows the system's language (the data folder is not known before
    # the arguments are read); the messages and what the core says (merge
    # summaries …) follow the app's saved language, as the app itself would;
    # `export --lang` chooses the reports' own.
    _argparse_in_our_language()
    with activate(Translator(system_language())):
        args = build_parser().parse_args(argv)
    with activate(Translator(interface_language(_data_dir(args)))):
        return _main(args)


def _main(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args) or 0)
    except LibraryLocked as exc:
        say(_('error: {exc}').format(exc=exc), sys.stderr)
        return EXIT_LOCKED
    except CalmsError as exc:
        say(_('error: {exc}').format(exc=exc), sys.stderr)
        return EXIT_USER_ERROR
    except OSError as exc:
        say(_(
            "error: {value}: {value2}").format(
            value=exc.filename or '',
            value2=system_reason(exc)), sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
