"""Loads config/record.schema.json as a validator with format checking.

Debian's python3-jsonschema checks "date-time" only when the optional
rfc3339-validator module is installed; without it the format would pass
silently, so a strict checker is added here in that case.
"""
import datetime
import json
import os
import re

from jsonschema import Draft202012Validator, FormatChecker

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _is_date_time(value):
    if not isinstance(value, str):
        return True  # formats only constrain strings
    if not _RFC3339.match(value):
        return False
    text = value.upper().replace("Z", "+00:00")
    text = re.sub(r"\.(\d+)", lambda m: "." + (m.group(1) + "000000")[:6], text)
    datetime.datetime.fromisoformat(text)  # raises ValueError on 2024-02-30 etc.
    return True


def format_checker():
    checker = FormatChecker()
    if "date-time" not in checker.checkers:
        checker.checks("date-time", raises=ValueError)(_is_date_time)
    return checker


def load_validator(schema_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker())


def describe_errors(validator, record):
    """One line per schema violation, '<json path>: <message>', sorted."""
    lines = []
    for e in validator.iter_errors(record):
        where = "/" + "/".join(str(p) for p in e.absolute_path)
        lines.append(f"{where}: {e.message}")
    return sorted(lines)


def default_schema_path():
    return os.path.join(os.path.dirname(__file__), "..", "..", "config", "record.schema.json")
