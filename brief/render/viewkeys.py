"""What an article view's key is made of (brief.render.views.ArticleViews): the view's links
to its section, authors and tags, whether it is scheduled, and the site's settings that
every view is made with. Pages and feeds are keyed by their views' keys (brief.render.keys,
brief.render.pagedeps), so a key must change whenever the view may."""

from __future__ import annotations

from collections.abc import Callable

from brief.content.model import Article
from brief.digests import digest, digester
from brief.render.articles import ArticleParts
from brief.render.contract import Link
from brief.site.model import Site


def term_links(
    article: Article, site: Site, links: dict[tuple[str, str], Link] | None = None
) -> tuple[Link, tuple[Link, ...], tuple[Link, ...]]:
    """The links of ``article``'s view to its section, its authors and its tags (``links``
    keeps the ones made so far: many articles share them)."""
    links = {} if links is None else links
    return (
        _term_link(site, "section", article.section, links),
        tuple(_term_link(site, "author", name, links) for name in article.authors),
        tuple(_term_link(site, "tag", tag, links) for tag in article.tags),
    )


def is_scheduled(article: Article, site: Site) -> bool:
    """Whether ``article`` is dated after the build's time (in a build with --future: the preview)."""
    return site.now is not None and article.date > site.now


def links_stamp(site: Site) -> bytes:
    """A digest of what every view's term links are made of besides its article's own names:
    the site's :func:`view_setting` and each section's, author's and tag's name and URL (an
    article's line for a name is its term's, found by the name's slug). Views' keys made
    under the same stamp, of the same article and parts, are the same (ArticleViews)."""
    lines = [
        f"{kind}\t{slug}\t{term.name}\t{site.url(term.url_path)}"
        for kind, terms in (("section", site.sections), ("author", site.authors), ("tag", site.tags))
        for slug, term in terms.items()
    ]
    return digest(view_setting(site), "\n".join(lines))


def _term_link(site: Site, kind: str, name: str, links: dict[tuple[str, str], Link]) -> Link:
    found = links.get((kind, name))
    if found is None:
        term = site.term(kind, name)
        found = links[(kind, name)] = Link(term.name, site.url(term.url_path))
    return found


def view_key(
    article: Article, parts: ArticleParts, links: str, scheduled: bool, keyed: Callable[..., bytes]
) -> bytes | None:
    """A digest that changes whenever the view of ``article`` may (pages and feeds are keyed
    by their views' keys): of what brief.render.views.assemble_view makes it from, the article
    (its file's digest), its rendered parts (their digest), its links to its section, authors
    and tags (``links``: :meth:`LinkLines.of`), whether it is ``scheduled``, and the site's
    :func:`view_setting` (``keyed``: :func:`view_digester`).
    None when the article's or the parts' digest is not known: the view's own digest stands
    for it then."""
    if not article.digest or not parts.digest:
        return None
    return keyed(article.digest, parts.digest, links, "scheduled" if scheduled else "")


def view_setting(site: Site) -> bytes:
    """What every view is made with besides its article: the time zone and the site's URLs."""
    return digest(repr((site.config.tz, site.config.base_path, site.absolute_url("/"))))


def view_digester(site: Site) -> Callable[..., bytes]:
    """What :func:`view_key` digests with, the site's :func:`view_setting` first."""
    return digester(b"view", view_setting(site))


class LinkLines:
    """Each article's term links as its view's key has them (``name<TAB>url``, a line each:
    its section's, its authors', its tags'), made of one line per section, author and tag
    name, each made once from its link (:func:`term_links`; ``links`` keeps the links made)."""

    def __init__(self, site: Site, links: dict[tuple[str, str], Link] | None = None) -> None:
        links = {} if links is None else links
        self._section, self._author, self._tag = (_Lines(site, kind, links) for kind in ("section", "author", "tag"))

    def of(self, article: Article) -> str:
        section, author, tag = self._section, self._author, self._tag
        return "\n".join(
            [section[article.section], *map(author.__getitem__, article.authors), *map(tag.__getitem__, article.tags)]
        )


class _Lines(dict[str, str]):
    """The line of each name of one kind of term, made when first asked for."""

    def __init__(self, site: Site, kind: str, links: dict[tuple[str, str], Link]) -> None:
        super().__init__()
        self.site, self.kind, self.links = site, kind, links

    def __missing__(self, name: str) -> str:
        link = _term_link(self.site, self.kind, name, self.links)
        line = self[name] = f"{link.name}\t{link.url}"
        return line
