#!/usr/bin/env bash
# One command: install the dependencies, build vanban, render the sample.
#   ./scripts/build.sh      -> build/vanban and out/196-BC-DUK.pdf
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
mkdir -p out
./build/vanban render samples/196-BC-DUK.md -o out/196-BC-DUK.pdf
echo "wrote out/196-BC-DUK.pdf ($(stat -c %s out/196-BC-DUK.pdf) bytes)"
