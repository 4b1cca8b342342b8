#!/usr/bin/env bash
# The whole test suite. Installs the external oracles the tests talk to
# (libxml2's xmllint and headers, xmlsec1, a C compiler, Python's jsonschema)
# when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v xmlsec1 >/dev/null || missing+=(xmlsec1)
[[ -f /usr/include/libxml2/libxml/c14n.h ]] || missing+=(libxml2-dev)
command -v gcc >/dev/null || missing+=(gcc)
command -v python3 >/dev/null || missing+=(python3)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if ((${#missing[@]})); then
  echo "installing test oracles: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c "import jsonschema" 2>/dev/null; then
  echo "installing test oracle: the jsonschema Python package"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null
  fi
  python3 -m pip install --quiet jsonschema 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages jsonschema
fi

cargo test --workspace --locked "$@"
