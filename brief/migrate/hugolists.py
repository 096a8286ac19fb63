"""What a Hugo site published besides its pages: listings (home, sections, taxonomy terms
and indexes), author profiles, and the site's settings and permalink scheme.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from brief.migrate.fields import as_list
from brief.migrate.hugoassets import Resolver
from brief.migrate.hugoauthors import ROLE_KEYS, AuthorBook, avatar_of, names_in, profile_of
from brief.migrate.hugoconfig import HugoConfig
from brief.migrate.hugopaths import PageFacts, alias_path, expand, finish, front_url, urlize
from brief.migrate.hugowalk import Content, Section, section_url
from brief.migrate.model import Asset, Item, Listing, ListingKind, Profile, SiteInfo
from brief.migrate.sourcefiles import read_source

INDEX_KIND: dict[str, ListingKind] = {"tags": "tags", "categories": "sections", "authors": "authors"}


def site_info(cfg: HugoConfig) -> SiteInfo:
    params = cfg.params
    base = str(cfg.get("baseurl") or "")
    return SiteInfo(
        title=str(cfg.language_setting("title") or ""),
        description=str(params.get("description") or params.get("subtitle") or ""),
        base_url=base if not base or base.endswith("/") else base + "/",
        language=str(cfg.language_setting("languagecode") or cfg.language_setting("locale") or cfg.language or ""),
        timezone=str(cfg.get("timezone") or ""),
    )


def _taxonomy_role(cfg: HugoConfig, plural: str) -> str:
    singular = next((s for s, p in cfg.taxonomies.items() if p == plural), plural)
    if "author" in (singular, plural):
        return "authors"
    return "categories" if plural in ("categories", "category") else "tags"


def term_url(cfg: HugoConfig, plural: str, term: str, meta: dict[str, Any] | None = None) -> str:
    meta = meta or {}
    rule = cfg.rule_for("term", plural.lower())
    if isinstance(meta.get("url"), str) and meta["url"].strip():
        return front_url(meta["url"])
    if rule is not None:
        facts = PageFacts(title=term, slug=str(meta.get("slug") or term), filename=term, folders=[plural])
        return cfg.prefix + finish(expand(rule.pattern, facts, cfg.lower), cfg.ugly(plural), rule.pattern)
    return cfg.prefix + finish(f"/{urlize(plural, cfg.lower)}/{urlize(term, cfg.lower)}", cfg.ugly(plural))


def listings(cfg: HugoConfig, content: Content, items: list[Item], book: AuthorBook) -> list[Listing]:
    """Home, each section, each taxonomy's index and each term page Hugo built."""
    out: list[Listing] = []
    if "home" not in cfg.disabled:
        out.append(Listing(cfg.prefix + "/", "home"))
        if cfg.prefix:
            out.append(Listing("/", "home"))
    published = [p for p in content.pages if not p.skip and not p.draft]
    if "section" not in cfg.disabled:
        plurals = set(cfg.taxonomies.values())
        holding = {tuple(p.folders[:i]) for p in published for i in range(1, len(p.folders) + 1)}
        pages = {url for item in items for url in item.urls}  # a section's _index.md imported as a page
        for folders, section in sorted(content.sections.items()):
            if folders and folders[0].lower() not in plurals and (folders in holding or section.source):
                url = section_url(cfg, folders, section)
                if url not in pages:
                    out.append(Listing(url, "archive"))
                    out += [Listing(old, "archive") for old in _aliases(cfg, section, url) if old not in pages]
    sections = {str(i.front.get("section", "")).casefold() for i in items if not i.front.get("draft")}
    for plural in cfg.taxonomies.values():
        out += _taxonomy_listings(cfg, content, plural, published, sections, book)
    return list({listing.url: listing for listing in out}.values())


def _aliases(cfg: HugoConfig, section: Section, url: str) -> list[str]:
    """The paths of a section's own ``aliases:``, where Hugo writes redirect pages to it."""
    written = section.meta.get("aliases") or []
    found = [alias_path(str(a), url, cfg.ugly(section.folders[0])) for a in as_list(written)]
    return [old for old in found if old and old != url]


