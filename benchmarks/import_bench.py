"""Time of `brief import` on generated archives of N posts (Jekyll, Hugo, WordPress WXR).

    .venv/bin/python benchmarks/import_bench.py [--posts 2000] [--kinds jekyll,hugo,wordpress] [--keep DIR]

Each archive is written the way its generator's users write one: Jekyll posts in
``_posts/YYYY-MM-DD-title.md`` with ``{% include %}``, ``{% post_url %}``, ``{{ site.baseurl }}``
and ``{% highlight %}``, authors in ``_data/authors.yml``, one image for every fourth post;
Hugo posts as page bundles under ``content/posts/`` with ``{{< figure >}}``, ``{{< youtube >}}``,
``{{< ref >}}`` and a site's own shortcode (both replaced through a ``--map`` file, as an editor would after
the first import's report); a WordPress export whose posts hold
``[caption]``, ``[embed]``, ``<!--more-->`` and Gutenberg comments. Every post has a dek,
categories, tags and about 400 words. The import runs as a user runs it (``python -m brief
import …`` in a subprocess, start-up included) into an empty folder; the script prints the
wall time, posts per second, and the time of the first `brief build` of the result
(search off: Pagefind is a program of its own and not part of an import).
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image

_TEXT = (
    "council budget market energy price policy report growth water school housing transport health workers "
    "inflation interest rate bank election minister committee contract storage battery wind solar grid demand "
    "the of and to in a is that for it as was with be by on not this are or from at which but have an they"
)
WORDS = _TEXT.split()
SECTIONS = ["Economy", "Climate", "Politics", "Health", "Technology"]
TAGS = ["Energy Storage", "Budget", "Housing", "Elections", "Water", "Transport", "Inflation", "Wind"]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def paragraphs(rng: random.Random) -> list[str]:
    return [words(rng, 80).capitalize() + "." for _ in range(5)]


def png(rng: random.Random) -> bytes:
    image = Image.new("RGB", (640, 360), tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jekyll(root: Path, n: int, rng: random.Random) -> None:
    (root / "_posts").mkdir(parents=True)
    (root / "assets/img").mkdir(parents=True)
    (root / "_data").mkdir()
    (root / "_config.yml").write_text(
        "title: Bench Jekyll\nurl: https://bench.example.org\nbaseurl: ''\npermalink: /:year/:month/:day/:title/\n"
        "timezone: Europe/London\n",
        encoding="utf-8",
    )
    (root / "_data/authors.yml").write_text(
        "".join(f"a{i}:\n  name: Author {i}\n  bio: Writes about things.\n" for i in range(20)), encoding="utf-8"
    )
    for i in range(n):
        day = f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        body = paragraphs(rng)
        if i % 4 == 0:
            (root / f"assets/img/p{i}.png").write_bytes(png(rng))
            body.insert(1, f"![Chart {i}]({{{{ site.baseurl }}}}/assets/img/p{i}.png)")
        if i % 5 == 0:
            body.insert(2, '{% include youtube.html id="dQw4w9WgXcQ" %}')
        if i % 7 == 0:
            body.insert(3, '{% include newsletter-signup.html list="daily" %}')
        if i > 0 and i % 3 == 0:
            prev = f"20{10 + (i - 1) % 15:02d}-{1 + (i - 1) % 12:02d}-{1 + (i - 1) % 28:02d}-post-{i - 1}"
            body.append(f"See [the earlier brief]({{% post_url {prev} %}}).")
        if i % 6 == 0:
            body.append("{% highlight python %}\nprint('hello')\n{% endhighlight %}")
        front = (
            f'---\nlayout: post\ntitle: "Post {i}: {words(rng, 5)}"\nexcerpt: {words(rng, 18)}.\n'
            f"date: {day} 10:{i % 60:02d}:00 +0100\nauthor: a{i % 20}\ncategories: [{SECTIONS[i % 5]}]\n"
            f"tags: [{TAGS[i % 8]}, {TAGS[(i + 3) % 8]}]\n---\n"
        )
        (root / f"_posts/{day}-post-{i}.md").write_text(front + "\n\n".join(body) + "\n", encoding="utf-8")


def hugo(root: Path, n: int, rng: random.Random) -> None:
    (root / "content/posts").mkdir(parents=True)
    (root / "hugo.toml").write_text(
        'baseURL = "https://bench.example.org/"\ntitle = "Bench Hugo"\n[permalinks]\nposts = "/:year/:month/:slug/"\n',
        encoding="utf-8",
    )
    for i in range(n):
        day = f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        bundle = root / f"content/posts/post-{i}"
        bundle.mkdir()
        body = paragraphs(rng)
        if i % 4 == 0:
            (bundle / "chart.png").write_bytes(png(rng))
            body.insert(1, f'{{{{< figure src="chart.png" alt="Chart {i}" caption="Figure {i}" >}}}}')
        if i % 5 == 0:
            body.insert(2, "{{< youtube dQw4w9WgXcQ >}}")
        if i % 7 == 0:
            body.insert(3, '{{< callout type="note" >}}Read this first.{{< /callout >}}')
        if i > 0 and i % 3 == 0:
            body.append(f'See [the earlier brief]({{{{< ref "/posts/post-{i - 1}" >}}}}).')
        front = (
            f'---\ntitle: "Post {i}: {words(rng, 5)}"\ndescription: {words(rng, 18)}.\ndate: {day}T10:00:00+01:00\n'
            f"authors: [Author {i % 20}]\ncategories: [{SECTIONS[i % 5]}]\ntags: [{TAGS[i % 8]}, {TAGS[(i + 3) % 8]}]\n---\n"
        )
        (bundle / "index.md").write_text(front + "\n\n".join(body) + "\n", encoding="utf-8")


def wordpress(root: Path, n: int, rng: random.Random) -> None:
    root.mkdir(parents=True)
    items = []
    for i in range(n):
        day = f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        paras = paragraphs(rng)
        content = f"{paras[0]}\n\n<!--more-->\n\n" + "\n\n".join(paras[1:])
        if i % 5 == 0:
            content += "\n\n[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]"
        if i % 4 == 0:
            content += (
                f'\n\n[caption id="attachment_{i}" align="aligncenter" width="640"]'
                f'<img src="https://bench.example.org/wp-content/uploads/2020/01/p{i}.png" alt="Chart {i}" '
                f'width="640" height="360" /> Figure {i}[/caption]'
            )
        items.append(
            f"<item><title>Post {i}: {escape(words(rng, 5))}</title>"
            f"<link>https://bench.example.org/{day[:4]}/{day[5:7]}/post-{i}/</link>"
            f"<dc:creator><![CDATA[a{i % 20}]]></dc:creator>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{i + 1}</wp:post_id>"
            f"<wp:post_date>{day} 10:00:00</wp:post_date><wp:post_date_gmt>{day} 09:00:00</wp:post_date_gmt>"
            f"<wp:post_name>post-{i}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
            f'<category domain="category" nicename="{SECTIONS[i % 5].lower()}"><![CDATA[{SECTIONS[i % 5]}]]></category>'
            f'<category domain="post_tag" nicename="t{i % 8}"><![CDATA[{TAGS[i % 8]}]]></category></item>'
        )
    authors = "".join(
        f"<wp:author><wp:author_login>a{i}</wp:author_login><wp:author_display_name><![CDATA[Author {i}]]>"
        "</wp:author_display_name></wp:author>"
        for i in range(20)
    )
    (root / "export.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Bench WordPress</title>'
        "<link>https://bench.example.org</link><wp:wxr_version>1.2</wp:wxr_version>"
        f"<wp:base_site_url>https://bench.example.org</wp:base_site_url>{authors}{''.join(items)}</channel></rss>\n",
        encoding="utf-8",
    )


MAP = """[replace]
"include newsletter-signup.html" = "[Sign up for the {list} newsletter](https://bench.example.org/newsletter/)"
callout = '''
::: callout {type|note}
{inner}
:::
'''
"""
"""The replacements an editor writes after reading the first import's report (README › Migrating)."""


