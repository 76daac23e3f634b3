"""Turning a file's bytes into text: UTF-8 first, UTF-16/32 by byte-order mark, else charset-normalizer's guess.

A file is refused (ValueError with the reason) when it looks binary or when no
encoding explains its bytes with confidence, so a wrong guess never reaches the index.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# charset-normalizer's "mess" (0 = every character plausible): above this, its best guess is not trusted.
MAX_MESS = 0.2
# Share of control characters (not tab, line breaks or form feed) above which decoded bytes are a binary file.
MAX_CONTROL_SHARE = 0.01
# On short texts many single-byte code pages decode the same bytes equally well; Windows-1252 is by
# far the commonest legacy encoding of Western news text, so it wins among guesses this close to the best.
TIE_MESS = 0.05
PREFERRED_LEGACY = "cp1252"
# UTF-16 text without byte-order mark: at least this share of its byte pairs have a NUL on the same side.
UTF16_NUL_SHARE = 0.5

_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NAMES = {"utf_8": "utf-8", "utf-8-sig": "utf-8", "utf_16": "utf-16", "utf_32": "utf-32"}


@dataclass(frozen=True)
class DecodedText:
    """A file's text and the encoding it was read with (a WHATWG-style label such as "windows-1252")."""

    text: str
    encoding: str


def _label(name: str) -> str:
    name = codecs.lookup(name).name
    if re.fullmatch(r"cp125\d", name):
        return "windows-" + name[2:]
    return _NAMES.get(name.replace("-", "_"), _NAMES.get(name, name.replace("_", "-")))


def _check_not_binary(text: str) -> None:
    if "\x00" in text:  # anywhere, once decoded: text after a NUL hidden deep in a file must not be indexed
        raise ValueError("binary file (contains NUL bytes)")
    controls = len(_CONTROL.findall(text))
    if controls and controls > MAX_CONTROL_SHARE * len(text):
        raise ValueError("binary file (control characters)")


def decode_text(data: bytes) -> DecodedText:
    """The text of a file's bytes and its encoding; raises ValueError when binary or of unknown encoding."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                raise ValueError(f"not valid {_label(encoding)} text (invalid bytes at position {error.start})") from None
            if encoding == "utf-8-sig":
                text = " " + text  # the byte-order mark becomes a blank, so offsets match the UTF-8 reading
            _check_not_binary(text)
            return DecodedText(text, _label(encoding))
    if b"\x00" not in data[:8192]:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            _check_not_binary(text)
            return DecodedText(text, "utf-8")
    return _guess(data)


def _guess(data: bytes) -> DecodedText:
    from charset_normalizer import from_bytes

    if b"\x00" in data[:8192]:
        return _utf16_without_mark(data)
    matches = list(from_bytes(data))
    if not matches:
        raise ValueError("not text in any known encoding")
    best = min(matches, key=lambda match: match.chaos)
    if best.chaos > MAX_MESS:
        raise ValueError(f"not UTF-8, and no encoding reads it with confidence (best guess {_label(best.encoding)})")
    encoding = best.encoding
    for match in matches:
        if match.chaos <= best.chaos + TIE_MESS and PREFERRED_LEGACY in [match.encoding, *match.could_be_from_charset]:
            encoding = PREFERRED_LEGACY
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding = best.encoding
        text = str(best)
    _check_not_binary(text)
    return DecodedText(text, _label(encoding))


def _utf16_without_mark(data: bytes) -> DecodedText:
    """UTF-16 text without a byte-order mark, recognised by its NUL bytes all on one side of each pair
    (text in a Latin script); anything else with NUL bytes is binary."""
    sample = data[:8192]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = max(1, len(sample) // 2)
    if len(data) % 2 == 0 and max(even, odd) >= UTF16_NUL_SHARE * pairs and min(even, odd) == 0:
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            pass
        else:
            _check_not_binary(text)
            return DecodedText(text, encoding)
    raise ValueError("binary file (contains NUL bytes)")
