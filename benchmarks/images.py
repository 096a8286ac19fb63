"""The image stage of a cold build on real photos, this checkout beside an older one.

    .venv/bin/python benchmarks/images.py                         # this checkout
    .venv/bin/python benchmarks/images.py --baseline ../base17    # and another checkout's brief
    .venv/bin/python benchmarks/images.py --encoders              # encoder settings: time and bytes

The photos: about 100 openly licensed (public-domain) photos, screenshots and charts of
0.1–2 MB from 18F's website repository (a bare git mirror, by default
/work/.mirror/18F+18f.gsa.gov/repo at commit 0a55c75e): every JPEG and PNG under
``assets/blog/`` and ``assets/img/`` in that size range, sorted by path, taken at even steps.
They are extracted once into benchmarks/.corpus/images-18f/photos/ (gitignored), and a
small brief site is written beside them: 34 articles, each with a hero and two images in
its text; one photo is the hero of one article and an image in another's text.

Each round builds the site in a fresh process for every checkout (the baseline's source put
first on PYTHONPATH), without the build cache, twice: with an empty image cache (cold) and
again with the copies the first build left (warm). The image stage is measured two ways:

- **cold − warm**: the cold build's time less the warm build's. This is the only measure
  the older code allows, which encodes the copies inside its "markdown" stage; it is
  computed for both checkouts, so they are compared alike.
- **stage**: this checkout's own ``timings["images"]`` of the cold build.

Rounds alternate between the checkouts, minutes apart at most; the table gives each
round and the median. Wall time on a shared machine varies: compare within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / ".corpus" / "images-18f"
MIRROR = Path("/work/.mirror/18F+18f.gsa.gov/repo")
COMMIT = "0a55c75e"
COUNT = 100
SIZES = (100_000, 2_000_000)

_DRIVER = """
import json, resource, sys, time
from datetime import UTC, datetime
from pathlib import Path
from brief.build import BuildOptions, build
from brief.config import load_config
site, out = Path(sys.argv[1]), Path(sys.argv[2])
def cpu():
    return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))
config = load_config(site)
started, used = time.perf_counter(), cpu()
result = build(config, out, BuildOptions(now=datetime(2026, 6, 1, tzinfo=UTC)))
import brief
took = {"total": time.perf_counter() - started, "cpu": cpu() - used, "source": brief.__file__}
print(json.dumps({**took, **result.timings}))
"""


def photos(mirror: Path, commit: str, count: int) -> list[Path]:
    """The photos, extracted from ``mirror`` once (deterministically: sorted by path, evenly spaced)."""
    folder = CORPUS / "photos"
    found = sorted(folder.glob("*")) if folder.is_dir() else []
    if len(found) == count:
        return found
    listing = subprocess.run(
        ["git", "--git-dir", str(mirror), "ls-tree", "-r", "-l", commit],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    candidates = []
    for row in listing.splitlines():
        meta, path = row.split("\t", 1)
        _, kind, blob, size = meta.split()
        if (
            kind == "blob"
            and size.isdigit()  # a blob absent from the mirror is listed without a size
            and SIZES[0] <= int(size) <= SIZES[1]
            and path.startswith(("assets/blog/", "assets/img/"))
            and path.lower().endswith((".jpg", ".jpeg", ".png"))
        ):
            candidates.append((path, blob))
    candidates.sort()
    step = len(candidates) / count
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for n in range(count):
        path, blob = candidates[int(n * step)]
        data = subprocess.run(
            ["git", "--git-dir", str(mirror), "cat-file", "blob", blob], capture_output=True, check=True
        )
        (folder / f"{n:03d}-{Path(path).name.lower()}").write_bytes(data.stdout)
    return sorted(folder.glob("*"))


def write_site(pictures: list[Path]) -> Path:
    """A site whose 34 articles show the pictures: a hero and two in the text each."""
    site = CORPUS / "site"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content" / "pics").mkdir(parents=True)
    (site / "brief.toml").write_text(
        'title = "Photos"\nbase_url = "https://example.org/"\nsearch = false\n', encoding="utf-8"
    )
    for picture in pictures:
        shutil.copyfile(picture, site / "content" / "pics" / picture.name)
    names = [p.name for p in pictures]
    groups = [names[i : i + 3] for i in range(0, len(names), 3)]
    groups[1] = [*groups[1], groups[0][0]]  # the first article's hero, shown again in the second's text
    for n, group in enumerate(groups):
        hero, *text = group
        body = "\n\n".join(
            f"Paragraph {k} of article {n}.\n\n![Picture {k}](pics/{name})" for k, name in enumerate(text)
        )
        (site / "content" / f"a{n:02d}.md").write_text(
            f"---\ntitle: Article {n}\ndate: 2026-01-{1 + n % 28:02d}\ntakeaways:\n- One point.\n"
            f"image:\n  src: pics/{hero}\n  alt: Hero {n}\n---\n{body or 'Text.'}\n",
            encoding="utf-8",
        )
    return site


def run(checkout: Path, site: Path, cold: bool) -> dict[str, float]:
    """One build of ``site`` by ``checkout``'s brief in a fresh process; its timings."""
    if cold:
        shutil.rmtree(site / ".brief-cache", ignore_errors=True)
    out = CORPUS / "out"
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    # Run from a folder without brief/ in it: "python -c" puts the working folder first on sys.path.
    proc = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(site), str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=CORPUS,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"build by {checkout} failed:\n{proc.stderr[-3000:]}")
    shutil.rmtree(out, ignore_errors=True)
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    assert Path(found.pop("source")).is_relative_to(checkout), f"{checkout}'s brief was not the one imported"
    return found


