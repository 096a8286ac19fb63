"""Peak memory of `brief build` on one article with a very long body.

    .venv/bin/python benchmarks/memory.py [--mb 10] [--runs 1] [--keep DIR]

Writes two sites (search off: Pagefind is a program of its own): one whose only article has
a body of about ``--mb`` MB of ordinary Markdown (paragraphs with links, emphasis and code,
headings, bullet and numbered lists, quotes), and the same article with an empty body. Builds
each in a subprocess with a fresh cache and prints the body's size, each build's peak RSS
(``ru_maxrss`` from :func:`os.wait4`), and the ratio of the difference to the body's size:
the memory the body costs, per byte of it.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

FRONT_MATTER = """---
title: A Very Long Report
dek: Every paragraph of a long inquiry, in one article.
date: 2024-01-02
section: Economy
tags: [Inquiry, Budget]
takeaways:
  - The report is long.
---
"""
CONFIG = 'title = "Memory"\nbase_url = "https://example.org/"\nsearch = false\n'
_WORDS = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an they "
    "you were her she there been one all we their has would when if so no will more up out its who them about "
    "budget council market energy price policy report growth water school housing transport health workers "
    "inflation interest rate bank election minister committee contract storage battery wind solar grid demand "
    "supply region city rural farmers tariff export import credit lending household survey quarter forecast "
    "analysts estimate figure official statement investigation evidence hearing court ruling appeal regulator "
    "network station project funding deficit surplus revenue spending reform pension benefit union strike wage"
)
WORDS = _WORDS.split(" ")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.25:
        at = rng.randrange(len(words) - 2)
        words[at : at + 2] = [f"[{words[at]} {words[at + 1]}](https://example.org/{words[at]}/{rng.randint(1, 999)})"]
    if rng.random() < 0.15:
        at = rng.randrange(len(words))
        words[at] = f"*{words[at]}*" if rng.random() < 0.5 else f"**{words[at]}**"
    if rng.random() < 0.05:
        at = rng.randrange(len(words))
        words[at] = f"`{words[at]}`"
    return " ".join(words).capitalize() + rng.choice(".....?!")


def _block(rng: random.Random, n: int) -> str:
    roll = rng.random()
    if n % 12 == 0:
        return ("## " if n % 36 else "### ") + " ".join(rng.choice(WORDS) for _ in range(5)).capitalize()
    if roll < 0.08:
        return "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(3, 6)))
    if roll < 0.12:
        return "\n".join(f"{i}. {_sentence(rng)}" for i in range(1, rng.randint(3, 6)))
    if roll < 0.14:
        return "> " + " ".join(_sentence(rng) for _ in range(2))
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 7)))


def body(size: int, seed: int = 7) -> str:
    """About ``size`` bytes of Markdown: paragraphs, links, headings, lists and quotes."""
    rng = random.Random(seed)
    blocks: list[str] = []
    total = 0
    while total < size:
        blocks.append(_block(rng, len(blocks) + 1))
        total += len(blocks[-1]) + 2
    return "\n\n".join(blocks) + "\n"


def write_site(folder: Path, size: int, seed: int = 7) -> int:
    """A site in ``folder`` whose only article has a body of about ``size`` bytes; returns
    the article file's size in bytes."""
    (folder / "content").mkdir(parents=True, exist_ok=True)
    (folder / "brief.toml").write_text(CONFIG, encoding="utf-8")
    article = folder / "content" / "report.md"
    article.write_text(FRONT_MATTER + (body(size, seed) if size else "Short.\n"), encoding="utf-8")
    return article.stat().st_size


def peak_rss(site: Path, *args: str, timeout: float = 600) -> tuple[int, int, str]:
    """Build ``site`` in a subprocess; return (exit code, its peak RSS in bytes, its stderr)."""
    return peak_of([sys.executable, "-m", "brief", "build", "--site", str(site), "-q", *args], timeout)


def peak_of(argv: list[str], timeout: float = 600) -> tuple[int, int, str]:
    """Run ``argv``; return (exit code, its peak RSS in bytes, its stderr).

    The child is reaped with :func:`os.wait4`, whose ``ru_maxrss`` (KiB on Linux) is the
    largest resident size the process reached."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return proc.returncode, usage.ru_maxrss * 1024, err.read()


def measure(size: int, runs: int = 1, keep: Path | None = None) -> dict[str, float]:
    """Build the long-bodied site and the empty-bodied one ``runs`` times each (fresh cache);
    the lowest peak of each, the body's size and the ratio."""
    scratch = Path(tempfile.mkdtemp(prefix="brief-memory-", dir=keep))
    try:
        peaks = {}
        sizes = {}
        for name, wanted in (("long", size), ("empty", 0)):
            site = scratch / name
            sizes[name] = write_site(site, wanted)
            found = []
            for _ in range(runs):
                shutil.rmtree(site / ".brief-cache", ignore_errors=True)
                shutil.rmtree(site / "public", ignore_errors=True)
                code, peak, stderr = peak_rss(site)
                if code != 0:
                    raise SystemExit(f"brief build failed on {site} ({code}):\n{stderr}")
                found.append(peak)
            peaks[name] = min(found)
        added = sizes["long"] - sizes["empty"]
        return {
            "input": sizes["long"],
            "body": added,
            "peak": peaks["long"],
            "empty_peak": peaks["empty"],
            "ratio": (peaks["long"] - peaks["empty"]) / added,
        }
    finally:
        if keep is None:
            shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=10.0, help="size of the long body in MB (default 10)")
    parser.add_argument("--runs", type=int, default=1, help="builds of each site; the lowest peak counts")
    parser.add_argument("--keep", type=Path, help="write the sites under this folder and keep them")
    args = parser.parse_args()
    found = measure(int(args.mb * 1_000_000), args.runs, args.keep)
    mb = 1_000_000
    print(f"input file          {found['input'] / mb:8.1f} MB (body {found['body'] / mb:.1f} MB)")
    print(f"peak RSS, long body {found['peak'] / mb:8.1f} MB")
    print(f"peak RSS, no body   {found['empty_peak'] / mb:8.1f} MB")
    print(f"ratio               {found['ratio']:8.1f} × the body ((peak − no-body peak) / body size)")
    print(f"peak / input        {found['peak'] / found['input']:8.1f} ×")


if __name__ == "__main__":
    main()
