"""An article's Markdown, rendered once per build: the costly part of its view.

In: a validated article and the build's :class:`~brief.render.markdown.Renderer`. Out:
:class:`ArticleParts` (caption, takeaways, analysis and body as HTML, the hero's resized
copies, reading time, problems by file and line, the files next to the article that its
page shows, and what the HTML depended on). Author bios are rendered here too.
:func:`remembered_parts` finds an article's parts in the build cache's :class:`MarkdownMemo`
while its text and everything it depended on (link targets, image files) are unchanged.
"""

from __future__ import annotations

import math
import operator
import pickle
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from dataclasses import replace as dc_replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from brief.content.bodies import article_body
from brief.content.load import FailedBody
from brief.content.model import Article
from brief.content.words import ascii_form
from brief.digests import file_stamp, pickled_digest, register_reducer
from brief.errors import WARNING, Problem
from brief.frozen import maker
from brief.media.images import ImageUse, Responsive
from brief.media.imagesize import image_size
from brief.media.pixels import ImageError
from brief.memo import Memo
from brief.render.contract import ArticleView
from brief.render.foreign import foreign_syntax
from brief.render.fragment import PageEnv
from brief.render.links import html_urls
from brief.render.markdown import Renderer
from brief.site.model import Site

WORDS_PER_MINUTE = 230


_WORD = re.compile(r"\w+")
_WORD_MARKS = bytes(
    ord("1") if chr(b).isascii() and (chr(b).isalnum() or chr(b) == "_") else ord("0") for b in range(256)
)
"""For ``bytes.translate``: ``1`` for the bytes of ASCII ``\\w`` characters, ``0`` for the others."""


@dataclass(frozen=True, slots=True)
class ArticleParts:
    """An article's rendered Markdown and what rendering found: the costly part of a view,
    kept between builds while the article and everything in ``deps`` stay the same."""

    caption: Markup | None
    takeaways: tuple[Markup, ...]
    analysis: Markup | None
    body: Markup
    image_path: str | None
    """Site path of a hero image copied next to the article."""
    image_size: tuple[int, int] | None
    reading_minutes: int
    problems: tuple
    assets: tuple[tuple[str, Path], ...]
    """(output path, source file) of the files next to the article that the page shows."""
    deps: tuple[tuple[str, str, object], ...]
    """What the HTML depended on besides the article: (kind, path, value seen)."""
    image_set: Responsive | None = None
    """The hero's resized copies (a local PNG, JPEG or WebP image)."""
    images: tuple[ImageUse, ...] = ()
    """Every local raster image the page shows (hero and text): the copies the image stage
    makes, and where it reports an image that does not decode."""
    corrections: tuple[Markup, ...] = ()
    """The text of each of the article's ``corrections:`` notes (inline Markdown), in its order."""
    urls: tuple[tuple[str, str], ...] = ()
    """(attribute, URL) of each link and image in the body, takeaways, analysis and caption, once
    each (brief.render.links.html_urls): found where the Markdown is rendered, kept with it, so
    that checking the links of an unchanged article does not read its HTML again."""
    digest: bytes = field(default=b"", compare=False)
    """A digest of all the above, taken where the parts were rendered (b"": not taken): with
    the article's own, it stands for the parts in the key of the article's view (brief.render.views)."""
    packed: bytes | None = field(default=None, init=False, compare=False, repr=False)
    """The HTML (caption, takeaways, analysis, body, corrections) pickled, as the build cache
    keeps it, while none of it has been read (then those fields have no value yet)."""

    if not TYPE_CHECKING:  # (for the type checker, every field always has its value)

        def __getattr__(self, name: str) -> Any:
            # Python calls this only for a field with no value: HTML read back packed from the
            # build cache, unpickled when first read (a cached build after an edit makes the
            # views of a few hundred articles: brief.render.views.ArticleViews).
            packed = object.__getattribute__(self, "packed")
            if packed is None or name not in _HTML:
                raise AttributeError(name)
            for key, value in zip(_HTML, _unpacked(packed), strict=True):
                object.__setattr__(self, key, value)
            object.__setattr__(self, "packed", None)
            return object.__getattribute__(self, name)


