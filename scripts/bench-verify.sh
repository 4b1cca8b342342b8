#!/usr/bin/env bash
# Signature-verification benchmark: hoso-dsig and libxmlsec1 side by side, on
# the same signed files, in the same run.
#
#   scripts/bench-verify.sh                 # the standard documents (≈5 KB form, RSA and ECDSA; ≈10 MB form, RSA)
#   scripts/bench-verify.sh a.xml b.xml     # given files (their CA: $UNTRUSTED_PEM, default CA 1 of certs/test)
#   MIN_TIME=2 PHASES=0 scripts/bench-verify.sh
#
# Builds everything in release mode, writes the standard documents (signed by
# hoso_dsig::sign_enveloped with the TEST PKI of certs/test) to
# target/bench-verify/ when missing, and checks that each document verifies
# with hoso (verify_form), with the libxmlsec1 peer and with the xmlsec1
# command.  Then for each file it runs hoso's bench
# (crates/hoso-dsig/benches/verify.rs) and the libxmlsec1 peer
# (benches/peers/xmlsec_verify_bench.c) back to back, and measures the peak
# RSS of one verification per tool in a fresh process.  Both trust the TEST
# national root only and verify at 2030-01-01T00:00:00Z; the trust store is
# loaded once per process.  Prints the machine, the command and Markdown
# tables (also saved under target/bench-verify/).  Timings vary with the
# machine and its load: they are reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

MIN_TIME=${MIN_TIME:-1}
MAX_ITERS=${MAX_ITERS:-100000}
PHASES=${PHASES:-1}
ROOT_PEM=certs/test/ca/root.pem
XADES_NS=http://uri.etsi.org/01903/v1.3.2#

missing=()
[[ -f /usr/include/xmlsec1/xmlsec/xmldsig.h ]] || missing+=(libxmlsec1-dev)
command -v xmlsec1 >/dev/null || missing+=(xmlsec1)
command -v gcc >/dev/null || missing+=(gcc)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

target=${CARGO_TARGET_DIR:-target}
out=$target/bench-verify
mkdir -p "$out" "$target/bench-peers"

echo "building (release)..." >&2
cargo build --release --locked -p hoso-dsig --example verify_file >&2
cargo bench --locked -p hoso-dsig --bench verify --no-run >&2
peer=$target/bench-peers/xmlsec_verify_bench
# shellcheck disable=SC2046 # pkg-config output is a list of flags
gcc -O2 -Wall -Wextra -o "$peer" benches/peers/xmlsec_verify_bench.c $(pkg-config --cflags --libs xmlsec1-openssl)
example=$target/release/examples/verify_file

bench_hoso() {
  cargo bench --locked -q -p hoso-dsig --bench verify -- "$@"
}

