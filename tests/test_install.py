#!/usr/bin/env python3
"""The library installs and is usable by another program: `cmake --install`
into a temporary prefix, then a small C program built with
`pkg-config --cflags --libs vanban` renders a document through the shared
library with the installed profiles, and the installed CLI answers --version.
Prints one line per check and "N passed, M failed"."""
import os
import subprocess
import sys
import tempfile

build = os.environ.get("VB_BUILD_DIR") or os.path.dirname(os.path.abspath(sys.argv[1]))
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("PASS", name)
    else:
        failed += 1
        print("FAIL", name, detail)


PROGRAM = r'''
#include <stdio.h>
#include <string.h>
#include <vanban.h>
int main(int argc, char **argv) {
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = argv[1]};
    vb_engine_t *e = NULL;
    vb_diag_t d; memset(&d, 0, sizeof d);
    if (vb_engine_new(&eo, &e, &d) != VB_OK) return 2;
    const char *src = "---\nissuer: X\nnumber: 01-BC/X\nplace: Hà Nội\ndate: 2024-03-01\n---\nMột câu.\n";
    vb_status_t rc = vb_render_buffer(e, src, strlen(src), "a.md", argv[2], NULL, &d);
    if (rc != VB_OK) { char b[1200]; vb_diag_format(&d, b, sizeof b); fprintf(stderr, "%s\n", b); }
    vb_engine_free(e);
    printf("%s\n", vb_version());
    return rc == VB_OK ? 0 : 1;
}
'''

with tempfile.TemporaryDirectory() as tmp:
    prefix = os.path.join(tmp, "prefix")
    r = subprocess.run(["cmake", "--install", build, "--prefix", prefix], capture_output=True, text=True)
    check("cmake --install", r.returncode == 0, r.stderr[-300:])
    libdir = None
    for cand in ("lib", "lib64", "lib/x86_64-linux-gnu"):
        if os.path.exists(os.path.join(prefix, cand, "pkgconfig", "vanban.pc")):
            libdir = os.path.join(prefix, cand)
    check("vanban.pc installed", libdir is not None)
    check("vanban.h installed", os.path.exists(os.path.join(prefix, "include", "vanban.h")))
    layouts = os.path.join(prefix, "share", "vanban", "layouts")
    check("profiles installed", os.path.exists(os.path.join(layouts, "party-36-2018.yaml")))
    if libdir:
        check("static library installed", os.path.exists(os.path.join(libdir, "libvanban.a")))
        check("shared library installed", os.path.exists(os.path.join(libdir, "libvanban.so")))
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"))
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "vanban"], capture_output=True, text=True,
                               env=env)
        check("pkg-config vanban", flags.returncode == 0 and "-lvanban" in flags.stdout, flags.stderr)
        src = os.path.join(tmp, "p.c")
        with open(src, "w") as f:
            f.write(PROGRAM)
        exe = os.path.join(tmp, "p")
        # a sanitizer build's library needs the program built with the same runtime
        cache = open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8", errors="replace").read()
        san = ["-fsanitize=address,undefined"] if "VB_SANITIZE:BOOL=ON" in cache else []
        cc = subprocess.run(["cc", "-Wall", "-Werror"] + san + [src, "-o", exe] + flags.stdout.split(),
                            capture_output=True, text=True)
        check("a program compiles against the installed library", cc.returncode == 0, cc.stderr[-500:])
        if cc.returncode == 0:
            pdf = os.path.join(tmp, "a.pdf")
            run = subprocess.run([exe, layouts, pdf], capture_output=True, text=True,
                                 env=dict(os.environ, LD_LIBRARY_PATH=libdir))
            check("it renders through the shared library", run.returncode == 0 and os.path.getsize(pdf) > 1000,
                  run.stderr)
            check("vb_version", run.stdout.strip() == "1.0.0", run.stdout)
    cli = subprocess.run([os.path.join(prefix, "bin", "vanban"), "--version"], capture_output=True, text=True)
    check("installed CLI --version", cli.returncode == 0 and cli.stdout.startswith("vanban 1.0.0"), cli.stderr)
    helpout = subprocess.run([os.path.join(prefix, "bin", "vanban"), "--help"], capture_output=True, text=True)
    check("installed CLI --help", helpout.returncode == 0 and "vanban render" in helpout.stdout)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
