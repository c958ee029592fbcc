"""Reading instance and solution files, and turning every failure into plain messages.

A message names the file, the JSON path and what would be accepted, e.g.
``team.json: teams[0].engineers[2].timezone: unknown time zone 'Europe/Londn': expected an IANA
name such as 'Europe/London'``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class InputError(Exception):
    """Input that cannot be used, with one message per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def json_path(loc: tuple[Any, ...]) -> str:
    """('teams', 0, 'engineers', 2, 'id') -> 'teams[0].engineers[2].id'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "(document)"


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop what pydantic inserts for unions: the tag of a discriminated member (a rule's
    'rule', a pattern's 'kind') and validator names such as 'function-after[...]'."""
    kept: list[Any] = []
    for i, part in enumerate(loc):
        if isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue
        is_rule_tag = i >= 2 and isinstance(loc[i - 1], int) and loc[i - 2] == "rules"
        is_pattern_tag = i >= 1 and loc[i - 1] == "pattern"
        if (is_rule_tag or is_pattern_tag) and i + 1 < len(loc):
            continue
        kept.append(part)
    return tuple(kept)


_ACCEPTED = {
    "missing": "this field is required",
    "extra_forbidden": "unknown field: remove it or check its spelling",
}


# custom errors whose message already quotes the input
_SAYS_INPUT = {"time_zone", "unknown_country", "unknown_subdivision", "end_before_start"}

_TAGS = {
    "rule": "'shifts', 'hours', 'max_consecutive', 'min_consecutive', 'min_consecutive_off', "
    "'min_rest', 'forbidden_succession', 'max_weekends', 'max_holidays'",
    "kind": "'daily', 'weekly', 'custom', 'windows'",
}


def json_kind(value: Any) -> str:
    """How a JSON value is named in messages: 'an array', 'a string', 'an object', ..."""
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else type(value).__name__


def describe(error: ValidationError) -> list[str]:
    """One 'path: problem' line per problem in a pydantic ValidationError."""
    lines: list[str] = []
    for item in error.errors():
        ctx = item.get("ctx") or {}
        base = _clean_loc(tuple(item["loc"]))
        if item["type"] == "references":
            for path, message in ctx["problems"]:
                prefix = json_path(base)
                full = path if prefix == "(document)" else f"{prefix}.{path}"
                lines.append(f"{full}: {message}")
            continue
        message = _ACCEPTED.get(item["type"], item["msg"])
        if item["type"] == "union_tag_invalid":
            message = (
                f"unknown kind {ctx.get('tag')!r}: expected one of {ctx.get('expected_tags')}"
            )
        elif item["type"] == "union_tag_not_found":
            field = str(ctx.get("discriminator", "")).strip("'")
            message = f"missing {field!r}: expected one of {_TAGS.get(field, 'the kinds')}"
        elif item["type"] in ("model_type", "dict_type"):
            message = f"expected a JSON object, got {json_kind(item.get('input'))}"
        elif (
            item["type"] not in _ACCEPTED
            and item["type"] not in _SAYS_INPUT
            and "input" in item
            and not isinstance(item["input"], dict | list)
        ):
            message = f"{message} (got {item['input']!r})"
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        lines.append(f"{json_path(base)}: {message}")
    return lines


def parse(model: type[Model], data: Any, source: str) -> Model:
    """Validate `data` as `model`, raising InputError with one line per problem."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError([f"{source}: {line}" for line in describe(error)]) from None


def read_text(path: str | Path, expected: str = "a JSON file", encoding: str = "utf-8") -> str:
    """A file's text, raising InputError that says why it cannot be read and what was expected."""
    source = str(path)
    try:
        return Path(path).read_text(encoding=encoding)
    except FileNotFoundError:
        raise InputError([f"{source}: no such file"]) from None
    except IsADirectoryError:
        raise InputError([f"{source}: is a directory, expected {expected}"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{source}: not UTF-8 text, expected {expected}"]) from None
    except OSError as error:
        raise InputError([f"{source}: cannot read: {error.strerror}"]) from None


def read_json(path: str | Path) -> Any:
    """Read a JSON document, raising InputError for a missing file or malformed JSON."""
    return loads(read_text(path), str(path))


def loads(text: str | bytes, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            [f"{source}: line {error.lineno} column {error.colno}: invalid JSON: {error.msg}"]
        ) from None


def load(model: type[Model], path: str | Path) -> Model:
    """Read and validate a JSON file as `model`."""
    return parse(model, read_json(path), str(path))
