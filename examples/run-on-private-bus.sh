#!/bin/sh
# Runs a daemon and a client on a private session bus (dbus-run-session),
# and prints the client's output, then the daemon's.
# usage: run-on-private-bus.sh DAEMON CLIENT [ARG...]
set -eu
daemon=$1
shift
exec dbus-run-session -- sh -c '
  set -eu
  out=$(mktemp)
  trap "rm -f \"$out\"" EXIT
  "$0" > "$out" &
  pid=$!
  "$@"
  wait "$pid"
  cat "$out"
' "$daemon" "$@"
