"""Measure one change of brief against another, side by side: alternating builds, per-stage medians.

    python benchmarks/ab.py BASE [NEW] [--articles 10000] [--mode edit|cold] [--runs 8] [--search]

BASE and NEW are git revisions (NEW defaults to the working tree as it is). Each side gets
its own checkout (a git worktree under the work folder; the working tree itself for NEW's
default), its own copy of the same generated corpus (benchmarks/corpus.py) and its own
bytecode cache, filled by untimed builds first. Then the two sides take turns, the order
swapped every round, so that a machine whose speed drifts (this one's varied by a fifth
over a morning) slows both alike:

- ``edit``: the same one-sentence body edit on both copies (another article each round),
  then ``brief build -v`` with the cache, as an editor's next build;
- ``cold``: ``brief build -v`` with ``.brief-cache/`` removed first.

``--search`` turns search on in both sites (the corpus has it off, as the peers it is
compared with have none).

It prints the median of each stage ``brief build -v`` reports, the wall time (Python's
start included) and the largest peak RSS, for each side.

Pitfalls this avoids, each of which skewed a measurement before: ``python -m brief`` puts
the current folder first on the path (a run from the repository measures the repository's
code whatever PYTHONPATH says: the builds run from the work folder); a side without
compiled bytecode, or with stale ``.pyc`` files, compiles on every run (each side has its
own PYTHONPYCACHEPREFIX, filled before timing); a clock set ahead with BRIEF_NOW dates the
URL ledger ahead (not set here).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
STAGE = re.compile(r"^(\S[\w+ ]*?)\s+([\d.]+) s\s+peak\s+(\d+) MB", re.M)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="git revision to measure against")
    parser.add_argument("new", nargs="?", default="", help="git revision (default: the working tree)")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--mode", choices=("edit", "cold"), default="edit")
    parser.add_argument("--runs", type=int, default=8, help="timed builds per side")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--search", action="store_true", help="with search on (Pagefind) in both sites")
    parser.add_argument("--work", type=Path, help="work folder (default: a new one on /dev/shm, else in /tmp)")
    args = parser.parse_args()
    shm = Path("/dev/shm")
    work = args.work or Path(tempfile.mkdtemp(prefix="brief-ab-", dir=shm if shm.is_dir() else None))
    work.mkdir(parents=True, exist_ok=True)
    trees: list[Path] = []
    try:
        sides = {
            "base": checkout(args.base, work / "tree-base", trees),
            "new": checkout(args.new, work / "tree-new", trees) if args.new else REPO,
        }
        sites = {name: corpus(work / f"site-{name}", args.articles, args.seed) for name in sides}
        if args.search:
            for site in sites.values():
                config = site / "brief.toml"
                config.write_text(config.read_text().replace("search = false", "search = true"))
        for name in sides:  # untimed: bytecode compiled, caches and spare trees made
            for _ in range(2):
                build(sides[name], sites[name], work, name)
        results: dict[str, dict[str, list[float]]] = {name: {} for name in sides}
        order = list(sides)
        for run in range(args.runs):
            if args.mode == "edit":
                for name in sides:
                    edit(sites[name], run, args.articles)
            for name in order if run % 2 == 0 else order[::-1]:
                if args.mode == "cold":
                    shutil.rmtree(sites[name] / ".brief-cache", ignore_errors=True)
                found = build(sides[name], sites[name], work, name)
                for key, value in found.items():
                    results[name].setdefault(key, []).append(value)
            print(f"run {run + 1}/{args.runs}: " + ", ".join(f"{n} {results[n]['wall'][-1]:.2f} s" for n in order))
        report(results, args)
    finally:
        for tree in trees:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def checkout(revision: str, where: Path, trees: list[Path]) -> Path:
    """A worktree of ``revision`` at ``where``."""
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(where), revision], check=True)
    trees.append(where)
    return where


def corpus(where: Path, n: int, seed: int) -> Path:
    sys.path.insert(0, str(HERE))
    from corpus import write_corpus

    return write_corpus(where, n, seed=seed)


def edit(site: Path, run: int, n: int) -> None:
    """Add a sentence to the body of one article (another one each run), as an editor would."""
    files = sorted((site / "content").glob("*.md"))
    path = files[(run * 7919 + n // 3) % len(files)]
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 3) + 5
    path.write_text(f"{text[:end]}A sentence added in run {run}.\n\n{text[end:]}", encoding="utf-8")


def build(tree: Path, site: Path, work: Path, name: str) -> dict[str, float]:
    """One ``brief build -v`` of ``site`` with the code of ``tree``: each stage's seconds,
    the wall time and the peak RSS (MB) of the largest process."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "BRIEF_NOW")}
    env.update(PYTHONPATH=str(tree), PYTHONPYCACHEPREFIX=str(work / f"pycache-{name}"))
    command = [sys.executable, "-m", "brief", "build", "-v", "--site", str(site), "--output", str(work / f"out-{name}")]
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if timer:
        command = [timer, "-f", "MAXRSS %M", *command]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=work, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{name}: brief build failed ({done.returncode}):\n{done.stderr[-2000:]}")
    found = {stage.strip(): float(seconds) for stage, seconds, _ in STAGE.findall(done.stdout + done.stderr)}
    found["wall"] = wall
    peak = re.search(r"MAXRSS (\d+)", done.stderr)
    if peak:
        found["peak MB"] = int(peak.group(1)) / 1024
    return found


def report(results: dict[str, dict[str, list[float]]], args: argparse.Namespace) -> None:
    names = list(results)
    shown_search = ", search on" if args.search else ""
    print(
        f"\n{args.articles:,} articles, {args.mode}{shown_search}, {args.runs} runs each, medians (peak: the largest)"
    )
    print(f"{'':16s}" + "".join(f"{n:>10s}" for n in names) + f"{'new/base':>10s}")
    for key in results[names[0]]:
        values = [results[n].get(key, [0.0]) for n in names]
        shown = [max(v) if key == "peak MB" else statistics.median(v) for v in values]
        ratio = f"{shown[1] / shown[0]:10.2f}" if shown[0] else f"{'-':>10s}"
        print(f"{key:16s}" + "".join(f"{v:10.3f}" for v in shown) + ratio)


if __name__ == "__main__":
    main()
