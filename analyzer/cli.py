"""Command line: thin click commands over the library. Library errors become a message
on stderr and exit code 1; click's own usage errors exit 2, and so does an option's value
the library refuses (out of range, in the future), naming the option."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from analyzer import __version__
from analyzer.errors import AnalyzerError, InvalidEntry
from analyzer.settings import RANGES

if TYPE_CHECKING:
    from analyzer.pipeline import WatchBatch
    from analyzer.store import PutResult, Store

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

MI_M = 1609.344
MAX_LISTED = 12  # report: list the files written up to this many, else one summary line


def units_option(f: F) -> F:
    """``--units``, shared by every command that shows distances."""
    return click.option(
        "--units",
        type=click.Choice(["mi", "km"]),
        default=None,
        help="Distance units: mi (miles, min/mile) or km. Default: the profile's, else mi.",
    )(f)


def decoder_option(f: F) -> F:
    """``--decoder``, shared by the commands that read FIT files."""
    return click.option(
        "--decoder",
        type=click.Choice(["fast", "fitparse"]),
        envvar="ANALYZER_FIT_DECODER",
        default=None,
        help="FIT decoder: fast (default; falls back to fitparse on damaged files) or "
        "fitparse. Default: $ANALYZER_FIT_DECODER, else fast.",
    )(f)


#: ``--damaged`` choices, default first (analyzer.importers.damage.MODES: not imported
#: here, as the readers' modules are slow to import for ``--help``)
DAMAGED_MODES = ("warn", "strict", "ignore")


def damaged_option(f: F) -> F:
    """``--damaged``, shared by the commands that read activity files (STYLE rule 10)."""
    return click.option(
        "--damaged",
        type=click.Choice(DAMAGED_MODES, case_sensitive=False),
        default=DAMAGED_MODES[0],
        show_default=True,
        help="A damaged file (cut short, CRC mismatch, undecodable records or XML): warn "
        "keeps what was read and says what was lost; strict refuses the file as failed "
        "(nothing of it is stored); ignore keeps what was read without printing the "
        "damage (the activity still records it, as --json shows).",
    )(f)


def iso_week(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback for ``--week``: an ISO week YYYY-Www that exists, upper-cased."""
    if value is None:
        return None
    text = value.strip().upper()
    try:
        year, week = text.split("-W")
        date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO week; write YYYY-Www, e.g. 2026-W47"
        ) from None
    return f"{int(year):04d}-W{int(week):02d}"


class AppState:
    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="analyzer")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ANALYZER_DATA",
    default=None,
    help="Data folder (catalog and streams). Default: $ANALYZER_DATA, else the XDG data folder.",
)
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """Running exports and Achilles symptoms, analysed on your own machine.

    \b
    Example:
      analyzer inspect run.fit
    """
    ctx.obj = AppState(data_dir)


#: entry fields -> the options that set them, so a command's error names its own option
#: (a CSV's errors name its line and column instead)
OPTION_OF_FIELD = {
    "morning_stiffness": "--stiffness",
    "morning_stiffness_minutes": "--stiffness-minutes",
    "morning_pain": "--morning-pain",
    "pain_during": "--pain-during",
    "pain_after": "--pain-after",
    "pinch_tenderness": "--tenderness",
    "straight_knee_sets": "--straight-sets",
    "bent_knee_sets": "--bent-sets",
    "reps": "--reps",
    "added_load_kg": "--load-kg",
    "time": "--at",
    "date": "--date",
    "side": "--side",
    "note": "--note",
    "sets": "--straight-sets/--bent-sets",
    "answers": "--answers",
}


def fail(exc: AnalyzerError) -> click.ClickException:
    """The click error of a library error: a value given on the command line that breaks
    a rule (out of range, in the future, not a time) is a usage error naming its option
    (exit 2); anything else a data error (exit 1)."""
    if isinstance(exc, InvalidEntry) and exc.line is None:
        if exc.field in OPTION_OF_FIELD:
            return click.BadParameter(exc.problem, param_hint=repr(OPTION_OF_FIELD[exc.field]))
        if exc.field.startswith("item "):  # a VISA-A score given with --answers
            return click.BadParameter(f"{exc.field}: {exc.problem}", param_hint="'--answers'")
        if exc.field == "file":  # the message names the file itself
            return click.ClickException(exc.problem)
    return click.ClickException(str(exc))


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object, for scripts.")
@units_option
@decoder_option
@damaged_option
@click.option(
    "--hr-max",
    type=click.FloatRange(*RANGES["hr_max_bpm"]),
    help="Maximum heart rate (bpm) "
    "for this file; default: the profile's, else the file's own held maximum.",
)
@click.option(
    "--age",
    type=click.IntRange(int(RANGES["age_years"][0]), int(RANGES["age_years"][1])),
    help="Age for the Tanaka estimate "
    "of maximum heart rate (208 - 0.7 x age) when no maximum is known.",
)
@click.pass_obj
def inspect(
    state: AppState,
    file: Path,
    as_json: bool,
    units: str | None,
    decoder: str | None,
    damaged: str,
    hr_max: float | None,
    age: int | None,
) -> None:
    """Read one activity file (FIT, GPX, TCX, also .gz) without the store.

    \b
    Example:
      analyzer inspect morning-run.fit --units km
      analyzer inspect morning-run.fit --json | jq .activities[0].distance_m
      analyzer inspect morning-run.fit --decoder fitparse
      analyzer inspect morning-run.fit --hr-max 182
      analyzer inspect cut-short.fit --damaged strict
    """
    from analyzer import pipeline, textout

    try:
        store = pipeline.borrowed(state.data_dir)  # profile, held maximum, stored clocks
        settings = store.settings
        if hr_max is not None or age is not None:
            settings = settings.with_changes(
                hr_max_bpm=hr_max if hr_max is not None else settings.hr_max_bpm,
                age_years=age if age is not None else settings.age_years,
            )
        source = "option" if hr_max is not None else "profile"
        report = pipeline.inspect_file(
            file, settings, decoder, store.history_max_bpm, source, damaged, store.offsets
        )
    except AnalyzerError as exc:
        raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps(report, indent=2, allow_nan=False))
    else:
        click.echo(textout.inspect_report(report, units or settings.units, table_width()))


# --- the store: import, activities, profile, logs, VISA-A, inbox ---------------------------


@contextmanager
def library_errors() -> Iterator[None]:
    """Turn the library's errors into a one-line message and exit code 1."""
    try:
        yield
    except AnalyzerError as exc:
        raise fail(exc) from exc


def open_store(ctx: click.Context, existing: bool = False) -> Store:
    """The store of ``--data-dir`` / $ANALYZER_DATA / the XDG folder, closed with the command.

    ``existing``: a command that only reads refuses a folder without a store rather than
    create one there (a mistyped --data-dir would otherwise read as an empty history).
    """
    from analyzer.store import Store, paths

    state = ctx.find_object(AppState)
    explicit = state.data_dir if state else None
    if existing:
        folder = paths.resolve_data_dir(explicit)
        if not paths.catalog_path(folder).exists():
            raise click.ClickException(
                f"no store in {folder}: nothing has been imported or logged there. Check "
                "--data-dir (or $ANALYZER_DATA); analyzer import PATH... or analyzer log "
                "starts one. Nothing was created."
            )
    with library_errors():
        store = Store.open(explicit)
    ctx.call_on_close(store.close)
    return store


class ProgressLine:
    """``click.progressbar`` on a terminal; nothing otherwise."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.bar: Any = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def on_terminal() -> bool:
    return sys.stderr.isatty()


def table_width() -> int | None:
    """The terminal's columns, which tables are fitted to; None when the output goes to a
    pipe or a file, which get every column."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


