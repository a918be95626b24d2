"""Load YAML configuration files into pydantic models, with errors that say where.

Policies, portfolios, catalogs and waivers all go through this module, so every
configuration problem reads the same way, one problem per line::

    policy.yaml:12:7: controls[2].severity: Input should be 'low', 'medium' or 'high' (got 'urgent')

The YAML is read with ruamel.yaml's round-trip loader. It is a safe loader (it never
builds arbitrary Python objects) and it records the line and column of every key,
value and sequence item. The loaded tree is turned into plain Python data for pydantic
and kept beside it, so that a pydantic error location can be turned back into a
position in the file.

ruamel.yaml and pydantic are imported inside the functions: importing this module must
stay cheap for CLI commands that never read a configuration file.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from assay.errors import ConfigError

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound="BaseModel")

KeyPath = tuple[str | int, ...]
"""Where a value sits in a document: mapping keys (str) and sequence indexes (int)."""

# A document whose aliases expand to more values than this is refused: pydantic would
# walk every expanded copy ("billion laughs").
MAX_VALUES = 1_000_000

_CORE_TAG = "tag:yaml.org,2002:"
_CONTAINER_TAGS = frozenset({None, _CORE_TAG + "map", _CORE_TAG + "omap", _CORE_TAG + "seq"})
_SIMPLE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_GOT_WIDTH = 40

# ruamel's scanner does work proportional to the flow nesting depth ([ [ [ ...) for
# every token, so a small hostile file can keep it busy for minutes. Real configuration
# files nest flow collections a few levels at most.
MAX_FLOW_DEPTH = 32
_FLOW_SYNTAX = re.compile(
    r"""
    (?:^|(?<=[\s\[{,:?-])) (?: "(?:[^"\\]|\\.)*" | '(?:[^']|'')*' )  # a quoted scalar
    | (?:^|(?<=\s)) \#[^\n]*  # a comment
    | [\[\]{}]
    """,
    re.VERBOSE | re.MULTILINE | re.DOTALL,
)


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True, kw_only=True)
class YamlDocument:
    """A parsed YAML mapping: plain ``data`` for validation, ``root`` for positions."""

    source: str
    data: dict[str, Any]
    root: Any = field(repr=False)

    def position_of(self, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path`` (of its key if ``key``)."""
        return position_of(self.root, path, key=key)

    def problem_at(self, path: KeyPath, problem: str, *, key: bool = False) -> str:
        """One problem line in the standard format, for checks made after validation."""
        return format_problem(self.source, self.position_of(path, key=key), path, problem)


def load_yaml_model(path: Path, model: type[M], *, hint: str | None = None) -> M:
    """Read ``path`` and validate it as ``model``; raise :class:`ConfigError` if invalid."""
    return parse_yaml_model(read_config_text(path, hint=hint), str(path), model, hint=hint)


def parse_yaml_model(text: str, source: str, model: type[M], *, hint: str | None = None) -> M:
    """Validate YAML ``text`` as ``model``; ``source`` names the text in error messages."""
    from pydantic import ValidationError

    document = parse_yaml_document(text, source, hint=hint)
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        raise ConfigError(describe_validation_error(document, model, error), hint=hint) from None


def read_config_text(path: Path, *, hint: str | None = None) -> str:
    """The UTF-8 text of a configuration file, or a :class:`ConfigError` saying why not."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        reason = "no such file"
    except IsADirectoryError:
        reason = "is a directory"
    except PermissionError:
        reason = "permission denied"
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
    else:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            reason = f"not valid UTF-8 (byte 0x{raw[error.start]:02x} on line {line})"
    raise ConfigError(f"{path}: cannot read: {reason}", hint=hint)


def parse_yaml_document(text: str, source: str, *, hint: str | None = None) -> YamlDocument:
    """Parse YAML ``text`` whose top level must be a mapping, keeping positions."""
    root = _load_tree(text, source, hint)
    converter = _Converter(root)
    try:
        data = converter.convert(root, ())
        size = converter.size(root)
    except RecursionError:  # ruamel itself stops first, unless our caller's stack is deep
        raise ConfigError(
            f"{source}:1:1: invalid YAML: the document is nested too deeply", hint=hint
        ) from None
    if converter.problems:
        raise ConfigError(_render(source, converter.problems), hint=hint)
    if size > MAX_VALUES:
        raise ConfigError(
            f"{source}:1:1: too many values once aliases are expanded (more than {MAX_VALUES})",
            hint=hint,
        )
    if not isinstance(data, dict):
        line, column = position_of(root, ())
        found = _kind(data)
        raise ConfigError(
            f"{source}:{line}:{column}: expected a mapping at the top level, found {found}",
            hint=hint,
        )
    return YamlDocument(source=source, data=data, root=root)


def position_of(root: object, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of the value at ``path`` in a round-trip loaded tree.

    With ``key``, the position of the last key of ``path`` instead of its value. When
    ``path`` leaves the tree (a missing key, a key that came from a ``<<`` merge), the
    position of the deepest mapping or sequence that was reached.
    """
    line, column = _start_of(root)
    node: Any = root
    for index, step in enumerate(path):
        last = index == len(path) - 1
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        if isinstance(node, dict):
            found = _find_key(node, step)
            if found is _NOT_FOUND:
                break
            try:
                key_line, key_column = lc.key(found)
                value_line, value_column = lc.value(found)
            except KeyError:  # merged in from another mapping: no position of its own
                break
            node = node[found]
            if key and last:
                return key_line + 1, key_column + 1
            if node is None and value_line != key_line:
                # ruamel places an empty value at the next token, often the next key.
                line, column = key_line, key_column
            else:
                line, column = value_line, value_column
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            line, column = lc.item(step)
            node = node[step]
        else:
            break
    return line + 1, column + 1


def format_path(path: KeyPath) -> str:
    """``controls[2].severity``; keys that are not plain words are quoted in brackets."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _SIMPLE_KEY.fullmatch(step):
            parts.append(f".{step}" if parts else step)
        else:
            parts.append(f"[{step!r}]")
    return "".join(parts)


def format_problem(source: str, position: tuple[int, int], path: KeyPath, problem: str) -> str:
    """``{source}:{line}:{column}: {key.path}: {problem}`` (no key path at the top level)."""
    line, column = position
    where = f"{format_path(path)}: " if path else ""
    return f"{source}:{line}:{column}: {where}{problem}"


def describe_validation_error(
    document: YamlDocument, model: type[BaseModel], error: ValidationError
) -> str:
    """All problems of a pydantic ``error`` as lines with file positions, sorted."""
    problems = [_problem_from_pydantic(document, model, detail) for detail in error.errors()]
    return _render(document.source, problems)


# --------------------------------------------------------------------------- YAML reading


@dataclass(frozen=True, kw_only=True)
class _Problem:
    position: tuple[int, int]
    path: KeyPath
    text: str


def _render(source: str, problems: list[_Problem]) -> str:
    ordered = sorted(problems, key=lambda problem: problem.position)
    return "\n".join(format_problem(source, p.position, p.path, p.text) for p in ordered)


def _load_tree(text: str, source: str, hint: str | None) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    def invalid(line: int, column: int, problem: str) -> ConfigError:
        return ConfigError(f"{source}:{line}:{column}: invalid YAML: {problem}", hint=hint)

    too_deep = _too_deep_flow(text)
    if too_deep is not None:
        line, column = _line_column(text, too_deep)
        problem = f"flow collections ([ ], {{ }}) are nested more than {MAX_FLOW_DEPTH} deep"
        raise invalid(line, column, problem)
    try:
        return YAML(typ="rt").load(text)
    except (DuplicateKeyError, MarkedYAMLError) as error:
        duplicates = _duplicate_keys(text) if isinstance(error, DuplicateKeyError) else []
        if duplicates:
            raise ConfigError(_render(source, duplicates), hint=hint) from None
        mark = error.problem_mark or error.context_mark
        line, column = (1, 1) if mark is None else (mark.line + 1, mark.column + 1)
        raise invalid(line, column, error.problem or error.context or "unreadable") from None
    except ReaderError as error:
        line, column = _line_column(text, error.position)
        problem = f"unacceptable character #x{error.character:04x}: {error.reason}"
        raise invalid(line, column, problem) from None
    except YAMLError as error:
        raise invalid(1, 1, str(error).splitlines()[0]) from None
    except RecursionError:
        raise invalid(1, 1, "the document is nested too deeply") from None
    except ValueError as error:  # ruamel converts explicitly tagged scalars (!!int x) unguarded
        raise invalid(1, 1, str(error)) from None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _too_deep_flow(text: str) -> int | None:
    """Offset of the bracket that nests flow collections too deep, if any.

    A rough scan that passes over quoted scalars and comments, enough to tell real
    nesting from brackets inside strings (``pattern: '[^]]'``).
    """
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return None
    depth = 0
    for match in _FLOW_SYNTAX.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                return match.start()
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
    return None


def _duplicate_keys(text: str) -> list[_Problem]:
    """Every repeated key, found on the node graph (the constructor stops at the first)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    problems: list[_Problem] = []
    seen: set[int] = set()

    def visit(node: Any, path: KeyPath) -> None:
        if id(node) in seen:  # an alias: already visited where its anchor is
            return
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                visit(item, (*path, index))
        elif isinstance(node, MappingNode):
            keys: set[tuple[str, str]] = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    visit(value_node, path)
                    continue
                name = str(key_node.value)
                identity = (str(getattr(key_node.tag, "value", key_node.tag)), name)
                if identity in keys and identity[0] != _CORE_TAG + "merge":
                    mark = key_node.start_mark
                    position = (mark.line + 1, mark.column + 1)
                    text = f"duplicate key {name!r}"
                    problems.append(_Problem(position=position, path=(*path, name), text=text))
                keys.add(identity)
                visit(value_node, (*path, name))

    try:
        visit(YAML(typ="rt").compose(text), ())
    except Exception:  # the caller falls back to ruamel's own message
        return []
    return problems


_NOT_FOUND = object()


def _find_key(mapping: dict[Any, Any], step: str | int) -> Any:
    if step in mapping:
        return step
    for candidate in mapping:  # integer keys are turned into strings for validation
        if (
            isinstance(candidate, int)
            and not isinstance(candidate, bool)
            and str(candidate) == step
        ):
            return candidate
    return _NOT_FOUND


def _start_of(node: object) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return 0, 0
    return int(lc.line), int(lc.col)


def _kind(value: object) -> str:
    if value is None:
        return "an empty document"
    if isinstance(value, list):
        return "a sequence"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE_TAG) if tag.startswith(_CORE_TAG) else tag


