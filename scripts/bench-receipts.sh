#!/usr/bin/env bash
# Receipt benchmark: fee receipts rendered, PAdES-signed, both, and verified
# per second on one thread (crates/hoso-receipt/benches/receipts.rs, release
# mode), then OpenSSL as a peer for the signing part, in the same run:
#
#   * `openssl cms -sign -cades` (SHA-256, the TEST agency's RSA-2048 key, the
#     same certificates) over the rendered receipt, N times, one process per
#     signature (so process start-up is in its figure);
#   * `openssl speed rsa2048`: raw RSA-2048 signatures per second, the bound
#     any CMS signer with this key meets.
#
#   scripts/bench-receipts.sh                  # 2 s per phase, N=200
#   MIN_TIME=1 N=100 scripts/bench-receipts.sh
#
# Timings vary with the machine and its load: they are reported, never
# asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

MIN_TIME=${MIN_TIME:-2}
N=${N:-200}
target=${CARGO_TARGET_DIR:-target}
mkdir -p "$target/bench-receipts"
# Absolute: cargo runs the bench from the crate's folder.
out=$(realpath "$target/bench-receipts")
signers=certs/test/signers

echo "- Machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)"
echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- Toolchain: $(rustc --version); $(openssl version)"
echo "- Command: \`MIN_TIME=$MIN_TIME N=$N scripts/bench-receipts.sh\`"
echo "- Tree: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
echo

echo "building (release)..." >&2
cargo bench --locked -p hoso-receipt --bench receipts --no-run >&2
HOSO_BENCH_OUT=$out cargo bench --locked -q -p hoso-receipt --bench receipts -- --min-time "$MIN_TIME" | tee "$out/hoso.md"
echo

# OpenSSL: one `openssl cms -sign` process per signature, same key, same
# certificates, SHA-256 with signingCertificateV2 (-cades), detached, DER.
start=$(date +%s%N)
for ((i = 0; i < N; i++)); do
  openssl cms -sign -binary -cades -md sha256 -outform DER \
    -in "$out/fee-receipt.pdf" -signer "$signers/agency.pem" -inkey "$signers/agency.key.pem" \
    -certfile certs/test/chain-ca1.pem -out "$out/openssl.p7s"
done
end=$(date +%s%N)
openssl_per_s=$(awk -v n="$N" -v ns="$((end - start))" 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
openssl cms -verify -binary -inform DER -in "$out/openssl.p7s" -content "$out/fee-receipt.pdf" \
  -CAfile certs/test/ca/root.pem -certfile certs/test/chain-ca1.pem -purpose any -out /dev/null 2>/dev/null ||
  { echo "the peer's signature does not verify" >&2; exit 1; }

speed=$(openssl speed -seconds "$MIN_TIME" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')

hoso_sign=$(awk -F'|' '$2 ~ /^ sign $/ {gsub(/ /, "", $6); print $6}' "$out/hoso.md")
echo "| peer | signatures/s | hoso sign / peer |"
echo "| --- | ---: | ---: |"
echo "| openssl cms -sign -cades, one process each (N=$N) | $openssl_per_s | $(awk -v a="$hoso_sign" -v b="$openssl_per_s" 'BEGIN { printf "%.1f×", a / b }') |"
echo "| openssl speed rsa2048 (raw RSA-2048 sign, no CMS, no PDF) | ${speed%.*} | $(awk -v a="$hoso_sign" -v b="$speed" 'BEGIN { printf "%.2f×", a / b }') |"
