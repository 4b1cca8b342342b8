#!/usr/bin/env bash
# The whole test suite. Installs the external oracles the tests talk to
# (libxml2's xmllint and headers, xmlsec1, a C compiler, Python's jsonschema,
# Node.js with TypeScript, poppler's PDF tools and the DejaVu font) when
# they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v xmlsec1 >/dev/null || missing+=(xmlsec1)
[[ -f /usr/include/libxml2/libxml/c14n.h ]] || missing+=(libxml2-dev)
command -v gcc >/dev/null || missing+=(gcc)
command -v python3 >/dev/null || missing+=(python3)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v zbarimg >/dev/null || missing+=(zbar-tools)
command -v openssl >/dev/null || missing+=(openssl)
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing+=(fonts-dejavu-core)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
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

# TypeScript's compiler for the bindings' test, kept under the target folder.
tools=${CARGO_TARGET_DIR:-target}/tools/typescript
if [[ ! -x $tools/node_modules/.bin/tsc ]]; then
  echo "installing test oracle: the typescript npm package"
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" typescript@5 >/dev/null
fi
HOSO_TSC=$(realpath "$tools/node_modules/.bin/tsc")
export HOSO_TSC

cargo test --workspace --locked "$@"
