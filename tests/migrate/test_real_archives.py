"""What importing three real archives taught (the OpenTelemetry site with Hugo, 18F's site with
Jekyll, WordPress's theme test data): each test is a small case of a construct those archives
hold that the import got wrong, written from scratch in tmp_path."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from test_jekyll import _liquid
from test_wordpress import expand_one

from brief.migrate import hugo, rawembeds
from brief.migrate.constructs import Replacements
from brief.migrate.links import Linker
from brief.migrate.model import Archive, Item, Listing, SiteInfo
from brief.migrate.plan import plan
from brief.migrate.report import Report
from brief.migrate.sourcefiles import read_source, safe_yaml

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _hugo(root: Path, files: dict[str, str]) -> tuple[Archive, Report]:
    report = Report()
    site = _write(root, {"hugo.toml": 'baseURL = "https://docs.example.org/"\ntitle = "Docs"\n', **files})
    return hugo.read(site, report=report, replacements=Replacements(), progress=lambda *a: None), report


def _item(archive: Archive, source: str) -> Item:
    return next(i for i in archive.items if i.source == source)


POST = "---\ntitle: {title}\ndate: 2024-0{n}-02\n---\nText.\n"


def test_a_top_folder_whose_every_page_is_skipped_does_not_stop_the_import(tmp_path):
    # OpenTelemetry: content/_includes/ holds snippets with build: {render: never}
    archive, report = _hugo(
        tmp_path,
        {
            "content/_includes/note.md": "---\nbuild: {render: never}\n---\nA note.\n",
            "content/blog/a.md": POST.format(title="A", n=1),
        },
    )
    assert [i.source for i in archive.items] == ["content/blog/a.md"]
    assert ("content/_includes/note.md", "build: render: never (Hugo does not publish it as a page)") in report.skipped


def test_param_reads_the_value_a_section_cascades_to_its_pages(tmp_path):
    archive, _ = _hugo(
        tmp_path,
        {
            "content/docs/_index.md": (
                "---\ntitle: Docs\ncascade:\n  vers: 0.158.0\n  java: {agent: 2.30.0}\n---\nAll at {{% param vers %}}.\n"
            ),
            "content/docs/install.md": "---\ntitle: Install\n---\nGet {{% param vers %}} and {{< param java.agent >}}.\n",
        },
    )
    assert _item(archive, "content/docs/install.md").body == "Get 0.158.0 and 2.30.0.\n"
    assert _item(archive, "content/docs/_index.md").body == "All at 0.158.0.\n"  # the section's own page too


def test_a_docs_section_index_with_text_is_a_page_a_blog_sections_is_a_listing(tmp_path):
    archive, _ = _hugo(
        tmp_path,
        {
            "content/docs/_index.md": "---\ntitle: Docs\n---\nAll the docs.\n",
            "content/docs/collector/_index.md": (
                "---\ntitle: Collector\naliases: [installation]\n---\n![Diagram](img/flow.svg)\n\n## Intro\n"
            ),
            "content/docs/collector/img/flow.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            "content/docs/collector/deploy.md": "---\ntitle: Deploy\n---\nSee [the collector](../).\n",
            "content/blog/_index.md": "---\ntitle: Blog\naliases: [/news/]\n---\nOur posts.\n",
            "content/blog/a.md": POST.format(title="A", n=1),
            "content/blog/b.md": POST.format(title="B", n=2),
        },
    )
    collector = _item(archive, "content/docs/collector/_index.md")
    assert (collector.kind, collector.urls, collector.front["slug"]) == (
        "page",
        ["/docs/collector/", "/docs/installation/"],
        "collector",
    )
    assert collector.body == "![Diagram](img/flow.svg)\n\n## Intro\n"
    assert [a.name for a in collector.assets] == ["img/flow.svg"]
    assert _item(archive, "content/docs/_index.md").urls == ["/docs/"]
    assert "content/blog/_index.md" not in [i.source for i in archive.items]  # its posts are dated: brief lists them
    listings = {listing.url: listing.kind for listing in archive.listings}
    assert listings["/blog/"] == listings["/news/"] == "archive"
    assert "/docs/collector/" not in listings and "/docs/" not in listings


def test_configuration_files_the_import_does_not_use_are_not_read(tmp_path):
    # OpenTelemetry: config/_default/module-template.yaml, rendered by a script, holds YAML anchors
    archive, _ = _hugo(
        tmp_path,
        {
            "config/_default/params.yaml": "description: Our docs\n",
            "config/_default/module-template.yaml": "mounts: [{source: a, sites: *nowhere}]\n",
            "content/blog/a.md": POST.format(title="A", n=1),
        },
    )
    assert archive.site.description == "Our docs"


def test_yaml_aliases_are_followed_while_what_they_repeat_stays_small():
    doc = read_source(
        "---\ntitle: KubeCon\nparams:\n  base: &url >-\n    https://events.example.org/kubecon\n  link: *url\n"
        "matrix: &en {languages: [en]}\nsites: {<<: *en, weight: 2}\n---\nBody\n"
    )
    assert doc.problem == ""
    assert doc.meta["params"]["link"] == "https://events.example.org/kubecon"
    assert doc.meta["sites"] == {"languages": ["en"], "weight": 2}
    with pytest.raises(yaml.YAMLError, match=r"alias \(\*a\) that refers to a value that holds it"):
        safe_yaml("a: &a [1, *a]\n")
    ladder = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcd", "bcde", strict=True)
    )
    with pytest.raises(yaml.YAMLError, match=r"alias \(\*c\) that repeats too much(.|\n)*line 4"):
        safe_yaml(ladder)


def _linked(bodies: dict[str, tuple[str, list[str]]], kind: str = "page") -> tuple[dict[str, Item], Linker]:
    items = {
        source: Item(source, kind, {"title": source, "slug": source.removesuffix(".md")}, body, urls=urls)
        for source, (body, urls) in bodies.items()
    }
    result = plan(
        Archive(items=list(items.values()), site=SiteInfo(base_url="https://docs.example.org/")),
        Report(),
        permalink_pattern=None,
        now=NOW,
    )
    return items, Linker(result, "https://docs.example.org/", Report())


def test_relative_links_are_read_from_the_pages_old_url_and_a_missing_slash_is_forgiven():
    items, linker = _linked(
        {
            "options.md": ("## Options\n", ["/docs/obi/configure/options/"]),
            "setup.md": ("", ["/docs/obi/setup/"]),
            "collector.md": ("", ["/docs/collector/"]),
        }
    )
    body = "[o](../configure/options/#options) [c](/docs/collector) [img](chart.png) [f](#x) [^1]\n\n[^1]: Footnote text.\n"
    out = linker.rewrite(body, "content/pages/setup.md", "/docs/obi/setup/")
    assert out == "[o](options.md#options) [c](collector.md) [img](chart.png) [f](#x) [^1]\n\n[^1]: Footnote text.\n"


def test_headings_and_reference_definitions_with_code_in_them_and_repeated_headings():
    items, linker = _linked(
        {
            "checks.md": (
                "### `MARKDOWN linter`\n\n### `CACHE updates` {#cache}\n\n## Appendix\n\n## Appendix\n\n## Appendix\n\n"
                "## `OTEL_TRACES_SAMPLER`\n",
                ["/docs/checks/"],
            ),
            "guide.md": ("", ["/docs/guide/"]),
        }
    )
    assert items["checks.md"].body == (
        "### `MARKDOWN linter`\n\n### `CACHE updates`\n\n## Appendix\n\n## Appendix\n\n## Appendix\n\n"
        "## `OTEL_TRACES_SAMPLER`\n"
    )
    body = (
        "See [lint][`MARKDOWN` linter], [cache], [last](/docs/checks/#appendix-2), [s](/docs/checks/#otel_traces_sampler).\n\n"
        "[`MARKDOWN` linter]: /docs/checks/#markdown-linter\n"
        "[cache]:\n  /docs/checks/#cache\n"
        "> [quoted]: /docs/guide/\n"
    )
    out = linker.rewrite(body, "content/pages/guide.md", "/docs/guide/")
    assert out == (
        "See [lint][`MARKDOWN` linter], [cache], [last](checks.md#appendix-3), [s](checks.md#otel-traces-sampler).\n\n"
        "[`MARKDOWN` linter]: checks.md#markdown-linter\n"
        "[cache]:\n  checks.md#cache-updates\n"
        "> [quoted]: guide.md\n"
    )


def test_a_file_a_bundle_links_to_goes_to_static_at_the_address_it_had(tmp_path):
    # brief copies images beside a page, not other files: pride-logo-pack.zip must keep its URL
    archive, report = _hugo(
        tmp_path,
        {
            "content/blog/pride/index.md": (
                "---\ntitle: Pride\ndate: 2025-06-01\n---\n![Logo](logo.png)\n\n[Download the pack](pack.zip).\n\n"
                "[slides]:\n  slides.pdf\n"
            ),
            "content/blog/pride/logo.png": "png",
            "content/blog/pride/pack.zip": "zip",
            "content/blog/pride/slides.pdf": "pdf",
        },
    )
    item = _item(archive, "content/blog/pride/index.md")
    assert "![Logo](logo.png)" in item.body
    assert "[Download the pack](/blog/pride/pack.zip)" in item.body
    assert "[slides]:\n  /blog/pride/slides.pdf" in item.body
    assert sorted((a.name, a.static) for a in item.assets) == [
        ("blog/pride/pack.zip", True),
        ("blog/pride/slides.pdf", True),
        ("logo.png", False),
    ]
    assert not report.missing


def test_an_audio_shortcode_with_its_file_written_first():
    # WordPress's theme test data: [audio https://…/blues.mp3]
    out, report = expand_one("[audio https://media.example.org/2008/06/blues.mp3]")
    assert out.strip() == "[Audio: blues.mp3](https://media.example.org/2008/06/blues.mp3)"
    assert not report.unconverted


def test_github_alerts_hugo_renders_become_callouts(tmp_path):
    # OpenTelemetry: 296 `> [!NOTE]`-style alerts in 146 pages (Hugo's blockquote render hook)
    archive, report = _hugo(
        tmp_path,
        {
            "content/docs/contributing.md": (
                "---\ntitle: Contributing\n---\n> [!TIP] Thank you!\n>\n> Read **this** first.\n\n"
                "- step\n\n  > [!WARNING]\n  > Not that.\n\n```\n> [!NOTE] in code\n```\n\n> [!FOO] a quote\n"
            ),
        },
    )
    assert _item(archive, "content/docs/contributing.md").body == (
        "::: callout tip Thank you!\n\nRead **this** first.\n:::\n\n- step\n\n  ::: callout warning\n  Not that.\n  :::\n\n"
        "```\n> [!NOTE] in code\n```\n\n> [!FOO] a quote\n"
    )
    assert report.converted["> [!NOTE] alert → ::: callout"] == 2


def test_a_link_whose_text_ends_with_an_exclamation_mark_is_rewritten():
    # Jekyll's own news: "about in [the changelog!](/docs/history/)" kept the old address
    items, linker = _linked({"history.md": ("## v3.4.0\n", ["/docs/history/"]), "news.md": ("", ["/news/"])})
    body = "See [the changelog!](/docs/history/) and [more!](/docs/history/#v3-4-0), ![chart](/img/a.png).\n"
    out = linker.rewrite(body, "content/pages/news.md", "/news/")
    assert out == "See [the changelog!](history.md) and [more!](history.md#v3-4-0), ![chart](/img/a.png).\n"


def test_page_excerpt_is_the_front_matters_when_it_writes_one():
    # 18F's Thanksgiving post opens with {{ page.excerpt }} and sets excerpt: in its front matter
    out, report = _liquid("{{ page.excerpt }}\n\n{{ page.content }}\n", {"excerpt": "We pause to reflect."})
    assert out == "We pause to reflect.\n\n{{ page.content }}\n"
    assert list(report.unconverted) == ["{{ page.content }}"]
    out, _ = _liquid("{{ page.excerpt }}\n", {})
    assert out == "{{ page.excerpt }}\n"  # Jekyll's own excerpt (the first paragraph) is left, and listed


def test_a_tweet_pasted_into_a_markdown_post_becomes_an_embed():
    # 18F: ten tweets pasted as Twitter's <blockquote class="twitter-tweet"> and <script>
    report = Report()
    tweet = (
        '<blockquote class="twitter-tweet" lang="en"><p lang="en">A woman on the $10 note. '
        '<a href="http://t.co/Ntw">http://t.co/Ntw</a></p>&mdash; Treasury (@USTreasury) '
        '<a href="https://twitter.com/USTreasury/status/611352350113071106">June 18, 2015</a></blockquote>\n'
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    )
    body = f"Before.\n\n{tweet}\n\nAfter.\n\n```html\n{tweet}\n```\n\n<blockquote>A quote.</blockquote>\n"
    out = rawembeds.convert(body, report)
    assert out == (
        "Before.\n\nhttps://twitter.com/USTreasury/status/611352350113071106\n\nAfter.\n\n"
        f"```html\n{tweet}\n```\n\n<blockquote>A quote.</blockquote>\n"
    )
    assert report.converted["<blockquote class=twitter-tweet> in Markdown → embed"] == 1


def test_a_page_never_takes_an_address_another_item_or_a_listing_published():
    # OpenTelemetry: docs/specs/status.md would have become /status/, the old address of
    # status.md, and docs/contributing/blog.md /blog/, the old blog index
    items = [
        Item(
            "content/docs/specs/status.md",
            "page",
            {"title": "Spec status", "slug": "status"},
            "",
            ["/docs/specs/status/"],
        ),
        Item(
            "content/docs/contributing/blog.md",
            "page",
            {"title": "Blog", "slug": "blog"},
            "",
            ["/docs/contributing/blog/"],
        ),
        Item("content/status.md", "page", {"title": "Status", "slug": "status"}, "", ["/status/", "/releases/"]),
    ]
    listings = [Listing("/blog/", "archive")]
    result = plan(Archive(items=items, listings=listings), Report(), permalink_pattern=None, now=NOW)
    urls = {p.item.source: p.url for p in result.placed}
    assert urls == {
        "content/docs/specs/status.md": "/status-2/",
        "content/docs/contributing/blog.md": "/blog-2/",
        "content/status.md": "/status/",
    }
    assert result.redirects["/blog/"] == "/archive/"
    assert result.redirects["/releases/"] == "/status/"


def test_an_address_without_its_html_and_a_text_file_under_static(tmp_path):
    # Let's Encrypt (uglyURLs): posts at /2026/01/15/post.html linked as /2026/01/15/post;
    # certificates published as /certs/root.txt from static/
    items, linker = _linked({"post.md": ("", ["/2026/01/15/post.html"]), "news.md": ("", ["/news/"])}, "page")
    out = linker.rewrite("[p](/2026/01/15/post) [q](/2026/01/15/other)\n", "content/pages/news.md", "/news/")
    assert out == "[p](post.md) [q](/2026/01/15/other)\n"
    archive, report = _hugo(
        tmp_path,
        {
            "static/certs/root.txt": "-----BEGIN CERTIFICATE-----\n",
            "content/docs/roots.md": "---\ntitle: Roots\n---\n[Root](/certs/root.txt), [feed](/index.xml).\n",
        },
    )
    item = _item(archive, "content/docs/roots.md")
    assert item.body == "[Root](/certs/root.txt), [feed](/index.xml).\n"
    assert [(a.name, a.static) for a in item.assets] == [("certs/root.txt", True)]
    assert not report.missing


def test_an_image_inside_a_link_is_copied_too(tmp_path):
    # Let's Encrypt: [![ISRG Certificate Hierarchy](/images/isrg-hierarchy.png)](/images/isrg-hierarchy-full.png)
    archive, report = _hugo(
        tmp_path,
        {
            "static/images/small.png": "png",
            "static/images/full.png": "png",
            "content/docs/roots.md": "---\ntitle: Roots\n---\n[![Roots](/images/small.png)](/images/full.png)\n",
        },
    )
    item = _item(archive, "content/docs/roots.md")
    assert item.body == "[![Roots](/images/small.png)](/images/full.png)\n"
    assert sorted(a.name for a in item.assets) == ["images/full.png", "images/small.png"]
    assert not report.missing
