"""Reading saved web pages (.html, .htm, optionally gzip-compressed) with trafilatura: main text and metadata.

trafilatura is given the page's text only, never a URL, so nothing is fetched; its
cross-document deduplication is off, so a page reads the same whatever was read before.
"""

from __future__ import annotations

import json
import logging
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

import lxml.html

from qa.encoding import decode_text
from qa.metadata import (
    WIRE_SERVICES,
    copyright_holder,
    domain_name_label,
    name_for_domain,
    outlet_key,
    registered_domain,
    spells_initials,
    without_legal_form,
)

# A compressed page may not expand past this (a "zip bomb" would otherwise fill memory).
MAX_PAGE_BYTES = 20 * 1024 * 1024
# A heading is the page's headline when it shares at least this share of words (Jaccard) with the metadata title.
HEADING_TITLE_SIMILARITY = 0.5
# A page whose longest block is shorter (in characters: scripts without spaces count too) has no article,
# only menus or labels, which trafilatura keeps as a fallback.
MIN_PROSE_CHARACTERS = 40
MAX_TEXT_FOR_NAMES = 300_000  # characters of a page's text searched for its copyright line and its name's spelling
MIN_NAME_LETTERS = 3  # a name and a domain spelling each other by letters: shorter ones ("ap") match inside any word
MAX_SUFFIX_WORDS = 4  # "Headline | Site Name": a trailing part this short can be the site's name
# An article's page gives its headline once or twice (JSON-LD, a marked element); more are a list's.
MAX_ARTICLE_HEADLINES = 2
_TITLE_SEPARATOR = re.compile(r"\s+[|\-\u2013\u2014\u00bb:]{1,2}\s+")
_BYLINE_PREFIX = re.compile(r"^(?:(?:analysis|opinion|commentary|story|text|words|reporting)\s+)?by\s+", re.IGNORECASE)
# Words of a writer's role or a desk ("Staff Writer", "News Service"): such a part of a byline names no person.
_ROLE = re.compile(
    r"\b(?:writer|editor|editor-at-large|correspondent|reporter|staff|contributor|columnist|news\s+service|wire)\b", re.IGNORECASE
)
# Words of a date or a label beside the byline ("Published Monday"): never part of a name.
_CALENDAR = re.compile(
    r"\b(?:published|updated|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june"
    r"|july|august|september|october|november|december)\b",
    re.IGNORECASE,
)
# A byline's parts: "Jane Doe, Li Wei and Ana Ruiz; Example Wire", "Jane Doe & Li Wei", "Jane Doe | Example News".
_AUTHOR_SEPARATOR = re.compile(r";|,|\s+and\s+|\s+&\s+|\s+[|\u2013\u2014-]\s+")
# Not a name: an address, a handle, an e-mail or a number ("https://example.com/jane", "@janedoe", "42").
_NOT_A_NAME = re.compile(r"https?:|www\.|/|@|\d")
_WORD = re.compile(r"\w+")
_LOGO_WORD = re.compile(r"(?i)^\s*logo\s+|\s+logo\s*$")  # "Example News logo": the image's label, not the name
_COPYRIGHT_NOTICE = re.compile(r"(?i)copyright|\u00a9|\(c\)")  # "© 2019 Example" names a holder, not a site
_SLOGAN_BAR = re.compile(r"\s+\|\s+")  # "Example News | Local stories": the site's name before the bar
# A site name's slogan after a bar or a spaced dash: "Example News - Local stories", "Example News — Since 1901".
_SITE_NAME_SLOGAN = re.compile(r"\s+[|\-\u2013\u2014]\s+")
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
    if not decompressor.eof:
        raise ValueError("damaged gzip file (truncated)")
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
        tree = lxml.html.fromstring(html)
        headings = [" ".join(heading.text_content().split()) for heading in tree.iter("h1")]
        metadata = read_page_metadata(tree)
        result = trafilatura.bare_extraction(
            html,  # trafilatura's own parse: it cleans the tree it is given, and reads a bit more from its own
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
    if not any(len(block) >= MIN_PROSE_CHARACTERS for block in blocks):
        raise ValueError("no article text found in the page (only menus, links or labels)")
    outlet = page_outlet(tree, metadata, _clean_field(result.url)) or site_name(_clean_field(result.sitename), _clean_field(result.title))
    return ExtractedPage(
        blocks=blocks,
        title=headline(_clean_field(result.title), headings, outlet, metadata, _clean_field(result.hostname)),
        outlet=outlet,
        author=page_author(metadata, outlet),
        date=result.date[:10] if result.date else None,
        url=_clean_field(result.url),
        encoding=encoding,
    )


def _clean_field(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def _same_name(left: str | None, right: str | None) -> bool:
    """Whether two spellings name one outlet (compared by qa.metadata.outlet_key)."""
    return bool(outlet_key(left)) and outlet_key(left) == outlet_key(right)


def site_name(name: str | None, title: str | None) -> str | None:
    """The outlet: the page's site name without a slogan after a bar ("Site | Topics"), never a copyright
    notice; without one, the short last part of the title ("Headline | Site")."""
    if name:
        name = _SLOGAN_BAR.split(name)[0].strip()
        if name and not _COPYRIGHT_NOTICE.match(name):
            return name
    return _title_suffix(title)


_JSON_HEADLINE = re.compile(r'"headline"\s*:\s*"((?:[^"\\]|\\.){1,300})"')


@dataclass(frozen=True)
class PageMetadata:
    """What a page's markup says about itself, read once for its headline and its outlet: the article's own
    headline fields (JSON-LD "headline", itemprop="headline"), its social titles (og:title, twitter:title), its
    <title>, the site's names (og:site_name, application names), its addresses (canonical link, og:url) and the
    JSON-LD publishers (a site's or publisher's name without a slogan after a bar: "Example | Local news")."""

    article: tuple[str, ...] = ()
    social: tuple[str, ...] = ()
    document: str | None = None
    site_names: tuple[str, ...] = ()
    application_names: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    bylines: tuple[tuple[str, ...], ...] = ()  # the author fields, one tuple per source, surest first (see page_bylines)


def read_page_metadata(tree: lxml.html.HtmlElement) -> PageMetadata:
    """The metadata of a parsed page (see PageMetadata); unreadable JSON-LD is read for its "headline" strings alone."""
    metas: list[tuple[str, str]] = []  # (property or name, content) of the <meta> tags, in page order
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = _clean_field(meta.get("content"))
        if key and content:
            metas.append((key, content))

    def values(*keys: str) -> list[str]:
        return [content for key, content in metas if key in keys]

    article: list[str] = []
    graphs: list[object] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        source = script.text_content() or ""
        for match in _JSON_HEADLINE.finditer(source):
            try:
                article.append(json.loads(f'"{match.group(1)}"'))
            except ValueError:
                continue
        try:
            graphs.append(json.loads(source or "null", strict=False))  # strict=False: a raw line break inside a string is common
        except ValueError:
            continue  # a broken JSON-LD block says nothing more
    # The first element marked as a headline: the later ones of a page are its lists of other stories.
    article += [element.get("content") or element.text_content() for element in tree.xpath("//*[@itemprop='headline']")[:1]]
    article = list(dict.fromkeys(field for field in map(_clean_field, article) if field))
    if len(article) > MAX_ARTICLE_HEADLINES:
        article = []  # a page of many stories' headlines names no one article's
    canonical = [link.get("href") for link in tree.iter("link") if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href")]
    document = next((element.text_content() for element in tree.iter("title")), None)
    return PageMetadata(
        article=tuple(article),
        social=tuple(dict.fromkeys(values("og:title", "twitter:title"))),
        document=_clean_field(document),
        site_names=tuple(_SITE_NAME_SLOGAN.split(name)[0].strip() for name in values("og:site_name")),
        application_names=tuple(values("application-name", "apple-mobile-web-app-title")),
        addresses=tuple([*canonical, *values("og:url")]),
        publishers=tuple(_SLOGAN_BAR.split(name)[0].strip() for name in _named(graphs, "publisher")),
        bylines=tuple(
            tuple(dict.fromkeys(source))
            for source in (
                # An author given only by reference names the CMS's user profile, often an account's name ("jdoe", "J").
                _named(graphs, "author", references=False, strings=True),
                values("author"),
                values("byl"),
                values("sailthru.author", "parsely-author"),
                _marked_authors(tree),
            )
            if source
        ),
    )


def _named(graphs: list[object], key: str, references: bool = True, strings: bool = False) -> list[str]:
    """The names of the page's JSON-LD objects under `key` ("publisher", "author"): schema.org objects with a
    name; with `references`, a reference {"@id": …} to a named object elsewhere in the page's graphs, as SEO
    plugins write them; with `strings`, a plain string too ("author": "Example Wire")."""
    found: list[object] = []
    named: dict[str, str] = {}  # "@id" -> name

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("@id"), str) and isinstance(value.get("name"), str) and _clean_field(value["name"]):
                named.setdefault(value["@id"], _clean_field(value["name"]))
            item = value.get(key)
            found.extend(item if isinstance(item, list) else [item])
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    for graph in graphs:
        walk(graph)
    names = []
    for item in found:
        if isinstance(item, dict) and isinstance(item.get("name"), str) and _clean_field(item["name"]):
            names.append(_clean_field(item["name"]))
        elif references and isinstance(item, dict) and isinstance(item.get("@id"), str) and item["@id"] in named:
            names.append(named[item["@id"]])
        elif strings and isinstance(item, str) and _clean_field(item):
            names.append(_clean_field(item))
    return names


MAX_MARKED_AUTHOR = 80  # characters: a longer element marked as the author is a box with a biography, not a byline


def _marked_authors(tree: lxml.html.HtmlElement) -> list[str]:
    """The writers the page's markup marks: itemprop="author" (its content, the name inside it, or its text)
    and links with rel="author"."""
    names = []
    for element in tree.xpath("//*[@itemprop='author'] | //*[@rel='author']"):
        inner = element.xpath(".//*[@itemprop='name']")
        value = element.get("content") or (inner[0].get("content") or inner[0].text_content() if inner else element.text_content())
        value = _clean_field(value)
        if value and len(value) <= MAX_MARKED_AUTHOR:
            names.append(value)
    return names


def _title_suffix(title: str | None) -> str | None:
    """The short last part of a "Headline | Site" title, or None."""
    parts = _TITLE_SEPARATOR.split(title or "")
    if len(parts) > 1 and len(parts[-1].split()) <= MAX_SUFFIX_WORDS and len(parts[0].split()) > len(parts[-1].split()):
        return parts[-1].strip()
    return None


def _logo_names(tree: lxml.html.HtmlElement) -> list[str]:
    """The site's name in its logo's text alternative (<img class="logo" alt="Example News - Home">): the first part.
    A logo that links to a site's home page comes first: other logos on a page are often advertisers' or partners'."""
    home, other = [], []
    for image in tree.iter("img"):
        marks = " ".join(image.get(attribute) or "" for attribute in ("class", "id", "src")).lower()
        alt = _clean_field(image.get("alt"))
        if "logo" in marks and alt:
            name = without_legal_form(_LOGO_WORD.sub("", _TITLE_SEPARATOR.split(alt)[0]))
            if name and len(name.split()) <= MAX_SUFFIX_WORDS and not re.fullmatch(r"(?i)logo|home", name):
                link = next((anchor.get("href") for anchor in image.iterancestors("a")), None)
                (home if link is not None and urlparse(link.strip()).path in {"", "/"} else other).append(name)
    return [*home, *other][:1]


def _visible_text(tree: lxml.html.HtmlElement) -> str:
    """The page's text nodes outside scripts and styles, one per line (for copyright lines and spellings of names)."""
    texts = tree.xpath("//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]")
    return "\n".join(" ".join(str(text).split()) for text in texts if str(text).strip())[:MAX_TEXT_FOR_NAMES]


def page_outlet(tree: lxml.html.HtmlElement, metadata: PageMetadata, url: str | None) -> str | None:
    """The outlet's name as the page gives it, from the surest source down: og:site_name, the application name,
    the "| Site" suffix of the title, the JSON-LD publisher (often a company: "Example Media" for "Example"),
    the footer's copyright holder, and last the name the page spells for its domain (else the domain itself).
    A name that is only a subdomain's label ("Hosted" on hosted.example.org) is a slug, not the outlet; a
    lower-case slug of the domain's name is replaced by the page's spelling of it."""
    addresses = [*metadata.addresses, url or ""]
    host = next(filter(None, (urlparse(address).hostname for address in addresses if address)), None)
    text: list[str] = []  # read only when needed

    def visible() -> str:
        if not text:
            text.append(_visible_text(tree))
        return text[0]

    titles = [metadata.document, *metadata.social]
    publishers = list(metadata.publishers)
    holders = [holder for line in reversed(visible().splitlines()) if len(line) < 200 for holder in [copyright_holder(line)] if holder]
    logos = _logo_names(tree)
    # A title's suffix is often a section ("Headline | Opinion"): it counts as the site's name when the domain or
    # another source says the same, and otherwise only after them all.
    others = {outlet_key(name) for name in [*publishers, *holders, *logos] if outlet_key(name)}
    suffixes = [suffix for title in titles for suffix in [_title_suffix(title)] if suffix and outlet_key(suffix)]
    own_suffixes = [suffix for suffix in suffixes if host and _names_host(suffix, host)]
    confirmed = [suffix for suffix in suffixes if outlet_key(suffix) in others or suffix in own_suffixes]
    # A site name that is not the domain's (a section's "World", an edition's "US") gives way to a title suffix
    # that is: the page's own title names the site whose address it has.
    site_names = [name for name in [*metadata.site_names, *metadata.application_names] if not name.startswith("@")]  # a handle
    if own_suffixes and site_names and not any(_names_host(name, host) or _same_name(name, own_suffixes[0]) for name in site_names):
        site_names = [own_suffixes[0], *site_names]
    candidates = [
        *site_names,
        *confirmed,
        *publishers,
        *holders,
        *logos,
        *[suffix for suffix in suffixes if suffix not in confirmed],
    ]
    for candidate in candidates:
        if not candidate or _COPYRIGHT_NOTICE.match(candidate):
            continue
        if host and _is_domain_name_slug(candidate, host):
            spelled = name_for_domain(registered_domain(host), visible())
            return candidate if spelled == registered_domain(host) else spelled
        if host and _is_subdomain_slug(candidate, host):
            continue
        return without_legal_form(candidate) or candidate
    if host:
        return name_for_domain(registered_domain(host), visible())
    return None


def _names_host(name: str, host: str) -> bool:
    """Whether a name is the one the page's domain spells: as its letters ("Example News" on examplenews.com,
    "Example" on example-news.com) or by its initials ("The Example Times" on et.com)."""
    key, label = outlet_key(name), outlet_key(domain_name_label(host))
    if min(len(key), len(label)) >= MIN_NAME_LETTERS and (key in label or label in key):
        return True
    return bool(label) and spells_initials(name.split(), label)


def _is_subdomain_slug(name: str, host: str) -> bool:
    """Whether a site name is only a subdomain's label of the page's host ("Hosted" on hosted.example.org)."""
    key = outlet_key(name)
    labels = host.lower().split(".")
    own = domain_name_label(host)
    subdomains = labels[: labels.index(own)] if own in labels else []
    return bool(key) and key in {outlet_key(label) for label in subdomains if label != "www"}


def _is_domain_name_slug(name: str, host: str) -> bool:
    """Whether a site name is the domain's name written in lower case as one word ("examplenews" on examplenews.com)."""
    return " " not in name and name.islower() and outlet_key(name) == outlet_key(domain_name_label(host))


def _similar(heading: str, title: str) -> bool:
    words, title_words = _words(heading), _words(title)
    return bool(words) and len(words & title_words) / len(words | title_words) >= HEADING_TITLE_SIMILARITY


def _without_site_name(title: str, outlet: str | None, host: str | None) -> str:
    """ "Headline - Example News" -> "Headline", where the last part names the outlet or the site's domain, or,
    where neither is known, is short enough to be a site's name (as site_name reads it)."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    domain = domain_name_label(host) if host else None
    names_site = _same_name(parts[-1], outlet) or _same_name(parts[-1], domain)
    if names_site or (not outlet and not domain and site_name(None, title) == parts[-1]):
        return title[: title.rfind(parts[-1])].rstrip(" |-\u2013\u2014\u00bb:")
    return title


def headline(title: str | None, headings: list[str], outlet: str | None, metadata: PageMetadata | None = None, host: str | None = None) -> str | None:
    """The visible headline: the first <h1> that says what the article's headline field says, else what its
    metadata titles say (social titles and "| Site" suffixes differ from the visible headline), else the
    metadata title without a trailing site name. trafilatura's title (`title`) stands in for the metadata titles
    of a page whose markup has none, since it may itself be read from an <h1>, such as a masthead's."""
    metadata = metadata or PageMetadata()
    metadata_titles = [*metadata.social, *([metadata.document] if metadata.document else [])] or ([title] if title else [])
    for references in (metadata.article, metadata_titles):
        for heading in headings:
            if any(_similar(heading, reference) for reference in references):
                return heading
    if title and (metadata.social or not metadata.document or any(_similar(title, reference) for reference in metadata_titles)):
        return _without_site_name(title, outlet, host)
    if metadata.document:
        return _without_site_name(metadata.document, outlet, host)
    return next((heading for heading in headings if _words(heading)), None)


def page_author(metadata: PageMetadata, outlet: str | None) -> str | None:
    """The writers the page's own metadata names (JSON-LD author, <meta name="author">, byl, sailthru.author or
    parsely-author, then the markup marked as the author), from the first source that names one. A byline shown
    only as text is not read: without markup, a heuristic takes dates, outlets and section labels for names."""
    for source in metadata.bylines:
        found = authors(source, outlet)
        if found:
            return found
    return None


def _is_wire_service(name: str) -> bool:
    return any(outlet_key(name) == outlet_key(known) for pair in WIRE_SERVICES.items() for known in pair)


def _names_outlet(name: str, outlet: str | None) -> bool:
    """Whether a byline's part is the outlet or one of its desks or editions ("Example Business" for Example)."""
    key, own = outlet_key(name), outlet_key(outlet)
    return bool(key) and bool(own) and (key.startswith(own) or own.startswith(key))


def authors(values: Sequence[str], outlet: str | None) -> str | None:
    """A byline's writers, joined by "and": no "By", dates, addresses, handles, lower-case accounts ("admin") or the
    outlet itself. People's names are kept before anything else: a wire service, a role or a one-word part
    ("MS" of "Jane Doe, MS") beside a person is a credit, not a writer; alone it is the byline ("Example Wire",
    "Editorial")."""
    parts = []
    for value in values:
        for part in _AUTHOR_SEPARATOR.split(value):
            part = _BYLINE_PREFIX.sub("", " ".join(part.split())).strip(" .-|")
            if not part or part.islower() or _NOT_A_NAME.search(part) or _CALENDAR.search(part) or _names_outlet(part, outlet):
                continue
            parts.append(part.title() if part.isupper() and len(part.split()) > 1 else part)
    people = [part for part in parts if len(part.split()) > 1 and not _ROLE.search(part) and not _is_wire_service(part)]
    # A lone word in capitals is an abbreviation: a known wire service's (qa.metadata.WIRE_SERVICES), else an account's code.
    others = [part for part in parts if not (part.isupper() and " " not in part) or _is_wire_service(part)]
    return " and ".join(dict.fromkeys(people or others)) or None
