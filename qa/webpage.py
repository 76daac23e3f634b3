"""Reading saved web pages (.html, .htm, optionally gzip-compressed) with trafilatura: main text and metadata.

trafilatura is given the page's text only, never a URL, so nothing is fetched; its
cross-document deduplication is off, so a page reads the same whatever was read before.
"""

from __future__ import annotations

import logging
import re
import zlib
from dataclasses import dataclass

from qa.encoding import decode_text

# A compressed page may not expand past this (a "zip bomb" would otherwise fill memory).
MAX_PAGE_BYTES = 20 * 1024 * 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w\-:.]+)""", re.IGNORECASE)

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings are about pages, and pages are reported by reason
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class ExtractedPage:
    """What a saved page says: its main text (one block per line), headline and metadata from its markup."""

    blocks: tuple[str, ...]
    title: str | None
    outlet: str | None
    author: str | None
    date: str | None  # ISO day of publication
    url: str | None
    encoding: str


def is_compressed(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def decompress(data: bytes, limit: int = MAX_PAGE_BYTES) -> bytes:
    """The bytes of a gzip file, refusing (ValueError) one that expands past `limit` or is damaged."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        output = decompressor.decompress(data, limit + 1)
    except zlib.error as error:
        raise ValueError(f"damaged gzip file ({error})") from None
    if len(output) > limit or decompressor.unconsumed_tail:
        raise ValueError(f"expands to more than {limit // (1024 * 1024)} MB")
    return output


def decode_page(data: bytes) -> tuple[str, str]:
    """A page's text and encoding: the charset its markup declares when that decodes it, else detection."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        try:
            return data.decode(name), "utf-8" if name in {"utf8", "utf-8"} else name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect instead
    decoded = decode_text(data)
    return decoded.text, decoded.encoding


def read_webpage(data: bytes) -> ExtractedPage:
    """Extract a saved page's article; raises ValueError when it has no readable article text."""
    import trafilatura

    if is_compressed(data):
        data = decompress(data)
    html, encoding = decode_page(data)
    if not re.search(r"<\s*(html|body|p|div|article|head)\b", html[:100_000], re.IGNORECASE):
        raise ValueError("not an HTML page (no html, body or paragraph tags)")
    try:
        result = trafilatura.bare_extraction(
            html,
            url=None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            date_extraction_params={"original_date": True, "extensive_search": True},
        )
    except Exception as error:  # noqa: BLE001 - a malformed page must become a skip reason, not a crash of the build
        raise ValueError(f"the page could not be parsed ({type(error).__name__})") from None
    if result is None or not (result.text or "").strip():
        raise ValueError("no article text found in the page")
    blocks = tuple(" ".join(line.split()) for line in result.text.splitlines() if line.strip())
    return ExtractedPage(
        blocks=blocks,
        title=_clean_field(result.title),
        outlet=_clean_field(result.sitename) or _clean_field(result.hostname),
        author=_clean_field(result.author),
        date=result.date[:10] if result.date else None,
        url=_clean_field(result.url),
        encoding=encoding,
    )


def _clean_field(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None
