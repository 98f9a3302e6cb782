#!/bin/sh
# Runs COMMAND... --port=PORT against a mosquitto of its own on 127.0.0.1
# and a free port, with its config in a temporary folder; stops it after.
# usage: with-mosquitto.sh COMMAND [ARG...]
set -eu
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\nuser %s\nlog_dest none\n' "$port" "$(id -un)" > "$dir/mosquitto.conf"
/usr/sbin/mosquitto -c "$dir/mosquitto.conf" &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null; rm -rf "$dir"' EXIT
# Until it accepts connections, for 10 s at most.
python3 - "$port" <<'PY'
import socket, sys, time
deadline = time.monotonic() + 10
while True:
    try:
        socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=1).close()
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit('mosquitto does not accept connections')
        time.sleep(0.01)
PY
"$@" --port="$port"
