#!/usr/bin/env sh
# Runs every cargo-fuzz target of recouvre-formats (camt, mt940, statement_csv, claims_csv)
# for a bounded time each, and fails on the first crash (a panic in a reader).
#
#   crates/formats/fuzz/run.sh [SECONDS]      # default 60 s per target
#
# Stable Rust only, no nightly: the targets are built and run with
#
#   cargo fuzz run --sanitizer none --debug-assertions TARGET CORPUS SEEDS... -- \
#       -max_total_time=SECONDS
#
# `--sanitizer none` (`-s none`) leaves out the `-Zsanitizer=address` flag, the one thing in
# a cargo-fuzz build that needs nightly; the coverage instrumentation (`-Cpasses=sancov-module`
# and `-Cllvm-args=-sanitizer-coverage-*`) and libFuzzer itself build on stable. Our readers
# are `unsafe`-free (the workspace forbids unsafe code), so AddressSanitizer would add little;
# what we look for is panics, and `--debug-assertions` (`-a`) also turns integer overflow
# into a panic. (With a nightly toolchain, dropping `-s none` would add ASan; not tried here.)
#
# Installs cargo-fuzz (`cargo install cargo-fuzz --locked`) when it is missing. The corpus
# of each target is kept in crates/formats/fuzz/corpus/TARGET (ignored by git); it is seeded
# from our own small test files (crates/formats/tests/data, crates/app/tests/data) and, when
# present, libFuzzer also reads $RECOUVRE_CORPUS/camt and $RECOUVRE_CORPUS/mt940 (default:
# ../shared/fixtures beside the workspace) as extra, read-only seed directories: those files
# are never copied. A crash leaves its input in crates/formats/fuzz/artifacts/TARGET/; replay it
# with `cargo fuzz run -s none -a TARGET artifacts/TARGET/crash-...` from this directory.
set -eu
seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)" # the workspace root
cd "$here"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi
# Start from the workspace's lock file, so the readers are fuzzed with the dependency
# versions the workspace is tested with (the fuzz crate is its own workspace).
[ -f Cargo.lock ] || cp "$root/Cargo.lock" Cargo.lock

shared="${RECOUVRE_CORPUS:-$root/../shared/fixtures}"
own="$root/crates/formats/tests/data"
app="$root/crates/app/tests/data"

seed() { # target, files... : copy our own (repo) test files into the working corpus
    target="$1"
    shift
    mkdir -p "corpus/$target"
    for f in "$@"; do
        if [ -f "$f" ]; then cp "$f" "corpus/$target/"; fi
    done
}
seed camt "$own"/*.xml "$app"/*.xml
seed mt940 "$own"/*.sta "$app"/*.sta
seed statement_csv "$own"/bank_export_fr.csv "$app"/bank_export*.csv
seed claims_csv "$own"/french.csv "$own"/english.csv "$app"/claims.csv

flags="--sanitizer none --debug-assertions"
echo "== building the fuzz targets ($flags)"
# shellcheck disable=SC2086
cargo fuzz build $flags

status=0
for target in camt mt940 statement_csv claims_csv; do
    set -- "corpus/$target"
    case "$target" in
    camt | mt940) if [ -d "$shared/$target" ]; then set -- "$@" "$shared/$target"; fi ;;
    esac
    echo "== fuzzing $target for ${seconds}s (corpus: $*)"
    # shellcheck disable=SC2086
    if ! cargo fuzz run $flags "$target" "$@" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1; then
        echo "!! $target: crash, see crates/formats/fuzz/artifacts/$target/"
        status=1
    fi
done
if [ "$status" -eq 0 ]; then echo "== fuzzing: no crash"; fi
exit "$status"
