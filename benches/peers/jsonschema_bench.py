"""JSON Schema validation throughput of Python's `jsonschema` (draft
2020-12, formats asserted), the peer of hoso-forms' validate bench: the
validator is built once; each run parses the form's JSON text and
validates it.

  jsonschema_bench.py --schema FORM.schema.json [--tsv] [--min-time S] [--max-iters N] FILE...

Prints the same columns as `cargo bench -p hoso-forms --bench validate --
--tsv`. Exits 1 when a file does not validate.
"""

import argparse
import json
import sys
import time

from jsonschema import Draft202012Validator


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schema", required=True)
    parser.add_argument("--tsv", action="store_true")
    parser.add_argument("--min-time", type=float, default=1.0)
    parser.add_argument("--max-iters", type=int, default=1_000_000)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    with open(args.schema, encoding="utf-8") as f:
        validator = Draft202012Validator(
            json.load(f), format_checker=Draft202012Validator.FORMAT_CHECKER
        )
    if args.tsv:
        print("tool\tcase\tfile\tbytes\titers\tmedian_us\tbest_us\tper_s\tbest_per_s")
    for path in args.files:
        with open(path, "rb") as f:
            data = f.read()

        def run() -> bool:
            return validator.is_valid(json.loads(data))

        if not run():
            print(f"{path}: jsonschema does not validate it", file=sys.stderr)
            return 1
        warm, n = time.perf_counter(), 0
        while n < 3 or time.perf_counter() - warm < 0.2:
            run()
            n += 1
        samples, spent = [], 0.0
        while len(samples) < 3 or (spent < args.min_time and len(samples) < args.max_iters):
            t = time.perf_counter()
            run()
            d = time.perf_counter() - t
            spent += d
            samples.append(d)
        samples.sort()
        median, best = samples[len(samples) // 2], samples[0]
        if args.tsv:
            print(
                f"jsonschema\tvalidate JSON\t{path}\t{len(data)}\t{len(samples)}\t"
                f"{median * 1e6:.2f}\t{best * 1e6:.2f}\t{1 / median:.0f}\t{1 / best:.0f}"
            )
        else:
            print(f"{path}: {median * 1e6:.1f} µs ({best * 1e6:.1f}), {1 / median:.0f}/s, {len(samples)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
