#!/usr/bin/env bash
# Starts the AWS API emulator (moto, through scripts/aws_emulator.py) on loopback and waits until it answers.
#   scripts/moto.sh start PORT PIDFILE LOGFILE   -> prints the endpoint URL
#   scripts/moto.sh stop PIDFILE
#   scripts/moto.sh free-port                    -> prints a free loopback port
set -euo pipefail

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
  free-port)
    free_port
    ;;
  start)
    port="$2" pidfile="$3" log="$4"
    if ! python3 -c "import moto.moto_server.threaded_moto_server, flask" >/dev/null 2>&1; then
      echo "moto (with its server extra) is not installed: pip install 'moto[server]' (or run scripts/install-tools.sh run)" >&2
      exit 1
    fi
    mkdir -p "$(dirname "$pidfile")" "$(dirname "$log")"
    python3 "$(dirname "${BASH_SOURCE[0]}")/aws_emulator.py" --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null; then
        echo "http://127.0.0.1:$port"
        exit 0
      fi
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "the AWS emulator exited; its log:" >&2
        cat "$log" >&2
        exit 1
      fi
      sleep 0.2
    done
    echo "the AWS emulator did not answer on port $port within 20 s" >&2
    exit 1
    ;;
  stop)
    pidfile="$2"
    if [[ -f "$pidfile" ]]; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    fi
    ;;
  *)
    echo "usage: $0 start PORT PIDFILE LOGFILE | stop PIDFILE | free-port" >&2
    exit 2
    ;;
esac
