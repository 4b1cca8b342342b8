#!/usr/bin/env bash
# Form validation benchmark: hoso-forms side by side with libxml2's XSD
# validator (XML) and Python's jsonschema (JSON), on the same committed
# examples and the exported schemas, in the same run.
#
#   scripts/bench-forms.sh                      # procedures 2 and 20
#   scripts/bench-forms.sh tnmt-05-xa-nuoc-thai # given procedures
#   MIN_TIME=2 ROUNDS=5 scripts/bench-forms.sh
#
# For each procedure it takes examples/forms/<id>/valid.{xml,json} and
# schemas/{xsd,json}/<id>.*, checks that all three validators accept them,
# then measures: hoso (crates/hoso-forms/benches/validate.rs, bytes to typed
# model), the libxml2 peer (benches/peers/libxml2_xsd_bench.c: schema parsed
# once, then xmlReadMemory + xmlSchemaValidateDoc per run) and the Python
# peer (benches/peers/jsonschema_bench.py: validator built once, then
# json.loads + is_valid per run, formats asserted). The tools take turns,
# ROUNDS times (default 3), and each keeps its best median, so that a busy
# moment on a shared machine does not decide the ratio. Prints the machine, the
# command and a Markdown table (also saved under target/bench-forms/).
# Timings vary with the machine and its load: reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

MIN_TIME=${MIN_TIME:-1}
ROUNDS=${ROUNDS:-3}
procedures=("$@")
((${#procedures[@]})) || procedures=(tnmt-02-khai-thac-nuoc-duoi-dat tp-20-ly-lich-tu-phap-so-1)

missing=()
[[ -f /usr/include/libxml2/libxml/xmlschemas.h ]] || missing+=(libxml2-dev)
command -v gcc >/dev/null || missing+=(gcc)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install --quiet jsonschema

target=${CARGO_TARGET_DIR:-target}
out=$target/bench-forms
mkdir -p "$out" "$target/bench-peers"
echo "building (release)..." >&2
cargo bench --locked -p hoso-forms --bench validate --no-run >&2
peer=$target/bench-peers/libxml2_xsd_bench
# shellcheck disable=SC2046 # pkg-config output is a list of flags
gcc -O2 -Wall -Wextra -Wno-unused-function -o "$peer" benches/peers/libxml2_xsd_bench.c $(pkg-config --cflags --libs libxml-2.0)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$out/speed.tsv"
for id in "${procedures[@]}"; do
  xmllint --noout --schema "schemas/xsd/$id.xsd" "examples/forms/$id/valid.xml" 2>/dev/null
done
for round in $(seq "$ROUNDS"); do
  for id in "${procedures[@]}"; do
    xml=$PWD/examples/forms/$id/valid.xml
    json=$PWD/examples/forms/$id/valid.json
    echo "round $round: $id..." >&2
    cargo bench --locked -q -p hoso-forms --bench validate -- --tsv --min-time "$MIN_TIME" "$xml" "$json" |
      tail -n +2 >>"$out/speed.tsv"
    "$peer" --schema "schemas/xsd/$id.xsd" --tsv --min-time "$MIN_TIME" "$xml" | tail -n +2 >>"$out/speed.tsv"
    python3 benches/peers/jsonschema_bench.py --schema "schemas/json/$id.schema.json" --tsv --min-time "$MIN_TIME" "$json" |
      tail -n +2 >>"$out/speed.tsv"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

model=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
{
  echo "- Machine: $(nproc) CPUs, $model, $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before the run: $load_before, after: $load_after"
  echo "- Toolchain: $(rustc --version); libxml2 $(pkg-config --modversion libxml-2.0); $(python3 --version), jsonschema $(python3 -c 'import importlib.metadata as m; print(m.version("jsonschema"))')"
  echo "- Command: \`MIN_TIME=$MIN_TIME ROUNDS=$ROUNDS scripts/bench-forms.sh${*:+ $*}\`"
  echo
  echo "| form | encoding | size | hoso, median (best) | peer | peer, median (best) | hoso / peer |"
  echo "| --- | --- | ---: | ---: | --- | ---: | ---: |"
  awk -F'\t' '
    function t(us) { return us >= 1000 ? sprintf("%.2f ms", us / 1000) : sprintf("%.1f µs", us) }
    {
      n = split($3, parts, "/"); file = parts[n]; form = parts[n - 1]
      enc = ($2 ~ /JSON/) ? "JSON" : "XML"
      key = form SUBSEP enc
      if (!(key in seen)) { seen[key] = 1; order[++k] = key; forms[key] = form; encs[key] = enc; size[key] = $4 }
      if ($1 == "hoso") {
        if (!(key in hmed) || $6 + 0 < hmed[key]) { h[key] = sprintf("%s, %d/s (%s)", t($6), $8, t($7)); hmed[key] = $6 + 0 }
      } else {
        p[key] = $1
        if (!(key in pmed) || $6 + 0 < pmed[key]) { pv[key] = sprintf("%s, %d/s (%s)", t($6), $8, t($7)); pmed[key] = $6 + 0 }
      }
    }
    END {
      for (i = 1; i <= k; i++) {
        key = order[i]
        printf "| %s | %s | %.1f KB | %s | %s | %s | %.1f× |\n", forms[key], encs[key], size[key] / 1000, h[key], p[key], pv[key], pmed[key] / hmed[key]
      }
    }' "$out/speed.tsv"
  echo
  echo "One thread. hoso: \`Definitions::validate\` from bytes to the typed model (definitions loaded once);"
  echo "libxml2: \`xmlReadMemory\` + \`xmlSchemaValidateDoc\` (schema parsed once); jsonschema: \`json.loads\` + \`is_valid\`"
  echo "(validator built once, formats asserted). Timing: warm-up, then runs until ${MIN_TIME} s (at least 3); each tool's best median"
  echo "of ${ROUNDS} rounds, taken in turn (best single run in parentheses); hoso / peer compares those medians."
} | tee "$out/table.md"
