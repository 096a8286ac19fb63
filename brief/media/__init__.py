"""Media: images and static assets, as the other stages need them.

In: image and asset files on disk. Out: intrinsic sizes (``imagesize``, read from
file headers: stage 2 uses them), responsive copies in the image cache
(``images`` plans them from the originals' headers while the Markdown is rendered,
``copies`` makes them on every core in the build's image stage, ``pixels`` does
Pillow's reading, decoding, turning, resizing and encoding: stage 4 uses them) and
content-hashed names for stylesheets and scripts (``assets``). It imports no other
stage.
"""
