"""Validates JSON instances against JSON Schemas (draft 2020-12) with the
Python `jsonschema` package, an implementation independent of hoso.

Usage: jsonschema_batch.py MANIFEST
MANIFEST is JSON: {"schemas": {"<name>": "<schema path>"},
                   "instances": [["<name>", "<instance path>"], ...]}
Prints one line per instance: "<instance path>\t1" when valid, "\t0" when not.
Formats are asserted (a "date" must be a real date), as hoso does.
"""

import json
import sys

from jsonschema import Draft202012Validator


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        manifest = json.load(f)
    validators = {}
    for name, path in manifest["schemas"].items():
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        validators[name] = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
    out = []
    for name, path in manifest["instances"]:
        with open(path, encoding="utf-8") as f:
            instance = json.load(f)
        valid = validators[name].is_valid(instance)
        out.append(f"{path}\t{1 if valid else 0}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
