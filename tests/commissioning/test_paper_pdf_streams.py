"""The object stream of a paper's PDF: written at zlib level 6, otherwise exactly as pydyf writes it."""

import zlib

import pydyf

from commissioning.papers import render

ORIGINAL = pydyf.Stream.data.fget.original.fget  # pydyf's own


def object_stream(compress=True):
    # An object stream as pydyf.PDF.write builds one: offsets, then the objects' data.
    objects = [b"<</Type /StructElem /S /P /P 3 0 R>>"] * 50
    return pydyf.Stream([b"4 0 5 37", *objects], {"Type": "/ObjStm", "N": len(objects), "First": 9}, compress)


def test_at_level_9_the_object_stream_is_byte_for_byte_pydyfs(monkeypatch):
    monkeypatch.setattr(render, "OBJECT_STREAM_LEVEL", 9)
    stream = object_stream()
    assert stream.data == ORIGINAL(stream)


def test_the_object_stream_is_deflated_at_level_6_and_inflates_to_the_same_objects():
    stream = object_stream()
    raw = b"\n".join(stream.stream)
    data = stream.data
    header, rest = data.split(b"\nstream\n", 1)
    content = rest.removesuffix(b"\nendstream")
    assert zlib.decompress(content) == raw
    level_6 = zlib.compressobj(level=6)
    assert content == level_6.compress(raw) + level_6.flush()
    assert header == b"<</Type /ObjStm/N 50/First 9/Filter /FlateDecode/Length %d>>" % len(content)
    assert content != zlib.compress(raw, 9)  # the level made a difference here


def test_other_streams_and_uncompressed_object_streams_are_pydyfs():
    page = pydyf.Stream([b"BT", b"/F1 11 Tf", b"(Page 1 of 11) Tj", b"ET"], compress=True)
    assert page.data == ORIGINAL(page)
    plain = object_stream(compress=False)
    assert plain.data == ORIGINAL(plain)
