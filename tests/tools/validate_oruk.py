#!/usr/bin/python3
"""Validates saved ORUK API responses against the ORUK 3.0 UK profile schemas (issue 11).

usage: validate_oruk.py SCHEMA MANIFEST

SCHEMA is tests/data/oruk-schema/oruk-3.0-uk.schema.json. MANIFEST is a JSON list written by
oruk_api_test: [{"file": "...", "schema": "service"}, {"file": "...", "page_of": "service_list"}].
A "page_of" response is checked as an ORUK page and each item of its contents against that
definition. Formats are checked (uuid, uri, email, date-time): a format this machine cannot
check is an error, never a silent pass. Exit 0 when every response is valid, 1 otherwise,
printing each problem with the file and the JSON path.
"""
import datetime
import json
import re
import sys

from jsonschema import Draft202012Validator, FormatChecker

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def main():
    schema_path, manifest_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    checker = FormatChecker()

    # python3-jsonschema checks date-time only with a package Debian 12 does not have; RFC 3339
    # is simple enough to check here, strictly.
    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value):
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            raise ValueError("not an RFC 3339 date-time")
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        return True

    for needed in ("uuid", "uri", "email", "date-time"):
        if needed not in checker.checkers:
            print(f"cannot check format {needed}: install python3-rfc3987", file=sys.stderr)
            return 2
    problems = 0
    checked = 0
    for entry in manifest:
        with open(entry["file"], encoding="utf-8") as f:
            document = json.load(f)
        checks = []
        if "page_of" in entry:
            checks.append(("page", document, ""))
            for i, item in enumerate(document.get("contents", [])):
                checks.append((entry["page_of"], item, f"contents[{i}]"))
        else:
            checks.append((entry["schema"], document, ""))
        for name, instance, where in checks:
            validator = Draft202012Validator(
                {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{name}"},
                format_checker=checker)
            for error in validator.iter_errors(instance):
                path = where + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
                print(f"{entry['file']}: {name}{path or ''}: {error.message}")
                problems += 1
            checked += 1
    print(f"{checked} documents checked, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