_HTML = ("caption", "takeaways", "analysis", "body", "corrections")
_REST = tuple(f.name for f in fields(ArticleParts) if f.init and f.name not in _HTML)
_html_of, _rest_of = operator.attrgetter(*_HTML), operator.attrgetter(*_REST)
_values = operator.attrgetter(*(f.name for f in fields(ArticleParts) if f.init))


def _reduce_parts(parts: ArticleParts) -> tuple:
    """Parts pickled whole (to and from worker processes; the digest), as ``ArticleParts(*fields)``."""
    return (ArticleParts, _values(parts))


def stored_parts(parts: ArticleParts) -> tuple:
    """Parts as the build cache's files keep them (a pickle reduce value; brief.cache has its
    files write parts so): the HTML as one pickle, unpickled when first read."""
    packed = parts.packed
    if packed is None:
        packed = _packed(_html_of(parts))
    return (_unstored_parts, (_rest_of(parts), packed))


_text = str.__new__  # (Markup from its text, in C: Markup's own __new__ is Python)


def _packed(html: tuple) -> bytes:
    """The HTML fields pickled as plain text (pickle writes each Markup through Python), with
    a flag; as they are when one is not Markup where Markup is expected."""
    caption, takeaways, analysis, body, corrections = html
    texts = (*takeaways, body, *corrections, *(x for x in (caption, analysis) if x is not None))
    if not all(type(x) is Markup for x in texts):
        return pickle.dumps((False, html), protocol=pickle.HIGHEST_PROTOCOL)
    plain = (
        None if caption is None else str(caption),
        tuple(map(str, takeaways)),
        None if analysis is None else str(analysis),
        str(body),
        tuple(map(str, corrections)),
    )
    return pickle.dumps((True, plain), protocol=pickle.HIGHEST_PROTOCOL)


def _unpacked(packed: bytes) -> tuple:
    markup, html = pickle.loads(packed)
    if not markup:
        return html
    caption, takeaways, analysis, body, corrections = html
    return (
        None if caption is None else _text(Markup, caption),
        tuple(_text(Markup, x) for x in takeaways),
        None if analysis is None else _text(Markup, analysis),
        _text(Markup, body),
        tuple(_text(Markup, x) for x in corrections),
    )


def _unstored_parts(rest: tuple, packed: bytes) -> ArticleParts:
    return _make_unstored(*rest, packed)  # (the HTML fields without a value: read from packed when asked)


_make_unstored = maker(ArticleParts, (*_REST, "packed"))  # (every article's parts in a cached build: brief.frozen)


ArticleParts.__reduce__ = _reduce_parts  # type: ignore[method-assign,assignment]
register_reducer(ArticleParts, _reduce_parts)


