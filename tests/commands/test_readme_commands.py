"""README › Command line names every option of every command (a flag added to the CLI and not
to the summary fails here), and Getting started says how to run the command make installs."""

from __future__ import annotations

import re

import click
from helpers import REPO

from brief.cli import cli as main

README = (REPO / "README.md").read_text(encoding="utf-8")


def _summary() -> dict[str, str]:
    block = README.split("## Command line", 1)[1].split("```", 2)[1]
    return {m.group(1): m.group(0) for m in re.finditer(r"^brief (\w+) .*$", block, re.M)}


def test_the_command_summary_lists_every_option_of_every_command():
    lines = _summary()
    missing = []
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        if command.hidden:
            continue
        line = lines.get(name)
        if line is None:
            missing.append(f"brief {name}: no line")
            continue
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden or param.name == "help":
                continue
            flags = param.opts + param.secondary_opts  # one spelling of a flag is enough (-q for --quiet)
            if not any(re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", line) for flag in flags):
                missing.append(f"brief {name}: {'/'.join(flags)}")
    assert missing == []


def test_getting_started_says_where_the_command_is():
    start = README.split("## Getting started", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/brief" in start and ". .venv/bin/activate" in start
