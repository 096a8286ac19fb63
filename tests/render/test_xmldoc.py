"""Feeds' and sitemaps' XML (brief.render.xmldoc.xml_document) is serialised by brief for the
trees it builds, byte for byte as ElementTree serialises them (tree_document): escaping of
text, tails and attribute values, empty elements, indentation, characters UTF-8 cannot hold;
a tree with a namespace or a comment goes to ElementTree itself."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brief.render.xmldoc import indented_document, indented_text, tree_document, xml_document

_TEXT = st.text(st.sampled_from(list("ab <>&\"'\r\n\t=/;é—") + ["\ud800", "\U0001f600"]), max_size=12)
_NAME = st.sampled_from(["feed", "entry", "link", "xml:lang", "xmlns", "href", "rel", "a-b", "x_1"])


@st.composite
def _tree(draw, depth: int = 0) -> ET.Element:
    attributes = draw(st.dictionaries(_NAME, _TEXT, max_size=3))
    element = ET.Element(draw(_NAME), attributes)
    element.text = draw(st.one_of(st.none(), _TEXT))
    element.tail = draw(st.one_of(st.none(), _TEXT)) if depth else None
    if depth < 3:
        for child in draw(st.lists(_tree(depth + 1), max_size=3)):
            element.append(child)
    return element


@pytest.mark.slow
@settings(max_examples=400)
@given(_tree(), st.booleans())
def test_the_bytes_elementtree_writes(tree, indented):
    if indented:
        ET.indent(tree)
    assert xml_document(tree) == tree_document(tree)


def test_a_feed_like_tree():
    feed = ET.Element("feed", {"xmlns": "http://www.w3.org/2005/Atom", "xml:lang": "en"})
    ET.SubElement(feed, "title").text = 'Q&A: "grid" <batteries>'
    ET.SubElement(feed, "link", {"rel": "self", "href": "https://example.org/feed.xml?a=1&b=2"})
    entry = ET.SubElement(feed, "entry")
    content = ET.SubElement(entry, "content", {"type": "html", "xml:base": "https://example.org/a/"})
    content.text = '<p class="x">Tab\there\r\nand é</p>'
    ET.SubElement(entry, "summary")
    ET.indent(feed)
    written = xml_document(feed)
    assert written == tree_document(feed)
    assert b"<summary />" in written and b'&lt;p class="x"&gt;' in written


def test_namespaces_and_comments_are_left_to_elementtree():
    root = ET.Element("{http://www.w3.org/2005/Atom}feed")
    root.append(ET.Comment(" made by brief "))
    ET.SubElement(root, "{http://www.w3.org/2005/Atom}id").text = "x"
    assert xml_document(root) == tree_document(root)
    assert b"<!-- made by brief -->" in xml_document(root)


def _deep(element: ET.Element) -> ET.Element:
    made = ET.Element(element.tag, dict(element.attrib))
    made.text, made.tail = element.text, element.tail
    made.extend(_deep(child) for child in element)
    return made


@settings(max_examples=300)
@given(_tree(), st.lists(_tree(1), max_size=4))
def test_children_written_apart_are_the_document_indented_whole(root, more):
    """A document whose last children are given as text, each written once on its own
    (indented_text at level 1), is the document of the whole tree indented by ET.indent."""
    for child in more:
        child.tail = None  # (an entry has none; one with a tail of its own: the next test)
    whole = _deep(root)
    for child in more:
        whole.append(_deep(child))
    ET.indent(whole)
    texts = [indented_text(_deep(child), level=1) for child in more]
    assert None not in texts
    written = indented_document(_deep(root), texts)  # type: ignore[arg-type]
    if not len(root) or (more and root[-1].tail and root[-1].tail.strip()):
        assert written is None  # (no child of its own to put them after, or text after it)
    else:
        assert written == xml_document(whole) == tree_document(whole)


def test_trees_left_to_elementtree_are_not_written_apart():
    namespaced = ET.Element("entry")
    ET.SubElement(namespaced, "{http://www.w3.org/2005/Atom}id").text = "x"
    assert indented_text(namespaced, level=1) is None
    root = ET.Element("{http://www.w3.org/2005/Atom}feed")
    ET.SubElement(root, "id").text = "x"
    assert indented_document(root, ["<entry />"]) is None
    with_tail = ET.Element("feed")
    ET.SubElement(with_tail, "id")
    with_tail.tail = "after"
    assert indented_document(with_tail, []) is None
    entry = ET.Element("entry")
    entry.tail = "text after it"
    assert indented_text(entry, level=1) is None
    entry.tail = "\n    "  # (whitespace: the document's own indentation takes its place)
    assert indented_text(entry, level=1) == "<entry />"
    assert entry.tail == "\n    "  # (left as it was)
