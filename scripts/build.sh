#!/usr/bin/env bash
# One command: install the dependencies, build vanban, install it, render the sample.
#   ./scripts/build.sh      -> build/vanban, installed as /usr/local/bin/vanban (with the library,
#                              vanban.h, vanban.pc and the profiles in /usr/local/share/vanban),
#                              and out/196-BC-DUK.pdf
# PREFIX=/some/where ./scripts/build.sh installs there instead.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PREFIX="${PREFIX:-/usr/local}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX="$PREFIX" >/dev/null
cmake --build build -j"$(nproc)"
$SUDO cmake --install build >/dev/null
# the list of installed files stays the builder's, so a later `cmake --install` without sudo (tests) can rewrite it
$SUDO chown "$(id -u):$(id -g)" build/install_manifest.txt
# the shared library in $PREFIX/lib: refresh the loader's cache (a no-op for a prefix it does not search)
if [ -x /sbin/ldconfig ]; then $SUDO /sbin/ldconfig; fi
echo "installed vanban $("$PREFIX/bin/vanban" --version | cut -d' ' -f2) in $PREFIX"
mkdir -p out
./build/vanban render samples/196-BC-DUK.md -o out/196-BC-DUK.pdf
echo "wrote out/196-BC-DUK.pdf ($(stat -c %s out/196-BC-DUK.pdf) bytes)"
