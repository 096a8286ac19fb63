"""brief vs Hugo vs Pelican: build time and peak memory on the same corpus, side by side.

    .venv/bin/python benchmarks/compare.py                          # 1,000 articles, 3 runs, output on tmpfs
    .venv/bin/python benchmarks/compare.py 1000 10000 --runs 3 --disk both
    .venv/bin/python benchmarks/compare.py 1000 --tools brief,hugo --markdown
    .venv/bin/python benchmarks/compare.py 1000 --wait-idle 120   # on a shared machine
    .venv/bin/python benchmarks/compare.py 1000 --tools brief --images   # then benchmarks/images.py

Setup (done by this script, never by the test suite): Hugo from Debian
(`apt-get install -y hugo`, 0.111.3 there; needs root) and Pelican 4.12 with
Python-Markdown in a private venv, benchmarks/.peers/venv (gitignored).

The corpus: for each size N, the clustered corpus of benchmarks/corpus.py is
written once to benchmarks/.corpus/compare-N-seedS/brief/ (gitignored, reused
by later runs) and converted, article by article, into a Hugo site (hugo/) and a
Pelican site (pelican/) beside it: the same title, dek, date, authors, section,
tags, takeaways and body. Converted sites are regenerated only when missing;
their configuration and templates are rewritten on every run.

Comparable work. Each tool renders, with small templates of its own:
one page per article at /YYYY/MM/slug/ (title, dek, date, authors, key
takeaways, body, tag links, and a list of 4 related articles), the front page
paginated 10 a page, an index of all tags, one page per tag (paginated 10 a
page), a main feed and one feed per tag (20 entries each, full text).

- brief: `python -m brief build --site SITE --output OUT -q` with its default
  theme. It does all of the above and more, which the others do not: section,
  author and archive pages, a JSON feed and section feeds, a sitemap and a news
  sitemap, robots.txt, a 404 page, OpenGraph/Twitter/JSON-LD metadata on every
  page, the Editor's-desk and hero blocks, and TF-IDF related suggestions (tags,
  key terms, section, recency). Its feeds also carry the takeaways. The corpus's
  brief.toml says `search = false` (Hugo and Pelican build no search index);
  the "search on" rows build a sibling site, brief-search/ beside brief/, whose
  content/ holds hard links to the corpus's articles (re-made on every run) and
  whose brief.toml differs only by `search = true`, so Pagefind (the
  `pagefind[extended]` package) indexes the article pages as well.
- Hugo (`hugo --source SITE --destination OUT --quiet`, a fresh --cacheDir per
  run): layouts in hugo/layouts/, related articles from
  `.Site.RegularPages.Related .` with the `[related]` config in hugo.toml (tags
  weight 100, publication year weight 10, includeNewer). "hugo (no related)"
  is the same site built with `--environment norelated`
  (config/norelated/params.toml sets params.related = false, and single.html
  calls .Related only under `if site.Params.related`; the script checks that
  those pages have no related list). Hugo builds on every core, and so does
  brief from 2,000 pages on (its default `-j`); Pelican uses one.
- Pelican (`pelican CONTENT -o OUT -s pelicanconf.py -q`, no content cache):
  a tiny theme in pelican/theme/, the default Markdown reader, no plugins. Pelican
  has no built-in related articles, so its article pages have no related list:
  it does less work than the others on that point.

Timing: for each N, each output location and each tool, R runs (--runs, default
3), each into a fresh empty output folder, with `sync` before each run and the
corpus files read once beforehand so every tool finds them in the page cache.
The table gives the median wall time and the highest peak RSS of those runs
(ru_maxrss from os.wait4: the largest of the build process and the children it
waited for, so not the sum over brief's forked workers, which share most of their
memory with their parent). Output goes to tmpfs (/dev/shm) or to the real disk
(benchmarks/.corpus/compare-output/), by --disk; on disk the time includes what
the tool itself waits for, not the kernel's later write-back.

brief runs with a bytecode cache (PYTHONPYCACHEPREFIX=benchmarks/.corpus/pycache,
filled by one untimed build of a tiny corpus), as a pip-installed package has:
it is installed editable here and the machine may set PYTHONDONTWRITEBYTECODE,
which would otherwise make every run compile brief's sources.

Other work on the machine skews the times: the "others" column gives the cores
other processes kept busy during the runs, and --wait-idle S waits (up to S
seconds) before each run for a second in which the rest of the machine is idle.

brief also gets cached modes after each cold run (a cold run removes its
build cache, SITE/.brief-cache, first), each building into the cold run's output
with the cache, Python's start included:
- "cached, same" builds again with nothing changed;
- "cached, 1 edit" makes, one after another, five edits, each to a different
  article (picked by position in the sorted file list: n/2, n/3, n/4, n/5,
  n/6): a sentence of the body (n/2), another body (n/3), the title (n/4), the
  tags (n/5: a tag of the corpus that the article lacks is added, so its tag
  page, feeds and related lists change) and the dek (n/6). Each edit is
  followed by a timed build, then the file is restored (text and time stamps;
  a backup, .compare-edit-backup.json beside content/, lets the next run undo
  an edit a killed run left) and an untimed build brings output and cache back
  to the unedited site, so that every timed build sees exactly one change. The
  row gives the median of those 5 × R builds; the median of each edit is
  printed under the table.
- "cached, new tag" then adds a tag that no article has (Newsroom Topic R) to the
  article at n/7, so that a tag page, its feed and the tags' page come into being:
  one timed build per run (restored after, as above); not in "1 edit"'s median.
- "cold, search on" and "cached, 1 edit, search on": the search sibling site,
  built cold, then after the body edit of the article at n/2 (restored after).

Each run is checked: at least N article pages (YYYY/MM/slug/index.html) and a
non-empty main feed; for an edit, that the edited article's page shows the new
text (for the tag edit: that the page links to the tag and the tag's pages list
the article) and, after the restore, no longer does; with search on, that
pagefind/pagefind.js was written. Otherwise the row says "error", the reason is
printed under the table, and the script goes on with the next tool.

Columns: "÷ hugo rel." and "÷ hugo plain" are this row's median divided by the
median of hugo (related), and of hugo (no related), at the same size and
output location: below 1, this row is faster than that Hugo build (Hugo
renders every page on each run of `hugo`: it keeps no rendered pages between
runs, so brief's cached rows are set against Hugo's full build).
"÷ search off" is, for the search-on rows, the cost of search: brief (cold,
search on) ÷ brief (cold), and brief (cached, 1 edit, search on) ÷ the median
of brief (cached, 1 edit)'s builds of the same edit (body, n/2). Pelican's
median is also given as a multiple of brief (cold)'s under the table.
"HTML pages" counts every .html file: Hugo's include a page/1/ redirect for
each paginated list.

--images runs benchmarks/images.py (the image pipeline's benchmark, a script of
its own) after the table, with brief's environment, and prints what it prints.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
CORPUS = HERE / ".corpus"
DISK_OUTPUT = CORPUS / "compare-output"
PYCACHE = CORPUS / "pycache"
TMPFS = Path("/dev/shm")
PELICAN_VENV = HERE / ".peers" / "venv"
PELICAN_REQUIREMENTS = ("pelican==4.12.*", "markdown")
HUGO_TESTED = "0.111"
TOOLS = ("brief", "hugo", "pelican")
ARTICLE_PAGE = re.compile(r"\d{4}/\d{2}/[^/]+/index\.html")
RELATED_LINK = re.compile(r'class="related-item[^>]*>.*?href="([^"]+)"', re.DOTALL)  # the first link of each item
SITE_TITLE = "Benchmark Brief"
BASE_URL = "https://bench.example.org/"
EDIT_BACKUP = ".compare-edit-backup.json"  # beside content/, so a killed run can be undone
SEARCH_SITE = "brief-search"  # beside brief/: the same articles (hard links), search = true
IMAGES_SCRIPT = HERE / "images.py"

BRIEF_COLD = "brief (cold)"
BRIEF_SAME = "brief (cached, same)"
BRIEF_EDIT = "brief (cached, 1 edit)"
BRIEF_SEARCH_COLD = "brief (cold, search on)"
BRIEF_SEARCH_EDIT = "brief (cached, 1 edit, search on)"
BRIEF_NEW_TAG = "brief (cached, new tag)"
BRIEF_CACHED = (BRIEF_SAME, BRIEF_EDIT, BRIEF_NEW_TAG, BRIEF_SEARCH_EDIT)
HUGO_RELATED = "hugo (related)"
HUGO_PLAIN = "hugo (no related)"
PELICAN = "pelican"


# ---------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    dek: str
    date: datetime  # aware, UTC when the corpus gives no offset (brief's default time zone)
    authors: list[str]
    section: str
    tags: list[str]
    takeaways: list[str]
    body: str


def read_brief_corpus(site: Path) -> Iterator[Article]:
    """The articles of a corpus written by corpus.write_corpus, as brief reads them."""
    import yaml

    for path in sorted((site / "content").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        end = text.index("\n---\n", 3)
        meta = yaml.safe_load(text[4:end])
        date = meta["date"] if isinstance(meta["date"], datetime) else datetime.fromisoformat(str(meta["date"]))
        authors = meta.get("authors", ["Staff"])
        yield Article(
            slug=path.stem,
            title=meta["title"],
            dek=meta.get("dek", ""),
            date=date if date.tzinfo else date.replace(tzinfo=UTC),
            authors=[authors] if isinstance(authors, str) else list(authors),
            section=meta.get("section", "News"),
            tags=list(meta.get("tags", [])),
            takeaways=list(meta.get("takeaways", [])),
            body=text[end + 5 :],
        )


def hugo_page(article: Article) -> str:
    import yaml

    front = {
        "title": article.title,
        "date": article.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "summary": article.dek,
        "authors": article.authors,
        "tags": article.tags,
        "categories": [article.section],
        "takeaways": article.takeaways,
    }
    return f"---\n{yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)}---\n{article.body}"


def pelican_page(article: Article) -> str:
    def one_line(text: str) -> str:
        return " ".join(text.split())

    lines = [
        f"Title: {one_line(article.title)}",
        f"Date: {article.date.astimezone(UTC):%Y-%m-%d %H:%M}",
        f"Category: {one_line(article.section)}",
        f"Tags: {', '.join(one_line(tag) for tag in article.tags)}",
        f"Authors: {', '.join(one_line(author) for author in article.authors)}",
        f"Summary: {one_line(article.dek)}",
    ]
    if article.takeaways:  # a Markdown ordered list, rendered by Pelican (FORMATTED_FIELDS)
        items = [f"{i}. {one_line(item)}" for i, item in enumerate(article.takeaways, 1)]
        lines.append("Takeaways: " + "\n    ".join(items))
    return "\n".join(lines) + "\n\n" + article.body


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Sites:
    n: int
    brief: Path
    hugo: Path
    pelican: Path
    brief_search: Path


def prepare_sites(n: int, seed: int, tools: list[str]) -> Sites:
    """Write (or reuse) the corpus for brief and its conversions for Hugo and Pelican."""
    from corpus import write_config, write_corpus

    root = CORPUS / f"compare-{n}-seed{seed}"
    sites = Sites(n, root / "brief", root / "hugo", root / "pelican", root / SEARCH_SITE)
    restore_edit(sites.brief)
    restore_edit(sites.brief_search)  # hard links: this restores the corpus's file too
    if not (sites.brief / "topics.json").exists():  # written last by write_corpus
        progress(f"writing a corpus of {n:,} articles to {sites.brief} …")
        write_corpus(sites.brief, n, seed)
    write_config(sites.brief)
    if "brief" in tools:
        prepare_search_site(sites.brief, sites.brief_search)
    converters: list[tuple[Path, Path, Callable[[Article], str]]] = []
    if "hugo" in tools:
        converters.append((sites.hugo, sites.hugo / "content" / "posts", hugo_page))
    if "pelican" in tools:
        converters.append((sites.pelican, sites.pelican / "content", pelican_page))
    missing = [(site, content, convert) for site, content, convert in converters if not (site / ".complete").exists()]
    if missing:
        for site, content, _ in missing:
            progress(f"converting the corpus for {site.name} ({n:,} articles) …")
            shutil.rmtree(content, ignore_errors=True)
            content.mkdir(parents=True)
        for article in read_brief_corpus(sites.brief):
            for _, content, convert in missing:
                (content / f"{article.slug}.md").write_text(convert(article), encoding="utf-8")
        for site, _, _ in missing:
            (site / ".complete").write_text("", encoding="utf-8")
    if "hugo" in tools:
        for name, text in HUGO_FILES.items():
            write_if_changed(sites.hugo / name, text)
    if "pelican" in tools:
        for name, text in PELICAN_FILES.items():
            write_if_changed(sites.pelican / name, text)
    return sites


def prepare_search_site(brief: Path, search: Path) -> None:
    """The sibling site of the "search on" rows: brief's articles as hard links (made again on
    every run, so they are the corpus's current files) and its brief.toml with search = true.

    Hard links rather than symlinks: brief refuses a symlink that leads outside the site, and
    an edit made through either site is then seen by both. Its own ledger starts as a copy of
    the corpus's, so both sites do the same ledger work.
    """
    config = (brief / "brief.toml").read_text(encoding="utf-8")
    if "search = false\n" not in config:
        raise SystemExit(f"{brief / 'brief.toml'} does not say `search = false`; cannot derive the search-on site")
    shutil.rmtree(search / "content", ignore_errors=True)
    search.mkdir(parents=True, exist_ok=True)
    shutil.copytree(brief / "content", search / "content", copy_function=os.link)
    write_if_changed(search / "brief.toml", config.replace("search = false\n", "search = true\n"))
    ledger = brief / "published-urls.txt"
    if ledger.exists():
        shutil.copyfile(ledger, search / ledger.name)


def warm(folder: Path) -> None:
    """Read every file once, so no tool pays for the first read from disk."""
    for root, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                while f.read(1 << 20):
                    pass


# ---------------------------------------------------------------- peers' sites

HUGO_LIST = """\
{{ define "title" }}{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}{{ end }}
{{ define "main" }}
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
{{ $pager := .Paginate $pages }}
<h1>{{ if .IsHome }}Latest{{ else }}{{ .Title }}{{ end }}</h1>
<ol class="entries">
{{ range $pager.Pages }}<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Params.summary }}</p><p><time>{{ .Date.Format "2 January 2006" }}</time> · {{ delimit .Params.authors ", " }}</p></li>
{{ end }}</ol>
<nav class="pagination">{{ with $pager.Prev }}<a rel="prev" href="{{ .URL }}">Newer</a> {{ end }}Page {{ $pager.PageNumber }} of {{ $pager.TotalPages }}{{ with $pager.Next }} <a rel="next" href="{{ .URL }}">Older</a>{{ end }}</nav>
{{ end }}
"""

HUGO_FILES: dict[str, str] = {
    "hugo.toml": f"""\
