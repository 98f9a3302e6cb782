#!/bin/sh
# Runs an example and compares its standard output with the expected text.
# usage: check-output.sh EXPECTED-FILE COMMAND [ARG...]
set -eu
expected=$1
shift
actual=$("$@")
if [ "$actual" != "$(cat "$expected")" ]; then
  printf 'unexpected output of %s:\n%s\n--- expected:\n%s\n' "$*" "$actual" "$(cat "$expected")" >&2
  exit 1
fi
