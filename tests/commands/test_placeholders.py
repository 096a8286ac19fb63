"""``placeholder-text``: the example text ``brief new`` and ``brief init`` write, left in an article
or page, is a warning of ``brief check`` and ``brief build`` on its file, line and field; each
replacement silences exactly its own warning."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from helpers import make_site, run_brief, run_build

from brief.commands.scaffold import init_site, new_article
from brief.config import load_config
from brief.content.files import load
from brief.content.pages import validate_content

NOW = datetime(2026, 10, 3, 8, 30, 5, tzinfo=UTC)
LEFT_IN = "placeholder text from 'brief new' left in"

REPLACEMENTS = [  # (what brief new wrote, what the editor writes instead, the warning's line and field)
    (
        "dek: >-\n  One or two sentences that tell the reader why this matters; also the page's\n  meta description.",
        "dek: The council's spending plan, line by line, for the three years ahead.\n\n",
        "3: warning: dek:",
    ),
    ("  - Example Tag", "  - Council budget", "11: warning: tags[0]:"),
    ("src: /images/placeholder.svg", "src: /images/budget.svg", "13: warning: image.src:"),
    (
        "alt: Describe what the image shows for readers who cannot see it",
        "alt: The town hall",
        "14: warning: image.alt:",
    ),
    (
        "caption: What the image shows, in one sentence.",
        "caption: The town hall, where the council voted on the budget.",
        "15: warning: image.caption:",
    ),
    ('credit: "Photo: Photographer / Agency"', 'credit: "Photo: Ana Ortiz"', "16: warning: image.credit:"),
    ("  - The single most important fact, in one sentence.", "  - Spending rises 4%.", "19: warning: takeaways[0]:"),
    ("  - Why it matters to the reader.", "  - Rates rise too.", "20: warning: takeaways[1]:"),
    ("  - What happens next.", "  - The vote is in May.", "21: warning: takeaways[2]:"),
    (
        "    The editor's view: what this changes, who gains, who loses, and what to watch.",
        "    Tight, but fair.",
        "25: warning: analysis.body:",
    ),
    (
        "  - title: Background reading\n    url: https://example.org/",
        "  - title: The budget in full\n    url: https://example.org/budget-2026/",
        "28: warning: related[0]:",
    ),
    (
        "Open with the news in one paragraph: what happened, where, and why it matters now.",
        "The council passed its budget.",
        "39: warning: body:",
    ),
    (
        "Give the reader the context they need. Link to earlier coverage by its file\nname, e.g. "
        "`[our earlier brief](other-article.md)`, and brief turns it into the\narticle's address.",
        "Spending rises 4% next year, after rising last year too.",
        "43: warning: body:",
    ),
    ("Close with what to watch for, and when.", "The final vote is on 12 May.", "49: warning: body:"),
]


def check(site: Path) -> subprocess.CompletedProcess:
    return run_brief(["check", "--site", str(site)])


def _placeholders(site: Path, path: Path) -> list[str]:
    """The placeholder-text warnings of one file, as the build formats them."""
    doc = load(path, site)
    assert not isinstance(doc, list), doc
    _, problems = validate_content(doc, load_config(site))
    return [p.format() for p in problems if p.code == "placeholder-text"]


def test_a_new_article_warns_on_each_example_until_it_is_replaced(tmp_path):
    site = make_site(
        tmp_path, {"static/images/budget.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'}, "search = false\n"
    )
    path = new_article(load_config(site), "Budget", now=NOW)
    result = check(site)
    assert result.returncode == 0, result.stdout
    assert (
        f'content/budget.md:16: warning: image.credit: {LEFT_IN} ("Photo: Photographer / Agency"); '
        "replace it with your own [placeholder-text]\n"
    ) in result.stdout
    assert (
        "content/budget.md:13: warning: image.src: placeholder image from 'brief new' left in "
        '("/images/placeholder.svg"); replace it with your own [placeholder-text]\n'
    ) in result.stdout
    assert (
        f'content/budget.md:43: warning: body: {LEFT_IN} ("Give the reader the context they need. Link to ea…"); '
        "replace it with your own [placeholder-text]\n"
    ) in result.stdout
    shown = re.findall(r"^(content/budget\.md:\d+: warning: [^:]+:) .*\[placeholder-text\]$", result.stdout, re.M)
    assert shown == [f"content/budget.md:{where}" for _, _, where in REPLACEMENTS]
    left = _placeholders(site, path)
    assert len(left) == len(REPLACEMENTS)
    for old, new, where in REPLACEMENTS:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
        now_left = _placeholders(site, path)
        assert len(now_left) == len(left) - 1, (where, now_left)  # exactly this one went, whatever lines moved
        assert not any(where.split(":", 1)[1] in line for line in now_left if "body:" not in where), now_left
        left = now_left
    assert left == []
    code, out, err = run_build(site)
    assert code == 0 and err == "", err


def test_a_rewrapped_example_paragraph_still_warns_and_so_does_the_canonical_example(tmp_path):
    site = make_site(tmp_path, {}, "search = false\n")
    path = new_article(load_config(site), "Budget", now=NOW)
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "need. Link to earlier coverage by its file\nname, e.g.",
        "need.\nLink to earlier coverage by its file name,\n  e.g.",
    )
    text = text.replace("# canonical:", "canonical:").replace("# aliases:", "aliases:")
    path.write_text(text, encoding="utf-8")
    found = _placeholders(site, path)
    assert any(line.startswith("content/budget.md:43: warning: body:") for line in found), found
    assert any(": warning: canonical: " in line for line in found)
    assert not any("aliases" in line for line in found)  # the README's own example path: a harmless redirect


def test_the_about_page_of_brief_init_warns_as_from_brief_init(tmp_path):
    site = tmp_path / "paper"
    init_site(site, "Harbour Notes")
    about = _placeholders(site, site / "content" / "pages" / "about.md")
    assert [line.split(": warning: ")[0] for line in about] == [f"content/pages/about.md:{n}" for n in (6, 12, 16)]
    assert all("placeholder text from 'brief init' left in" in line for line in about)


def test_placeholder_text_is_tuned_like_any_code(tmp_path):
    site = make_site(tmp_path, {}, 'search = false\n\n[warnings]\nplaceholder-text = "error"\n')
    new_article(load_config(site), "Budget", now=NOW)
    result = check(site)
    assert result.returncode == 1
    assert f'content/budget.md:16: image.credit: {LEFT_IN} ("Photo: Photographer / Agency")' in result.stdout
    assert "Check failed: 14 errors, 0 warnings" in result.stdout
    code, _, err = run_build(site)
    assert code == 1 and "build failed: 14 errors" in err
    (site / "brief.toml").write_text('search = false\n\n[warnings]\nplaceholder-text = "off"\n', encoding="utf-8")
    code, _, err = run_build(site)
    assert code == 0 and err == "", err
