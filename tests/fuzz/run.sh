#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, -DVB_FUZZ=ON, in build-fuzz/) and
# runs each for a fixed time. See tests/fuzz/README.md.
#
#   tests/fuzz/run.sh [-t SECONDS] [-j JOBS] [-k] [-b BUILD_DIR] [HARNESS...]
#
#   -t SECONDS  time per harness (-max_total_time), default 60
#   -j JOBS     parallel fuzzing processes per harness (libFuzzer -fork=JOBS)
#   -k          keep going after a crash, leak or timeout (-ignore_crashes etc.):
#               for long runs; the findings are saved in BUILD_DIR/artifacts/
#   HARNESS     fuzz_source fuzz_table fuzz_profile fuzz_render
#               fuzz_render_profile fuzz_font fuzz_png fuzz_data (default: all). fuzz_render_profile
#               is fuzz_render fed only inputs that carry a profile (its own
#               seeds and work corpus, -use_value_profile=1)
#
# Exit status: 0 when no harness found anything, 1 otherwise (the crashing
# input is in BUILD_DIR/artifacts/<harness>/, the report in BUILD_DIR/<harness>.log).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
secs=60 jobs=1 keep=0 build=build-fuzz
while getopts "t:j:kb:" o; do
  case "$o" in
    t) secs="$OPTARG" ;;
    j) jobs="$OPTARG" ;;
    k) keep=1 ;;
    b) build="$OPTARG" ;;
    *) sed -n '2,15p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_source fuzz_table fuzz_profile fuzz_render fuzz_render_profile fuzz_font fuzz_png fuzz_data)
# the executable of each harness: fuzz_render_profile runs fuzz_render
exe_of() { if [ "$1" = fuzz_render_profile ]; then echo fuzz_render; else echo "$1"; fi; }
targets=()
for h in "${harnesses[@]}"; do targets+=("$(exe_of "$h")"); done

cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVB_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >/dev/null
tests/fuzz/make_corpus.sh "$build/corpus" >/dev/null
tests/fuzz/make_png_corpus.py "$build/corpus/fuzz_png" >/dev/null
export FONTCONFIG_FILE="${FONTCONFIG_FILE:-$root/tests/fonts.conf}"
# faults inside Debian's libraries that vanban cannot fix (each explained in the file)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}suppressions=$root/tests/fuzz/asan.supp"

status=0
for h in "${harnesses[@]}"; do
  case "$h" in
    fuzz_profile) maxlen=8192 ;;    # a profile needs its required sections first
    fuzz_render*) maxlen=20480 ;;   # a stripped profile (about 11 KiB), a NUL and a source
    fuzz_font) maxlen=409600 ;;     # a selector byte and a font file (Liberation Serif: 370-394 KB)
    fuzz_png) maxlen=16384 ;;       # a small PNG: its chunks, not its pixels, are what is fuzzed
    *) maxlen=4096 ;;
  esac
  mkdir -p "$build/work/$h" "$build/artifacts/$h"
  # the words of sources and profiles; font.dict: table tags and the values fontfind judges
  dict=tests/fuzz/vanban.dict
  [ "$h" = fuzz_font ] && dict=tests/fuzz/font.dict
  [ "$h" = fuzz_png ] && dict=tests/fuzz/png.dict
  [ "$h" = fuzz_data ] && dict=tests/fuzz/data.dict
  args=(-max_total_time="$secs" -max_len="$maxlen" -timeout=20 -rss_limit_mb=2048
        -dict="$dict" -artifact_prefix="$build/artifacts/$h/" -print_final_stats=1)
  if [ "$jobs" -gt 1 ] || [ "$keep" = 1 ]; then args+=(-fork="$jobs"); fi
  if [ "$keep" = 1 ]; then args+=(-ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1); fi
  # profile values mostly change comparisons, not edges: let libFuzzer keep inputs that get closer to a bound
  [ "$h" = fuzz_render_profile ] && args+=(-use_value_profile=1)
  corpora=("$build/work/$h" "$build/corpus/$h")
  [ -d "tests/regress/$(exe_of "$h")" ] && corpora+=("tests/regress/$(exe_of "$h")")
  echo "== $h: ${secs} s, ${jobs} job(s), max_len $maxlen"
  before=$(find "$build/artifacts/$h" -type f | wc -l)
  start=$(date +%s)
  if "$build/$(exe_of "$h")" "${args[@]}" "${corpora[@]}" >"$build/$h.log" 2>&1; then rc=0; else rc=$?; fi
  took=$(($(date +%s) - start))
  last="$(grep -E '^#[0-9]+' "$build/$h.log" | tail -n 1 | cut -c1-160 || true)"
  execs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$build/$h.log" | tail -n 1 | awk '{print $2}' || true)"
  # fork mode (-j, -k) prints no final stats: its last status line counts the runs
  [ -n "$execs" ] || execs="$(printf '%s\n' "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')"
  found=$(($(find "$build/artifacts/$h" -type f | wc -l) - before))
  echo "   ${took} s, ${execs:-?} runs; $last"
  if [ "$rc" -ne 0 ] || [ "$found" -gt 0 ]; then
    status=1
    echo "   $h FOUND SOMETHING (exit $rc, $found new input(s)): report in $build/$h.log, inputs in $build/artifacts/$h/"
    grep -E "ERROR: |SUMMARY: |runtime error|unclean failure|out of memory|Test unit written" "$build/$h.log" | head -n 20 | sed 's/^/   /'
  fi
done
exit $status
