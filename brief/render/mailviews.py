"""The newsletter's template contract: what ``templates/newsletter/`` sees (docs/themes.md ›
Newsletter templates). Made by :mod:`brief.commands.edition` from a build's views; never part
of a page, so not of :data:`brief.render.contract.CONTRACT` (page keys)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup


@dataclass(frozen=True, slots=True)
class MailImage:
    """An image in the newsletter: a PNG or JPEG copy the build published, at most 600 px wide."""

    url: str
    """Absolute URL."""
    width: int
    height: int
    alt: str


@dataclass(frozen=True, slots=True)
class NewsletterItem:
    """One brief of the newsletter (``templates/newsletter/``), every URL absolute."""

    slug: str
    title: str
    dek: str | None
    section: str
    date: datetime
    """In the site's time zone."""
    url: str
    """The article's page, absolute, with the edition's UTM parameters."""
    takeaways: tuple[Markup, ...]
    """The first ``max_takeaways`` key takeaways, inline HTML with absolute links (no images)."""
    takeaways_text: tuple[str, ...]
    """The same as plain text, for ``edition.txt``."""
    image: MailImage | None = None
    """The lead brief's image (its first item only), when the build made a PNG or JPEG copy."""


@dataclass(frozen=True, slots=True)
class EditionView:
    """The newsletter edition as a whole (``edition`` in ``templates/newsletter/``)."""

    title: str
    """The edition's name (``[newsletter] title``, or the site title)."""
    subject: str
    preheader: str
    """The line inbox lists show after the subject (the intro, or the lead's dek), plain text."""
    intro: str | None
    footer: str | None
    date: datetime
    """When the edition was made, in the site's time zone."""
    language: str
    publisher_name: str
    site_url: str
    """The site's front page, absolute, with the UTM parameters."""
    site_host: str
    """The site's host name, as the footer shows it (``meridian.example.org``)."""
    section: str | None
    """The section the edition is limited to (``--section``), or None."""
    unsubscribe_url: str | None
    """``[newsletter] unsubscribe_url`` as given (a sending service's merge tag), or None."""
    count: int