def timed(args: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--kinds", default="jekyll,hugo,wordpress")
    parser.add_argument("--keep", type=Path, help="Keep the archives and sites in this folder.")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="brief-import-bench-"))
    makers = {"jekyll": jekyll, "hugo": hugo, "wordpress": wordpress}
    print(f"{'source':<10} {'posts':>6} {'import s':>9} {'posts/s':>8} {'build s':>8}  result")
    try:
        for kind in args.kinds.split(","):
            source, site = work / f"{kind}-source", work / f"{kind}-site"
            shutil.rmtree(source, ignore_errors=True)
            shutil.rmtree(site, ignore_errors=True)
            makers[kind](source, args.posts, random.Random(7))
            target = source / "export.xml" if kind == "wordpress" else source
            (work / "map.toml").write_text(MAP, encoding="utf-8")
            command = [sys.executable, "-m", "brief", "import", kind, str(target), "--into", str(site), "-q"]
            seconds, done = timed([*command, "--map", str(work / "map.toml")])
            if done.returncode != 0:
                print(f"{kind}: import failed\n{done.stdout}{done.stderr}")
                continue
            toml = site / "brief.toml"
            toml.write_text(toml.read_text(encoding="utf-8").replace("permalink", "search = false\npermalink", 1))
            built, result = timed(
                [sys.executable, "-m", "brief", "build", "--site", str(site), "-q", "--no-link-check"]
            )
            state = "built" if result.returncode == 0 else f"build exit {result.returncode}"
            print(f"{kind:<10} {args.posts:>6} {seconds:>9.2f} {args.posts / seconds:>8.0f} {built:>8.2f}  {state}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
