"""``brief newsletter``'s edition: the newest briefs as an email (an HTML and a plain-text
part) and as JSON, for any sending service.

The site is built in memory by the build's own pipeline (:func:`brief.build.build` into a
:class:`~brief.output.writers.MemoryWriter`, as ``brief check`` does), so the edition holds
exactly the articles a build publishes (no drafts, nothing scheduled or expired unless
asked) and every link and image in it is checked against the pages and files that build
made. The parts come from the theme's ``templates/newsletter/edition.html`` and
``edition.txt`` (a site's own win), the text part through the same environment without
HTML escaping. An HTML part over :data:`SIZE_LIMIT` (Gmail clips longer messages) holds
only as many of the newest briefs as fit, with a warning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import click
import jinja2

from brief.build import BuildOptions, BuildState, build
from brief.commands.maillinks import SiteLinks, mail_html, mail_image, mail_text, unbuilt_links
from brief.config import Config
from brief.content.dates import parse_datetime
from brief.content.model import Article
from brief.errors import BriefError, BuildFailed, Problem, did_you_mean
from brief.newsletter_settings import filled
from brief.output.writers import MemoryWriter
from brief.render.links import extract
from brief.render.mailviews import EditionView, NewsletterItem
from brief.render.plans import PageSpec
from brief.render.templates import humandate, render_page
from brief.site.model import Term
from brief.slugs import slugify

log = logging.getLogger(__name__)

SIZE_LIMIT = 100_000
"""Most bytes of the HTML part: Gmail clips a message whose HTML passes about 102 KB, and a
sending service adds some (tracking links, its own footer)."""
DEFAULT_DAYS = 7
"""Without --since or --last: the briefs of the last week."""
PREHEADER_LENGTH = 140
"""Longest preheader: what inbox lists show after the subject, at most."""
TEMPLATES = ("newsletter/edition.html", "newsletter/edition.txt")


@dataclass(frozen=True)
class Request:
    """What ``brief newsletter`` was asked for."""

    since: str | None = None
    """An ISO 8601 date or date-time, read in the site's time zone; None: see ``last``."""
    last: int | None = None
    """The N newest briefs; with ``since`` None too, the last :data:`DEFAULT_DAYS` days."""
    section: str | None = None
    """A section's name or slug."""
    subject: str | None = None
    """Overrides ``[newsletter] subject``."""
    intro: str | None = None
    """Overrides ``[newsletter] intro``."""
    drafts: bool = False
    future: bool = False
    now: datetime | None = None
    """The edition's time (UTC); defaults to the current time. Tests pin it."""


