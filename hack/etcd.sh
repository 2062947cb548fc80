#!/usr/bin/env bash
# Run a local etcd for kplane development: one member or a three-member cluster on loopback.
#
#   hack/etcd.sh start [--members 1|3] [--dir DIR] [--port-base 23790]
#   hack/etcd.sh stop  [--dir DIR]
#   hack/etcd.sh status [--dir DIR]
#
# Member i listens for clients on 127.0.0.1:<port-base + 2i> and for peers on
# 127.0.0.1:<port-base + 2i + 1>. Under DIR (default .kplane/etcd) it writes
#   endpoints       client URLs, comma separated (for `kplane start --storage etcd --etcd-servers "$(cat DIR/endpoints)"`)
#   m<i>.pid        the member's PID        m<i>.log   its log        m<i>/   its data
#   members         the member count (a data dir is restarted with the same count)
# `start` returns once every member answers /health, and fails (stopping what it started) otherwise.
#
# Environment:
#   ETCD_BIN                 etcd binary (default: etcd on the PATH, else /usr/bin/etcd)
#   ETCD_EXTRA_ARGS          extra flags for every member, e.g. a quota or log level
#   ETCD_PROGRESS_INTERVAL   watch progress-notify period, which paces kplane's watch
#                            bookmarks (default 5s; etcd's own default is 10m)
#   ETCD_START_TIMEOUT       seconds to wait for health (default 60)
# Durability settings are etcd's defaults (fsync on every commit); nothing here trades them away.
set -euo pipefail

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cmd="${1:-}"
[[ -n "$cmd" ]] || usage
shift

members=1
dir=".kplane/etcd"
port_base=23790
while [[ $# -gt 0 ]]; do
  case "$1" in
    --members) members="${2:?--members needs a value}"; shift 2 ;;
    --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
    --port-base) port_base="${2:?--port-base needs a value}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown flag: $1" >&2; usage ;;
  esac
done

etcd_bin="${ETCD_BIN:-$(command -v etcd || echo /usr/bin/etcd)}"

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_all() {
  local pidfile pid
  shopt -s nullglob
  for pidfile in "$dir"/m*.pid; do
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
  shopt -u nullglob
}

start() {
  [[ "$members" == 1 || "$members" == 3 ]] || { echo "--members must be 1 or 3" >&2; exit 2; }
  [[ -x "$etcd_bin" ]] || { echo "etcd not found at $etcd_bin (Debian: apt-get install etcd-server, or set ETCD_BIN)" >&2; exit 1; }
  mkdir -p "$dir"
  local i
  for ((i = 0; i < members; i++)); do
    if alive "$dir/m$i.pid"; then echo "etcd member m$i already running (pid $(cat "$dir/m$i.pid")); stop it first" >&2; exit 1; fi
  done

  local cluster="" endpoints=""
  for ((i = 0; i < members; i++)); do
    cluster+="${cluster:+,}m$i=http://127.0.0.1:$((port_base + 2 * i + 1))"
    endpoints+="${endpoints:+,}http://127.0.0.1:$((port_base + 2 * i))"
  done
  # An existing data dir is reused (restart keeps the data); a new one bootstraps the cluster.
  local state=new
  if [[ -d "$dir/m0/member" ]]; then
    state=existing
    local had
    had="$(cat "$dir/members" 2>/dev/null || echo 1)"
    if [[ "$had" != "$members" ]]; then
      echo "$dir holds a $had-member cluster; start it with --members $had or use another --dir" >&2
      exit 1
    fi
  fi
  echo "$members" >"$dir/members"

  trap 'echo "etcd failed to start; logs under $dir" >&2; stop_all' ERR
  for ((i = 0; i < members; i++)); do
    local client="http://127.0.0.1:$((port_base + 2 * i))" peer="http://127.0.0.1:$((port_base + 2 * i + 1))"
    # shellcheck disable=SC2086 # ETCD_EXTRA_ARGS is a list of flags on purpose
    nohup "$etcd_bin" \
      --name "m$i" \
      --data-dir "$dir/m$i" \
      --listen-client-urls "$client" --advertise-client-urls "$client" \
      --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
      --initial-cluster "$cluster" --initial-cluster-state "$state" --initial-cluster-token kplane-dev \
      --experimental-watch-progress-notify-interval "${ETCD_PROGRESS_INTERVAL:-5s}" \
      --logger zap --log-level warn \
      ${ETCD_EXTRA_ARGS:-} >"$dir/m$i.log" 2>&1 &
    echo $! >"$dir/m$i.pid"
  done
  echo "$endpoints" >"$dir/endpoints"

  local deadline=$((SECONDS + ${ETCD_START_TIMEOUT:-60})) url
  for ((i = 0; i < members; i++)); do
    url="http://127.0.0.1:$((port_base + 2 * i))/health"
    until curl -fsS --max-time 2 "$url" 2>/dev/null | grep -q '"health":"true"'; do
      if ! alive "$dir/m$i.pid"; then echo "etcd member m$i exited:" >&2; tail -n 20 "$dir/m$i.log" >&2; false; fi
      if ((SECONDS > deadline)); then echo "etcd member m$i not healthy in time:" >&2; tail -n 20 "$dir/m$i.log" >&2; false; fi
      sleep 0.2
    done
  done
  trap - ERR
  echo "etcd ($members member(s)) healthy: $endpoints"
}

status() {
  local pidfile ok=0 found=0
  shopt -s nullglob
  for pidfile in "$dir"/m*.pid; do
    found=1
    if alive "$pidfile"; then echo "$(basename "$pidfile" .pid): running (pid $(cat "$pidfile"))"; else echo "$(basename "$pidfile" .pid): not running"; ok=1; fi
  done
  shopt -u nullglob
  if ((found == 0)); then echo "no etcd running under $dir"; return 1; fi
  [[ -f "$dir/endpoints" ]] && echo "endpoints: $(cat "$dir/endpoints")"
  return $ok
}

case "$cmd" in
  start) start ;;
  stop) stop_all; echo "etcd under $dir stopped" ;;
  status) status ;;
  *) usage ;;
esac
