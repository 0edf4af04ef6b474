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


def _unmarked_wide(data: bytes) -> tuple[str, ...]:
    """The UTF-32 or UTF-16 byte orders that the zero bytes of ``data`` point to.

    ASCII characters (digits, commas, Latin letters) in UTF-16 have a zero byte on one
    side; in UTF-32 three. Zeros that fall (nearly) all on the same positions, and make
    up at least a sixth of them, mark the text as wide.
    """
    sample = data[:8192]
    zeros = sample.count(0)
    if len(sample) < 4 or zeros == 0:
        return ()
    out: list[str] = []
    quads = [sample[k::4].count(0) for k in range(4)]
    if len(sample) % 4 == 0 and min(quads[1:]) * 4 >= len(sample) // 6 and quads[0] < zeros / 10:
        out.append("utf-32-le")
    if len(sample) % 4 == 0 and min(quads[:3]) * 4 >= len(sample) // 6 and quads[3] < zeros / 10:
        out.append("utf-32-be")
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd * 2 >= len(sample) // 6 and even <= odd // 10:
        out.append("utf-16-le")
    if even * 2 >= len(sample) // 6 and odd <= even // 10:
        out.append("utf-16-be")
    return tuple(out)


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
        If ``encoding`` names no codec, or one that does not decode text (``hex``).
    UnicodeDecodeError
        If the bytes are not text in ``encoding``, or in none of the detected ones;
        also when a codec fails in its own way (``undefined``, ``punycode``).

    Examples
    --------
    >>> decode("户数".encode("gbk"))
    ('户数', 'gb18030')
    >>> decode("户数".encode("utf-16"))
    ('户数', 'utf-16')
    >>> decode("id,户数;a,64".encode("utf-16-le"))
    ('id,户数;a,64', 'utf-16-le')
    """
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
        except (UnicodeError, ValueError, TypeError):  # a name no codec could have
            raise LookupError(f"no codec named {encoding!r}") from None
        if not getattr(info, "_is_text_encoding", True):
            raise LookupError(f"{encoding!r} is not a text encoding")
        try:
            return data.decode(info.name), encoding
        except UnicodeDecodeError:
            raise
        except (UnicodeError, ValueError, TypeError, IndexError, OverflowError) as exc:
            raise UnicodeDecodeError(info.name, data[:1], 0, min(len(data), 1),
                                     str(exc)) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    for name in _unmarked_wide(data):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return data.decode("gb18030"), "gb18030"
