"""``brief newsletter``: an email edition of the newest briefs (the work is brief.commands.edition's).

The click command lives here, not in brief.cli, which only registers it. It writes the
edition's three files into ``--out``, each atomically (a temporary file, then a rename),
so a sending job never picks up half a file.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import click

from brief.commands.options import (
    IsoDate,
    base_url_option,
    base_url_source,
    named,
    setup_logging,
    site_option,
    verbosity,
)
from brief.errors import BriefError, BuildFailed

log = logging.getLogger("brief")

FILES = ("newsletter.html", "newsletter.txt", "newsletter.json")
"""What ``--out`` receives: the HTML part, the plain-text part, the edition as JSON."""


@click.command("newsletter")
@site_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write newsletter.html, newsletter.txt and newsletter.json into (made if missing).",
)
@click.option(
    "--since",
    type=IsoDate(),
    default=None,
    help="Briefs published on or after this date or time, e.g. 2026-11-26 or 2026-11-26T08:00  [default: the last 7 days]",
)
@click.option("--last", type=click.IntRange(min=1), default=None, metavar="N", help="The N newest briefs instead.")
@click.option("--section", default=None, metavar="S", help="Only briefs of this section (its name or slug).")
@click.option("--subject", default=None, help="Subject line instead of [newsletter] subject (same placeholders).")
@click.option("--intro", default=None, help="A paragraph under the edition's name instead of [newsletter] intro.")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true (to preview an edition).")
@click.option("--future", is_flag=True, help="Include articles dated in the future.")
@base_url_option("Override base_url from brief.toml (the address every link leads to).")
@verbosity
def newsletter_command(
    site_dir: Path,
    out_dir: Path,
    since: str | None,
    last: int | None,
    section: str | None,
    subject: str | None,
    intro: str | None,
    drafts: bool,
    future: bool,
    base_url: str | None,
    quiet: bool,
    verbose: int,
) -> None:
    """Write an email edition of the newest briefs into --out: newsletter.html (for mail
    clients: tables, inline styles, under 100 KB), newsletter.txt (the plain-text part) and
    newsletter.json (subject, preheader, every brief and link) for any sending service.

    \b
    Example:
      brief newsletter --since 2026-11-26 --out edition/
      brief newsletter --last 5 --section Climate --out edition/
    """
    from brief.commands.edition import Request, make_edition
    from brief.config import load_config
    from brief.excerpts import excerpted
    from brief.newsletter_settings import SUBJECT_FIELDS, placeholder_problem

    if since is not None and last is not None:
        raise click.UsageError("--since and --last cannot be used together: choose one")
    if subject is not None and (problem := placeholder_problem(subject, SUBJECT_FIELDS)):
        raise click.BadParameter(problem, param_hint="'--subject'")
    setup_logging(quiet, verbose)
    try:
        config = load_config(site_dir)
        if base_url:
            try:
                config = config.with_base_url(base_url)
            except BuildFailed as exc:
                raise BuildFailed(named(exc.problems, base_url_source()), "configuration") from None
        request = Request(since, last, section, subject, intro, drafts, future)
        edition = make_edition(config, request)
    except BuildFailed as exc:
        raise excerpted(exc, None if quiet else site_dir) from None
    for warning in edition.warnings:
        log.warning("Warning: %s", warning)
    parts = (edition.html, edition.text, json.dumps(edition.data, ensure_ascii=False, indent=2) + "\n")
    _write(out_dir, dict(zip(FILES, parts)))
    if not quiet:
        s = "" if len(edition.items) == 1 else "s"
        click.echo(f"Subject: {edition.data['subject']}")
        click.echo(
            f"Wrote {len(edition.items)} brief{s} ({edition.size / 1000:.1f} KB of HTML) → "
            f"{out_dir / FILES[0]}, {FILES[1]}, {FILES[2]}"
        )


def _write(folder: Path, files: dict[str, str]) -> None:
    """Each file into ``folder`` (made if missing) through a temporary file and a rename."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            tmp = folder / f".{name}.{os.getpid()}.tmp"  # opened as any new file is: the umask's mode
            try:
                with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
                os.replace(tmp, folder / name)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
    except OSError as exc:
        raise BriefError(f"cannot write the edition into {folder}: {exc.strerror or exc}") from None