@dataclass
class Edition:
    """A finished edition: its two parts, its JSON, and what was left out to fit."""

    html: str
    text: str
    data: dict[str, Any]
    items: tuple[NewsletterItem, ...]
    left_out: tuple[Article, ...] = ()
    """The oldest of the chosen briefs, left out so that the HTML part fits :data:`SIZE_LIMIT`."""
    warnings: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Bytes of the HTML part."""
        return len(self.html.encode("utf-8"))


def make_edition(config: Config, request: Request) -> Edition:
    """Build the site in memory and make the edition of the briefs ``request`` chooses.

    Raises :class:`BuildFailed` when the site does not build or a newsletter template fails,
    :class:`click.BadParameter` for an unknown ``--section``, :class:`BriefError` when
    nothing is chosen (nothing to send) or a link leads to no page of the build."""
    now = request.now or datetime.now(UTC)
    writer = MemoryWriter()
    options = BuildOptions(drafts=request.drafts, future=request.future, now=now, search=False)
    result = build(config, None, options, writer=writer)
    assert result.state is not None
    chosen, since = choose(result.state, request, now)
    day = now.astimezone(config.tz)
    links = SiteLinks(config.base_url, tuple(config.newsletter.utm(day.date())))
    items = [_item(result.state, article, links, lead=index == 0) for index, article in enumerate(chosen)]
    count, html, text = _fitting(result.state, items, request, day, links)
    edition = Edition(html, text, {}, tuple(items[:count]), tuple(chosen[count:]))
    if edition.left_out:
        edition.warnings.append(_trimmed(edition, len(chosen)))
    if urlsplit(config.base_url).hostname in ("localhost", "127.0.0.1", "::1"):
        edition.warnings.append(
            f"base_url is {config.base_url}: the edition's links lead to your own machine "
            "(set base_url in brief.toml, or pass --base-url)"
        )
    broken = unbuilt_links(html, set(writer.files), links)
    if broken:
        raise BriefError(
            "the edition links to what the build did not make (see templates/newsletter/edition.html): "
            + "; ".join(broken)
        )
    edition.data = _json(edition, _edition_view(result.state, edition.items, request, day, links), since, request)
    return edition


def choose(state: BuildState, request: Request, now: datetime) -> tuple[list[Article], datetime | None]:
    """The briefs of the edition, newest first, and the time they were chosen from (None
    with ``last``). Raises when there is none."""
    site = state.site
    articles = list(site.articles)  # what this build publishes, newest first
    where = ""
    if request.section is not None:
        section = _section(state, request.section)
        articles = [a for a in articles if slugify(a.section) == section.slug]
        where = f" in {section.name}"
    if request.last is not None:
        if not articles:
            raise BriefError(f"nothing to send: no brief published{where}")
        return articles[: request.last], None
    if request.since is not None:
        since = parse_datetime(request.since, state.config.tz)
        window = f"since {request.since}"
    else:
        since = now - timedelta(days=DEFAULT_DAYS)
        window = f"in the last {DEFAULT_DAYS} days (since {since.astimezone(state.config.tz):%Y-%m-%d %H:%M} {state.config.timezone})"
    articles = [a for a in articles if a.date >= since]
    if not articles:
        raise BriefError(
            f"nothing to send: no brief published{where} {window}; choose others with --since DATE or --last N"
        )
    return articles, since


def _section(state: BuildState, wanted: str) -> Term:
    """The section called (or slugged) ``wanted``."""
    sections = state.site.sections
    term = sections.get(slugify(wanted))
    if term is None:
        names = [t.name for t in sections.values()]
        known = f"(expected one of: {', '.join(names)})" if names else "(the site has no published brief)"
        raise click.BadParameter(
            f"no section '{wanted}' {known}{did_you_mean(wanted, names)}", param_hint="'--section'"
        )
    return term


def _item(state: BuildState, article: Article, links: SiteLinks, *, lead: bool) -> NewsletterItem:
    view = state.views[article.slug]
    takeaways = tuple(
        mail_html(t, view.canonical, links) for t in view.takeaways[: state.config.newsletter.max_takeaways]
    )
    return NewsletterItem(
        slug=view.slug,
        title=view.title,
        dek=view.dek,
        section=view.section,
        date=view.date,
        url=links.link(view.canonical),
        takeaways=takeaways,
        takeaways_text=tuple(mail_text(t) for t in takeaways),
        image=mail_image(view.image, links) if lead else None,
    )


def _edition_view(
    state: BuildState,
    items: tuple[NewsletterItem, ...] | list[NewsletterItem],
    request: Request,
    day: datetime,
    links: SiteLinks,
) -> EditionView:
    config = state.config
    options = config.newsletter
    title = options.title or config.title
    intro = (request.intro if request.intro is not None else options.intro).strip()
    lead = items[0]
    fields = {"title": title, "headline": lead.title, "date": humandate(day), "count": str(len(items))}
    subject = filled(request.subject if request.subject is not None else options.subject, fields)
    return EditionView(
        title=title,
        subject=" ".join(subject.split()),
        preheader=_shortened(intro or lead.dek or lead.title),
        intro=intro or None,
        footer=options.footer or None,
        date=day,
        language=config.language,
        publisher_name=config.publisher_name,
        site_url=links.link(config.base_url),
        site_host=urlsplit(config.base_url).netloc,
        section=lead.section if request.section is not None else None,
        unsubscribe_url=options.unsubscribe_url or None,
        count=len(items),
    )


def _fitting(
    state: BuildState, items: list[NewsletterItem], request: Request, day: datetime, links: SiteLinks
) -> tuple[int, str, str]:
    """How many of ``items`` (the newest) fit :data:`SIZE_LIMIT`, and the two parts of
    the edition holding them."""

    def html(count: int) -> str:
        return _render(state.env, TEMPLATES[0], _edition_view(state, items[:count], request, day, links), items[:count])

    count, best = len(items), html(len(items))
    if len(best.encode("utf-8")) > SIZE_LIMIT:
        fits, too_many = 0, count  # the most that fit lie in [fits, too_many)
        while too_many - fits > 1:
            middle = (fits + too_many) // 2
            if len(html(middle).encode("utf-8")) <= SIZE_LIMIT:
                fits = middle
            else:
                too_many = middle
        if fits == 0:
            raise BriefError(
                f"the edition's HTML is {len(html(1).encode('utf-8')):,} bytes with its first brief alone, "
                f"over the limit of {SIZE_LIMIT:,} (Gmail clips longer messages); shorten the intro, the footer "
                "or templates/newsletter/edition.html"
            )
        count, best = fits, html(fits)
    view = _edition_view(state, items[:count], request, day, links)
    text_env = state.env.overlay(autoescape=False)  # plain text: nothing is HTML-escaped
    return count, best, _render(text_env, TEMPLATES[1], view, items[:count])


def _render(env: jinja2.Environment, template: str, edition: EditionView, items: list[NewsletterItem]) -> str:
    """One part of the edition; a template's error (with its file and line) fails the command."""
    problems: list[Problem] = []
    spec = PageSpec(output="newsletter", path="/", lastmod=None, template=template, public=False)
    data = render_page(env, spec, {"edition": edition, "items": tuple(items)}, problems)
    if data is None:
        raise BuildFailed(problems, "newsletter")
    return data.decode("utf-8")


