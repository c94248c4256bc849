#!/usr/bin/env sh
# Runs every fuzz target of recouvre-formats for a bounded time (default 60 s each).
#   crates/formats/fuzz/run.sh [SECONDS]
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain. The corpus of each
# target starts from our own test files and, when present, shared/fixtures.
set -eu
seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "SKIPPED fuzzing: cargo-fuzz is not installed (cargo install cargo-fuzz)"
    exit 0
fi
corpus_root="${RECOUVRE_CORPUS:-$here/../../../../shared/fixtures}"
seed() { # target, files...
    target="$1"; shift
    mkdir -p "corpus/$target"
    for f in "$@"; do [ -f "$f" ] && cp "$f" "corpus/$target/" || true; done
}
seed camt "$here"/../tests/data/*.xml "$corpus_root"/camt/*
seed mt940 "$here"/../tests/data/*.sta "$corpus_root"/mt940/*
seed statement_csv "$here"/../tests/data/bank_export_fr.csv
seed claims_csv "$here"/../tests/data/french.csv "$here"/../tests/data/english.csv
status=0
for target in camt mt940 statement_csv claims_csv; do
    echo "== fuzzing $target for ${seconds}s"
    cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 || status=1
done
exit "$status"
