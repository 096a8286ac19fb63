"""Where the default theme lives, and how a site's own files override it.

In a checkout the default theme is the repository's top-level ``templates/`` and
``static/``; in an installed wheel the same folders ship as ``brief/_theme/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def theme_dir() -> Path:
    """Folder holding the default ``templates/`` and ``static/``."""
    packaged = _PACKAGE / "_theme"
    if (packaged / "templates").is_dir():
        return packaged
    return _PACKAGE.parent


def theme_static_dirs() -> list[Path]:
    return [theme_dir() / "static"]


def theme_templates_dir() -> Path:
    return theme_dir() / "templates"
