"""Options several commands share (``--site``, ``--base-url``, ``-q``/``-v``, dates), and the
logging that ``-q`` and ``-v`` set up."""

from __future__ import annotations

import dataclasses
import logging
import sys
from datetime import UTC
from pathlib import Path

import click

from brief.errors import Problem

site_option = click.option(
    "-s",
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Site folder (holding brief.toml and content/).",
)

BASE_URL_ENV = "BRIEF_BASE_URL"


def base_url_option(help: str):
    """``--base-url``, also read from BRIEF_BASE_URL (for CI); the flag wins, an empty variable counts as unset."""
    return click.option("--base-url", envvar=BASE_URL_ENV, show_envvar=True, default=None, help=help)


def base_url_source() -> str:
    """Where --base-url's value came from, as a message names it: the flag or the environment variable."""
    source = click.get_current_context().get_parameter_source("base_url")
    return BASE_URL_ENV if source == click.core.ParameterSource.ENVIRONMENT else "--base-url"


def named(problems: list[Problem], source: str) -> list[Problem]:
    """Problems of the --base-url value relabelled with ``source`` (BRIEF_BASE_URL when it came from there)."""
    return [dataclasses.replace(p, path=source) if p.path == "--base-url" else p for p in problems]


def verbosity(func):
    func = click.option("-q", "--quiet", is_flag=True, help="Print errors only.")(func)
    func = click.option("-v", "--verbose", count=True, help="Print more: stage timings; -vv for debug output.")(func)
    return func


def setup_logging(quiet: bool, verbose: int) -> None:
    level = logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("brief")
    root.handlers[:] = [handler]
    root.setLevel(level)


class IsoDate(click.ParamType):
    """An ISO 8601 date or date-time, checked as front matter's ``date:`` is; kept as text."""

    name = "date"

    def convert(self, value, param, ctx):
        from brief.content.dates import parse_datetime

        try:
            parse_datetime(value, UTC)
        except ValueError as exc:  # every message ends with what was expected
            hint = "" if "expected" in str(exc) else " (expected a date such as 2026-10-03 or 2026-10-03T08:30)"
            self.fail(f"{exc}{hint}", param, ctx)
        return value.strip()
