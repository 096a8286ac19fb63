"""The pure-Python floor: what any Python generator must spend on a corpus, measured on it.

    .venv/bin/python benchmarks/floor.py [N] [--processes 1,2]

For each article of the benchmark corpus (benchmarks/corpus.py, N articles, the one
compare.py uses): read the file, parse the front matter with python-frontmatter, render
the body with markdown-it-py, fill a tiny Jinja template, write the page. Nothing else:
no index, no listings, no feeds, no related articles, no metadata. Prints the median
wall time of 3 runs per process count, output on tmpfs; compare with brief's cold
build of the same corpus from compare.py.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TEMPLATE = "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1>{{ body }}\n"


def _work(args: tuple[list[str], str]) -> int:
    import frontmatter
    import jinja2
    from markdown_it import MarkdownIt

    paths, out = args
    md = MarkdownIt("commonmark")
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    for path in paths:
        post = frontmatter.loads(Path(path).read_text(encoding="utf-8"))
        html = template.render(
            title=post.get("title", ""), body=jinja2.utils.markupsafe.Markup(md.render(post.content))
        )
        target = Path(out) / Path(path).stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(paths)


def run(paths: list[str], processes: int) -> float:
    out = tempfile.mkdtemp(prefix="brief-floor-", dir="/dev/shm")
    try:
        started = time.perf_counter()
        if processes == 1:
            _work((paths, out))
        else:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                pool.map(_work, [(paths[i::processes], out) for i in range(processes)])
        return time.perf_counter() - started
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, nargs="?", default=10000)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    site = HERE / ".corpus" / f"compare-{args.size}-seed{args.seed}" / "brief"
    if not (site / "content").is_dir():
        from corpus import write_corpus

        write_corpus(site, args.size, seed=args.seed)
    paths = sorted(str(p) for p in (site / "content").glob("*.md"))
    for count in (int(p) for p in args.processes.split(",")):
        times = [run(paths, count) for _ in range(3)]
        print(
            f"{len(paths):,} articles, {count} process(es): median {statistics.median(times):.2f} s "
            f"({', '.join(f'{t:.2f}' for t in times)})"
        )


if __name__ == "__main__":
    main()