class _UnsupportedValueError(Exception):
    """A loaded value that has no plain equivalent; the message says which."""


class _Converter:
    """Turns ruamel's round-trip tree into plain dict/list/str/int/float/bool/None.

    Shared nodes (YAML aliases) are converted once and shared in the result, so a
    document built from nested aliases costs its size on disk, not its expanded size.
    """

    def __init__(self, root: object) -> None:
        from ruamel.yaml.comments import TaggedScalar
        from ruamel.yaml.scalarbool import ScalarBoolean

        self.root = root
        self.problems: list[_Problem] = []
        self._tagged_scalar = TaggedScalar
        # ruamel's scalar subclasses keep formatting; pydantic wants the base types.
        # An anchored boolean is a ScalarBoolean, which is an int: test it first.
        self._plain_types: tuple[tuple[type, Callable[[Any], object]], ...] = (
            (ScalarBoolean, bool),
            (str, str),
            (int, int),
            (float, float),
        )
        self._plain: dict[int, object] = {}
        self._sizes: dict[int, int] = {}

    def _problem(self, position: tuple[int, int], path: KeyPath, text: str) -> None:
        self.problems.append(_Problem(position=position, path=path, text=text))

    def convert(self, node: object, path: KeyPath) -> object:
        if isinstance(node, dict | list):
            if id(node) not in self._plain:
                self._plain[id(node)] = None  # a cycle reads as null, as ruamel does
                self._plain[id(node)] = self._container(node, path)
            return self._plain[id(node)]
        try:
            return self._scalar(node)
        except _UnsupportedValueError as problem:
            self._problem(position_of(self.root, path), path, str(problem))
            return None

    def _container(self, node: dict[Any, Any] | list[Any], path: KeyPath) -> object:
        tag = getattr(getattr(node, "tag", None), "value", None)
        if tag not in _CONTAINER_TAGS:
            text = f"unsupported YAML tag {_short_tag(str(tag))!r}"
            self._problem(position_of(self.root, path), path, text)
            return None
        if isinstance(node, list):
            return [self.convert(item, (*path, index)) for index, item in enumerate(node)]
        result: dict[str, object] = {}
        for raw_key, value in node.items():
            key = self._key(node, raw_key, path)
            if key is None:
                continue
            if key in result:  # 1 and '1' are distinct in YAML but not once converted
                position = position_of(self.root, (*path, key), key=True)
                self._problem(position, (*path, key), f"duplicate key {key!r}")
                continue
            result[key] = self.convert(value, (*path, key))
        return result

    def _key(self, mapping: Any, raw_key: object, path: KeyPath) -> str | None:
        """A mapping key as text: integers become strings; anything else is refused."""
        try:
            if isinstance(raw_key, tuple | Mapping):
                raise _UnsupportedValueError("complex mapping keys are not supported")
            key = self._scalar(raw_key)
            if isinstance(key, int) and not isinstance(key, bool):
                return str(key)
            if isinstance(key, str):
                return key
            raise _UnsupportedValueError(
                f"mapping keys must be strings or integers (got {_got(key)})"
            )
        except _UnsupportedValueError as problem:
            try:
                line, column = mapping.lc.key(raw_key)
                position = (line + 1, column + 1)
            except (AttributeError, KeyError, TypeError):
                position = position_of(self.root, path)
            self._problem(position, path, str(problem))
            return None

    def _scalar(self, node: object) -> object:
        if isinstance(node, self._tagged_scalar):
            tag = str(node.tag.value)
            if tag == _CORE_TAG + "str":  # ruamel leaves `!!str 5` tagged instead of a str
                return str(node.value)
            raise _UnsupportedValueError(f"unsupported YAML tag {_short_tag(tag)!r}")
        if node is None or isinstance(node, bool):
            return node
        for kind, plain in self._plain_types:
            if isinstance(node, kind):
                return plain(node)
        if isinstance(node, date):  # also datetime; pydantic parses ISO text back
            return node.isoformat()
        if isinstance(node, bytes):
            raise _UnsupportedValueError("binary values (!!binary) are not supported")
        if isinstance(node, Set):
            raise _UnsupportedValueError("sets (!!set) are not supported; use a sequence")
        raise _UnsupportedValueError(f"unsupported YAML value ({type(node).__name__})")

    def size(self, node: object) -> int:
        """How many values the tree holds once every alias is expanded."""
        if not isinstance(node, dict | list):
            return 1
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        self._sizes[id(node)] = 1  # a cycle counts once
        children = node.values() if isinstance(node, dict) else node
        total = 1 + sum(self.size(child) for child in children)
        self._sizes[id(node)] = total
        return total


