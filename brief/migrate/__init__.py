"""``brief import``: another generator's archive → a brief site, with every old URL kept.

In: a Hugo or Jekyll site folder, a WordPress export (WXR) or an RSS/Atom file, read from
files only (no network), and optionally a replacement map (``--map``).
Out: Markdown articles, standalone pages and author profiles under ``content/``, their
images and files copied beside them, ``brief.toml`` (permalink, ``[redirects]``),
``source-urls.txt`` (every URL the source published and where it leads now) and
``import-report.md`` / ``import-report.json`` (everything the import changed, converted,
could not convert or left out).

Each source has a reader (hugo, jekyll, wordpress, feed) that turns the archive into an
:class:`~brief.migrate.model.Archive`; :mod:`brief.migrate.plan` decides slugs, the
permalink and redirects; :mod:`brief.migrate.write` writes it without replacing a file
unless asked.
"""
