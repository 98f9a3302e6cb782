#!/bin/sh
# inspector-check.sh: runs inspector.py under xvfb-run for a few seconds,
# has it save a screenshot, and checks that the screenshot is not blank.
#
# usage: inspector-check.sh PYTHON INSPECTOR.py CHECKER.py OUTPUT.png
#
# Exits 77 (meson's "skipped") when xvfb-run or GTK 4's typelib is missing.
#
# SPDX-License-Identifier: MIT

set -u
python=$1
inspector=$2
checker=$3
png=$4

if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "xvfb-run not found (Debian: xvfb, xauth): skipped"
  exit 77
fi
if ! "$python" -c "import gi; gi.require_version('Gtk', '4.0')" 2>/dev/null; then
  echo "GTK 4 is not available to $python (Debian: gir1.2-gtk-4.0): skipped"
  exit 77
fi

rm -f "$png"
# Bounded twice: the program quits after --seconds, timeout kills a hang.
timeout 60 xvfb-run -a "$python" "$inspector" --seconds=3 --screenshot="$png" || exit 1
exec "$python" "$checker" "$png"