# --------------------------------------------------------------------------- pydantic errors


def _problem_from_pydantic(
    document: YamlDocument, model: type[BaseModel], detail: Mapping[str, Any]
) -> _Problem:
    loc: tuple[str | int, ...] = tuple(detail["loc"])
    kind: str = detail["type"]
    ctx: Mapping[str, Any] = detail.get("ctx") or {}
    discriminator = str(ctx.get("discriminator", ""))
    if kind == "missing" and loc:
        path, _, _ = _data_path(model, document.data, loc[:-1])
        name = loc[-1]
        text = f"missing required key {name!r}"
        return _Problem(position=document.position_of(path), path=(*path, name), text=text)
    if kind == "extra_forbidden" and loc:
        path, parent, _ = _data_path(model, document.data, loc[:-1])
        name = loc[-1]
        path = (*path, name)
        text = _unknown_key(str(name), parent)
        return _Problem(position=document.position_of(path, key=True), path=path, text=text)
    path, _, at_key = _data_path(model, document.data, loc)
    value = detail.get("input")
    tag_key = discriminator[1:-1] if re.fullmatch(r"'[^']*'", discriminator) else None
    if kind == "union_tag_not_found" and tag_key:
        position = document.position_of(path)
        text = f"missing required key {tag_key!r}"
        return _Problem(position=position, path=(*path, tag_key), text=text)
    if kind == "union_tag_invalid" and tag_key and isinstance(value, dict) and tag_key in value:
        path, value = (*path, tag_key), value[tag_key]
    text = f"{detail['msg']} (got {_got(value)})"
    return _Problem(position=document.position_of(path, key=at_key), path=path, text=text)


