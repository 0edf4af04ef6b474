"""Decoding text files the way planners save them.

Excel on a Chinese Windows PC saves "CSV" in the ANSI code page (GBK, a subset of
GB18030) and "Unicode text" in UTF-16 with a byte-order mark; other tools save UTF-8
with or without one. :func:`decode` tries, in order: a byte-order mark (UTF-8,
UTF-16, UTF-32), strict UTF-8, UTF-16 without a mark (recognised by its zero bytes),
then GB18030. An explicit encoding overrides the detection.
"""

from __future__ import annotations

import codecs

__all__ = ["decode"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode file contents; return the text and the encoding used.

    Parameters
    ----------
    data
        The raw bytes.
    encoding
        A Python codec name to use instead of detecting one.

    Raises
    ------
    LookupError
        If ``encoding`` names no codec.
    UnicodeDecodeError
        If the bytes are not text in ``encoding``, or in none of the detected ones.

    Examples
    --------
    >>> decode("户数".encode("gbk"))
    ('户数', 'gb18030')
    >>> decode("户数".encode("utf-16"))
    ('户数', 'utf-16')
    """
    if encoding is not None:
        codecs.lookup(encoding)
        return data.decode(encoding), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if len(sample) >= 2 and sample.count(0) * 4 >= len(sample):
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        name = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            pass
    return data.decode("gb18030"), "gb18030"
