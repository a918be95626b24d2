"""XML reports read through defusedxml into a small tree that knows its line numbers.

Every XML report goes through :func:`parse_xml`. The reader is defusedxml's SAX
driver, configured for what CI reports contain:

* a ``<!DOCTYPE>`` is allowed, because JaCoCo writes one naming ``report.dtd``;
* every entity declaration (general or parameter, internal or external) is
  refused, which stops entity bombs and external entities alike;
* nothing outside the report is ever read: external general and parameter
  entities are switched off, so the DTD a DOCTYPE names is not fetched.

defusedxml's own ``forbid_external`` is left off on purpose: its SAX driver
raises on the external DTD subset itself, which refused every JaCoCo report not
marked ``standalone="yes"``. With entity declarations refused, that subset is
the only external reference a report can hold, and the reader skips it unread.
An entity used without a declaration (possible only when the DTD was skipped)
is refused too rather than silently dropped from the text.

Coverage reports can hold millions of ``<line>`` elements, so a parser may name
elements to skip (with all they contain) and elements to stream: those go to a
handler, with their open ancestors, as soon as they end, and are not kept.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from xml.sax import ErrorHandler, SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_external_pes
from xml.sax.xmlreader import AttributesImpl, InputSource, Locator

# defusedxml ships no type stubs; what is used from it is Any to mypy.
from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.expatreader import DefusedExpatParser

from assay.reports.limits import check_input
from assay.reports.model import ReportError

_T = TypeVar("_T")
# Reports nest a few levels (suites in suites, groups of packages); deeper input is
# hostile, and the parsers' recursive walks must stay far from Python's limit.
MAX_DEPTH = 200
_SHOWN_VALUE = 40
# Parsers read the first line of an element's text; nothing needs more than this.
MAX_TEXT = 4096


@dataclass(slots=True, eq=False)
class XmlElement:
    """One element: local name (namespace prefix dropped), attributes, start line."""

    name: str
    attrs: dict[str, str]
    line: int
    children: list[XmlElement] = field(default_factory=list)
    # The element's own character data (not its children's), CDATA included, without
    # leading whitespace and cut at MAX_TEXT characters.
    text: str = ""

    def get(self, key: str) -> str | None:
        """The attribute's value; None when absent or blank."""
        value = self.attrs.get(key)
        return None if not value or value.isspace() else value

    def child(self, name: str) -> XmlElement | None:
        return next(self.named(name), None)

    def named(self, name: str) -> Iterator[XmlElement]:
        return (child for child in self.children if child.name == name)


# Streamed elements are handed over when they end, with their open ancestors (root
# first), and are not kept in the tree: large coverage reports stay small in memory.
StreamHandler = Callable[[XmlElement, Sequence[XmlElement]], None]


class _RefusedError(Exception):
    """Raised from inside the SAX handler; carries the reason for the ReportError."""


class _EnoughError(Exception):
    """Stops a parse that has seen what it was asked to look at."""


class _TreeBuilder(ContentHandler):
    """Builds the tree, minus skipped subtrees and streamed elements."""

    def __init__(
        self,
        *,
        accept: Callable[[XmlElement], None],
        skip: Collection[str] = (),
        stream: Mapping[str, StreamHandler] | None = None,
        elements_wanted: int | None = None,
    ) -> None:
        super().__init__()
        self.root: XmlElement | None = None
        self._accept = accept
        self._skip = frozenset(skip)
        self._stream = stream or {}
        self._left = elements_wanted
        # Names of the first elements, in the order they start (only while counting).
        self.started: list[str] = []
        self._skipping = 0
        self._stack: list[XmlElement] = []
        self._texts: list[list[str]] = []
        self._sizes: list[int] = []
        self._locator: Locator | None = None

    def line(self) -> int | None:
        return self._locator.getLineNumber() if self._locator is not None else None

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 (SAX API)
        self._locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802
        if len(self._stack) + self._skipping >= MAX_DEPTH:
            raise _RefusedError(f"refused: elements nested deeper than {MAX_DEPTH} levels")
        local = name.rpartition(":")[2]
        if self._skipping or (self._stack and local in self._skip):
            self._skipping += 1
            return
        element = XmlElement(name=local, attrs=dict(attrs.items()), line=self.line() or 1)
        if self.root is None:
            self.root = element
            self._accept(element)
        self._stack.append(element)
        self._texts.append([])
        self._sizes.append(0)
        if self._left is not None:
            self.started.append(local)
            self._left -= 1
            if self._left <= 0:
                raise _EnoughError

    def endElement(self, name: str) -> None:  # noqa: N802
        if self._skipping:
            self._skipping -= 1
            return
        element = self._stack.pop()
        self._sizes.pop()
        element.text = "".join(self._texts.pop())
        if not self._stack:
            return
        handler = self._stream.get(element.name)
        if handler is not None:
            handler(element, self._stack)
        else:
            self._stack[-1].children.append(element)

    def characters(self, content: str) -> None:
        if self._skipping or not self._texts:
            return
        # Leading whitespace is dropped and the text capped: parsers need the first line
        # of a message, and the whitespace between thousands of elements costs memory.
        if self._sizes[-1] >= MAX_TEXT or (not self._sizes[-1] and content.isspace()):
            return
        kept = content.lstrip() if not self._sizes[-1] else content
        kept = kept[: MAX_TEXT - self._sizes[-1]]
        self._texts[-1].append(kept)
        self._sizes[-1] += len(kept)

    def skippedEntity(self, name: str) -> None:  # noqa: N802
        raise _RefusedError(f"refused: the report uses the undeclared entity &{name};")


