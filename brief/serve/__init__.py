"""The live preview (``brief serve``): a consumer of the pipeline, never part of it.

In: the site's folder. Out: the site built in memory and served on loopback, rebuilt
when a source changes. ``rebuild`` watches files and runs the build loop (and shows
a one-article edit at once through :func:`brief.edit.render_article_page`);
``server`` answers requests from the built site; ``connections`` holds every
connection on one thread with bounded time and count, speaking ``protocol`` (HTTP/1.1
requests and answers); ``hosts`` answers only the preview's own Host and Origin;
``live`` is the live-reload event stream, ``live.js`` and ``live-worker.js`` (one
stream per browser, shared by its tabs) the browser's side of it.
"""
