"""What rendering one Markdown fragment collects: problems, ids, files and dependencies."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from brief.errors import Problem
from brief.media.images import ImageUse

# Ids the theme uses start with "brief-"; ids made from headings never do.
RESERVED_ID_PREFIX = "brief-"
HEADING_ID_PREFIX = "h-"
"""Every heading's id starts with it: an id made from any heading text ("location", "config",
"pagefind") can then never stand for a global name that a script on the page looks up."""


# Ids of footnotes and their back-references: fn1, fnref1, fn-analysis-1, fnref-analysis-1:2.
FOOTNOTE_ID = re.compile(r"fn(ref)?[-\d]")


@dataclass
class PageEnv:
    """State shared by every Markdown fragment of one page (body, takeaways, analysis)."""

    source: Path
    """Article file; relative ``.md`` links and image paths are resolved from its folder."""
    relpath: str
    url_path: str = "/"
    """Site path of the article's page (without base path); its images are copied there."""
    ids: set[str] = field(default_factory=set)
    """Heading ids used so far on the page, so two fragments never repeat one."""
    problems: list[Problem] = field(default_factory=list)
    assets: dict[str, Path] = field(default_factory=dict)
    """Files next to the article that the page shows, by output path, to be copied."""
    deps: dict[tuple[str, str], object] = field(default_factory=dict)
    """What the HTML depended on outside the text: ("link", target) → what the target was
    (see :meth:`Renderer.link_state`), ("file", path) → the file's stamp or None."""
    images: list[ImageUse] = field(default_factory=list)
    """Local raster images the page shows, whose copies the build's image stage makes."""

    def add_asset(self, source: Path) -> str:
        """Register a file to copy into the article's folder; returns its site path."""
        folder = self.url_path.strip("/")
        name = source.name
        output = f"{folder}/{name}" if folder else name
        if self.assets.get(output, source) != source:  # two different files with one name
            stem, dot, ext = name.rpartition(".")
            digest = hashlib.sha1(str(source).encode()).hexdigest()[:8]
            name = f"{stem}-{digest}{dot}{ext}" if dot else f"{name}-{digest}"
            output = f"{folder}/{name}" if folder else name
        self.assets[output] = source
        return "/" + output
