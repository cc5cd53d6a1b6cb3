"""Read a catalog file (JSONL or CSV) into validated entries, all or nothing.

JSONL: one object a line, `aliases` a JSON list of strings.
CSV: a header naming the columns, `aliases` one string separated by "|".
Fields: `id`, `title` (required), `text`, `aliases`, `category`, `popularity` (a number >= 0).
Unknown fields are ignored. Any bad line raises CatalogError naming the file, line and field.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from voxsearch.errors import CatalogError
from voxsearch.types import CatalogEntry

logger = logging.getLogger(__name__)

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
MAX_ID_CHARS = 256


def read_catalog(path: Path) -> list[CatalogEntry]:
    """Entries of the catalog file at `path`; the format comes from the suffix, or from the content."""
    path = Path(path)
    return parse_catalog(read_catalog_bytes(path), path.name, path.suffix)


def read_catalog_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as e:
        raise CatalogError(f"catalog file {str(path)!r} does not exist; give the path of a .jsonl or .csv file") from e
    except IsADirectoryError as e:
        raise CatalogError(f"catalog file {str(path)!r} is a directory; give the path of a .jsonl or .csv file") from e
    except OSError as e:
        raise CatalogError(f"cannot read catalog file {str(path)!r}: {e.strerror}") from e


def parse_catalog(data: bytes, source: str, suffix: str = "") -> list[CatalogEntry]:
    """Entries from the bytes of a catalog file; `source` names the file in error messages."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise CatalogError(
            f"{source} line {line}: byte {e.start} is not UTF-8 ({data[e.start:e.start + 1]!r}); "
            "save the catalog as UTF-8"
        ) from e
    if not text.strip():
        raise CatalogError(f"{source} is empty; a catalog needs at least one entry with an id and a title")
    suffix = suffix.lower()
    if suffix in JSONL_SUFFIXES or (suffix not in CSV_SUFFIXES and text.lstrip().startswith("{")):
        rows = _jsonl_rows(text, source)
    else:
        rows = _csv_rows(text, source, delimiter="\t" if suffix == ".tsv" else ",")
    entries = _validated(rows, source)
    if not entries:
        raise CatalogError(f"{source} has a header but no entries; add one line per entry")
    logger.debug("read %d entries from %s", len(entries), source)
    return entries


def _jsonl_rows(text: str, source: str) -> Iterator[tuple[int, dict[str, Any], bool]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise CatalogError(
                f"{source} line {number}: not valid JSON ({e.msg} at column {e.colno}); "
                "each line must be one JSON object like {\"id\": \"a1\", \"title\": \"...\"}"
            ) from e
        if not isinstance(row, dict):
            raise CatalogError(
                f"{source} line {number}: is a JSON {type(row).__name__}, not an object; "
                "each line must be one JSON object like {\"id\": \"a1\", \"title\": \"...\"}"
            )
        yield number, row, False


def _csv_rows(text: str, source: str, delimiter: str) -> Iterator[tuple[int, dict[str, Any], bool]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
        missing = [f for f in ("id", "title") if f not in header]
        if missing:
            raise CatalogError(
                f"{source} line 1: the header has no {' or '.join(repr(m) for m in missing)} column "
                f"(found {header}); the first line must name the columns, at least id and title"
            )
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise CatalogError(
                    f"{source} line {reader.line_num}: has {len(values)} fields but the header has {len(header)}; "
                    "quote values that contain the delimiter"
                )
            yield reader.line_num, dict(zip(header, values)), True
    except csv.Error as e:
        raise CatalogError(f"{source} line {reader.line_num}: malformed CSV ({e}); check the quoting") from e


def _validated(rows: Iterator[tuple[int, dict[str, Any], bool]], source: str) -> list[CatalogEntry]:
    entries: list[CatalogEntry] = []
    first_line: dict[str, int] = {}
    for number, row, from_csv in rows:
        where = f"{source} line {number}"
        entry = entry_from_row(row, where, from_csv)
        if entry.id in first_line:
            raise CatalogError(
                f"{where}: id {entry.id!r} is already used on line {first_line[entry.id]}; ids must be unique"
            )
        first_line[entry.id] = number
        entries.append(entry)
    return entries


def entry_from_row(row: dict[str, Any], where: str, from_csv: bool = False) -> CatalogEntry:
    """One validated entry; `where` ("catalog.csv line 12") starts every error message."""
    return CatalogEntry(
        id=_id(row.get("id"), where),
        title=_title(row.get("title"), where),
        text=_optional_str(row, "text", where),
        aliases=_aliases(row.get("aliases"), where, from_csv),
        category=_optional_str(row, "category", where),
        popularity=_popularity(row.get("popularity"), where),
    )


def _id(value: Any, where: str) -> str:
    if value is None:
        raise CatalogError(f"{where}: field 'id' is missing; every entry needs a unique id")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise CatalogError(f"{where}: field 'id' is {value!r}, a {type(value).__name__}; use a string id")
    text = str(value).strip()
    if not text:
        raise CatalogError(f"{where}: field 'id' is empty; every entry needs a unique id")
    if len(text) > MAX_ID_CHARS:
        raise CatalogError(f"{where}: field 'id' has {len(text)} characters; use at most {MAX_ID_CHARS}")
    return text


def _title(value: Any, where: str) -> str:
    if value is None:
        raise CatalogError(f"{where}: field 'title' is missing; every entry needs a title")
    if not isinstance(value, str):
        raise CatalogError(f"{where}: field 'title' is {value!r}, a {type(value).__name__}; use a string")
    if not value.strip():
        raise CatalogError(f"{where}: field 'title' is empty; every entry needs a title")
    return value.strip()


def _optional_str(row: dict[str, Any], field: str, where: str) -> str:
    value = row.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CatalogError(f"{where}: field {field!r} is {value!r}, a {type(value).__name__}; use a string")
    return value.strip()


def _aliases(value: Any, where: str, from_csv: bool) -> tuple[str, ...]:
    if value is None:
        return ()
    if from_csv:
        items: Sequence[Any] = str(value).split("|")
    elif isinstance(value, list):
        items = value
    else:
        raise CatalogError(
            f"{where}: field 'aliases' is {value!r}, a {type(value).__name__}; "
            "use a JSON list of strings like [\"NYC\", \"Big Apple\"]"
        )
    aliases: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise CatalogError(
                f"{where}: field 'aliases' holds {item!r}, a {type(item).__name__}; every alias must be a string"
            )
        if item.strip() and item.strip() not in aliases:
            aliases.append(item.strip())
    return tuple(aliases)


def _popularity(value: Any, where: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    hint = "use a number >= 0 like 1250, or leave it out"
    if isinstance(value, bool):
        raise CatalogError(f"{where}: field 'popularity' is {value!r}, not a number; {hint}")
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError as e:
            raise CatalogError(f"{where}: field 'popularity' is {value!r}, not a number; {hint}") from e
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        raise CatalogError(f"{where}: field 'popularity' is {value!r}, a {type(value).__name__}; {hint}")
    if not math.isfinite(number) or number < 0:
        raise CatalogError(f"{where}: field 'popularity' is {value!r}; {hint}")
    return number
