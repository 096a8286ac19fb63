"""Stage 3, the site index: validated articles → one immutable :class:`~brief.site.model.Site`.

In: the articles and profiles of stage 2 and the config. Out: the ``Site`` (articles
in order, sections, tags, authors, related lists, URLs) and the problems that need
every article at once (slug clashes, unknown related slugs, duplicate headlines).

``index`` builds it; ``related`` scores automatic related-article suggestions
(TF-IDF over tags and key terms, section, recency); ``pages`` indexes the standalone pages
(URL clashes) and resolves ``[[menu]]``; ``model`` holds ``Site`` and ``Term``; ``redirects``
plans the redirects of old addresses (aliases, the URL ledger, and brief.toml's
``[redirects]`` in ``tableredirects``; ``places`` holds what they share).
Pure: nothing is read from or written to disk here.
"""
