"""The ``brief`` command. Thin: parse options, call one function, report.

Every user-facing failure is a :class:`~brief.errors.BriefError`, which click
prints as ``Error: …`` with exit code 1; tracebacks only with ``-v``.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from brief import __version__
from brief.commands.migrate import import_command
from brief.commands.newsletter import newsletter_command
from brief.commands.options import (
    IsoDate,
    base_url_option,
    base_url_source,
    named,
    setup_logging,
    site_option,
    verbosity,
)
from brief.commands.schedule import next_change_line, schedule_command
from brief.errors import BriefError, BuildFailed, Problem
from brief.excerpts import excerpted
from brief.interrupts import interrupted, left_behind

if TYPE_CHECKING:  # (imported by the commands that need them)
    from brief.commands.build import Outcome
    from brief.config import Config

log = logging.getLogger("brief")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brief")
def cli() -> None:
    """brief: a static-site generator for news-brief publications."""


cli.add_command(import_command)
cli.add_command(newsletter_command)
cli.add_command(schedule_command)


@cli.command()
@site_option
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=None, help="Output folder  [default: SITE/public]"
)
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--future", is_flag=True, help="Include articles dated in the future.")
@base_url_option("Override base_url from brief.toml (e.g. for a preview host).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to render pages with  [default: every core when the site has 2,000 pages or more]",
)
@click.option("--no-cache", is_flag=True, help="Ignore the build cache (.brief-cache/) and build everything afresh.")
@click.option(
    "--no-link-check", is_flag=True, help="Publish even when links in articles lead to no page or file of the site."
)
@verbosity
def build(
    site_dir: Path,
    output: Path | None,
    drafts: bool,
    future: bool,
    base_url: str | None,
    jobs: int | None,
    no_cache: bool,
    no_link_check: bool,
    quiet: bool,
    verbose: int,
) -> None:
    """Build the site into the output folder.

    The previous output is replaced only when the whole build succeeded.
    """
    from brief.commands.build import build_site
    from brief.commands.progress import Progress
    from brief.config import load_config

    setup_logging(quiet, verbose)
    try:
        config = load_config(site_dir)
    except BuildFailed as exc:
        raise excerpted(exc, None if quiet else site_dir) from None
    if base_url:
        try:
            config = config.with_base_url(base_url)
        except BuildFailed as exc:
            raise BuildFailed(named(exc.problems, base_url_source()), "configuration") from None
    # --output is relative to the current folder, like every path on a command line.
    out = output.absolute() if output is not None else config.root / "public"
    progress = Progress.for_terminal(quiet)

    shown: list[Problem] = []

    def warn(problem: Problem) -> None:
        if progress is not None:
            progress.close()  # a message starts on a clean line
        shown.append(problem)
        log.warning(problem.format())

    gc.disable()  # to the end (_end_now): no collector pass over all the build left (10,000 articles: 0.2 s)
    try:
        outcome = build_site(
            config,
            out,
            drafts=drafts,
            future=future,
            jobs=jobs,
            use_cache=not no_cache,
            link_check=not no_link_check,
            progress=progress,
            on_warning=warn,
        )
    except BuildFailed as exc:  # the warnings already printed are counted, not printed twice
        raise excerpted(exc.without(shown), None if quiet else config.root) from None
    finally:
        if progress is not None:
            progress.close()
    if not quiet:
        _print_outcome(outcome, out, config)
    _end_now()


def _print_outcome(outcome: Outcome, out: Path, config: Config) -> None:
    """What ``brief build`` tells after a build (or after finding the output up to date)."""
    result = outcome.result
    if result is None:
        click.echo(
            f"Up to date: nothing changed since the last build ({outcome.unchanged} files, "
            f"checked in {outcome.checked_in:.2f} s) → {_shown(out)}"
        )
        if outcome.next_changes is not None:
            click.echo(next_change_line(outcome.next_changes, config.tz))
        return
    for moved in result.redirects:  # an article's URL changed: its old one now redirects
        click.echo(moved.describe())
    s = "" if result.articles == 1 else "s"
    unchanged = f" ({result.reused} unchanged)" if result.reused else ""
    expired = f" ({result.expired} expired, left out)" if result.expired else ""
    click.echo(
        f"Built {result.articles} article{s}{expired}, {result.pages} pages, {result.files} files{unchanged} "
        f"in {result.elapsed:.2f} s → {_shown(out)}"
    )
    click.echo(next_change_line(outcome.next_changes or [], config.tz))


def _end_now() -> NoReturn:
    """End a command that succeeded as Python would (threads waited for, exit functions run,
    output flushed), without taking apart its heap object by object first (10,000 articles:
    0.13 s after the last line). Everything brief writes is closed and in place by then."""
    import atexit
    import os
    import threading

    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_functions is None:  # (not CPython's atexit: a normal exit)
        sys.exit(0)
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    run_exit_functions()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away (brief build | head)
            stream.flush()
    os._exit(0)


@cli.command()
@site_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for GitHub Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Count warnings as errors (exit code 1).")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--future", is_flag=True, help="Include articles dated in the future.")
@base_url_option("Override base_url from brief.toml.")
@verbosity
def check(
    site_dir: Path, fmt: str, strict: bool, drafts: bool, future: bool, base_url: str | None, quiet: bool, verbose: int
) -> None:
    """Check the site without writing it: everything a build validates, plus internal
    links, anchors and images in every page, articles no link leads to, and editorial
    warnings. Exit code 1 when there are errors (or warnings, with --strict)."""
    from brief.commands.check import check_site
    from brief.commands.report import report

    setup_logging(True if fmt != "text" else quiet, verbose)
    result = check_site(site_dir, drafts=drafts, future=future, base_url=base_url)
    if base_url:
        result.problems[:] = named(result.problems, base_url_source())
    text, code = report(result, fmt, strict, root=None if quiet else site_dir)
    if not (quiet and code == 0):
        click.echo(text, nl=False)
    sys.exit(code)


@cli.command()
@site_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 exposes the preview to your network.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests for this Host (NAME, NAME:PORT or *.DOMAIN), e.g. a tunnel's; repeatable.",
)
@click.option("--no-drafts", is_flag=True, help="Leave out drafts and scheduled articles, as 'brief build' does.")
@click.option("--future", is_flag=True, help="With --no-drafts, still show the articles dated in the future.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
@verbosity
def serve(
    site_dir: Path,
    port: int,
    host: str,
    allow_hosts: tuple[str, ...],
    no_drafts: bool,
    future: bool,
    open_browser: bool,
    quiet: bool,
    verbose: int,
) -> None:
    """Preview the site with live reload while you write.

    Builds in memory (never into public/), rebuilds when content/, templates/,
    static/ or brief.toml change, and reloads open pages; problems show in the
    terminal and over the page.
    """
    import threading
    import webbrowser

    from brief.serve.server import serve as run_server

    setup_logging(quiet, verbose)
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("Warning: listening on %s makes the preview (drafts included) reachable from other machines", host)

    def opened(url: str) -> None:
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    try:
        # SIGTERM (a service manager, `kill`, a shell that ignores Ctrl-C in the background)
        # stops the preview the way Ctrl-C does: its threads end and its sockets close.
        signal.signal(signal.SIGTERM, _interrupt)
        drafts = not no_drafts  # scheduled articles are kept with drafts, and with --future
        run_server(
            site_dir,
            host=host,
            port=port,
            drafts=drafts,
            future=drafts or future,
            allow_hosts=allow_hosts,
            terse=quiet,
            on_ready=opened,
        )
    except BuildFailed as exc:  # brief.toml has errors: the preview does not start
        raise excerpted(exc, None if quiet else site_dir) from None
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)


@cli.command()
@click.argument("slug")
@site_option
@click.option("-n", "--limit", default=10, show_default=True, help="Candidates to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools.")
@click.option("--drafts", is_flag=True, help="Consider drafts too, as 'build --drafts' does.")
@click.option("--future", is_flag=True, help="Consider articles dated in the future too.")
def related(slug: str, site_dir: Path, limit: int, as_json: bool, drafts: bool, future: bool) -> None:
    """Explain the related-article suggestions for the article SLUG.

    Lists the best candidates with their total score and what each signal
    (shared tags, shared key terms, same section, freshness) contributed;
    tune the weights under [related] in brief.toml.
    """
    import json

    from brief.commands.related import explain_related, report_text
    from brief.config import load_config

    config = load_config(site_dir)
    report = explain_related(config, slug, drafts=drafts, future=future, limit=limit)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(report_text(report))


@cli.command()
@click.argument("title")
@click.option("--section", default=None, help="Section of the new article.  [default: News]")
@click.option("--slug", default=None, help="File name and URL slug  [default: from the title]")
@click.option("--draft", is_flag=True, help="Write draft: true (left out of builds until you change it).")
@click.option("--date", type=IsoDate(), help="Publication date, e.g. 2026-10-03 or 2026-10-03T08:30  [default: now]")
@click.option("--updated", type=IsoDate(), help="Also write updated: with this date (written as --date is).")
@site_option
def new(title: str, site_dir: Path, **options: Any) -> None:
    """Write a new article with every field filled with an example value
    (brief check warns about each example left in, as placeholder-text)."""
    from brief.commands.scaffold import new_article
    from brief.config import load_config

    path = new_article(load_config(site_dir), title, **options)  # --section, --slug, --draft, --date, --updated
    click.echo(f"Created {_shown(path)}")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="My Brief", show_default=True, help="Name of the publication.")
def init(directory: Path, title: str) -> None:
    """Create a new publication in DIRECTORY: config, templates, static files and an example article."""
    from brief.commands.scaffold import init_site

    init_site(directory, title)
    click.echo(f"Created a new publication in {_shown(directory)}\nNext: cd {directory} && brief build")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def _stopped_by_ctrl_c() -> NoReturn:
    """Ctrl-C ends every command with one line: which site is in place (what the swap recorded,
    not a guess), or what a command that writes as it goes (brief import) wrote."""
    from brief.output.outdir import swapped_outputs

    placed, said = swapped_outputs(), left_behind()
    if said:
        click.echo(said, err=True)
    elif placed:
        where = ", ".join(_shown(path) for path in placed)
        click.echo(f"Interrupted after the new site was put in place: {where} holds the new build.", err=True)
    else:
        click.echo("Interrupted; the previous output is unchanged.", err=True)
    sys.exit(130)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _stopped_by_ctrl_c()
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug in brief, not a problem with the user's files
        if interrupted(exc):  # Ctrl-C during a lazy import, wrapped by Python (see brief.launch)
            _stopped_by_ctrl_c()
        if any(arg in ("-v", "-vv", "--verbose") for arg in sys.argv[1:]):
            raise
        command = " ".join(["brief", *sys.argv[1:]])
        click.echo(
            f"Error: internal error: {type(exc).__name__}: {exc}\n"
            f"This is a bug in brief {__version__} (Python {sys.version.split()[0]}), not a problem with your files.\n"
            f"Run again with -v for the traceback, and please report it with the command ({command}), "
            "the traceback and brief --version.",
            err=True,
        )
        sys.exit(70)  # EX_SOFTWARE: distinguishes a bug from a problem with the input (1)


__all__ = ["cli", "main", "BriefError"]
