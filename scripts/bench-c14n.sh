#!/usr/bin/env bash
# Canonicalization benchmark: hoso-xml and libxml2 side by side, on the same
# files, in the same run.
#
#   scripts/bench-c14n.sh                  # the standard corpus (≈5 KB, 100 KB, 10 MB e-invoices)
#   scripts/bench-c14n.sh a.xml b.xml      # given files
#   MIN_TIME=2 METHODS=exc-c14n scripts/bench-c14n.sh
#
# Builds everything in release mode, writes the corpus to target/bench-corpus/
# when missing, checks that both tools produce byte-identical canonical forms,
# then for each file runs hoso-xml's bench (crates/hoso-xml/benches/c14n.rs)
# and the libxml2 peer (benches/peers/libxml2_c14n_bench.c) back to back, and
# measures peak RSS of one canonicalization per tool in a fresh process.
# Prints the machine, the command and a Markdown table (also saved under
# target/bench-c14n/).  Throughput is MB/s of input (MB = 10^6 bytes) for parse
# + canonicalization: hoso-xml parses as it canonicalizes; libxml2 runs
# xmlReadMemory then xmlC14NDocDumpMemory.  Timings vary with the machine and
# its load: they are reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

MIN_TIME=${MIN_TIME:-1}
MAX_ITERS=${MAX_ITERS:-100000}
METHODS=${METHODS:-exc-c14n,c14n}

missing=()
[[ -f /usr/include/libxml2/libxml/c14n.h ]] || missing+=(libxml2-dev)
command -v gcc >/dev/null || missing+=(gcc)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

target=${CARGO_TARGET_DIR:-target}
out=$target/bench-c14n
mkdir -p "$out" "$target/bench-peers"

echo "building (release)..." >&2
cargo build --release --locked -p hoso-xml --example c14n_file >&2
cargo bench --locked -p hoso-xml --bench c14n --no-run >&2
peer=$target/bench-peers/libxml2_c14n_bench
# shellcheck disable=SC2046 # pkg-config output is a list of flags
gcc -O2 -Wall -Wextra -o "$peer" benches/peers/libxml2_c14n_bench.c $(pkg-config --cflags --libs libxml-2.0)
example=$target/release/examples/c14n_file

bench_hoso() {
  cargo bench --locked -q -p hoso-xml --bench c14n -- "$@"
}