# Each document with the PEM file of its CA (an untrusted intermediate).
files=()
cas=()
if (($#)); then
  # Absolute paths: cargo runs the bench from the package directory.
  for f in "$@"; do
    files+=("$(realpath "$f")")
    cas+=("$(realpath "${UNTRUSTED_PEM:-certs/test/ca/ca1.pem}")")
  done
else
  while IFS=$'\t' read -r f ca; do
    files+=("$f")
    cas+=("$ca")
  done < <(bench_hoso --generate-only)
fi

# The same work on both sides: every document verifies with hoso, with the
# libxmlsec1 peer and with the xmlsec1 command.
for i in "${!files[@]}"; do
  f=${files[$i]} ca=${cas[$i]}
  "$example" --trusted-pem "$ROOT_PEM" "$f" >/dev/null
  "$peer" --trusted-pem "$ROOT_PEM" --untrusted-pem "$ca" --once "$f" >/dev/null
  if ! xmlsec1 --verify --trusted-pem "$ROOT_PEM" --untrusted-pem "$ca" \
    --id-attr:Id "$XADES_NS:SignedProperties" --verification-time "2030-01-01 00:00:00" \
    "$f" >/dev/null 2>"$out/xmlsec1.log"; then
    cat "$out/xmlsec1.log" >&2
    echo "error: xmlsec1 does not verify $f" >&2
    exit 1
  fi
done
rm -f "$out/xmlsec1.log"
echo "checked: hoso, the libxmlsec1 peer and xmlsec1 verify all ${#files[@]} documents" >&2

phases=()
((PHASES)) && phases=(--phases)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$out/speed.tsv"
: >"$out/mem.tsv"
for i in "${!files[@]}"; do
  f=${files[$i]} ca=${cas[$i]}
  echo "measuring $f..." >&2
  bench_hoso --bench --tsv "${phases[@]}" --min-time "$MIN_TIME" --max-iters "$MAX_ITERS" "$f" |
    tail -n +2 >>"$out/speed.tsv"
  "$peer" --trusted-pem "$ROOT_PEM" --untrusted-pem "$ca" --tsv --min-time "$MIN_TIME" --max-iters "$MAX_ITERS" "$f" |
    tail -n +2 >>"$out/speed.tsv"
  # One verification in a fresh process each; VmHWM is the peak RSS.
  printf 'hoso\t%s\t%s\n' "$(basename "$f")" "$("$example" --trusted-pem "$ROOT_PEM" "$f")" >>"$out/mem.tsv"
  printf 'xmlsec\t%s\t%s\n' "$(basename "$f")" "$("$peer" --trusted-pem "$ROOT_PEM" --untrusted-pem "$ca" --once "$f")" >>"$out/mem.tsv"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

model=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
{
  echo "- Machine: $(nproc) CPUs, $model, $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before the run: $load_before, after: $load_after"
  echo "- Toolchain: $(rustc --version); $(gcc --version | head -1); xmlsec1 $(pkg-config --modversion xmlsec1-openssl) (OpenSSL backend) with libxml2 $(pkg-config --modversion libxml-2.0) and OpenSSL $(pkg-config --modversion openssl 2>/dev/null || openssl version | cut -d' ' -f2)"
  echo "- Command: \`MIN_TIME=$MIN_TIME PHASES=$PHASES scripts/bench-verify.sh${*:+ $*}\`"
  echo
  echo "| document | size | signer key | hoso, median (best) | xmlsec, median (best) | hoso / xmlsec | hoso time/doc | xmlsec time/doc | hoso, fresh store per run | hoso peak RSS (beyond input) | xmlsec peak RSS (beyond input) |"
  echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' '
    function kib(k) { return k >= 10240 ? sprintf("%.1f MiB", k / 1024) : sprintf("%d KiB", k) }
    function t(us) { return us >= 1000 ? sprintf("%.2f ms", us / 1000) : sprintf("%.1f µs", us) }
    function size(b) { return b >= 1e6 ? sprintf("%.1f MB", b / 1e6) : sprintf("%.1f KB", b / 1e3) }
    function field(s, name,   n, parts, i, kv) {
      n = split(s, parts, " ")
      for (i = 1; i <= n; i++) { split(parts[i], kv, "="); if (kv[1] == name) return kv[2] }
      return ""
    }
    # Verifications per second for small documents, MB/s from 1 MB up.
    function speed(bytes, per_s, mbps) {
      return bytes >= 1e6 ? sprintf("%.1f MB/s", mbps) : sprintf("%.0f/s", per_s)
    }
    function speed2(bytes, per_s, best_per_s, mbps, best_mbps) {
      return bytes >= 1e6 ? sprintf("%.1f MB/s (%.1f)", mbps, best_mbps) : sprintf("%.0f/s (%.0f)", per_s, best_per_s)
    }
    FILENAME ~ /mem.tsv$/ {
      input = field($3, "input_bytes"); hwm = field($3, "hwm_kib"); start = field($3, "rss_start_kib")
      mem[$1, $2] = sprintf("%s (%s)", kib(hwm), kib(hwm - start - input / 1024))
      if ($1 == "hoso") { k = field($3, "key"); gsub("_", " ", k); key[$2] = k }
      next
    }
    {
      f = $3
      if ($1 == "hoso" && $2 == "verify_form, shared store") {
        order[++n] = f; bytes[f] = $4
        hoso[f] = speed2($4, $8, $9, $10, $11); hmed[f] = $6; htime[f] = t($6)
      }
      if ($1 == "hoso" && $2 == "verify_form, fresh store") { fresh[f] = speed($4, $8, $10) }
      if ($1 == "xmlsec") { xs[f] = speed2($4, $8, $9, $10, $11); xmed[f] = $6; xtime[f] = t($6) }
    }
    END {
      for (i = 1; i <= n; i++) {
        f = order[i]
        ratio = hmed[f] > 0 && xmed[f] > 0 ? sprintf("%.1f×", xmed[f] / hmed[f]) : "–"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f, size(bytes[f]), key[f],
          hoso[f], xs[f], ratio, htime[f], xtime[f], fresh[f], mem["hoso", f], mem["xmlsec", f]
      }
    }' "$out/mem.tsv" "$out/speed.tsv"
  echo
  echo "One thread (so per core). Verifications per second for the small forms, MB/s of input (MB = 10^6 bytes) for the large one;"
  echo "hoso / xmlsec compares the medians. hoso: \`verify_form\` (form policy, XAdES checks, path validation, the signed canonical form returned)"
  echo "with one \`TrustStore\` shared by every run (its caches of parsed certificates and verified certificate signatures are warm after the first run);"
  echo "\"fresh store per run\" builds a new store each run, so the KeyInfo certificates are parsed and the chain's signatures verified every time"
  echo "(libxmlsec1 does both in every run)."
  echo "xmlsec: \`xmlReadMemory\` + Id registration + \`xmlSecDSigCtxVerify\` with a keys manager loaded once (root trusted, CA untrusted)."
  echo "Timing: warm-up, then runs until ${MIN_TIME} s or ${MAX_ITERS} runs (at least 3); time/doc is the median."
  echo "Peak RSS: VmHWM of a fresh process that verifies the file once; in parentheses, the peak minus the RSS once the trust"
  echo "store is loaded (before the file is read) minus the input size (both tools hold the whole input)."
  if ((PHASES)); then
    echo
    echo "hoso, parts of the work timed on their own (median; in parentheses, the share of one \`verify_form\` with the shared store):"
    echo
    awk -F'\t' '
      function t(us) { return us >= 1000 ? sprintf("%.2f ms", us / 1000) : sprintf("%.1f µs", us) }
      $1 == "hoso" {
        f = $3
        if (!(f in seen)) { seen[f] = 1; files[++nf] = f }
        if ($2 == "verify_form, shared store") total[f] = $6
        if (!($2 in known)) { known[$2] = 1; cases[++nc] = $2 }
        med[$2, f] = $6
      }
      END {
        printf "| part |"; for (j = 1; j <= nf; j++) printf " %s |", files[j]; printf "\n"
        printf "| --- |"; for (j = 1; j <= nf; j++) printf " ---: |"; printf "\n"
        for (i = 1; i <= nc; i++) {
          c = cases[i]; printf "| %s |", c
          for (j = 1; j <= nf; j++) {
            f = files[j]
            if ((c, f) in med) printf " %s (%.0f%%) |", t(med[c, f]), 100 * med[c, f] / total[f]
            else printf " – |"
          }
          printf "\n"
        }
      }' "$out/speed.tsv"
  fi
} | tee "$out/table.md"