def _trimmed(edition: Edition, chosen: int) -> str:
    oldest = edition.left_out[0]
    return (
        f"the edition holds the newest {len(edition.items)} of {chosen} briefs: with more its HTML passes "
        f"{SIZE_LIMIT:,} bytes, where Gmail clips a message ({len(edition.left_out)} left out, from "
        f'"{oldest.title}" on); choose fewer with --since, --last or --section'
    )


def _json(edition: Edition, view: EditionView, since: datetime | None, request: Request) -> dict[str, Any]:
    links = list(dict.fromkeys(url for tag, url, _ in extract(edition.html).links if tag == "a"))
    return {
        "subject": view.subject,
        "preheader": view.preheader,
        "title": view.title,
        "date": view.date.isoformat(timespec="seconds"),
        "site_url": view.site_url,
        "publisher": view.publisher_name,
        "language": view.language,
        "intro": view.intro,
        "footer": view.footer,
        "section": view.section,
        "since": since.isoformat(timespec="seconds") if since is not None else None,
        "last": request.last,
        "unsubscribe_url": view.unsubscribe_url,
        "html_bytes": edition.size,
        "files": {"html": "newsletter.html", "text": "newsletter.txt"},
        "items": [_item_json(item) for item in edition.items],
        "left_out": [{"slug": a.slug, "title": a.title, "date": a.date.isoformat()} for a in edition.left_out],
        "links": links,
    }


def _item_json(item: NewsletterItem) -> dict[str, Any]:
    image = item.image
    return {
        "slug": item.slug,
        "title": item.title,
        "dek": item.dek,
        "section": item.section,
        "date": item.date.isoformat(timespec="seconds"),
        "url": item.url,
        "takeaways": list(item.takeaways_text),
        "takeaways_html": [str(t) for t in item.takeaways],
        "image": None
        if image is None
        else {"url": image.url, "width": image.width, "height": image.height, "alt": image.alt},
    }


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= PREHEADER_LENGTH:
        return text
    return text[: PREHEADER_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
