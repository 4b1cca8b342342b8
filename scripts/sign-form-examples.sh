#!/usr/bin/env bash
# Signs every form's valid XML example with a TEST signer (XAdES B-B,
# enveloped), writing examples/forms/<id>/signed.xml. Forms whose applicant
# is an organisation are signed with the TEST organisation certificate, the
# others with the TEST citizen (CCCD) certificate. Run it after the valid
# examples change; crates/hoso-cli/tests/forms_cli.rs checks that each
# signed example verifies and carries exactly the valid example.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --release -p hoso-cli
hoso=target/release/hoso
for dir in examples/forms/*/; do
  [[ -f $dir/valid.xml ]] || continue
  if grep -q '^  <applicant>' "$dir/valid.xml" && grep -q '^    <organisation>' "$dir/valid.xml"; then
    signer=organisation
  else
    signer=person-cccd
  fi
  "$hoso" sign \
    --key "certs/test/signers/$signer.key.pem" \
    --cert "certs/test/signers/$signer.pem" \
    --chain certs/test/chain-ca1.pem \
    --output "$dir/signed.xml" \
    "$dir/valid.xml"
done
echo "signed $(ls examples/forms/*/valid.xml | wc -l) examples"
