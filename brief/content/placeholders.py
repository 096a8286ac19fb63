"""The example text ``brief new`` and ``brief init`` write (brief.commands.scaffold)."""

from __future__ import annotations

NEW = "brief new"
INIT = "brief init"

IMAGE = "/images/placeholder.svg"
"""The theme's stand-in hero image ("Replace with your hero image")."""
DEK = "One or two sentences that tell the reader why this matters; also the page's meta description."
TAG = "Example Tag"
ALT = "Describe what the image shows for readers who cannot see it"
CAPTION = "What the image shows, in one sentence."
CREDIT = "Photo: Photographer / Agency"
TAKEAWAYS = (
    "The single most important fact, in one sentence.",
    "Why it matters to the reader.",
    "What happens next.",
)
ANALYSIS = "The editor's view: what this changes, who gains, who loses, and what to watch."
RELATED = {"title": "Background reading", "url": "https://example.org/"}
CANONICAL = "https://example.org/first-published-here/"
ALIAS = "/2019/05/old-title/"
"""Examples in the commented-out fields, for when they are uncommented and left as they are."""

ARTICLE_BODY = """\
Open with the news in one paragraph: what happened, where, and why it matters now.

## Background

Give the reader the context they need. Link to earlier coverage by its file
name, e.g. `[our earlier brief](other-article.md)`, and brief turns it into the
article's address.

## What comes next

Close with what to watch for, and when.
"""

ABOUT_BODY = """\
A standalone page: it lives in `content/pages/`, is published at `/about/` and is linked
from the menu in `brief.toml`. Pages have no date, byline, section or tags, and stay out of
the feeds and the front page.

## What we cover

Say in a few sentences what the publication writes about, and for whom.

## Contact

Tell readers how to reach the newsroom, send a tip or ask for a correction.
"""