def _taxonomy_listings(
    cfg: HugoConfig, content: Content, plural: str, published: list, sections: set[str], book: AuthorBook
) -> list[Listing]:
    role = _taxonomy_role(cfg, plural)
    out: list[Listing] = []
    if "taxonomy" not in cfg.disabled and "taxonomyterm" not in cfg.disabled:
        own = content.terms.get(plural.lower(), {}).get("")
        url = front_url(own.meta["url"]) if own and isinstance(own.meta.get("url"), str) else None
        out.append(Listing(url or cfg.prefix + f"/{urlize(plural, cfg.lower)}/", INDEX_KIND.get(role, "tags")))
    if "term" in cfg.disabled:
        return out
    terms: dict[str, str] = {}
    for page in published:
        value = next((v for k, v in page.doc.meta.items() if k.lower() == plural.lower()), None)
        words = names_in(value) if role == "authors" else [" ".join(str(t).split()) for t in as_list(value)]
        for word in words:
            terms.setdefault(urlize(word), word)
    for folder, section in content.terms.get(plural.lower(), {}).items():
        if folder:
            terms.setdefault(urlize(folder), str(section.meta.get("title") or folder))
    for key, word in sorted(terms.items()):
        meta = content.terms.get(plural.lower(), {}).get(key, Section(())).meta
        url = term_url(cfg, plural, word, meta)
        if role == "authors":
            out.append(Listing(url, "author", book.name(word)))
        elif role == "categories":
            out.append(Listing(url, "section" if word.casefold() in sections else "tag", word))
        else:
            out.append(Listing(url, "tag", word))
    return out


def profiles(
    cfg: HugoConfig,
    content: Content,
    book: AuthorBook,
    resolver: Resolver,
    convert: Callable[[str, str, int], str],
) -> list[Profile]:
    """A profile per author the site describes: in its data files or a term page of its authors taxonomy."""
    found: dict[str, Profile] = {}
    plural = next((p for s, p in cfg.taxonomies.items() if "author" in (s, p)), "")
    term_pages = content.terms.get(plural.lower(), {}) if plural else {}
    for key in sorted(set(book.keys.values()) | {k for k in term_pages if k}):
        profile = profile_of(book, key)
        entry = book.find(key) or {}
        section = term_pages.get(key) or term_pages.get(urlize(key))
        if section is not None:
            _from_term_page(cfg, profile, section, convert)
        avatar = avatar_of(entry) or (avatar_of(section.meta) if section else "")
        if avatar:
            profile.avatar = _avatar(cfg, resolver, avatar, section, key)
        if plural and ("term" not in cfg.disabled):
            profile.urls.append(term_url(cfg, plural, key, section.meta if section else None))
        old = found.get(profile.name)
        if old is None:
            found[profile.name] = profile
        else:
            old.urls += [u for u in profile.urls if u not in old.urls]
            old.bio, old.role, old.avatar = (
                old.bio or profile.bio,
                old.role or profile.role,
                old.avatar or profile.avatar,
            )
    return list(found.values())


def _from_term_page(
    cfg: HugoConfig, profile: Profile, section: Section, convert: Callable[[str, str, int], str]
) -> None:
    path = cfg.root / section.source
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    doc = read_source(text)
    if isinstance(section.meta.get("title"), str) and profile.name == " ".join(profile.key.split()):
        profile.name = " ".join(section.meta["title"].split())
    role = next((section.meta[k] for k in ROLE_KEYS if isinstance(section.meta.get(k), str)), "")
    profile.role = profile.role or " ".join(str(role).split())
    bio = doc.body.strip() or str(section.meta.get("description") or "")
    if bio:
        profile.bio = convert(section.source, bio, doc.body_line).strip()


def _avatar(cfg: HugoConfig, resolver: Resolver, written: str, section: Section | None, key: str) -> Asset | None:
    """An avatar keeps its URL under static/: a site-root path, or a file beside the term's _index.md."""
    if written.startswith(("http://", "https://")):
        return None
    if written.startswith("/"):
        file = resolver.static_file(written)
        name = written.lstrip("/")
    else:
        folder = (cfg.root / section.source).parent if section is not None else cfg.root
        file = folder / written if (folder / written).is_file() else None
        name = f"authors/{urlize(key)}/{Path(written).name}"
    if file is None:
        resolver.report.miss(section.source if section else "data/authors", None, written)
        return None
    return Asset(file, name, static=True, written=written)


def permalinks(content: Content) -> list[str]:
    """brief patterns that reproduce the URLs of at least half the articles, the one matching most first."""
    counts: Counter[str] = Counter()
    articles = [p for p in content.pages if not p.skip and p.kind == "article"]
    for page in articles:
        if not page.url.endswith("/") or not page.date:
            continue
        segments = page.url.strip("/").split("/")
        if not segments[-1]:
            continue
        middle, expected = [], [(page.date[:4], "{year}"), (page.date[5:7], "{month}"), (page.date[8:10], "{day}")]
        for segment in segments[:-1]:
            while expected and expected[0][0] != segment and segment.isdigit():
                expected.pop(0)
            if expected and expected[0][0] == segment:
                middle.append(expected.pop(0)[1])
            else:
                middle.append(segment)
        if any(re.search(r"[^a-z0-9_-]|\{", s) and not s.startswith("{") for s in middle):
            continue
        counts["/" + "/".join([*middle, "{slug}"]) + "/"] += 1
    # a pattern most articles do not follow (uglyURLs posts, one small section) would move them all
    return [pattern for pattern, n in counts.most_common(5) if n * 2 >= len(articles)]
