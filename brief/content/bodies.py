"""An article's Markdown body, read again from its file when the article came without it.

A pickled article leaves its body out (brief.content.model): the build cache keeps every
article, but an unchanged article's body is needed only when its Markdown is rendered
again (an article it links to moved) or its term counts are made again, and a worker
process that parsed a file sends the article back without it. :func:`article_body` is
the one way to an article's body: the body it holds, or the file's, read now. The file
must still hold the bytes the article was made from (its digest, of the file's path and
bytes, as brief.content.load takes it); a file changed or gone since is an error that
names it, and the build stops (built again, it reads the file as it is now).
"""

from __future__ import annotations

from brief.content.files import body_of
from brief.content.model import Article
from brief.digests import digest
from brief.errors import BuildFailed, Problem
from brief.theme import TEXT_LIMIT, read_input

CHANGED = (
    "the file changed while the site was being built (expected it unchanged until the build ends); "
    "build again, or with --no-cache if this comes back (a change that kept the file's size and time)"
)


def article_body(article: Article) -> str:
    """The Markdown after ``article``'s front matter, exactly as the loader split it (``\\n``
    line ends, no byte-order mark). Raises :class:`BuildFailed` when the article came
    without its body and its file no longer holds the bytes it was made from."""
    if article.body is not None:
        return article.body
    try:
        data = read_input(article.path, TEXT_LIMIT)
    except OSError:  # (InputError too: the file was replaced by a folder, or grew too large)
        data = None
    found = None
    if data is not None and article.digest and digest(str(article.path), digest(data)) == article.digest:
        found = body_of(article.path, data)
    if found is None or found[1] != article.body_line:
        raise BuildFailed([Problem(article.relpath, None, None, CHANGED)])
    return found[0]