def render_parts(article: Article, renderer: Renderer, env: PageEnv) -> ArticleParts:
    """Render every Markdown fragment of ``article`` once; problems and files land in ``env``.
    Raises BuildFailed when the body must be read from a file that changed (brief.content.bodies)."""
    source = article_body(article)
    _foreign_in_fields(article, env)
    caption = image_path = size = image_set = None
    if article.image:
        img = article.image
        caption = renderer.inline(img.caption, env, img.caption_line, "image.caption") if img.caption else None
        if not img.url and img.source is not None:
            image_path = env.add_asset(img.source)
        if img.source is not None:
            env.deps[("file", str(img.source))] = file_stamp(img.source)
            image_set = _hero_copies(article, renderer, env, image_path or img.url)
            size = (image_set.width, image_set.height) if image_set is not None else image_size(img.source)
    takeaways = tuple(
        renderer.inline(t, env, line, f"takeaways[{i}]")
        for i, (t, line) in enumerate(zip(article.takeaways, article.takeaway_lines))
    )
    analysis = None
    if article.analysis:
        a = article.analysis
        before = len(env.problems)
        analysis = renderer.block(a.body, env, a.line or 1, doc_id="analysis", field="analysis.body", outer_level=2)
        key_line = article.lines.get(("analysis", "body"))
        if a.line is None or a.line == key_line:  # a quoted or plain YAML string: its lines are not the file's
            env.problems[before:] = [dc_replace(p, line=key_line) for p in env.problems[before:]]
    body = renderer.block(source, env, article.body_line)
    notes = tuple(
        renderer.inline(note.text, env, note.line, f"corrections[{note.index}].text") for note in article.corrections
    )
    words = sum(
        word_count(text) for text in (source, *article.takeaways, article.analysis.body if article.analysis else "")
    )
    urls = html_urls("".join([body, *takeaways, analysis or "", caption or ""]))  # as markdown_urls orders them
    return ArticleParts(
        caption,
        takeaways,
        analysis,
        body,
        image_path,
        size,
        max(1, math.ceil(words / WORDS_PER_MINUTE)),
        tuple(env.problems),
        tuple(env.assets.items()),
        tuple((kind, path, value) for (kind, path), value in env.deps.items()),
        image_set,
        tuple(env.images),
        notes,
        tuple(urls),
    )


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def _foreign_in_fields(article: Article, env: PageEnv) -> None:
    """Template syntax of another generator in the plain-text fields (headline, dek, image
    alt text and credit, the analysis's label and byline): an error, as in the Markdown."""
    img, analysis = article.image, article.analysis
    fields = [
        (("title",), article.title),
        (("dek",), article.dek),
        (("image", "src"), img.src if img else None),
        (("image", "alt"), img.alt if img else None),
        (("image", "credit"), img.credit if img else None),
        (("analysis", "label"), analysis.label if analysis else None),
        (("analysis", "byline"), analysis.byline if analysis else None),
    ]
    for key, value in fields:
        line = article.lines.get(key) or article.lines.get(key[:1])
        for message in foreign_syntax(value) if value else ():
            env.problems.append(Problem(article.relpath, line, ".".join(key), message))
        tag = _TAG.search(value) if value and key[0] in ("title", "dek") else None
        if tag is not None:
            env.problems.append(
                Problem(
                    article.relpath,
                    line,
                    key[0],
                    f"{tag.group()} is shown as text: the {key[0]} is plain text (expected it without HTML tags)",
                    WARNING,
                    "html-in-plain-text",
                )
            )


def _hero_copies(article: Article, renderer: Renderer, env: PageEnv, published: str) -> Responsive | None:
    """The hero's resized copies (registered to be published, and to be made by the image
    stage), or None for an image shown as it is (SVG, GIF) or one whose header cannot be read
    (a problem on ``image.src``)."""
    img = article.image
    assert img is not None and img.source is not None
    source = img.source
    shown = (
        "static" + img.url
        if img.url
        else posixpath.normpath(posixpath.join(posixpath.dirname(article.relpath), img.src))
    )
    line = article.lines.get(("image", "src")) or article.lines.get(("image",))
    try:
        found = renderer.images.plan(source, published, share=True)
    except ImageError as exc:
        env.problems.append(Problem(article.relpath, line, "image.src", exc.message(shown)))
        return None
    if found is not None:  # made in the image stage (see Renderer._sized)
        env.images.append(ImageUse(found, article.relpath, line, "image.src", shown))
        for copy in found.copies():
            env.assets[copy.path.lstrip("/")] = copy.file  # type: ignore[assignment]
    return found


@dataclass
class MarkdownMemo(Memo):
    """The Markdown pass's part of the build cache: rendered parts by the article's digest
    and the renderer's settings' digest, side by side (saved with the cache), and each
    article's last view (in memory only: the preview's)."""

    parts: dict[bytes, ArticleParts] = field(default_factory=dict)
    views: dict[bytes, tuple[ArticleParts, ArticleView]] = field(default_factory=dict)
    """Article digest → (its parts, the view made of them) in the last build."""
    used: set[bytes] = field(default_factory=set)
    """Keys of ``parts`` this build used; the rest is dropped at its end."""
    view_keys: dict[bytes, bytes] = field(default_factory=dict)
    """The digests of an article and its parts, and s if scheduled → its view's key (ArticleViews)."""
    view_stamp: bytes = b""

    IN_MEMORY = ("used", "views")

    def clear(self) -> None:
        self.parts.clear()
        self.views.clear()
        self.view_keys = {}

    def prune(self) -> None:
        for key in self.parts.keys() - self.used:
            del self.parts[key]

    def files(self) -> Iterator[str]:
        """Files outside ``content/`` that the kept parts were made from (images)."""
        for parts in self.parts.values():
            for kind, path, _ in parts.deps:
                if kind == "file":
                    yield path


