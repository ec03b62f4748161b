#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader with cargo fuzz (libFuzzer).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 600 s, all targets)
# Seeds each target's corpus from the fixtures; crashes land in fuzz/artifacts/<target>/.
# cargo fuzz needs nightly features: on the stable toolchain RUSTC_BOOTSTRAP=1 enables them.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ris nbib bibtex csl_json web pipeline)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
seed() { # target, fixture globs...
  local t=$1; shift
  mkdir -p "fuzz/corpus/$t"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "fuzz/corpus/$t/" || true; done
}
seed ris fixtures/read/ris/*.ris
seed nbib fixtures/read/nbib/*
seed bibtex fixtures/read/bibtex/*.bib
seed csl_json fixtures/read/csl-json/*.json
seed web seeds/* fixtures/read/{cnki,bvs,eprints,emerald}/*.txt
seed pipeline seeds/* fixtures/encoding/*
for t in "${targets[@]}"; do
  echo "== fuzzing $t for ${secs}s"
  cargo fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 2>&1 \
    | grep -E '^#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|ERROR|panicked|SUMMARY' | tail -5 \
    || echo "== $t stopped on a crash: see fuzz/artifacts/$t/ (keep it under fuzz/regressions/ with a test once fixed)"
done