class IsoDate(click.ParamType):
    """A calendar date written YYYY-MM-DD, as a datetime at midnight (what click.DateTime
    gives), with a message that says whether the format or the date is wrong."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from analyzer.symptoms.entries import date_problem

        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            return datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            self.fail(date_problem(text), param, ctx)


ISO_DATE = IsoDate()


def date_option(help_text: str) -> Callable[[F], F]:
    def wrap(f: F) -> F:
        return click.option("--date", "day", type=ISO_DATE, default=None, help=help_text)(f)

    return wrap


def _bound_option(name: str, side: str) -> Callable[[F], F]:
    help_text = f"Only entries on or {side} this local date (YYYY-MM-DD)."
    return click.option(name, type=ISO_DATE, default=None, help=help_text)


since_option = _bound_option("--since", "after")
until_option = _bound_option("--until", "before")


def _check_range(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and since > until:
        raise click.UsageError(f"--since {since:%Y-%m-%d} is after --until {until:%Y-%m-%d}")


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")
replace_option = click.option(
    "--replace", is_flag=True, help="Overwrite entries that already exist for the same date/time."
)
keep_option = click.option(
    "--keep-logged",
    "keep",
    is_flag=True,
    help="Leave entries already logged for a date/time as they are; import only the others.",
)


@cli.command("import", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; print only a one-line count.")
@json_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    default=lambda: os.cpu_count() or 1,
    show_default="all cores",
    help="Files read and analysed at once, in a process pool; 1 reads them one by one "
    "in this process.",
)
@decoder_option
@damaged_option
@click.option(
    "--max-unpacked-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="N",
    help="Most megabytes one .zip (nested ones included) or .gz may unpack to; more is "
    "refused as a possible bomb. Default: 4096 (512 per file).",
)
@click.option(
    "--max-ratio",
    type=click.FloatRange(min=1),
    default=None,
    metavar="R",
    help="Highest unpacked/packed size ratio of an archive entry over 1 MB (or a .gz); "
    "more is refused as a possible bomb. Default: 200.",
)
@click.option(
    "--reread",
    is_flag=True,
    help="Read the files again even where their content is stored, and rewrite the "
    "stored streams and summaries (after an upgrade that reads files better). Ids, "
    "route names and logs are kept.",
)
@units_option
@click.pass_context
def import_(
    ctx: click.Context,
    paths: tuple[Path, ...],
    quiet: bool,
    as_json: bool,
    jobs: int,
    decoder: str | None,
    damaged: str,
    max_unpacked_mb: float | None,
    max_ratio: float | None,
    reread: bool,
    units: str | None,
) -> None:
    """Import activity files, folders, .gz and .zip exports (nested too) into the store.

    Re-importing adds nothing (a file whose content is stored already is not parsed
    again); the same run exported twice is stored once (the richer copy, or the one
    covering more time where one is a partial copy). Files are read
    and analysed on every core (--jobs); one process writes the store.
    Exit code 1 if any file failed; everything else is still stored. Archives are read in
    memory, never unpacked to disk: entries named with an absolute path or '..' are skipped
    with a warning, and archives that unpack beyond the limits are refused.

    \b
    Example:
      analyzer import ~/Downloads/export.zip watch/*.fit
      analyzer import --quiet sample_data/
      analyzer import --max-unpacked-mb 8000 --max-ratio 400 strava-export.zip
      analyzer import --decoder fitparse --jobs 1 old-watch/
      analyzer import --reread ~/watch-archive/
      analyzer import --damaged strict watch/*.fit
    """
    from analyzer import pipeline, textout
    from analyzer.importers.containers import Limits

    store = open_store(ctx)
    limits = Limits.from_user(max_unpacked_mb, max_ratio)
    progress = ProgressLine("Importing", on_terminal() and not quiet and not as_json)
    try:
        with library_errors():
            report = pipeline.import_paths(
                paths,
                store,
                progress=progress,
                jobs=jobs,
                limits=limits,
                decoder=decoder,
                reread=reread,
                damaged=damaged,
            )
    except KeyboardInterrupt:
        progress.close()
        skipped = "" if reread else " (stored files are skipped)"
        click.echo(
            "Stopped. Every file stored before the stop is kept whole; run the same import "
            f"again to finish{skipped}.",
            err=True,
        )
        ctx.exit(130)
    finally:
        progress.close()
    data = report.to_json()
    if as_json:
        click.echo(json.dumps(data, indent=2, allow_nan=False))
    elif quiet:
        counts = ", ".join(
            f"{v} {textout.outcome_label(k)}" for k, v in data["counts"].items() if v
        )
        click.echo(f"import: {counts or 'nothing found'}")
        for o in report.failed:
            click.echo(f"failed: {o.message}", err=True)
        for warning in [*report.warnings, *textout.file_warnings(data)]:
            click.echo(f"warning: {warning}", err=True)
    elif not data["files"] and not report.warnings:
        shown = ", ".join(str(p) for p in paths)
        click.echo(f"Nothing to import: no .fit, .gpx or .tcx files (nor .zip or .gz) in {shown}.")
    else:
        shown = units or store.settings().units
        click.echo(textout.import_summary(data, shown, table_width()))
    if report.not_recomputed:  # an activity stored before whose stream is gone, say
        not_recomputed(report.not_recomputed, "The files are imported, but")
    if report.failed or report.not_recomputed:
        ctx.exit(1)


@cli.command(context_settings=CONTEXT)
@since_option
@until_option
@json_option
@units_option
@click.pass_context
def activities(
    ctx: click.Context,
    since: datetime | None,
    until: datetime | None,
    as_json: bool,
    units: str | None,
) -> None:
    """List the stored activities, oldest first, in the profile's units.

    \b
    Example:
      analyzer activities --since 2026-10-01 --units km
      analyzer activities --json | jq '.[].distance_m'
    """
    from analyzer import textout

    _check_range(since, until)
    store = open_store(ctx, existing=True)
    with library_errors():
        rows = store.activities(_day(since), _day(until))
        settings = store.settings()
        stored = len(store.activity_ids()) if not rows else len(rows)
    if as_json:
        click.echo(json.dumps([a.summary for a in rows], indent=2, allow_nan=False))
        return
    if not rows:
        empty = "No activities stored yet: analyzer import PATH..."
        click.echo(_nothing_in(since, until, "activities", stored, "analyzer activities", empty))
        return
    table = textout.activities_table(
        [{**a.columns, **_speed_facts(a.summary)} for a in rows],
        units or settings.units,
        settings.timezone,
        table_width(),
    )
    click.echo(table)


def _nothing_in(
    since: datetime | None,
    until: datetime | None,
    what: str,
    stored: int,
    command: str,
    empty: str,
) -> str:
    """What a list command says when it shows nothing: where entries are ``stored`` but
    none in the dates asked for, how many there are in all (``No check-ins since
    2027-01-01; 42 stored in all (analyzer log list).``); else ``empty``, what to do."""
    if not stored:
        return empty
    span = " ".join(
        f"{word} {day:%Y-%m-%d}" for word, day in (("since", since), ("until", until)) if day
    )
    return f"No {what} {span}; {stored} stored in all ({command})."


def _speed_facts(summary: dict[str, Any]) -> dict[str, Any]:
    """The speed facts a file without a sport keeps in its summary (is it a ride?)."""
    return {k: summary.get(k) for k in ("speed_median_mps", "speed_sustained_mps")}


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


# --- profile ---------------------------------------------------------------------------------

PROFILE_OPTIONS = {
    "age": "age_years",
    "sex": "sex",
    "hr_max": "hr_max_bpm",
    "hr_rest": "hr_rest_bpm",
    "profile_units": "units",
    "timezone": "timezone",
    "side": "affected_side",
    "drops_per_day": "drops_sessions_per_day",
    "easy_fraction": "easy_fraction",
    "hr_model": "hr_model",
}


@cli.group(context_settings=CONTEXT)
def profile() -> None:
    """Show or set the runner's profile and the thresholds of the analysis.

    \b
    Example:
      analyzer profile show
      analyzer profile set --hr-max 178 --hr-rest 55 --timezone Europe/London
    """


@profile.command("show", context_settings=CONTEXT)
@json_option
@click.pass_context
def profile_show(ctx: click.Context, as_json: bool) -> None:
    """Show every setting, and whether it comes from the profile or is the default.

    \b
    Example:
      analyzer profile show --json
    """
    from analyzer import textout
    from analyzer.settings import Settings
    from analyzer.store import paths

    state = ctx.find_object(AppState)
    folder = paths.resolve_data_dir(state.data_dir if state else None)
    if paths.catalog_path(folder).exists():
        store = open_store(ctx)
        with library_errors():
            saved = store.profile()
            settings = store.settings().to_dict()
    else:  # the defaults, without making a store in what may be a mistyped folder
        saved, settings = {}, Settings().to_dict()
        click.echo(f"No store in {folder} yet: these are the defaults.", err=True)
    if as_json:
        click.echo(json.dumps({"settings": settings, "from_profile": sorted(saved)}, indent=2))
        return
    rows = [(k, v, "profile" if k in saved else "default") for k, v in settings.items()]
    click.echo(textout.profile_table(rows, table_width()))


@profile.command("set", context_settings=CONTEXT)
@click.option("--age", type=str, default=None, help="Age in years (for the Tanaka estimate).")
@click.option("--sex", type=str, default=None, help="male or female (TRIMP coefficients).")
@click.option(
    "--hr-max", type=str, default=None, help="Maximum heart rate, bpm ('none' or 'default' clears)."
)
@click.option("--hr-rest", type=str, default=None, help="Resting heart rate, bpm.")
@click.option("--units", "profile_units", type=str, default=None, help="mi or km.")
@click.option("--timezone", type=str, default=None, help="IANA time zone, e.g. Europe/London.")
@click.option("--side", type=str, default=None, help="Affected side: left, right or both.")
@click.option("--drops-per-day", type=str, default=None, help="Target heel-drop sessions per day.")
@click.option(
    "--easy-fraction", type=str, default=None, help="Easy limit as a fraction of max (0.70)."
)
@click.option("--hr-model", type=str, default=None, help="percent_max or reserve (Karvonen).")
@click.option(
    "--set",
    "pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="Any other setting of 'profile show', e.g. --set hill_min_grade_pct=5; "
    "NAME=default returns it to its default.",
)
@click.pass_context
def profile_set(ctx: click.Context, pairs: tuple[str, ...], **options: str | None) -> None:
    """Set profile values; summaries are recomputed from the stored streams where needed.

    Any setting given as 'default' (--units default, --set zone_edges=default) goes back
    to its default value.

    \b
    Example:
      analyzer profile set --hr-max 178 --units km
      analyzer profile set --set walk_cadence_spm=135 --set gap_limit_s=20
      analyzer profile set --set zone_edges=default
    """
    from analyzer import pipeline

    raw = {PROFILE_OPTIONS[k]: v for k, v in options.items() if v is not None}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="'--set'")
        raw[name.strip()] = value
    if not raw:
        raise click.UsageError("nothing to set; see analyzer profile set --help")
    store = open_store(ctx)
    progress = RecomputeLine()
    with library_errors():
        changes = _profile_changes(raw)
        unset = [k for k, v in changes.items() if v is None]
        changes = {k: v for k, v in changes.items() if v is not None}
        try:
            settings, recomputed = pipeline.update_profile(store, changes, unset, progress=progress)
        except InvalidEntry as exc:  # settings that must agree: name the option given
            raise click.BadParameter(exc.problem, param_hint=repr(_option_of(exc.field))) from None
    progress.close()
    now = settings.to_dict()
    for k in sorted({*changes, *unset}):
        shown = "none" if now[k] is None else now[k]
        click.echo(f"{k} = {shown}" + (" (the default)" if k in unset else ""))
    if recomputed is not None:
        click.echo(f"Recomputed {recomputed.recomputed} activity summaries.")
        if recomputed.failed:  # the profile is saved: what is left is the store's to repair
            not_recomputed(recomputed.failed, "The profile is saved, but")
            ctx.exit(1)


def _profile_changes(raw: dict[str, str]) -> dict[str, Any]:
    """Each setting's text read as its value (None: back to the default). A value of the
    wrong form (not a number, not a choice, no such setting) or out of range is a usage
    error (exit 2) naming the option, as in log and drops."""
    from analyzer.profile import check_range, parse_value

    changes = {}
    for name, text in raw.items():
        try:
            changes[name] = parse_value(name, text)
            check_range(name, changes[name])
        except InvalidEntry as exc:
            raise click.BadParameter(exc.problem, param_hint=repr(_option_of(name))) from None
    return changes


def _option_of(setting: str) -> str:
    """The ``profile set`` option of a setting: ``--side``, else ``--set name``."""
    options = {
        v: "--" + k.removeprefix("profile_").replace("_", "-") for k, v in PROFILE_OPTIONS.items()
    }
    return options.get(setting, f"--set {setting}")


def not_recomputed(failed: Sequence[str], done: str) -> None:
    """Each activity whose summary could not be recomputed (``id: reason``), then what
    was done all the same (``done``, a sentence's start) and how to repair the store; the
    command then exits 1 (STYLE rule 2: never 0 after a failure)."""
    for problem in failed:
        click.echo(f"could not recompute {problem}", err=True)
    n = len(failed)
    which = "that activity keeps its" if n == 1 else f"those {n} activities keep their"
    click.echo(
        f"{done} {which} old summary; run 'analyzer doctor' to see how to repair the "
        "store (re-import the file with 'analyzer import --reread FILE', or "
        "'analyzer doctor --repair' to remove an activity whose stream is gone).",
        err=True,
    )


class RecomputeLine:
    """A progress line for recomputing summaries: ``Recomputing 12/40``."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, done: int, total: int, name: str) -> None:
        if on_terminal():
            click.echo(f"\rRecomputing summaries {done}/{total}", nl=False, err=True)
            self.shown = True
        elif done == total:
            click.echo(f"Recomputing summaries {done}/{total}", err=True)

    def close(self) -> None:
        if self.shown:
            click.echo("", err=True)


# --- symptom log -----------------------------------------------------------------------------


@cli.group(invoke_without_command=True, context_settings=CONTEXT)
@date_option("Local date of the check-in (YYYY-MM-DD). Default: today in the profile's zone.")
@click.option("--stiffness", type=float, default=None, help="Morning stiffness, 0-10.")
@click.option(
    "--stiffness-minutes", type=float, default=None, help="How long it stayed stiff, minutes."
)
@click.option(
    "--morning-pain", type=float, default=None, help="Pain on getting up this morning, 0-10."
)
@click.option("--pain-during", type=float, default=None, help="Pain during a run, 0-10.")
@click.option("--pain-after", type=float, default=None, help="Pain after a run, 0-10.")
@click.option("--tenderness", type=float, default=None, help="Pinch tenderness, 0-10.")
@click.option("--swelling/--no-swelling", default=None, help="Swelling seen today.")
@click.option("--side", type=str, default=None, help="left, right or both (default: profile).")
@click.option("--note", type=str, default=None, help='Free text ("" clears it).')
@click.option(
    "--replace",
    is_flag=True,
    help="Change the check-in already logged for the date without asking: the values "
    "given replace the logged ones, the others are kept.",
)
@click.pass_context
def log(
    ctx: click.Context,
    day: datetime | None,
    stiffness: float | None,
    stiffness_minutes: float | None,
    morning_pain: float | None,
    pain_during: float | None,
    pain_after: float | None,
    tenderness: float | None,
    swelling: bool | None,
    side: str | None,
    note: str | None,
    replace: bool,
) -> None:
    """Log the daily symptom check-in (one per date), or list, import and export the log.

    \b
    Example:
      analyzer log --stiffness 3 --stiffness-minutes 15 --tenderness 2
      analyzer log --morning-pain 2 --note "eased after heel drops"
      analyzer log --date 2026-11-20 --pain-during 2 --pain-after 3
      analyzer log list --since 2026-10-01
      analyzer log import symptoms.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    scores = (
        stiffness,
        stiffness_minutes,
        morning_pain,
        pain_during,
        pain_after,
        tenderness,
        swelling,
    )
    if all(v is None for v in (*scores, note, side)):
        raise click.UsageError("give at least one value, e.g. --stiffness 3; see --help")
    from analyzer.symptoms.entries import CheckIn, check_checkin

    given: dict[str, Any] = {
        "morning_stiffness": stiffness,
        "morning_stiffness_minutes": stiffness_minutes,
        "morning_pain": morning_pain,
        "pain_during": pain_during,
        "pain_after": pain_after,
        "pinch_tenderness": tenderness,
        "swelling": swelling,
        "side": side,
        "note": note,
    }
    store = open_store(ctx)
    with library_errors():
        settings = store.settings()
        today = today_local(settings.timezone).date()
        date_ = _day(day) or today
        exists = store.checkin(date_)
        if exists is None and all(v is None for v in scores) and not note:
            raise click.UsageError(
                f"no check-in for {date_} yet: give a score or a note, e.g. --stiffness 3"
            )
        base = exists or CheckIn(date=date_, side=settings.affected_side)
        changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        if changes.get("note") == "":
            changes["note"] = None
        entry = check_checkin(dataclasses.replace(base, **changes), today)
        changed = _changed_fields(exists, entry) if exists is not None else []
        if changed and not replace:
            _confirm_replace(f"a check-in for {entry.date}")
        store.put_checkins([entry], replace=True)
    if exists is None:
        click.echo(f"Check-in for {entry.date} saved.")
    elif changed:
        click.echo(_fitted(f"Check-in for {entry.date} updated: {'; '.join(changed)}."))
    else:
        click.echo(f"Check-in for {entry.date} unchanged.")
    for flag in _red_flags(entry, set(changes), settings):
        click.echo(_fitted(f"{flag[:1].upper()}{flag[1:]} Not medical advice."))


def _fitted(text: str) -> str:
    """A message wrapped to the terminal's columns (piped: one line)."""
    from analyzer import textout

    return textout.legend(text, table_width())


def _red_flags(entry: Any, given: set[str], settings: Any) -> list[str]:
    """The red flags of DOMAIN.md a check-in is itself, as it is logged (the values given
    this time), each ending "talk to your physio.": pain during a run above the
    profile's acceptable pain (``pain_acceptable_max``), swelling."""
    from analyzer.symptoms.rules import PainRules, flag_pain_during, flag_swelling

    day = entry.date.isoformat()
    flags = []
    if "pain_during" in given:
        rules = PainRules.from_settings(settings)
        flags += flag_pain_during([(day, entry.pain_during)], rules, stored=None)
    if "swelling" in given and entry.swelling:
        flags += flag_swelling([day])
    return [f.text for f in flags]


def _changed_fields(old: Any, new: Any) -> list[str]:
    """``name old -> new`` for each field of two entries (check-ins, heel-drop sessions)
    that differs: ``swelling no -> yes``, ``reps 15 -> 12``, ``note (none) -> ...``."""
    out = []
    for f in dataclasses.fields(new):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a != b:
            out.append(f"{f.name.replace('_', ' ')} {_shown(a)} -> {_shown(b)}")
    return out


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _confirm_replace(what: str) -> None:
    """Ask before overwriting ``what`` on a terminal; elsewhere demand --replace. A "no"
    is the user's choice, not an error: it is said plainly and the command ends (exit 0)."""
    if not sys.stdin.isatty():
        raise click.ClickException(f"{what} already exists; add --replace to overwrite it")
    if not click.confirm(f"{what[:1].upper()}{what[1:]} already exists. Change it?", default=False):
        _declined(f"Kept the {what.removeprefix('a ')} as it was; nothing written.")


def _declined(message: str) -> None:
    """End the command after the user answered no at a prompt: exit 0, nothing done."""
    click.echo(message)
    click.get_current_context().exit(0)


def today_local(tz: str) -> datetime:
    from analyzer.pipeline import today_in

    return today_in(tz)


yes_option = click.option(
    "--yes", is_flag=True, help="Delete without asking (needed where there is no terminal)."
)


def _delete(what: str, found: bool, group: str, yes: bool, delete: Callable[[], object]) -> None:
    """Delete ``what`` (``check-in of 2026-11-20``) with ``delete``, once confirmed on a
    terminal (elsewhere --yes is needed); where nothing was ``found``, say where to look."""
    if not found:
        raise click.ClickException(f"no {what}: see analyzer {group} list")
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException(
                f"deleting the {what} needs --yes where there is no terminal"
            )
        if not click.confirm(f"Delete the {what}? It cannot be undone", default=False):
            _declined(f"Kept the {what}; nothing deleted.")
    delete()
    click.echo(f"Deleted the {what}.")


@log.command("delete", context_settings=CONTEXT)
@click.option("--date", "day", type=ISO_DATE, required=True, help="The check-in's date.")
@yes_option
@click.pass_context
def log_delete(ctx: click.Context, day: datetime, yes: bool) -> None:
    """Delete the check-in of one date (a mistake, a wrong date); asks first.

    \b
    Example:
      analyzer log delete --date 1990-01-01
    """
    store = open_store(ctx, existing=True)
    with library_errors():
        found = store.checkin(day.date()) is not None
        _delete(
            f"check-in of {day.date()}", found, "log", yes, lambda: store.delete_checkin(day.date())
        )


@log.command("list", context_settings=CONTEXT)
@since_option
@until_option
@json_option
@click.pass_context
def log_list(
    ctx: click.Context, since: datetime | None, until: datetime | None, as_json: bool
) -> None:
    """List the check-ins, oldest first.

    \b
    Example:
      analyzer log list --since 2026-11-01
    """
    from analyzer import textout

    _check_range(since, until)
    store = open_store(ctx, existing=True)
    with library_errors():
        rows = [_plain(e) for e in store.checkins(_day(since), _day(until))]
        stored = len(rows) or len(store.checkins())
    empty = "No check-ins yet: analyzer log --stiffness 3 ..."
    _show_rows(
        rows,
        as_json,
        textout.checkins_table,
        _nothing_in(since, until, "check-ins", stored, "analyzer log list", empty),
    )


def _show_rows(
    rows: list[dict[str, Any]],
    as_json: bool,
    as_table: Callable[[list[dict[str, Any]], int | None], str],
    empty: str,
) -> None:
    """A list command's output: JSON, a table, or what to do when there is nothing yet."""
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
    elif rows:
        click.echo(as_table(rows, table_width()))
    else:
        click.echo(empty)


def _plain(entry: Any) -> dict[str, Any]:
    from dataclasses import asdict

    out = asdict(entry)
    for k, v in out.items():
        if isinstance(v, date | datetime):
            out[k] = v.isoformat()
    return out


@log.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@replace_option
@keep_option
@click.pass_context
def log_import(ctx: click.Context, file: Path, replace: bool, keep: bool) -> None:
    """Import check-ins from a CSV (the sample_data/symptoms.csv format).

    Every row is checked first; if any is bad nothing is written and every bad line is listed.
    A row without a side gets the profile's, as `analyzer log` does. A date already logged
    with other values stops the import unless --replace (the row's values replace the
    logged ones; its empty cells keep them) or --keep-logged (the logged check-in stays).

    \b
    Example:
      analyzer log import symptoms.csv --replace
    """
    from analyzer.symptoms.entries import CHECKIN_COLUMNS, csv_header, parse_checkins_csv

    if replace and keep:
        raise click.UsageError("--replace and --keep-logged contradict each other; pick one")
    store = open_store(ctx)
    with library_errors():
        data = _read_input(file)
        settings = store.settings()
        today = today_local(settings.timezone).date()
        entries = parse_checkins_csv(data, str(file), today)
        absent = set(CHECKIN_COLUMNS) - set(csv_header(data, str(file)))
        if (replace or absent) and entries:
            # an empty cell is a value not given: the logged one stays (--replace); a
            # column the file does not have (one written before morning_pain) is not
            # given either, so an unchanged row is "already present", not a difference
            days = sorted(e.date for e in entries)
            logged = {c.date: c for c in store.checkins(days[0], days[-1])}
            entries = [
                _merged(logged[e.date], e, None if replace else absent) if e.date in logged else e
                for e in entries
            ]
        entries = [
            e if e.side else dataclasses.replace(e, side=settings.affected_side) for e in entries
        ]
        result = store.put_checkins(entries, replace=replace, keep=keep)
    click.echo(_put_message("check-ins", result))


def _merged(logged: Any, new: Any, only: set[str] | None = None) -> Any:
    """``new`` with each of its empty (None) fields taken from ``logged``; ``only``: just
    those of these fields (the columns a CSV did not have)."""
    given = {f.name: getattr(new, f.name) for f in dataclasses.fields(new)}
    kept = {k for k, v in given.items() if v is None and (only is None or k in only)}
    return dataclasses.replace(new, **{k: getattr(logged, k) for k in kept})


force_option = click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")


@log.command("export", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@force_option
@click.pass_context
def log_export(ctx: click.Context, file: Path, force: bool) -> None:
    """Export the check-ins to a CSV ('-' for standard output).

    \b
    Example:
      analyzer log export symptoms-backup.csv
    """
    from analyzer.symptoms.entries import checkins_csv

    store = open_store(ctx, existing=True)
    with library_errors():
        text = checkins_csv(store.checkins())
    _write_output(file, text, force)


def _read_input(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise AnalyzerError(f"{file}: cannot read ({exc.strerror})") from exc


def _write_output(file: Path, text: str, force: bool = False) -> None:
    """``text`` to ``file`` in one step ('-': standard output); an existing file only with
    ``force`` (an earlier export may hold entries deleted since)."""
    if str(file) == "-":
        click.echo(text, nl=False)
        return
    if file.exists() and not force:
        raise click.ClickException(f"{file} exists; --force replaces it")
    tmp = file.with_name(f".{file.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(file)
    except OSError as exc:
        with suppress(OSError):  # a read-only disk refuses even this
            tmp.unlink(missing_ok=True)
        raise click.ClickException(f"{file}: cannot write ({exc.strerror})") from exc
    click.echo(f"Wrote {file}", err=True)


def _put_message(what: str, result: PutResult) -> str:
    kept = f", {result.kept} kept as logged" if result.kept else ""
    return (
        f"{what}: {result.added} added, {result.replaced} replaced, "
        f"{result.unchanged} already present{kept}"
    )


# --- heel drops ------------------------------------------------------------------------------


@cli.group(invoke_without_command=True, context_settings=CONTEXT)
@click.option(
    "--at",
    "at",
    type=str,
    default=None,
    help="When: 2026-10-12T07:49, or 07:49 for today; local time. Default: now.",
)
@click.option(
    "--straight-sets", type=int, default=None, help="Straight-knee sets (a new session: 3)."
)
@click.option("--bent-sets", type=int, default=None, help="Bent-knee sets (a new session: 3).")
@click.option("--reps", type=int, default=None, help="Repetitions per set (a new session: 15).")
@click.option("--load-kg", type=float, default=None, help="Added load, kg (a new session: 0).")
@click.option("--note", type=str, default=None, help='Free text ("" clears it).')
@click.option(
    "--replace",
    is_flag=True,
    help="Change the session already logged at that time without asking: the values "
    "given replace the logged ones, the others are kept.",
)
@click.pass_context
def drops(
    ctx: click.Context,
    at: str | None,
    straight_sets: int | None,
    bent_sets: int | None,
    reps: int | None,
    load_kg: float | None,
    note: str | None,
    replace: bool,
) -> None:
    """Log a heel-drop session, or list, import and export the sessions.

    A new session takes 3 straight-knee and 3 bent-knee sets of 15, no added load, for
    the values not given. Logging a time again changes only the values given.

    \b
    Example:
      analyzer drops --load-kg 5
      analyzer drops --at 07:45 --straight-sets 3 --bent-sets 3 --reps 15
      analyzer drops --at 07:45 --reps 12 --replace
      analyzer drops list
    """
    if ctx.invoked_subcommand is not None:
        return
    from analyzer.symptoms.entries import HeelDropSession, check_heel_drops, parse_time

    given: dict[str, Any] = {
        "straight_knee_sets": straight_sets,
        "bent_knee_sets": bent_sets,
        "reps": reps,
        "added_load_kg": load_kg,
        "note": note,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if changes.get("note") == "":
        changes["note"] = None
    store = open_store(ctx)
    with library_errors():
        tz = store.settings().timezone
        now = today_local(tz)
        when = parse_time(at, tz, now) if at else now.replace(second=0, microsecond=0)
        exists = next((d for d in store.heel_drops_at(when) if d.time == when), None)
        base = exists or HeelDropSession(when)
        entry = check_heel_drops(dataclasses.replace(base, **changes), now)
        changed = _changed_fields(exists, entry) if exists is not None else []
        if changed and not replace:
            _confirm_replace(f"a heel-drop session at {_minute(entry.time)}")
        store.put_heel_drops([entry], replace=True)
    said = f"Heel-drop session at {_minute(entry.time)}"
    if exists is None:
        click.echo(f"{said} saved.")
    elif changed:
        click.echo(_fitted(f"{said} updated: {'; '.join(changed)}."))
    else:
        click.echo(f"{said} unchanged.")


def _minute(when: datetime) -> str:
    """``2026-11-24T07:10+00:00``: a session's local time to the minute, with its offset."""
    return when.isoformat(timespec="minutes")


@drops.command("delete", context_settings=CONTEXT)
@click.option("--at", required=True, help="The session's time: 2026-10-12T07:49, or 07:49 today.")
@yes_option
@click.pass_context
def drops_delete(ctx: click.Context, at: str, yes: bool) -> None:
    """Delete the heel-drop session(s) logged in one minute; asks first.

    \b
    Example:
      analyzer drops delete --at 2026-11-24T07:45
    """
    from analyzer.symptoms.entries import parse_time

    store = open_store(ctx, existing=True)
    with library_errors():
        tz = store.settings().timezone
        when = parse_time(at, tz, today_local(tz))
        minute = when.strftime("%Y-%m-%d %H:%M")
        found = store.heel_drops_at(when)  # that minute, whatever offset each was logged in
        what = "heel-drop session" if len(found) < 2 else f"{len(found)} heel-drop sessions"
        _delete(
            f"{what} at {minute}", bool(found), "drops", yes, lambda: store.delete_heel_drops(when)
        )


@drops.command("list", context_settings=CONTEXT)
@since_option
@until_option
@json_option
@click.pass_context
def drops_list(
    ctx: click.Context, since: datetime | None, until: datetime | None, as_json: bool
) -> None:
    """List the heel-drop sessions, oldest first.

    \b
    Example:
      analyzer drops list --since 2026-11-01
    """
    from analyzer import textout

    _check_range(since, until)
    store = open_store(ctx, existing=True)
    with library_errors():
        found = store.heel_drops(_day(since), _day(until))
        stored = len(found) or len(store.heel_drops())
    # in the order shown, local date and time (a session logged in another zone keeps
    # its own), the instant breaking ties
    found.sort(key=lambda d: (d.time.replace(tzinfo=None), d.time.astimezone(UTC)))
    rows = [_plain(e) for e in found]
    empty = "No heel-drop sessions yet: analyzer drops"
    what = "heel-drop sessions"
    _show_rows(
        rows,
        as_json,
        textout.heel_drops_table,
        _nothing_in(since, until, what, stored, "analyzer drops list", empty),
    )


@drops.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@replace_option
@keep_option
@click.pass_context
def drops_import(ctx: click.Context, file: Path, replace: bool, keep: bool) -> None:
    """Import sessions from a CSV (the sample_data/heel_drops.csv format), all or nothing.

    \b
    Example:
      analyzer drops import heel_drops.csv
    """
    from analyzer.symptoms.entries import parse_heel_drops_csv

    if replace and keep:
        raise click.UsageError("--replace and --keep-logged contradict each other; pick one")
    store = open_store(ctx)
    with library_errors():
        data = _read_input(file)
        tz = store.settings().timezone
        # with --replace an empty cell keeps the logged session's value, as log import does
        logged = {d.time: d for d in store.heel_drops()} if replace else None
        entries = parse_heel_drops_csv(data, str(file), tz, today_local(tz), logged)
        result = store.put_heel_drops(entries, replace=replace, keep=keep)
    click.echo(_put_message("heel-drop sessions", result))


@drops.command("export", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@force_option
@click.pass_context
def drops_export(ctx: click.Context, file: Path, force: bool) -> None:
    """Export the sessions to a CSV ('-' for standard output).

    \b
    Example:
      analyzer drops export - > heel_drops.csv
    """
    from analyzer.symptoms.entries import heel_drops_csv

    store = open_store(ctx, existing=True)
    with library_errors():
        text = heel_drops_csv(store.heel_drops())
    _write_output(file, text, force)


# --- VISA-A ----------------------------------------------------------------------------------


@cli.group(
    "visa-a",
    invoke_without_command=True,
    context_settings=CONTEXT,
    short_help="The VISA-A questionnaire: 8 questions, a total from 0 to 100.",
)
@click.option(
    "--answers",
    type=str,
    default=None,
    help="The 8 scores without prompts, e.g. 7,8,6,5,9,10,7,B14 (item 8 may name its branch).",
)
@date_option("Date of the answers (YYYY-MM-DD). Default: today.")
@click.option(
    "--replace",
    is_flag=True,
    help="Overwrite the result already logged for the date (one result a day) without asking.",
)
@click.pass_context
def visa_a(ctx: click.Context, answers: str | None, day: datetime | None, replace: bool) -> None:
    """The VISA-A questionnaire (Robinson et al. 2001): 8 questions, total 0-100.

    100 means no symptoms. Items 1-6 score 0-10, item 7 0/4/7/10, item 8 up to 30.
    At the prompt each answer is typed as the number beside it, its score: the same
    numbers --answers takes.

    \b
    Example:
      analyzer visa-a
      analyzer visa-a --answers 7,8,6,5,9,10,7,B14 --date 2026-11-20
      analyzer visa-a list
    """
    if ctx.invoked_subcommand is not None:
        return
    import pandas as pd

    from analyzer.store import AlreadyLogged
    from analyzer.symptoms import visa_a as va
    from analyzer.symptoms.rules import PainRules, flag_visa_a
    from analyzer.weekly.daily import visa_a_steps
    from analyzer.weekly.source import visa_frame

    store = open_store(ctx)
    with library_errors():
        today = today_local(store.settings().timezone).date()
        if answers is not None:
            items, branch = va.parse_answers(answers)
        else:
            items, branch = _ask_visa_a()
        result = va.make_result(_day(day) or today, items, branch, today)
        try:
            store.put_visa_a(result, replace=replace)
        except AlreadyLogged:
            _confirm_replace(f"a VISA-A result for {result.date}")
            store.put_visa_a(result, replace=True)
        settings = store.settings()
        day_of = pd.Timestamp(result.date)
        steps = visa_a_steps(
            visa_frame(store.visa_a()), day_of, day_of, settings.visa_a_window_weeks
        )
    click.echo(f"VISA-A {result.date}: {result.total}/100 (100 = no symptoms)")
    step = steps[0] if steps else None
    # DOMAIN's red flag, by the rule the report applies (symptoms.rules.flag_visa_a)
    if step and flag_visa_a(step.reference, step.total, PainRules.from_settings(settings)):
        click.echo(
            f"That is {step.fall:g} below the {step.reference:g} of "
            f"{step.reference_date.date()}: talk to your physio. Not medical advice."
        )


@visa_a.command("delete", context_settings=CONTEXT)
@click.option("--date", "day", type=ISO_DATE, required=True, help="The result's date.")
@yes_option
@click.pass_context
def visa_a_delete(ctx: click.Context, day: datetime, yes: bool) -> None:
    """Delete the VISA-A result of one date; asks first.

    \b
    Example:
      analyzer visa-a delete --date 2026-11-18
    """
    store = open_store(ctx, existing=True)
    with library_errors():
        found = bool(store.visa_a(day.date(), day.date()))
        _delete(
            f"VISA-A result of {day.date()}",
            found,
            "visa-a",
            yes,
            lambda: store.delete_visa_a(day.date()),
        )


@visa_a.command("list", context_settings=CONTEXT)
@since_option
@until_option
@json_option
@click.pass_context
def visa_a_list(
    ctx: click.Context, since: datetime | None, until: datetime | None, as_json: bool
) -> None:
    """List the VISA-A results, oldest first, with the change from the one before.

    A fall of 10 or more is a red flag in the weekly report. To correct a result, answer
    again for its date with --replace.

    \b
    Example:
      analyzer visa-a list --since 2026-09-01
    """
    from analyzer import textout

    _check_range(since, until)
    store = open_store(ctx, existing=True)
    with library_errors():
        every = store.visa_a()  # the change of the first one shown is from the one before
    plain = []
    previous: int | None = None
    for r in every:
        if (since is None or r.date >= since.date()) and (until is None or r.date <= until.date()):
            plain.append(
                {
                    "date": r.date.isoformat(),
                    "total": r.total,
                    "change": None if previous is None else r.total - previous,
                    "items": list(r.items),
                    "q8_branch": r.q8_branch,
                }
            )
        previous = r.total
    empty = "No VISA-A results yet: analyzer visa-a"
    _show_rows(
        plain,
        as_json,
        textout.visa_a_table,
        _nothing_in(since, until, "VISA-A results", len(every), "analyzer visa-a list", empty),
    )


def _ask_visa_a() -> tuple[tuple[int, ...], str | None]:
    """The eight questions at the prompt. Each answer is typed as the number beside it,
    which is its score, the number ``--answers`` takes; a bad answer asks again."""
    from analyzer.symptoms import visa_a as va

    say = _prompt_echo()
    say(
        "VISA-A: 8 questions about your Achilles. Type the number beside the answer you "
        "choose: it is that answer's score. 10 is best on items 1-6."
    )
    items: list[int] = []
    for q in va.QUESTIONS:
        say(f"\n{q.number}. {q.text}", "   ")
        say(f"   0 = {q.low} ... 10 = {q.high}", "   ")
        scores = tuple(range(11))
        items.append(int(_ask("score", scores, f"question {q.number}", "a whole number 0-10")))
    say("\n7. Are you doing sport or training now?", "   ")
    for score_, label in zip(va.ITEM7_SCORES, va.ITEM7_LABELS, strict=True):
        say(f"   {score_:>2}) {label}", "       ")
    items.append(int(_ask("score", va.ITEM7_SCORES, "question 7")))
    say("\n8. When you load the Achilles in sport, which is true?", "   ")
    for key, label in va.ITEM8_BRANCHES.items():
        say(f"   {key}) {label}", "      ")
    branch = _ask("A, B or C", tuple(va.ITEM8_BRANCHES), "question 8")
    say("   For how long can you train or play like that?", "   ")
    scores = va.ITEM8_SCORES[branch]
    for score_, label in zip(scores, va.DURATIONS, strict=True):
        say(f"   {score_:>2}) {label}", "       ")
    items.append(int(_ask("score", scores, f"question 8 ({branch})")))
    return tuple(items), branch


def _prompt_echo() -> Callable[..., None]:
    """``say(text, indent)``: echo ``text`` wrapped to the terminal's columns, each further
    line under ``indent``."""
    from analyzer import textout

    width = shutil.get_terminal_size().columns

    def say(text: str, indent: str = "") -> None:
        lead = text[: len(text) - len(text.lstrip("\n"))]
        click.echo(lead + textout.wrap_hanging(text.lstrip("\n"), width, "", indent))

    return say


def _ask(label: str, allowed: tuple[int | str, ...], what: str, words: str = "") -> str:
    """One answer of ``allowed`` (any case), asked again with what to type until it is."""
    from analyzer import textout

    shown = [str(a) for a in allowed]
    words = words or ", ".join(shown[:-1]) + " or " + shown[-1]

    def check(text: str) -> str:
        answer = text.strip().upper()
        answer = str(int(answer)) if answer.isdigit() else answer  # 07 is 7
        if answer in shown:
            return answer
        said = f"Error: {text.strip()!r} is not an answer to {what}: type {words}."
        width = shutil.get_terminal_size().columns  # click puts "Error: " before it
        raise click.BadParameter(textout.wrap_hanging(said, width)[len("Error: ") :])

    return str(click.prompt(f"   {label}", value_proc=check))


# --- the inbox -------------------------------------------------------------------------------


def show_watch_batch(batch: WatchBatch) -> None:
    """What one pass of ``watch`` did: each file
    imported, what a damaged one lost (left out already under --damaged ignore), each
    failed file with where its reason is, summaries that could not be recomputed, and the
    pages refreshed."""
    from analyzer import textout

    for path in batch.imported:
        click.echo(f"{batch.said.get(path, 'imported')}: {path.name}")
    for warning in textout.file_warnings(batch.report.to_json()):
        click.echo(f"warning: {warning}", err=True)
    for path in batch.failed:  # moved to INBOX/failed/, perhaps renamed (run-1.fit)
        click.echo(f"failed: {path.name} (see {path}.txt)", err=True)
    if batch.report.not_recomputed:
        not_recomputed(batch.report.not_recomputed, "The files are imported, but")
    if batch.refresh:
        click.echo(batch.refresh)


@cli.command(context_settings=CONTEXT)
@click.argument("inbox", type=click.Path(path_type=Path, file_okay=False))
@click.option("--once", is_flag=True, help="Process what is there now, then exit.")
@click.option(
    "--interval",
    type=click.FloatRange(0.0, 3600.0),
    default=5.0,
    show_default=True,
    help="Seconds between scans; a file unchanged this long counts as complete.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("reports"),
    show_default=True,
    help="Report folder to refresh after each batch (once the report exists).",
)
@damaged_option
@click.pass_context
def watch(
    ctx: click.Context, inbox: Path, once: bool, interval: float, out: Path, damaged: str
) -> None:
    """Import files dropped into INBOX once they stop growing.

    Imported files move to INBOX/imported/, failed ones to INBOX/failed/ with <name>.txt
    saying why. Only .fit, .gpx, .tcx, .zip and .gz files at the top of INBOX are read;
    sub-folders and other files are left where they are. Exit code 1 with --once if any
    file failed.

    \b
    Example:
      analyzer watch ~/Exports --interval 10
      analyzer watch ~/Exports --once
      analyzer watch ~/Exports --damaged strict
    """
    from analyzer import pipeline

    store = open_store(ctx)

    with library_errors():
        from analyzer.report.build import claim_folder

        if inbox.is_dir():  # a folder for another store's pages: say so before importing
            claim_folder(store, out, mark=False)
        if not once:
            click.echo(f"Watching {inbox} every {interval:g} s; Ctrl-C to stop.", err=True)
        try:
            batches = pipeline.watch_inbox(
                inbox,
                store,
                out,
                once=once,
                interval_s=interval,
                on_batch=show_watch_batch,
                damaged=damaged,
            )
        except KeyboardInterrupt:
            return
    if once and not batches:
        click.echo("Nothing to import.")
    if any(b.failed or b.report.not_recomputed for b in batches):
        ctx.exit(1)


@cli.command(context_settings=CONTEXT)
@click.option(
    "--week",
    default=None,
    metavar="YYYY-Www",
    callback=iso_week,
    help="One ISO week, e.g. 2026-W47.",
)
@click.option(
    "--last",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="The last N weeks with data.",
)
@click.option(
    "--all",
    "all_weeks",
    is_flag=True,
    help="Every week with data: a run, a check-in, heel drops or a VISA-A (the default).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("reports"),
    show_default=True,
    help="Folder for YYYY-Www.html, index.html and assets/.",
)
@click.pass_context
def report(
    ctx: click.Context, week: str | None, last: int | None, all_weeks: bool, out: Path
) -> None:
    """Write weekly HTML reports and an index with each week's traffic light.

    Only running counts (the file's sport, or for files without one, speeds a runner can
    reach); each page lists the rides and other activities it left out.

    \b
    Example:
      analyzer report --week 2026-W47
      analyzer report --last 4 --out ~/reports
      analyzer report --all
    """
    from analyzer.report.build import build_from_store

    if sum(x is not None and x is not False for x in (week, last, all_weeks or None)) > 1:
        raise click.UsageError("give one of --week, --last and --all")
    from analyzer.pipeline import refresh_summaries

    store = open_store(ctx, existing=True)
    with library_errors():
        # summaries left stale (an upgrade's newer analysis, an interrupted reread) are
        # brought up to date from their streams first, so no page shows an old figure
        progress = RecomputeLine()
        try:
            stale = refresh_summaries(store, store.settings(), progress=progress)
        finally:
            progress.close()
        written = build_from_store(store, out, week=week, last=last)
    weeks = [p for p in written if p.name not in ("index.html", "hills.html")]
    if len(written) <= MAX_LISTED:
        for path in written:
            click.echo(str(path))
    else:  # --all over years of history: one line, not hundreds
        others = ", ".join(p.name for p in written if p not in weeks)
        click.echo(
            f"Wrote {len(weeks)} weekly pages ({weeks[0].stem} to {weeks[-1].stem}) and "
            f"{others} to {out}; open {out / 'index.html'}"
        )
    if stale.failed:  # the pages are written, those runs with their old figures: say so
        not_recomputed(stale.failed, "The pages are written, but")
        ctx.exit(1)


# --- maintenance: doctor and backup ----------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.option(
    "--repair",
    is_flag=True,
    help="Fix what can be fixed: delete orphan and temp files, remove activities whose "
    "stream is gone (re-import their files). Symptom logs are never touched.",
)
@json_option
@click.pass_context
def doctor(ctx: click.Context, repair: bool, as_json: bool) -> None:
    """Check the catalog against the streams, and repair it with --repair.

    Checks SQLite's integrity and foreign keys, the schema version, activities whose stream
    is missing or unreadable, stream files no activity refers to, and temp files left by a
    crash. Exit code 1 while a problem remains.

    \b
    Example:
      analyzer doctor
      analyzer doctor --repair
    """
    from analyzer.store import maintenance

    store = open_store(ctx, existing=True)
    with library_errors():
        report = maintenance.doctor(store, repair=repair)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(f"checked {report.activities} activities and {report.streams} stream files")
        for f in report.findings:
            state = "repaired" if f.repaired else ("repairable" if f.repairable else "problem")
            click.echo(f"{state}: {f.message}")
        if not report.findings:
            click.echo("ok: the catalog and the streams agree")
        elif report.remaining and any(f.repairable for f in report.remaining):
            click.echo("run 'analyzer doctor --repair' to fix what can be fixed", err=True)
    if report.remaining:
        ctx.exit(1)


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@force_option
@click.pass_context
def backup(ctx: click.Context, file: Path, force: bool) -> None:
    """Write a consistent copy of the store to FILE, a .zip, while other commands run.

    The zip holds catalog.sqlite (a snapshot: every table, the symptom logs included),
    streams/ with the stream of every activity in that snapshot, and MANIFEST.json.
    To restore, unzip it into an empty folder and use that folder as --data-dir.
    FILE without a suffix gets .zip added; a name of another archive format (x.tar,
    x.tar.gz) is refused, since the copy is a zip whatever its name.

    \b
    Example:
      analyzer backup ~/analyzer-2026-11-20.zip
      unzip ~/analyzer-2026-11-20.zip -d ~/analyzer-restored
      analyzer --data-dir ~/analyzer-restored doctor
    """
    from analyzer.store import maintenance

    file = _zip_name(file)
    store = open_store(ctx, existing=True)
    with library_errors():
        done = maintenance.backup(store, file, overwrite=force)
    click.echo(
        f"Wrote {done.path}: {done.activities} activities, {done.streams} streams, "
        f"{done.checkins} check-ins, {done.heel_drops} heel-drop sessions, "
        f"{done.visa_a} VISA-A results, {done.bytes / 1e6:.1f} MB"
    )
    if done.missing:
        click.echo(
            f"{len(done.missing)} activities had no stream to copy; run 'analyzer doctor'",
            err=True,
        )
        ctx.exit(1)


def _zip_name(file: Path) -> Path:
    """``FILE`` of ``backup``: ``.zip`` added where the name has no suffix (a numeric one,
    ``2026.11.20``, is no suffix); a usage error where its suffix names another archive
    format (``.tar``, ``.gz``...), rather than a zip under a name that says otherwise.
    Other names (``store.bak``) are kept as given."""
    suffix = file.suffix.lower()
    if suffix in OTHER_ARCHIVES:
        stem = file.name
        while Path(stem).suffix.lower() in OTHER_ARCHIVES:
            stem = Path(stem).stem
        raise click.BadParameter(
            f"{str(file)!r}: a backup is a .zip archive, not {file.name[len(stem) :]}; name "
            f"it {file.with_name(stem + '.zip')}",
            param_hint="FILE",
        )
    if not suffix or suffix[1:].isdigit():
        return file.with_name(file.name + ".zip")
    return file


OTHER_ARCHIVES = frozenset({".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar"})


# --- recurring hills and routes --------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.option(
    "--route", default=None, metavar="NAME", help="Only this route (an id like R2, or a name)."
)
@json_option
@click.option(
    "--gpx",
    "gpx_file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=None,
    help="Write a GPX 1.1 file: a waypoint at the foot of each flagged hill (with --route, "
    "the route as a track too).",
)
@click.option("--force", is_flag=True, help="Overwrite the --gpx file if it exists.")
@click.option(
    "--rename",
    nargs=2,
    type=str,
    default=None,
    metavar="ID NAME",
    help="Name a hill (H2) or route (R1); an empty NAME restores the generated one.",
)
@units_option
@click.pass_context
def hills(
    ctx: click.Context,
    route: str | None,
    as_json: bool,
    gpx_file: Path | None,
    rename: tuple[str, str] | None,
    units: str | None,
    force: bool,
) -> None:
    """The hills of your runs, flagged "walk" first, then by score; and your routes.

    \b
    Example:
      analyzer hills
      analyzer hills --rename R1 "Church hill loop"
      analyzer hills --route R1 --gpx church.gpx
      analyzer hills --json | jq '.hills[] | select(.flagged) | .name'
    """
    from analyzer import textout
    from analyzer.hills.export import gpx_document
    from analyzer.hills.overview import hill_key, overview_json, parse_key, route_key
    from analyzer.store import hills_store
    from analyzer.weekly.hills import load_overview

    if as_json and gpx_file is not None and str(gpx_file) == "-":
        raise click.UsageError("--json and --gpx - both write to standard output; pick one")
    if gpx_file is not None and str(gpx_file) != "-" and gpx_file.exists() and not force:
        raise click.ClickException(f"{gpx_file} exists; --force replaces it")  # before a rename
    store = open_store(ctx, existing=True)
    with library_errors():
        settings = store.settings()
        shown = units or settings.units
        overview = load_overview(store, settings.with_changes(units=shown))
        if rename is not None:
            # the ids exist once an overview has been saved: rename after it, then redo
            kind, ident = parse_key(rename[0])
            hills_store.rename(store, kind, ident, rename[1])
            overview = load_overview(store, settings.with_changes(units=shown))
            key = hill_key(ident) if kind == "hill" else route_key(ident)
            name = rename[1].strip()
            said = f"{key} is now named {name!r}" if name else f"{key} has its own name back"
            click.echo(f"{said}.", err=True)
            if kind == "route" and name:
                same = [r.route_id for r in overview.routes if r.name.casefold() == name.casefold()]
                if len(same) > 1:
                    ids = [route_key(i) for i in same]
                    said = ", ".join(ids[:-1]) + " and " + ids[-1]
                    every = "both" if len(ids) == 2 else "all"
                    click.echo(
                        f"Note: {said} are {every} named {name!r}; pick them by id.", err=True
                    )
        chosen = overview.find_route(route) if route else None
    if gpx_file is not None:
        picked = overview.for_route(chosen) if chosen else overview.hills
        _write_output(gpx_file, gpx_document(picked, shown, chosen), force)
    data = overview_json(overview, chosen)
    if as_json:
        click.echo(json.dumps(data, indent=2, allow_nan=False))
    elif gpx_file is None and rename is None:  # a rename or an export says what it did
        click.echo(textout.hills_report(data, shown, table_width()))


def main() -> None:
    """Console entry point."""
    cli.main(prog_name="analyzer", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    main()