def remembered_parts(article: Article, renderer: Renderer, memo: MarkdownMemo | None) -> ArticleParts | None:
    """The memo's parts of ``article`` while its text and dependencies hold; None otherwise."""
    key = _memo_key(article, renderer, memo)
    if memo is None or key is None:
        return None
    memo.used.add(key)
    parts = memo.parts.get(key)
    if parts is not None and all(_dep_holds(renderer, *dep) for dep in parts.deps):
        renderer.images.want(parts.images)  # a copy missing from the image cache is made again
        return parts
    return None


def fresh_parts(renderer: Renderer, article: Article) -> ArticleParts:
    """``article``'s Markdown rendered now (in a worker process, for a large site), with its digest."""
    env = PageEnv(source=article.path, relpath=article.relpath, url_path=article.url_path)
    parts = render_parts(article, renderer, env)
    return dc_replace(parts, digest=pickled_digest(parts))


def keep_parts(article: Article, renderer: Renderer, memo: MarkdownMemo | None, parts: ArticleParts) -> ArticleParts:
    """Put freshly rendered ``parts`` in the memo, and ask the image stage for their images
    (rendered in a worker process, they reach this process's renderer here); returns them."""
    renderer.images.want(parts.images)
    key = _memo_key(article, renderer, memo)
    if memo is not None and key is not None:
        memo.parts[key] = parts
    return parts


def _memo_key(article: Article, renderer: Renderer, memo: MarkdownMemo | None) -> bytes | None:
    return article.digest + renderer.key if memo is not None and article.digest else None  # (two digests: no hashing)


def _dep_holds(renderer: Renderer, kind: str, path: str, seen: object) -> bool:
    if kind == "link":
        return renderer.link_state(Path(path) if path else None) == seen
    return file_stamp(Path(path)) == seen


def check_bodies(bodies: Iterable[FailedBody], renderer: Renderer) -> tuple[dict[str, Markup], list[Problem]]:
    """The bodies of files whose front matter failed, rendered (by file) to check their links,
    and their problems (images, foreign template syntax…), so that a file's problems all
    come in one run."""
    problems: list[Problem] = []
    html: dict[str, Markup] = {}
    for failed in bodies:
        env = PageEnv(source=failed.path, relpath=failed.relpath, url_path=f"/{failed.slug}/")
        html[failed.relpath] = renderer.block(failed.body, env, failed.line)
        problems += env.problems
    return html, problems


def render_bios(site: Site, renderer: Renderer) -> tuple[dict[str, Markup], list[Problem]]:
    """Author bios (Markdown) of the authors with a page in this build."""
    bios: dict[str, Markup] = {}
    problems: list[Problem] = []
    for slug, term in site.authors.items():
        profile = term.profile
        if profile and profile.bio:
            env = PageEnv(source=site.config.root / profile.source, relpath=profile.source, url_path=term.url_path)
            bios[slug] = renderer.block(profile.bio, env, 1, doc_id=f"bio-{slug}", field="bio")
            problems += [dc_replace(p, line=None) for p in env.problems]  # the file and field, not a guessed line
    return bios, problems


def word_count(text: str) -> int:
    """How many ``\\w+`` runs ``text`` has (its words, for the reading time). When its ASCII
    form (:func:`~brief.content.words.ascii_form`) gives the same runs, they are counted
    without a string per word: each byte marked ``1`` (a letter, digit or ``_``) or ``0``,
    a run starts wherever a ``1`` follows a ``0`` or the start (the benchmark corpus's files
    and 18F's posts: 17 µs each, where finding the words took 52 µs)."""
    plain = ascii_form(text)
    if plain is None:
        return _count(_WORD, text)
    marks = plain.encode("ascii").translate(_WORD_MARKS)
    return marks.count(b"01") + marks.startswith(b"1")


def _count(pattern: re.Pattern[str], text: str) -> int:
    """How many times ``pattern`` matches in ``text``, without a list of the matches (a long
    body has millions of words; an ordinary one is counted from a list, which is faster)."""
    if len(text) <= 100_000:
        return len(pattern.findall(text))
    return sum(1 for _ in pattern.finditer(text))
