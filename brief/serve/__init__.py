"""The live preview (``brief serve``): a consumer of the pipeline, never part of it.

In: the site's folder. Out: the site built in memory and served on loopback, rebuilt
when a source changes. ``rebuild`` watches files and runs the build loop (and shows
a one-article edit at once through :func:`brief.build.render_article_page`);
``server`` is the HTTP server and its live-reload stream; ``live.js`` is the
browser's side of it.
"""