def _got(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _GOT_WIDTH else text[: _GOT_WIDTH - 3] + "..."


def _unknown_key(name: str, parent: Any) -> str:
    if not _is_model(parent):
        return f"unknown key {name!r}"
    accepted = _accepted_keys(parent)
    close = difflib.get_close_matches(name, accepted, n=1)
    if close:
        return f"unknown key {name!r}; did you mean {close[0]!r}?"
    if not accepted:
        return f"unknown key {name!r}; this mapping takes no keys"
    return f"unknown key {name!r}; expected one of: {', '.join(accepted)}"


def _data_path(model: type[BaseModel], data: object, loc: KeyPath) -> tuple[KeyPath, Any, bool]:
    """Follow a pydantic ``loc`` through the data and the model's types together.

    pydantic puts the name of the union member it tried (a discriminator value, a class
    name, ``function-after[...]``) into ``loc`` after every union; those are not keys in
    the file and are dropped. Returns the path in the data, the type reached (None when
    unknown) and whether ``loc`` ends on a dict key rather than its value (``[key]``).
    """
    annotation: Any = model
    node: Any = data
    path: list[str | int] = []
    at_key = False
    for step in loc:
        if step == "[key]" and path and isinstance(path[-1], str):
            at_key = True
            continue
        annotation = _unwrap(annotation)
        members = _union_members(annotation)
        if members:
            annotation = _union_member(members, step)
        elif _has_child(node, step):
            annotation, node = _child_type(annotation, step), node[step]
            path.append(step)
        else:  # the tag of a union we could not see in the types
            annotation = None
    return tuple(path), _unwrap(annotation), at_key


def _has_child(node: object, step: str | int) -> bool:
    if isinstance(node, dict):
        return isinstance(step, str) and step in node
    return isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)


