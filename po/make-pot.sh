#!/bin/sh
# po/make-pot.sh [OUT.pot]: the message template of the text domain "vanban", made by xgettext from
# src/ (default: po/vanban.pot). Run from the repository's top folder. Update po/vi.po after it with
#   msgmerge --update --backup=none po/vi.po po/vanban.pot
# The library translates the format of vb_diag_set and vb_report (and of the modules' own wrappers
# around them, below) and a fix's note; other texts are marked VB_N_("...") (base.h). The programs
# mark theirs vb_tr_cli / vb_tr_ncli (commands.h).
set -eu
out=${1:-po/vanban.pot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common="--from-code=UTF-8 --language=C --add-comments=TRANSLATORS: --sort-by-file --no-wrap
  --package-name=vanban --msgid-bugs-address=https://github.com/vanban
  --keyword=VB_N_ --keyword=VB_CLI_N_ --keyword=vb_tr --keyword=vb_tr_cli --keyword=vb_tr_ncli:1,2
  --keyword=vb_diag_set:7 --flag=vb_diag_set:7:c-format
  --keyword=vb_report:8 --flag=vb_report:8:c-format
  --keyword=vb_limit_fail:7 --flag=vb_limit_fail:7:c-format
  --keyword=verr:6 --flag=verr:6:c-format
  --keyword=vb_rule_report:7 --flag=vb_rule_report:7:c-format
  --keyword=fail_at:6 --flag=fail_at:6:c-format
  --keyword=type_error:4 --keyword=vb_char_check:5"
# xgettext counts a call's arguments by its commas and is lost by the ones inside a compound literal,
# vb_report(..., (vb_range_t){line, col, 0, 0}, NULL, "message"): the sources are read from a copy
# where each such literal is one word (same lines, so the references stay right)
find src -name '*.c' | LC_ALL=C sort > "$tmp/all"
while read -r f; do
  mkdir -p "$tmp/tree/$(dirname "$f")"
  sed -e 's/(vb_range_t) *{[^}]*}/vb_range_x/g' "$f" > "$tmp/tree/$f"
done < "$tmp/all"
grep -v -e '/profile\.c$' -e '/data_json\.c$' "$tmp/all" > "$tmp/files"
# a wrapper named fail takes its format at a different place in each module: one pass per module
# shellcheck disable=SC2086
(cd "$tmp/tree" && xgettext $common --files-from="$tmp/files" -o "$tmp/a.pot")
# shellcheck disable=SC2086
(cd "$tmp/tree" && xgettext $common --keyword=fail:4 --flag=fail:4:c-format src/profile/profile.c -o "$tmp/b.pot")
# shellcheck disable=SC2086
(cd "$tmp/tree" && xgettext $common --keyword=fail:5 --flag=fail:5:c-format src/merge/data_json.c -o "$tmp/c.pot")
msgcat --use-first --no-wrap --sort-by-file "$tmp/a.pot" "$tmp/b.pot" "$tmp/c.pot" -o "$tmp/all.pot"
# the header's date would make every run differ: kept out
sed -e '/^"POT-Creation-Date:/d' -e 's/charset=CHARSET/charset=UTF-8/' "$tmp/all.pot" > "$out"
