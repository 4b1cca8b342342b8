#!/usr/bin/env bash
# Builds the starting corpora from the seeds in seeds/ (plain XML documents):
#   corpus/reader/  the seeds as they are;
#   corpus/c14n/    each seed behind parameter headers (see HEADER_LEN and
#                   C14nCase::decode in crates/hoso-xml/tests/common/fuzz_props.rs):
#                   all six methods, each of the four kinds of selection, with
#                   and without a PrefixList; and the same headers with the
#                   generator bit set, the seed's bytes then serving as a recipe
#                   for a generated document.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/reader corpus/c14n
for seed in seeds/*; do
  name=$(basename "$seed")
  cp "$seed" "corpus/reader/$name"
  for method in 0 1 2 3 4 5; do
    for selection in 0 1 2 3; do
      for prefixes in 0 255; do
        for generate in 0 4; do
          flags=$((selection | generate | method << 3))
          {
            printf "\\$(printf %03o "$method")\\$(printf %03o "$flags")\\001\\002\\$(printf %03o "$prefixes")"
            cat "$seed"
          } >"corpus/c14n/$name.m$method.s$selection.p$prefixes.g$generate"
        done
      done
    done
  done
done
echo "corpus/reader: $(ls corpus/reader | wc -l) files, corpus/c14n: $(ls corpus/c14n | wc -l) files"