def _is_model(annotation: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _is_union(annotation: Any) -> bool:
    origin = get_origin(annotation)
    return origin is Union or origin is types.UnionType


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated``, ``Optional`` and type aliases down to the type that matters."""
    while True:
        if type(annotation).__name__ == "TypeAliasType":
            annotation = annotation.__value__
        elif get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
        elif _is_union(annotation):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _union_members(annotation: Any) -> list[Any]:
    if not _is_union(annotation):
        return []
    return [arg for arg in get_args(annotation) if arg is not type(None)]


def _union_member(members: list[Any], tag: str | int) -> Any:
    """The member of a union that pydantic names ``tag`` in an error location."""
    from pydantic import Tag

    for member in members:
        metadata = get_args(member)[1:] if get_origin(member) is Annotated else ()
        if any(isinstance(item, Tag) and item.tag == tag for item in metadata):
            return member
    unwrapped = [_unwrap(member) for member in members]
    for member in unwrapped:
        if getattr(member, "__name__", None) == tag or str(member) == tag:
            return member
    for member in unwrapped:  # a discriminated union names the member by its tag value
        if _is_model(member) and any(
            _literal_allows(info.annotation, tag) for info in member.model_fields.values()
        ):
            return member
    return None


def _literal_allows(annotation: Any, tag: str | int) -> bool:
    annotation = _unwrap(annotation)
    if get_origin(annotation) is not Literal:
        return False
    return any(value == tag or str(value) == str(tag) for value in get_args(annotation))


def _child_type(annotation: Any, step: str | int) -> Any:
    """The declared type of ``annotation[step]``, or None when it cannot be told."""
    annotation = _unwrap(annotation)
    if _is_model(annotation):
        info = _model_field(annotation, str(step))
        return None if info is None else info.annotation
    return _item_type(get_origin(annotation), get_args(annotation), step)


def _item_type(origin: Any, args: tuple[Any, ...], step: str | int) -> Any:
    if not isinstance(origin, type) or not args:
        return None
    if issubclass(origin, Mapping):
        return args[-1]
    if issubclass(origin, tuple) and args[-1] is not Ellipsis:
        return args[step] if isinstance(step, int) and step < len(args) else None
    if issubclass(origin, Sequence | Set):  # also tuple[X, ...]
        return args[0]
    return None


def _model_field(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key == name or key in _aliases(info):
            return info
    return None


def _aliases(info: Any) -> list[str]:
    from pydantic import AliasChoices, AliasPath

    alias = info.validation_alias if info.validation_alias is not None else info.alias
    if isinstance(alias, str):
        return [alias]
    choices = alias.choices if isinstance(alias, AliasChoices) else [alias]
    names: list[str] = []
    for choice in choices:
        if isinstance(choice, str):
            names.append(choice)
        elif isinstance(choice, AliasPath) and isinstance(choice.path[0], str):
            names.append(choice.path[0])
    return names


def _accepted_keys(model: type[BaseModel]) -> list[str]:
    """The keys a mapping validated as ``model`` may hold, in declaration order."""
    config = model.model_config
    by_name = bool(config.get("validate_by_name") or config.get("populate_by_name"))
    by_alias = config.get("validate_by_alias", True) is not False
    keys: dict[str, None] = {}
    for name, info in model.model_fields.items():
        aliases = _aliases(info)
        if by_alias:
            keys.update(dict.fromkeys(aliases))
        if by_name or not aliases or not by_alias:
            keys[name] = None
    return list(keys)
