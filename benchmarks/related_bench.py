"""Related-article suggestions: precision and speed at 1,000, 10,000 and 100,000 articles.

    .venv/bin/python benchmarks/related_bench.py            # 1k, 10k, 100k
    .venv/bin/python benchmarks/related_bench.py 1000 5000  # other sizes

For each size it writes the clustered corpus of benchmarks/corpus.py (cached in
benchmarks/.corpus/), then, in a fresh process, loads the articles and computes
every article's suggestions (related.count of them) as a build does. It prints
the load time, the time of the suggestion stage (indexing + scoring), memory
(RSS after loading, and the peak during the suggestion stage), and precision:
the share of suggestions from the same topic as the article.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
SIZES = (1_000, 10_000, 100_000)


def measure(site: Path) -> dict:
    from brief.config import load_config
    from brief.content.load import load_articles
    from brief.site.related import RelatedIndex

    config = load_config(site)
    started = time.perf_counter()
    articles = sorted(load_articles(config).articles, key=lambda a: a.sort_key)
    loaded = time.perf_counter()
    rss_loaded = _status_mb("VmRSS")
    _reset_peak()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    index = RelatedIndex(articles, config.related, config.language, now)
    picks = index.suggest_all([config.related.count] * len(articles), [set() for _ in articles])
    done = time.perf_counter()
    topics = json.loads((site / "topics.json").read_text())
    pairs = [(a.slug, articles[j].slug) for a, chosen in zip(articles, picks) for j in chosen]
    same = sum(topics[a] == topics[b] for a, b in pairs)
    return {
        "articles": len(articles),
        "load_s": round(loaded - started, 2),
        "related_s": round(done - loaded, 2),
        "rss_loaded_mb": rss_loaded,
        "peak_mb": _status_mb("VmHWM")
        if _PEAK_RESET
        else round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "suggestions": len(pairs),
        "with_none": sum(1 for chosen in picks if not chosen),
        "precision": round(same / len(pairs), 4) if pairs else None,
    }


_PEAK_RESET = False


def _reset_peak() -> None:
    """Start measuring peak memory from here (Linux: writing 5 to clear_refs resets VmHWM)."""
    global _PEAK_RESET
    try:
        Path("/proc/self/clear_refs").write_text("5")
        _PEAK_RESET = True
    except OSError:
        pass


def _status_mb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return None


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]))))
        return
    from corpus import write_corpus

    sizes = [int(arg) for arg in sys.argv[1:]] or list(SIZES)
    rows = []
    for n in sizes:
        site = HERE / ".corpus" / f"related-{n}"
        if not (site / "topics.json").exists():
            print(f"writing a corpus of {n:,} articles to {site} …", file=sys.stderr)
            write_corpus(site, n)
        out = subprocess.run(
            [sys.executable, __file__, "--measure", str(site)], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"measured {n:,}", file=sys.stderr)
    print("load: reading and validating the files; related: indexing and scoring every article;")
    print("RSS after load and peak RSS during the related stage, in MB (the peak includes the loaded articles)")
    print(
        f"{'articles':>9} {'load s':>7} {'related s':>10} {'RSS MB':>7} {'peak MB':>8} {'suggestions':>12} {'none':>6} {'precision':>10}"
    )
    for r in rows:
        print(
            f"{r['articles']:>9,} {r['load_s']:>7} {r['related_s']:>10} {r['rss_loaded_mb']:>7} {r['peak_mb']:>8} "
            f"{r['suggestions']:>12,} {r['with_none']:>6} {r['precision']:>10}"
        )


if __name__ == "__main__":
    main()
