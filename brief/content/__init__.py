"""Stages 1–2, content: the files under ``content/`` → validated articles.

In: the site's folder and its :class:`~brief.config.Config`. Out: typed, frozen
:class:`~brief.content.model.Article` objects and author profiles, or a list of
:class:`~brief.errors.Problem` naming the file, line and field of each mistake.

``files`` finds and reads the article files and splits off their front matter,
``yamllines`` parses it with the line of every key, ``schema`` checks each field
(through ``checker``; the hero image and related entries in ``references``, dates
in ``dates``) into an ``Article`` (``model``), ``pages`` tells a standalone page (About,
Contact) from an article and checks it into a ``Page``, ``authors`` reads the profiles, and
``load`` runs all of that for every file (with the build cache's part for this stage);
``bodies`` gives an article's Markdown body, read again from its file for an article that
was pickled without it (the cache's, a worker's).
Nothing here knows about other articles: cross-article checks are the site index's.
"""