baseURL = "{BASE_URL}"
title = "{SITE_TITLE}"
languageCode = "en"
paginate = 10
rssLimit = 20
disableKinds = ["section", "sitemap", "robotsTXT", "404"]

[taxonomies]
tag = "tags"

[permalinks]
posts = "/:year/:month/:filename/"

[outputs]
home = ["HTML", "RSS"]
page = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]

[params]
related = true

[related]
includeNewer = true
threshold = 80
toLower = false

[[related.indices]]
name = "tags"
weight = 100

[[related.indices]]
name = "date"
weight = 10
pattern = "2006"
""",
    "config/norelated/params.toml": "related = false\n",
    "layouts/_default/baseof.html": """\
<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ "index.xml" | absURL }}">
</head>
<body>
<header class="site"><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a> · <a href="{{ "tags/" | relURL }}">Tags</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
""",
    "layouts/_default/single.html": """\
{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<article>
<header>
<h1>{{ .Title }}</h1>
<p class="dek">{{ .Params.summary }}</p>
<p class="byline">By {{ delimit .Params.authors ", " }} · <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time></p>
</header>
{{ with .Params.takeaways }}
<section class="takeaways"><h2>Key Takeaways</h2>
<ol>{{ range . }}<li>{{ . | markdownify }}</li>{{ end }}</ol>
</section>
{{ end }}
<div class="body">{{ .Content }}</div>
<p class="tags">{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</article>
{{ if site.Params.related }}
<section class="related"><h2>Related Articles</h2>
<ol class="related-list">
{{ range first 4 (.Site.RegularPages.Related .) }}<li class="related-item"><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 January 2006" }}</time></li>
{{ end }}</ol>
</section>
{{ end }}
{{ end }}
""",
    # the front page, and each tag's page (Hugo looks for term.html, then taxonomy.html, for a term)
    "layouts/_default/list.html": HUGO_LIST,
    "layouts/_default/term.html": HUGO_LIST,
    # the index of all tags
    "layouts/_default/taxonomy.html": """\
{{ define "title" }}Tags · {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>Tags</h1>
<ul class="terms">{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
""",
    # the main feed and each tag's feed: newest 20, full text
    "layouts/_default/rss.xml": """\
{{- $pages := .Pages -}}
{{- if .IsHome }}{{ $pages = site.RegularPages }}{{ end -}}
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link>{{ .Permalink }}</link>
<description>Latest articles</description>
<language>{{ site.LanguageCode }}</language>
{{ with .OutputFormats.Get "RSS" }}<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>{{ end }}
{{ range first 20 $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid><pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate><description>{{ .Content | html }}</description></item>
{{ end }}</channel>
</rss>
""",
}

PELICAN_FILES: dict[str, str] = {
    "pelicanconf.py": f"""\
# Written by benchmarks/compare.py: the Pelican side of the comparison.
SITENAME = "{SITE_TITLE}"
SITEURL = "{BASE_URL.rstrip("/")}"
RELATIVE_URLS = False
AUTHOR = "Staff"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PATH = "content"
THEME = "theme"
PLUGINS = []
SLUGIFY_SOURCE = "basename"
FORMATTED_FIELDS = ["summary", "takeaways"]
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
STATIC_PATHS = []
THEME_STATIC_PATHS = []

ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
# what the others do not render either: no category, author or archive pages
DIRECT_TEMPLATES = ["index", "tags"]
CATEGORY_SAVE_AS = ""
AUTHOR_SAVE_AS = ""

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {{"index": None, "tag": None}}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)

FEED_ALL_ATOM = "feeds/all.atom.xml"
TAG_FEED_ATOM = "tags/{{slug}}/feed.atom.xml"
FEED_MAX_ITEMS = 20
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
""",
    "theme/templates/base.html": """\
<!doctype html>
<html lang="{{ DEFAULT_LANG }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ SITENAME }}{% endblock %}</title>
<link rel="alternate" type="application/atom+xml" title="{{ SITENAME }}" href="{{ FEED_DOMAIN }}/{{ FEED_ALL_ATOM }}">
</head>
<body>
<header class="site"><a href="{{ SITEURL }}/">{{ SITENAME }}</a> · <a href="{{ SITEURL }}/{{ TAGS_URL }}">Tags</a></header>
<main>
{% block content %}{% endblock %}
</main>
</body>
</html>
""",
    # no related list: Pelican has none built in, and the comparison runs no plugins
    "theme/templates/article.html": """\
{% extends "base.html" %}
{% block title %}{{ article.title }} · {{ SITENAME }}{% endblock %}
{% block content %}
<article>
<header>
<h1>{{ article.title }}</h1>
<div class="dek">{{ article.summary }}</div>
<p class="byline">By {{ article.authors|join(", ") }} · <time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time></p>
</header>
{% if article.takeaways %}
<section class="takeaways"><h2>Key Takeaways</h2>
{{ article.takeaways }}
</section>
{% endif %}
<div class="body">{{ article.content }}</div>
<p class="tags">{% for tag in article.tags %}<a href="{{ SITEURL }}/{{ tag.url }}">{{ tag }}</a> {% endfor %}</p>
</article>
{% endblock %}
""",
    "theme/templates/entries.html": """\
<ol class="entries">
{% for article in articles_page.object_list %}<li><h2><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a></h2>{{ article.summary }}<p><time>{{ article.locale_date }}</time> · {{ article.authors|join(", ") }}</p></li>
{% endfor %}</ol>
<nav class="pagination">{% if articles_page.has_previous() %}<a rel="prev" href="{{ SITEURL }}/{{ articles_previous_page.url }}">Newer</a> {% endif %}Page {{ articles_page.number }} of {{ articles_paginator.num_pages }}{% if articles_page.has_next() %} <a rel="next" href="{{ SITEURL }}/{{ articles_next_page.url }}">Older</a>{% endif %}</nav>
""",
    "theme/templates/index.html": """\
{% extends "base.html" %}
{% block content %}
<h1>Latest</h1>
{% include "entries.html" %}
{% endblock %}
""",
    "theme/templates/tag.html": """\
{% extends "base.html" %}
{% block title %}{{ tag }} · {{ SITENAME }}{% endblock %}
{% block content %}
<h1>{{ tag }}</h1>
{% include "entries.html" %}
{% endblock %}
""",
    "theme/templates/tags.html": """\
{% extends "base.html" %}
{% block title %}Tags · {{ SITENAME }}{% endblock %}
{% block content %}
<h1>Tags</h1>
<ul class="terms">{% for tag, articles in tags|sort %}<li><a href="{{ SITEURL }}/{{ tag.url }}">{{ tag }}</a> ({{ articles|count }})</li>
{% endfor %}</ul>
{% endblock %}
""",
}


# ---------------------------------------------------------------- installing the peers


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_hugo() -> str | None:
    """The hugo binary, installed from Debian when missing; None when it cannot be had."""
    found = shutil.which("hugo")
    if found is None:
        if os.geteuid() != 0:
            progress("error: hugo is not installed and this is not root: run `apt-get install -y hugo` first")
            return None
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        progress("installing Hugo from Debian (apt-get install -y hugo) …")
        attempt = subprocess.run(
            ["apt-get", "install", "-y", "hugo"], check=False, capture_output=True, text=True, env=env
        )
        if attempt.returncode != 0:  # an old package list: update it once and try again
            subprocess.run(["apt-get", "update"], check=False, capture_output=True, text=True, env=env)
            attempt = subprocess.run(
                ["apt-get", "install", "-y", "hugo"], check=False, capture_output=True, text=True, env=env
            )
        found = shutil.which("hugo")
        if attempt.returncode != 0 or found is None:
            progress(f"error: could not install hugo:\n{tail(attempt.stdout + attempt.stderr)}")
            return None
    return found


def ensure_pelican() -> Path | None:
    """benchmarks/.peers/venv/bin/pelican (Pelican 4.12), created when missing or of another version."""
    pelican = PELICAN_VENV / "bin" / "pelican"
    if version_of([str(pelican), "--version"]).startswith("4.12"):
        return pelican
    progress(f"installing {' '.join(PELICAN_REQUIREMENTS)} into {PELICAN_VENV} …")
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(PELICAN_VENV)],
        [str(PELICAN_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", *PELICAN_REQUIREMENTS],
    ]
    for step in steps:
        done = subprocess.run(step, check=False, capture_output=True, text=True)
        if done.returncode != 0:
            progress(f"error: {' '.join(step)} failed:\n{tail(done.stdout + done.stderr)}")
            return None
    return pelican if version_of([str(pelican), "--version"]).startswith("4.12") else None


def version_of(command: list[str]) -> str:
    try:
        done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
    except OSError:
        return ""
    found = re.search(r"\d+\.\d+(\.\d+)?", done.stdout + done.stderr)
    return found.group(0) if done.returncode == 0 and found else ""


def tail(text: str, lines: int = 15) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])


# ---------------------------------------------------------------- measuring


@dataclass
class Output:
    """What a build wrote."""

    article_pages: int = 0
    html_pages: int = 0
    files: int = 0
    related: list[tuple[str, list[str]]] = field(default_factory=list)  # (slug, related slugs) of each article page


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: Output
    others: float  # cores kept busy by other processes during the run, on average
    edit: str = ""  # for an edit's build: which edit (Edit.name)


@dataclass
class Row:
    n: int
    disk: str
    label: str
    runs: list[Run] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(r.seconds for r in self.runs) if self.runs and not self.error else None

    @property
    def peak_mb(self) -> float | None:
        return max(r.peak_mb for r in self.runs) if self.runs and not self.error else None

    @property
    def others(self) -> float | None:
        return max(r.others for r in self.runs) if self.runs and not self.error else None


def brief_env() -> dict[str, str]:
    """brief's environment: with a bytecode cache, as an installed package has (pip compiles on install).

    brief is installed editable here and the machine may set PYTHONDONTWRITEBYTECODE, so without
    this every run would compile brief's sources again; the cache lives outside the source tree.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def warm_brief() -> None:
    """Fill brief's bytecode cache with one build of a tiny corpus, outside the measurements."""
    from corpus import write_corpus

    with tempfile.TemporaryDirectory(prefix="brief-bench-warm-") as tmp:
        site = write_corpus(Path(tmp) / "site", 5)
        command = [
            sys.executable,
            "-m",
            "brief",
            "build",
            "--site",
            str(site),
            "--output",
            str(Path(tmp) / "out"),
            "-q",
        ]
        subprocess.run(command, check=False, capture_output=True, env=brief_env())


@dataclass
class Timed:
    seconds: float  # wall clock
    peak_mb: float
    others: float  # cores kept busy by other processes meanwhile, on average
    code: int
    printed: str


def busy_cpu_seconds() -> float:
    """CPU time spent by the whole machine so far, idle and I/O wait left out (from /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_for_idle(limit: float, idle_below: float = 0.1) -> None:
    """Wait, at most limit seconds, for a second in which other processes keep less than idle_below of a core busy."""
    deadline = time.monotonic() + limit
    while True:
        before = busy_cpu_seconds()
        time.sleep(1.0)
        busy = busy_cpu_seconds() - before
        if busy < idle_below or time.monotonic() >= deadline:
            if busy >= idle_below:
                progress(f"  (the machine is still busy: {busy:.2f} cores in use by others; measuring anyway)")
            return


def timed(command: list[str], env: dict[str, str] | None = None) -> Timed:
    """Run a command to its end; also how busy the rest of the machine was meanwhile."""
    with tempfile.TemporaryFile() as log:
        busy = busy_cpu_seconds()
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        busy = busy_cpu_seconds() - busy
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        log.seek(0)
        printed = log.read().decode("utf-8", errors="replace")
    others = max(0.0, busy - usage.ru_utime - usage.ru_stime) / seconds
    # ru_maxrss is in KB on Linux
    return Timed(seconds, usage.ru_maxrss / 1024, others, proc.returncode, printed)


def inspect(out: Path, count_related: bool) -> Output:
    found = Output()
    for root, _, files in os.walk(out):
        rel_root = os.path.relpath(root, out)
        for name in files:
            found.files += 1
            if not name.endswith(".html"):
                continue
            found.html_pages += 1
            rel = name if rel_root == "." else f"{rel_root}/{name}"
            if ARTICLE_PAGE.fullmatch(rel):
                found.article_pages += 1
                if count_related:
                    with open(os.path.join(root, name), encoding="utf-8") as f:
                        links = RELATED_LINK.findall(f.read())
                    found.related.append((slug_of(rel_root), [slug_of(link) for link in links]))
    return found


def slug_of(url: str) -> str:
    """The slug in an article URL or path: /2020/01/a000001/ → a000001."""
    return url.rstrip("/").rsplit("/", 1)[-1]


def check(output: Output, out: Path, n: int, feed: str) -> str | None:
    if output.article_pages < n:
        return f"{output.article_pages:,} article pages (YYYY/MM/slug/index.html), expected {n:,}"
    feed_path = out / feed
    if not feed_path.is_file() or feed_path.stat().st_size == 0:
        return f"no feed at {feed}"
    return None


def fresh_folder(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


class Bench:
    """Runs and records the builds of one corpus size on one output location."""

    def __init__(self, sites: Sites, disk: str, base: Path, runs: int, wait_idle: float) -> None:
        self.sites, self.disk, self.base, self.runs, self.wait_idle = sites, disk, base, runs, wait_idle
        self.rows: list[Row] = []
        self.edit_targets = edit_targets(len(list((sites.brief / "content").glob("*.md"))))

    def measure(
        self,
        row: Row,
        run: int,
        command: list[str],
        out: Path,
        feed: str,
        verify: Callable[[Path], str | None] | None = None,
        env: dict[str, str] | None = None,
        edit: str = "",
    ) -> bool:
        """Time one build and check its output (and with verify, what verify(out) says is wrong);
        False, with row.error set, when it failed."""
        os.sync()
        if self.wait_idle > 0:
            wait_for_idle(self.wait_idle)
        result = timed(command, env)
        first = not row.runs
        output = inspect(out, count_related=first) if result.code == 0 else Output()
        problem = f"exit code {result.code}" if result.code != 0 else check(output, out, self.sites.n, feed)
        if not problem and verify:
            problem = verify(out)
        where = f"[{self.sites.n:,} {self.disk}] {row.label}{f' ({edit})' if edit else ''} run {run}/{self.runs}"
        if problem:
            row.error = problem
            progress(f"error: {where}: {problem}\n{tail(result.printed)}")
            return False
        row.runs.append(Run(result.seconds, result.peak_mb, output, result.others, edit))
        progress(
            f"{where}: {result.seconds:.2f} s, peak {result.peak_mb:,.0f} MB, {output.html_pages:,} HTML pages, "
            f"other processes {result.others:.2f} cores"
        )
        if first and result.printed.strip():
            progress(f"  {row.label} printed:\n{tail(result.printed, 8)}")
        return True

    def row(self, label: str) -> Row:
        row = Row(self.sites.n, self.disk, label)
        self.rows.append(row)
        return row

    def brief(self) -> None:
        site = self.sites.brief
        cold, same, edit = self.row(BRIEF_COLD), self.row(BRIEF_SAME), self.row(BRIEF_EDIT)
        new_tag = self.row(BRIEF_NEW_TAG)
        for run in range(1, self.runs + 1):
            out = fresh_folder(self.base / "brief")
            shutil.rmtree(site / ".brief-cache", ignore_errors=True)
            argv = brief_command(site, out)
            if not self.measure(cold, run, argv, out, "feed.xml", env=brief_env()):
                same.error = edit.error = new_tag.error = "the cold build failed"
                break
            if not same.error:
                self.measure(same, run, argv, out, "feed.xml", env=brief_env())
            for change in EDITS:
                if edit.error:
                    break
                self.edit_build(edit, run, site, argv, out, change, settle=True)
            if not new_tag.error:
                self.edit_build(new_tag, run, site, argv, out, NEW_TAG, settle=False)
            shutil.rmtree(out, ignore_errors=True)

    def brief_search(self) -> None:
        """The search-on sibling site: a cold build, then the first edit (its ratio is to that edit's search-off builds)."""
        site = self.sites.brief_search
        cold, edit = self.row(BRIEF_SEARCH_COLD), self.row(BRIEF_SEARCH_EDIT)
        for run in range(1, self.runs + 1):
            out = fresh_folder(self.base / "brief-search")
            shutil.rmtree(site / ".brief-cache", ignore_errors=True)
            argv = brief_command(site, out)
            if not self.measure(cold, run, argv, out, "feed.xml", search_written, brief_env()):
                edit.error = "the cold build failed"
                break
            if not edit.error:
                self.edit_build(edit, run, site, argv, out, EDITS[0], settle=False, verify=search_written)
            shutil.rmtree(out, ignore_errors=True)

    def edit_build(
        self,
        row: Row,
        run: int,
        site: Path,
        argv: list[str],
        out: Path,
        change: Edit,
        settle: bool,
        verify: Callable[[Path], str | None] | None = None,
    ) -> None:
        """One edit, its timed build, the restore and (with settle) an untimed build of the restored
        site, so that the next edit's build finds output and cache as they were before this one."""
        expect = edit_article(site, change, run, self.edit_targets)

        def shows(out: Path) -> str | None:
            return (verify and verify(out)) or edit_problem(out, expect)

        try:
            ok = self.measure(row, run, argv, out, "feed.xml", shows, brief_env(), change.name)
        finally:
            restore_edit(site)
        if ok and settle:
            result = timed(argv, brief_env())
            problem = f"exit code {result.code}" if result.code else restored_problem(out, expect)
            if problem:
                row.error = f"the build after restoring {change.name}: {problem}"
                progress(f"error: [{self.sites.n:,} {self.disk}] {row.label} run {run}: {row.error}")

    def hugo(self, hugo: str, related: bool) -> None:
        row = self.row(HUGO_RELATED if related else HUGO_PLAIN)
        for run in range(1, self.runs + 1):
            out = fresh_folder(self.base / "hugo")
            cache = fresh_folder(self.base / "hugo-cache")
            command = [
                hugo,
                "--source",
                str(self.sites.hugo),
                "--destination",
                str(out),
                "--quiet",
                "--cacheDir",
                str(cache),
                "--noBuildLock",
            ]
            if not related:
                command += ["--environment", "norelated"]
            ok = self.measure(row, run, command, out, "index.xml")
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            if not ok:
                break
        if row.runs and not related and any(links for _, links in row.runs[0].output.related):
            row.error = "built with --environment norelated, but its article pages list related articles"
            progress(f"error: [{self.sites.n:,} {self.disk}] {row.label}: {row.error}")

    def pelican(self, pelican: Path) -> None:
        row = self.row(PELICAN)
        site = self.sites.pelican
        for run in range(1, self.runs + 1):
            out = fresh_folder(self.base / "pelican")
            shutil.rmtree(site / "cache", ignore_errors=True)
            command = [str(pelican), str(site / "content"), "-o", str(out), "-s", str(site / "pelicanconf.py"), "-q"]
            ok = self.measure(row, run, command, out, "feeds/all.atom.xml")
            shutil.rmtree(out, ignore_errors=True)
            if not ok:
                break


@dataclass(frozen=True)
class Edit:
    """One of the edits of "cached, 1 edit": what changes, in the article at position count // divisor."""

    part: str  # body, title, tags, dek or new tag
    divisor: int

    @property
    def name(self) -> str:
        return f"{self.part} n/{self.divisor}"


EDITS = (Edit("body", 2), Edit("body", 3), Edit("title", 4), Edit("tags", 5), Edit("dek", 6))
NEW_TAG = Edit("new tag", 7)
"""The edit of "cached, new tag": a tag that no article has, added to one (its own row, not in the median of EDITS)."""


@dataclass(frozen=True)
class Expect:
    """What the output shows after an edit: text on the article's page, and for the tag edit the
    tag, whose pages must list the article."""

    slug: str
    text: str
    tag: str | None = None


def brief_command(site: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "brief", "build", "--site", str(site), "--output", str(out), "-q"]


def search_written(out: Path) -> str | None:
    return None if (out / "pagefind" / "pagefind.js").is_file() else "no search index (pagefind/pagefind.js)"


def edit_targets(count: int) -> dict[str, int]:
    """The position of each edit's article in the sorted file list: a different article each,
    while there are enough."""
    targets: dict[str, int] = {}
    for change in (*EDITS, NEW_TAG):
        position = count // change.divisor
        while position in targets.values() and len(targets) < count:
            position = (position + 1) % count
        targets[change.name] = position
    return targets


def edit_article(site: Path, change: Edit, run: int, targets: dict[str, int]) -> Expect:
    """Make one edit to one article file, after saving it (text and time stamps) for restore_edit."""
    import yaml

    articles = sorted((site / "content").glob("*.md"))
    path = articles[targets[change.name]]
    original = path.read_text(encoding="utf-8")
    end = original.index("\n---\n", 3)
    front, body = original[:end], original[end:]
    tag = None
    if change.part == "body":
        period = original.index(".", end + 5)
        text = f", as revised in run {run}"
        edited = original[:period] + text + original[period:]
    elif change.part in ("title", "dek"):
        line = re.search(rf"^{change.part}: (.+)$", front, re.MULTILINE)
        if line is None:
            raise SystemExit(f"{path}: no {change.part} line to edit")
        new = (
            f"{line.group(1)} revised in run {run}"
            if change.part == "title"
            else f"{line.group(1)} Revised in run {run}."
        )
        edited = front[: line.start(1)] + new + front[line.end(1) :] + body
        text = html.escape(new, quote=False)
    else:
        has = yaml.safe_load(front[4:]).get("tags", [])
        tag = f"Newsroom Topic {run}" if change.part == "new tag" else extra_tag(articles, has)
        line = re.search(r"^tags:\n", front, re.MULTILINE)
        if line is None:
            raise SystemExit(f"{path}: no tags list to add to")
        edited = front[: line.end()] + f"- {tag}\n" + front[line.end() :] + body
        text = html.escape(tag, quote=False)
    meta = yaml.safe_load(edited[4 : edited.index("\n---\n", 3)])  # the edit is what was meant
    if (tag and tag not in meta["tags"]) or (
        change.part in ("title", "dek") and html.escape(meta[change.part], quote=False) != text
    ):
        raise SystemExit(f"{path}: the {change.name} edit did not read back as intended")
    restore_edit(site)  # never two edits at once
    info = path.stat()
    (site / EDIT_BACKUP).write_text(
        json.dumps({"path": str(path), "text": original, "times": [info.st_atime_ns, info.st_mtime_ns]}),
        encoding="utf-8",
    )
    path.write_text(edited, encoding="utf-8")
    return Expect(path.stem, text, tag)


def extra_tag(articles: list[Path], has: list[str]) -> str:
    """The first tag of the corpus, in file order, that an article lacks."""
    import yaml

    for path in articles:
        text = path.read_text(encoding="utf-8")
        for tag in yaml.safe_load(text[4 : text.index("\n---\n", 3)]).get("tags", []):
            if tag not in has:
                return tag
    raise SystemExit("the corpus has no tag to add: every article has them all")


def article_page(out: Path, slug: str) -> Path | None:
    pages = list(out.glob(f"*/*/{slug}/index.html"))
    return pages[0] if pages else None


def tag_href(page: str, tag: str) -> str | None:
    """Where the article page's link to a tag leads."""
    found = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>{re.escape(html.escape(tag, quote=False))}</a>', page)
    return found.group(1) if found else None


def edit_problem(out: Path, expect: Expect) -> str | None:
    """What the output lacks of an edit: the new text on the article's page, and for a tag, its
    link there and the article in the tag's pages (the first page or a later one)."""
    page = article_page(out, expect.slug)
    text = page.read_text(encoding="utf-8") if page else ""
    if expect.tag is None:
        return None if expect.text in text else f"the page of {expect.slug} does not show the edit ({expect.text!r})"
    href = tag_href(text, expect.tag)
    if page is None or href is None:
        return f"the page of {expect.slug} has no link to the added tag {expect.tag!r}"
    url = f'/{page.parent.relative_to(out).as_posix()}/"'
    folder = out / href.removeprefix(BASE_URL.rstrip("/")).strip("/")
    if not any(url in listing.read_text(encoding="utf-8") for listing in folder.rglob("index.html")):
        return f"the pages of the tag {expect.tag!r} ({href}) do not list {expect.slug}"
    return None


def restored_problem(out: Path, expect: Expect) -> str | None:
    """What is left of an edit in the output of the build after its restore."""
    page = article_page(out, expect.slug)
    text = page.read_text(encoding="utf-8") if page else ""
    if page is None:
        return f"no page for {expect.slug}"
    if tag_href(text, expect.tag) if expect.tag else expect.text in text:
        return f"the page of {expect.slug} still shows the edit ({expect.text!r})"
    return None


def restore_edit(site: Path) -> None:
    backup = site / EDIT_BACKUP
    if backup.exists():
        saved = json.loads(backup.read_text(encoding="utf-8"))
        path = Path(saved["path"])
        path.write_text(saved["text"], encoding="utf-8")
        if "times" in saved:
            # The file is as it was, time stamp included: a build after this one sees an
            # unchanged site, as it would if the edit had never happened.
            os.utime(path, ns=tuple(saved["times"]))
        backup.unlink()


# ---------------------------------------------------------------- the table


def median_of(rows: list[Row], like: Row, label: str, edit: str = "") -> float | None:
    """The median of the row called label at like's size and output location (of one edit's builds, with edit)."""
    for row in rows:
        if row.label == label and row.n == like.n and row.disk == like.disk and row.runs and not row.error:
            times = [run.seconds for run in row.runs if not edit or run.edit == edit]
            return statistics.median(times) if times else None
    return None


def ratios(row: Row, rows: list[Row]) -> tuple[float | None, float | None, float | None]:
    """This row's median ÷ hugo (related)'s, ÷ hugo (no related)'s, and (search-on rows) ÷ search off's."""

    def over(label: str, edit: str = "") -> float | None:
        other = median_of(rows, row, label, edit)
        return row.median / other if row.median is not None and other and label != row.label else None

    search_off = None
    if row.label == BRIEF_SEARCH_COLD:
        search_off = over(BRIEF_COLD)
    elif row.label == BRIEF_SEARCH_EDIT:
        search_off = over(BRIEF_EDIT, EDITS[0].name)
    return over(HUGO_RELATED), over(HUGO_PLAIN), search_off


COLUMNS = (
    "articles",
    "output",
    "tool",
    "median s",
    "peak MB",
    "HTML pages",
    "files",
    "÷ hugo rel.",
    "÷ hugo plain",
    "÷ search off",
    "others",
)


def cells(row: Row, rows: list[Row]) -> list[str]:
    disk = "tmpfs" if row.disk == "tmpfs" else "disk"
    if row.error or not row.runs or row.median is None:
        return [f"{row.n:,}", disk, row.label, "error", *[""] * (len(COLUMNS) - 4)]
    output = row.runs[0].output
    return [
        f"{row.n:,}",
        disk,
        row.label,
        f"{row.median:.2f}",
        f"{row.peak_mb:,.0f}",
        f"{output.html_pages:,}",
        f"{output.files:,}",
        *(f"{r:.2f}" if r is not None else "–" for r in ratios(row, rows)),
        f"{row.others:.2f}",
    ]


def table(rows: list[Row], markdown: bool) -> str:
    body = [cells(row, rows) for row in rows]
    if markdown:
        align = ["---:", "---", "---", *["---:"] * (len(COLUMNS) - 3)]
        lines = [f"| {' | '.join(COLUMNS)} |", f"|{'|'.join(align)}|"]
        lines += [f"| {' | '.join(line)} |" for line in body]
        return "\n".join(lines)
    widths = [max(len(col), *(len(line[i]) for line in body)) for i, col in enumerate(COLUMNS)]
    left = {1, 2}  # output, tool

    def fmt(line: list[str] | tuple[str, ...]) -> str:
        parts = [value.ljust(w) if i in left else value.rjust(w) for i, (value, w) in enumerate(zip(line, widths))]
        return "  ".join(parts).rstrip()

    return "\n".join([fmt(COLUMNS)] + [fmt(line) for line in body])


def related_notes(rows: list[Row], topics: dict[int, dict[str, int]]) -> list[str]:
    """How many related articles each tool listed, and how many of them share the article's topic."""
    notes = []
    seen: set[tuple[int, str]] = set()
    for row in rows:
        key = (row.n, row.label)
        if key in seen or not row.runs or row.label in (*BRIEF_CACHED, BRIEF_SEARCH_COLD):
            continue
        seen.add(key)
        pages = row.runs[0].output.related
        listed = sum(len(links) for _, links in pages)
        if row.label == PELICAN:
            what = "none (Pelican has no built-in related articles; no plugins)"
        elif row.label == HUGO_PLAIN:
            what = "none (the related block is off, .Related is never called)" if not listed else "some (unexpected)"
        elif pages:
            short = sum(1 for _, links in pages if len(links) < 4)
            topic = topics.get(row.n, {})
            same = sum(1 for slug, links in pages for link in links if topic.get(slug, -1) == topic.get(link, -2))
            what = (
                f"{listed / len(pages):.2f} on average, {short:,} of {len(pages):,} pages with fewer than 4; "
                f"{same / listed if listed else 0:.0%} of them from the article's own topic"
            )
        else:
            what = "not counted"
        notes.append(f"{row.n:,} articles, {row.label}: {what}")
    return notes


def legend(runs: int) -> list[str]:
    median = (
        f"median s: median wall time of {runs} run(s), each into a fresh empty output folder (the brief "
        f"cached rows: into the cold run's output; brief (cached, 1 edit): of {len(EDITS)} edits × {runs} "
        "run(s), see below); peak MB: highest peak RSS of those runs (of the largest process: the build or one "
        "of its workers or helpers)."
    )
    edits = (
        f"brief (cached, 1 edit): one build with the cache (Python's start included) after each of {len(EDITS)} "
        "edits, each to another article (by position in the sorted files): "
        + ", ".join(f"{change.part} at n/{change.divisor}" for change in EDITS)
        + " (a tag of the corpus added, so tag pages and related lists change); each edit is restored, and the "
        "site built again untimed, before the next. brief (cached, new tag): then a tag no article has added to "
        f"the article at n/{NEW_TAG.divisor} (a new tag page and feed), one build per run."
    )
    ratio = (
        "÷ hugo rel. / ÷ hugo plain: this row's median ÷ the median of hugo (related) / hugo (no related) at "
        "the same size and output; below 1: this row is faster than that Hugo build (Hugo renders every page "
        "on each run; the brief cached rows are set against it all the same)."
    )
    search = (
        "÷ search off: what Pagefind search costs: brief (cold, search on) ÷ brief (cold); brief (cached, 1 "
        f"edit, search on), the {EDITS[0].name} edit only, ÷ brief (cached, 1 edit)'s builds of that same edit. "
        "The search-on rows build the same articles (hard links) in a sibling site whose brief.toml says "
        "search = true."
    )
    others = (
        "others: cores kept busy by other processes during the runs (the highest of the runs' averages, from "
        "/proc/stat less the build's own CPU time); well above 0 means the times are skewed (on disk it also "
        "counts the kernel writing back the build's own output)."
    )
    work = (
        "Comparable work: article pages with a related list, front page and tag pages (10 a page), tag index, "
        "main and per-tag feeds. brief also writes section, author and archive pages, a JSON feed, section "
        "feeds, sitemaps, a 404 page and page metadata (so more HTML pages and files); Pelican has no related "
        "lists."
    )
    return [median, edits, ratio, search, others, work]


def summary_notes(rows: list[Row]) -> list[str]:
    """The median of each edit of brief (cached, 1 edit), and Pelican against brief (cold)."""
    notes = []
    for row in rows:
        where = f"{row.n:,} articles, {row.disk}"
        if row.label == BRIEF_EDIT and row.runs and not row.error:
            each = [
                f"{change.name} {median_of(rows, row, BRIEF_EDIT, change.name) or 0:.2f} s"
                for change in EDITS
                if any(run.edit == change.name for run in row.runs)
            ]
            notes.append(f"{where}, {BRIEF_EDIT}, median of each edit: {', '.join(each)}")
        if row.label == PELICAN and row.median is not None:
            brief = median_of(rows, row, BRIEF_COLD)
            if brief:
                notes.append(
                    f"{where}, pelican: {row.median:.2f} s = {row.median / brief:.2f} × brief (cold)'s "
                    f"{brief:.2f} s (above 1: brief is faster)"
                )
    return notes


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", type=int, nargs="*", default=[1000], help="corpus sizes (default: 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each build (default: 3)")
    parser.add_argument(
        "--disk",
        choices=("tmpfs", "disk", "both"),
        default="tmpfs",
        help="where the output goes: /dev/shm, benchmarks/.corpus/ or both (default: tmpfs)",
    )
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="comma-separated, of brief,hugo,pelican (default: all)"
    )
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default: 7)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="S",
        help="before each run, wait up to S seconds for the rest of the machine to be idle "
        "(for a shared machine; default: 0, do not wait)",
    )
    parser.add_argument(
        "--images",
        action="store_true",
        help="after the table, run benchmarks/images.py (the image benchmark) and print its output",
    )
    args = parser.parse_args()
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown or not tools:
        parser.error(f"--tools: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(TOOLS)}")
    if args.runs < 1 or any(n < 1 for n in args.sizes):
        parser.error("--runs and the sizes must be at least 1")
    disks = ["tmpfs", "disk"] if args.disk == "both" else [args.disk]

    hugo = ensure_hugo() if "hugo" in tools else None
    pelican = ensure_pelican() if "pelican" in tools else None
    versions = [f"brief {version_of([sys.executable, '-m', 'brief', '--version']) or '?'}"]
    if hugo:
        hugo_version = version_of([hugo, "version"])
        versions.append(f"Hugo {hugo_version}")
        if not hugo_version.startswith(HUGO_TESTED):
            progress(f"note: the Hugo site was written for Hugo {HUGO_TESTED}; this is {hugo_version}")
    if pelican:
        versions.append(f"Pelican {version_of([str(pelican), '--version'])}")

    if "brief" in tools:
        progress("warming brief's bytecode cache …")
        warm_brief()
    load = os.getloadavg()[0]
    if load > 1.0 and not args.wait_idle:
        progress(f"warning: load average {load:.2f}: other work on this machine will skew the times")
    rows: list[Row] = []
    topics: dict[int, dict[str, int]] = {}
    started = time.perf_counter()
    bases: list[Path] = []
    try:
        for n in args.sizes:
            sites = prepare_sites(n, args.seed, tools)
            topics[n] = json.loads((sites.brief / "topics.json").read_text(encoding="utf-8"))
            for tool, folder in (("brief", sites.brief), ("hugo", sites.hugo), ("pelican", sites.pelican)):
                if tool in tools:
                    warm(folder / "content")
            for disk in disks:
                parent = TMPFS if disk == "tmpfs" else DISK_OUTPUT
                parent.mkdir(parents=True, exist_ok=True)
                base = Path(tempfile.mkdtemp(prefix="brief-bench-", dir=parent))
                bases.append(base)
                bench = Bench(sites, disk, base, args.runs, args.wait_idle)
                if "brief" in tools:
                    bench.brief()
                    bench.brief_search()
                if "hugo" in tools:
                    if hugo:
                        bench.hugo(hugo, related=True)
                        bench.hugo(hugo, related=False)
                    else:
                        bench.row(HUGO_RELATED).error = "hugo is not installed"
                if "pelican" in tools:
                    if pelican:
                        bench.pelican(pelican)
                    else:
                        bench.row(PELICAN).error = "pelican could not be installed"
                rows += bench.rows
                shutil.rmtree(base, ignore_errors=True)
    finally:
        for base in bases:
            shutil.rmtree(base, ignore_errors=True)
    progress(f"all runs took {time.perf_counter() - started:.0f} s")
    load_after = os.getloadavg()[0]

    where = {"tmpfs": f"tmpfs = {TMPFS}", "disk": f"disk = {DISK_OUTPUT.relative_to(HERE.parent)}/ on {disk_device()}"}
    print(
        f"{' · '.join(versions)} · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs · "
        f"load average {load:.2f} before, {load_after:.2f} after · {args.runs} run(s) · output: {'; '.join(where[d] for d in disks)}"
    )
    print()
    print(table(rows, args.markdown))
    print()
    prefix = "- " if args.markdown else ""
    for row in rows:
        if row.error or not row.runs:
            print(f"{prefix}error: {row.n:,} articles, {row.disk}, {row.label}: {row.error or 'not run'}")
    for line in legend(args.runs):
        print(prefix + line)
    for line in summary_notes(rows):
        print(prefix + line)
    print(
        prefix + "Related articles listed on each article page (first run), and their share from the same topic "
        "of the clustered corpus:"
    )
    for line in related_notes(rows, topics):
        print(("  - " if args.markdown else "  ") + line)
    if args.images:
        run_images()


def run_images() -> None:
    """benchmarks/images.py, a benchmark of its own, run after the table with brief's environment."""
    print()
    if not IMAGES_SCRIPT.exists():
        print(f"--images: {IMAGES_SCRIPT.relative_to(HERE.parent)} does not exist (yet); no image benchmark run")
        return
    print(f"Images ({IMAGES_SCRIPT.relative_to(HERE.parent)}):", flush=True)
    code = subprocess.run([sys.executable, str(IMAGES_SCRIPT)], check=False, env=brief_env()).returncode
    if code != 0:
        print(f"--images: {IMAGES_SCRIPT.relative_to(HERE.parent)} exited with code {code}")


def disk_device() -> str:
    """The file system of the on-disk output folder, as df names it."""
    try:
        done = subprocess.run(
            ["df", "--output=source,fstype", str(CORPUS)], check=False, capture_output=True, text=True
        )
        return " ".join(done.stdout.splitlines()[1].split())
    except (OSError, IndexError):
        return "?"


if __name__ == "__main__":
    main()
