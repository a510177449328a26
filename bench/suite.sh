#!/usr/bin/env bash
# Benchmark: wall time of the whole suite (every role; TAGS=@as for one role) against the built-in
# target (budget: under 5 s on 2 cores; scenarios run concurrently, no sleeps). A measurement, not
# a test: it prints figures.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
tags=(); if [ -n "${TAGS:-}" ]; then tags=(--tags "$TAGS"); fi
label=${TAGS:-every role}
cargo build --release -p runner >/dev/null 2>&1
bin=target/release/authconform
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" run "${tags[@]}" --out "$out" >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( runs / 2 ))]}
max=${sorted[$(( runs - 1 ))]}
scenarios=$(grep -c '"name"' "$out/report.json" || true)
mkdir -p target/bench
{
  echo "| measure | budget | median | max |"
  echo "|---|---|---|---|"
  echo "| suite ($label), built-in target ($scenarios entries in report.json, $runs runs) | < 5000 ms | ${median} ms | ${max} ms |"
} | tee target/bench/suite.md