def compare(site: Path, checkouts: dict[str, Path], rounds: int) -> None:
    """Cold and warm builds by each checkout in turn, ``rounds`` times; each round's times and
    the medians (wall time, and CPU time of every thread and process of the build)."""
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in checkouts}
    for r in range(rounds):
        for name, checkout in checkouts.items():
            first = run(checkout, site, cold=True)
            second = run(checkout, site, cold=False)
            row = {
                "cold build": first["total"],
                "cold-warm": first["total"] - second["total"],
                "cpu cold-warm": first["cpu"] - second["cpu"],
                "stage": first.get("images", float("nan")),
            }
            rows[name].append(row)
            shown = "  ".join(f"{k} {v:6.2f} s" for k, v in row.items())
            print(f"round {r + 1} {name:9s} {shown}  (markdown cold {first['markdown']:.2f} s)", flush=True)
    print(f"\nmedians of {rounds} rounds")
    medians = {}
    for name, found in rows.items():
        medians[name] = {k: statistics.median(row[k] for row in found) for k in found[0]}
        print(f"{name:10s} " + "  ".join(f"{k} {v:6.2f} s" for k, v in medians[name].items()))
    if "baseline" in medians:
        wall = medians["this"]["cold-warm"] / medians["baseline"]["cold-warm"]
        cpu = medians["this"]["cpu cold-warm"] / medians["baseline"]["cpu cold-warm"]
        print(f"\nimage stage (cold-warm), this / baseline: wall {wall:.2f}x, cpu {cpu:.2f}x")


def encoders(pictures: list[Path]) -> None:
    """Encode time (one thread) and total bytes of every copy the build makes of the photos,
    for each candidate setting; the resizing is done once, outside the timing."""
    sys.path.insert(0, str(ROOT))
    from brief.media.copies import LOSSLESS
    from brief.media.images import WIDTHS
    from brief.media.pixels import decode, profile, read_header, resized, save, sniff, turned

    work: dict[str, list] = {"JPEG": [], "PNG": [], "WEBP": [], "lossless": []}
    for picture in pictures:
        data = picture.read_bytes()
        kind = sniff(data)
        assert kind is not None
        header = read_header(data, kind)
        image = turned(decode(data, kind), header.orientation)
        fmt = "JPEG" if header.format in ("JPEG", "MPO") else header.format
        widths = [w for w in WIDTHS if w < image.width] + ([image.width] if image.width <= WIDTHS[-1] else [])
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            for target in (fmt, "WEBP"):
                if target == fmt and width == image.width:
                    continue  # the original stands in
                copy = resized(image, width, height, target)
                icc = profile(image, target)
                work[target].append((copy, {"icc_profile": icc} if icc else {}))
                if target == "WEBP" and fmt == "PNG" and width == image.width:
                    work["lossless"].append((copy, {"icc_profile": icc} if icc else {}))
    settings = [
        ("WEBP", {"quality": 80, "method": 4}),
        ("WEBP", {"quality": 80, "method": 6}),
        ("WEBP", {"quality": 80, "method": 3}),
        ("WEBP", {"quality": 80, "method": 2}),
        ("WEBP", {"quality": 80, "method": 0}),
        ("WEBP", {"quality": 75, "method": 2}),
        ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
        ("JPEG", {"quality": 82}),
        ("PNG", {"optimize": True}),
        ("PNG", {"compress_level": 6}),
        ("PNG", {"compress_level": 3}),
        ("lossless", {"lossless": True, "quality": 80, "method": 4}),
        ("lossless", dict(LOSSLESS)),
    ]
    print(f"{'format':9s} {'setting':48s} {'copies':>6s} {'encode s':>9s} {'MB':>8s}")
    for kind, options in settings:
        started = time.process_time()
        total = 0
        lossy = {"quality": 80, "method": 2}
        for copy, extra in work[kind]:
            data = save(copy, "WEBP" if kind == "lossless" else kind, {**options, **extra})
            if kind == "lossless":  # as the build keeps it: the smaller of the two
                data = min(data, save(copy, "WEBP", {**lossy, **extra}), key=len)
            total += len(data)
        took = time.process_time() - started
        shown = ", ".join(f"{k}={v}" for k, v in options.items())
        print(f"{kind:9s} {shown:48s} {len(work[kind]):6d} {took:9.2f} {total / 1e6:8.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--baseline", type=Path, help="another checkout (its folder holding brief/) to measure alongside"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mirror", type=Path, default=MIRROR)
    parser.add_argument("--encoders", action="store_true", help="compare encoder settings instead")
    args = parser.parse_args()
    pictures = photos(args.mirror, COMMIT, COUNT)
    print(f"{len(pictures)} photos, {sum(p.stat().st_size for p in pictures) / 1e6:.1f} MB, in {pictures[0].parent}")
    if args.encoders:
        encoders(pictures)
        return
    site = write_site(pictures)
    checkouts = {"this": ROOT}
    if args.baseline is not None:
        checkouts["baseline"] = args.baseline.resolve()
    compare(site, checkouts, args.rounds)


if __name__ == "__main__":
    main()
