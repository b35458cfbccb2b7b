#!/usr/bin/env bash
# Installs the Debian 12 packages vanban needs to build and to test.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PKGS=(build-essential cmake pkg-config
      libhpdf-dev libpng-dev libharfbuzz-dev libfreetype-dev libfontconfig-dev libutf8proc-dev
      libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libdeflate-dev libcsv-dev libjansson-dev
      libssl-dev liblcms2-dev libcairo2-dev libmicrohttpd-dev fonts-liberation2
      fonts-liberation poppler-utils mupdf-tools qpdf libnss3-tools python3 valgrind time
      clang libclang-rt-14-dev   # clang: the libFuzzer harnesses (tests/fuzz)
      nodejs libjs-pdf           # pdf.js, Firefox's PDF engine, run by node: tests/test_pdfjs.py
      chromium                   # tests/test_serve.py: the preview page in a headless browser (DevTools over a pipe)
      libengine-pkcs11-openssl   # signing with PKCS#11 tokens (OpenSSL's pkcs11 engine)
      softhsm2 opensc libnss3-tools)  # tests/test_signing.py: a software token, pkcs11-tool, certutil for pdfsig
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
