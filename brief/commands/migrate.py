"""``brief import``: another generator's archive into a brief site (the work is brief.migrate's).

The click command lives here, not in brief.cli, which only registers it; the importers
and their libraries are loaded when the command runs, so other commands start as fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

SOURCE_KINDS = ("hugo", "jekyll", "wordpress", "feed")


@click.command("import")
@click.argument("kind", type=click.Choice(SOURCE_KINDS))
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The brief site to import into (a new or an existing folder).",
)
@click.option(
    "--map",
    "map_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A TOML file of replacements for the site's own shortcodes and includes (see README › Migrating).",
)
@click.option(
    "--uploads",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="wordpress: the site's wp-content/uploads folder, so that images are copied rather than left on the old host.",
)
@click.option("--overwrite", is_flag=True, help="Replace files that exist (by default an existing file is kept).")
@click.option("--dry-run", is_flag=True, help="Write nothing; print the report.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (import-report.json is written too).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", count=True, help="Print more (the whole report).")
def import_command(
    kind: str,
    source: Path,
    into: Path,
    map_file: Path | None,
    uploads: Path | None,
    overwrite: bool,
    dry_run: bool,
    as_json: bool,
    quiet: bool,
    verbose: int,
) -> None:
    """Import a Hugo site (folder), a Jekyll site (folder), a WordPress export (WXR file)
    or an RSS/Atom feed (file) into the brief site at --into, keeping every URL the source
    published (as an alias or a redirect) and writing import-report.md and source-urls.txt there.

    \b
    Example:
      brief import jekyll ../old-blog --into newsroom
      brief import wordpress export.xml --uploads wp-content/uploads --into newsroom
    """
    from brief.commands.progress import Progress
    from brief.migrate.run import Options, run

    if uploads is not None and kind != "wordpress":
        raise click.UsageError("--uploads is for a wordpress import only")
    progress = Progress.for_terminal(quiet or as_json)
    options = Options(kind, source, into, map_file, overwrite, dry_run, uploads)
    try:
        outcome = run(options, progress or (lambda stage, done, total: None))
    finally:
        if progress is not None:
            progress.close()
    if as_json:
        click.echo(json.dumps(outcome.report.as_json() | {"summary": outcome.summary}, ensure_ascii=False, indent=1))
        return
    if quiet:
        return
    if dry_run or verbose:
        click.echo(outcome.text)
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {outcome.summary[0]}", err=False)
    for line in outcome.summary[1:]:
        click.echo(f"  {line}")
    if not dry_run:
        click.echo(f"Report: {into / 'import-report.md'}. Next: brief build -s {into}")
    sys.stdout.flush()