files=()
if (($#)); then
  # Absolute paths: cargo runs the bench from the package directory.
  for f in "$@"; do files+=("$(realpath "$f")"); done
else
  mapfile -t files < <(bench_hoso --generate-only)
fi

# The same work on both sides: byte-identical canonical forms.
IFS=, read -r -a methods <<<"$METHODS"
for f in "${files[@]}"; do
  for m in "${methods[@]}"; do
    "$example" --method "$m" --out "$out/hoso.out" "$f" >/dev/null
    "$peer" --once --methods "$m" --out "$out/libxml2.out" "$f" >/dev/null
    if ! cmp -s "$out/hoso.out" "$out/libxml2.out"; then
      echo "warning: $f $m: hoso-xml and libxml2 canonical forms differ" >&2
    fi
  done
done
rm -f "$out/hoso.out" "$out/libxml2.out"

: >"$out/speed.tsv"
: >"$out/mem.tsv"
for f in "${files[@]}"; do
  echo "measuring $f..." >&2
  bench_hoso --bench --tsv --min-time "$MIN_TIME" --max-iters "$MAX_ITERS" --methods "$METHODS" "$f" |
    tail -n +2 >>"$out/speed.tsv"
  "$peer" --tsv --min-time "$MIN_TIME" --max-iters "$MAX_ITERS" --methods "$METHODS" "$f" |
    tail -n +2 >>"$out/speed.tsv"
  for m in "${methods[@]}"; do
    # One canonicalization in a fresh process each; VmHWM is the peak RSS.
    printf 'hoso\t%s\t%s\t%s\n' "$m" "$(basename "$f")" "$("$example" --method "$m" "$f")" >>"$out/mem.tsv"
    printf 'libxml2\t%s\t%s\t%s\n' "$m" "$(basename "$f")" "$("$peer" --once --methods "$m" "$f")" >>"$out/mem.tsv"
  done
done

model=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
{
  echo "- Machine: $(nproc) CPUs, $model, $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Toolchain: $(rustc --version); $(gcc --version | head -1); libxml2 $(pkg-config --modversion libxml-2.0)"
  echo "- Command: \`MIN_TIME=$MIN_TIME METHODS=$METHODS scripts/bench-c14n.sh${*:+ $*}\`"
  echo
  echo "| document | size | method | hoso → sink MB/s, median (best) | hoso → Vec MB/s, median (best) | hoso time/doc | libxml2 MB/s, median (best) | libxml2 time/doc | hoso / libxml2 | libxml2 parse only MB/s | hoso peak RSS (beyond input) | libxml2 peak RSS (beyond input) |"
  echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' '
    function kib(k) { return k >= 10240 ? sprintf("%.1f MiB", k / 1024) : sprintf("%d KiB", k) }
    function t(us) { return us >= 1000 ? sprintf("%.2f ms", us / 1000) : sprintf("%.1f µs", us) }
    function size(b) { return b >= 1e6 ? sprintf("%.1f MB", b / 1e6) : sprintf("%.1f KB", b / 1e3) }
    function field(s, name,   n, parts, i, kv) {
      n = split(s, parts, " ")
      for (i = 1; i <= n; i++) { split(parts[i], kv, "="); if (kv[1] == name) return kv[2] + 0 }
      return -1
    }
    FILENAME ~ /mem.tsv$/ {
      input = field($4, "input_bytes"); hwm = field($4, "hwm_kib"); start = field($4, "rss_start_kib")
      mem[$1, $2, $3] = sprintf("%s (%s)", kib(hwm), kib(hwm - start - input / 1024))
      next
    }
    {
      key = $4 SUBSEP $2
      if ($1 == "hoso" && $3 == "sink") { sink[key] = sprintf("%.0f (%.0f)", $9, $10) }
      if ($1 == "hoso" && $3 == "vec") {
        vec[key] = sprintf("%.0f (%.0f)", $9, $10); vmed[key] = $9; vtime[key] = t($7)
        if (!(key in seen)) { seen[key] = 1; order[++n] = key; bytes[key] = $5 }
      }
      if ($1 == "libxml2" && $3 == "parse+c14n") { lx[key] = sprintf("%.0f (%.0f)", $9, $10); lmed[key] = $9; ltime[key] = t($7) }
      if ($1 == "libxml2" && $3 == "parse") { parse[$4] = sprintf("%.0f", $9) }
    }
    END {
      for (i = 1; i <= n; i++) {
        key = order[i]; split(key, k, SUBSEP)
        ratio = lmed[key] > 0 ? sprintf("%.1f×", vmed[key] / lmed[key]) : "–"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", k[1], size(bytes[key]), k[2],
          sink[key], vec[key], vtime[key], lx[key], ltime[key], ratio, parse[k[1]],
          mem["hoso", k[2], k[1]], mem["libxml2", k[2], k[1]]
      }
    }' "$out/mem.tsv" "$out/speed.tsv"
  echo
  echo "MB/s of input (MB = 10^6 bytes), for parse + canonicalization of the whole document, without comments."
  echo "hoso-xml parses as it canonicalizes (one pass, output through a 32 KiB buffer into \`std::io::sink()\` or a reused \`Vec<u8>\`);"
  echo "libxml2 builds the tree with \`xmlReadMemory\`, then \`xmlC14NDocDumpMemory\` allocates the output (tree and output freed in the timed run)."
  echo "hoso / libxml2 compares the medians of hoso → Vec and libxml2. Timing: warm-up, then runs until ${MIN_TIME} s or ${MAX_ITERS} runs (at least 3);"
  echo "time/doc is the median. Peak RSS: VmHWM of a fresh process that reads the file and canonicalizes it once;"
  echo "in parentheses, the peak minus the RSS before the file was read minus the input size (both tools hold the whole input)."
} | tee "$out/table.md"
