#!/bin/sh
# valac-as-written.sh: builds a Vala program the way
# docs/getting-started-vala.md writes it, against the build tree, and runs
# it:
#
#   valac --target-glib=auto --pkg maiko-1 PROGRAM.vala
#
# with --vapidir pointing at the build tree's maiko-1.vapi (beside which
# maiko-1.deps brings in gio-2.0), and PKG_CONFIG_PATH (the uninstalled
# maiko-1.pc) and LD_LIBRARY_PATH set by the test. The C compiler makes
# incompatible pointer types an error, as GCC 14 does by default: meson
# compiles the C of its own Vala targets with -w, where they do not show.
#
# usage: valac-as-written.sh VALAC VAPIDIR EXPECTED SOURCE [ARG...]
# EXPECTED is a file the program's output must equal, or - to check only
# that it exits with 0 (a GTest program).
set -eu
absolute () {
  case $1 in
    /* | -) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd)" "$1" ;;
  esac
}

valac=$1
vapidir=$(absolute "$2")
expected=$(absolute "$3")
source=$(absolute "$4")
shift 4

# valac writes its C beside the program: in a directory of this run's own.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

"$valac" --target-glib=auto --vapidir "$vapidir" --pkg maiko-1 \
  -X -Werror=incompatible-pointer-types \
  -o "$dir/program" "$source"

if [ "$expected" = - ]; then
  "$dir/program" "$@"
else
  actual=$("$dir/program" "$@")
  if [ "$actual" != "$(cat "$expected")" ]; then
    printf 'unexpected output of %s:\n%s\n--- expected:\n%s\n' "$source" "$actual" "$(cat "$expected")" >&2
    exit 1
  fi
fi
