"""Stage 4, rendering: the site index → the bytes of every page, feed and sitemap.

In: the :class:`~brief.site.model.Site` and the theme's templates. Out: page plans
(``pages``: output path, template, context) rendered through Jinja (``templates``),
and feeds (``feeds``) and sitemaps (``sitemaps``) as bytes. Nothing is written here.

``markdown`` renders Markdown safely; ``articles`` runs it once over every
article (with the build cache's part for it); ``contract`` is the template
contract, every name a theme can use; ``views`` and ``share`` build those objects
from the index; ``metadata`` makes OpenGraph, Twitter and JSON-LD; ``keys`` gives
each page a key so a cached build can keep an unchanged page; ``links`` finds and
resolves the links of rendered HTML (the build's link check and ``brief check``).
"""