def _reader(builder: _TreeBuilder) -> DefusedExpatParser:
    reader = DefusedExpatParser(forbid_dtd=False, forbid_entities=True, forbid_external=False)
    reader.setFeature(feature_external_ges, False)
    reader.setFeature(feature_external_pes, False)
    reader.setContentHandler(builder)
    reader.setErrorHandler(ErrorHandler())
    return reader


def _run(data: bytes, source: str, builder: _TreeBuilder) -> XmlElement:
    stream = InputSource(source)
    stream.setByteStream(io.BytesIO(data))
    try:
        _reader(builder).parse(stream)
    except _EnoughError:
        pass
    except SAXParseException as exc:
        reason = f"invalid XML: {exc.getMessage()}"
        raise ReportError(source, reason, line=exc.getLineNumber()) from None
    except (LookupError, UnicodeError) as exc:
        # An encoding declaration naming a codec expat cannot use, or bytes it cannot decode.
        reason = f"invalid XML: cannot decode the text ({exc})"
        raise ReportError(source, reason, line=builder.line()) from None
    except EntitiesForbidden as exc:
        reason = (
            f"refused: the report declares entities (<!ENTITY {exc.name} ...>), "
            "which could expand without bound or read other files"
        )
        raise ReportError(source, reason, line=builder.line()) from None
    except DefusedXmlException as exc:
        reason = f"refused: unsafe XML ({type(exc).__name__})"
        raise ReportError(source, reason, line=builder.line()) from None
    except _RefusedError as exc:
        raise ReportError(source, str(exc), line=builder.line()) from None
    assert builder.root is not None  # expat reports a document without elements
    return builder.root


def parse_xml(
    data: bytes,
    source: str,
    *,
    max_bytes: int,
    roots: Collection[str],
    kind: str,
    skip: Collection[str] = (),
    stream: Mapping[str, StreamHandler] | None = None,
) -> XmlElement:
    """The root element of the XML report ``data``; a ``ReportError`` when unreadable.

    The root must be one of ``roots`` (checked as soon as it is read; ``kind`` names
    the expected report in the error). Elements named in ``skip`` are dropped with
    everything inside them; those in ``stream`` go to their handler instead of the
    tree. The root element is never skipped or streamed.
    """
    check_input(data, source, max_bytes)

    def accept(root: XmlElement) -> None:
        if root.name not in roots:
            raise ReportError(
                source, f"not {kind}: the root element is <{root.name}>", line=root.line
            )

    return _run(data, source, _TreeBuilder(accept=accept, skip=skip, stream=stream))


def peek_xml(data: bytes, source: str, *, max_bytes: int) -> tuple[XmlElement, str | None]:
    """The root element (without children) and its first child's name, reading no further."""
    check_input(data, source, max_bytes)
    builder = _TreeBuilder(accept=lambda _: None, elements_wanted=2)
    root = _run(data, source, builder)
    return root, builder.started[1] if len(builder.started) > 1 else None


def attribute(
    element: XmlElement, name: str, source: str, convert: Callable[[str], _T]
) -> _T | None:
    """The attribute converted; None when absent or blank; a ReportError when invalid."""
    raw = element.get(name)
    if raw is None:
        return None
    try:
        return convert(raw)
    except ValueError as exc:
        shown = raw if len(raw) <= _SHOWN_VALUE else raw[:_SHOWN_VALUE] + "..."
        reason = f'<{element.name}> {name}="{shown}" {exc}'
        raise ReportError(source, reason, line=element.line) from None


def required(element: XmlElement, name: str, source: str, convert: Callable[[str], _T]) -> _T:
    """Like :func:`attribute`, but a missing or blank value is an error too."""
    value = attribute(element, name, source, convert)
    if value is None:
        reason = f"<{element.name}> has no {name} attribute"
        raise ReportError(source, reason, line=element.line)
    return value
