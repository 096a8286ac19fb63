"""Share links of an article page: plain links, no third-party script, usable without JavaScript."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from brief.render.contract import ArticleView, ShareLink


def share_links(view: ArticleView, memoised: bool = False) -> list[ShareLink]:
    """Plain share links: no third-party script, usable without JavaScript. ``memoised``:
    kept for the next call with the same page (the preview's, which asks again for every
    unchanged article on every rebuild). A build asks once per article: kept, 65,536 pages'
    links held 200 MB in each page worker at 100,000 articles."""
    made = _memoised if memoised else _share_links
    return list(made(view.original_url or view.canonical, view.title, view.dek))


def _share_links(canonical: str, headline: str, dek: str | None) -> tuple[ShareLink, ...]:
    url = quote(canonical, safe="")
    title = quote(headline, safe="")
    body = quote(f"{dek}\n\n{canonical}" if dek else canonical, safe="")
    return (
        ShareLink("x", "Share on X", "X", f"https://x.com/intent/post?url={url}&text={title}"),
        ShareLink(
            "linkedin", "Share on LinkedIn", "LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={url}"
        ),
        ShareLink("facebook", "Share on Facebook", "Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
        ShareLink("email", "Share by email", "Email", f"mailto:?subject={title}&body={body}"),
    )


_memoised = lru_cache(maxsize=65536)(_share_links)
