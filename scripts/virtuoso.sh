#!/usr/bin/env bash
# A throwaway Virtuoso 7 (Debian's virtuoso-opensource-7) on loopback, for trying and testing the remote store.
#
#   scripts/virtuoso.sh install        install the Debian package if virtuoso-t is missing (apt-get)
#   scripts/virtuoso.sh start [DIR]    a fresh database in DIR (default build/virtuoso), ports picked free on
#                                      127.0.0.1; prints the SPARQL query endpoint URL as its last line
#   scripts/virtuoso.sh restart [DIR]  start again on DIR's database and ports (committed updates survive a kill)
#   scripts/virtuoso.sh stop [DIR]     stop the server started in DIR, by the PID in DIR/virtuoso.pid
#
# DIR afterwards holds: virtuoso.ini, db/, virtuoso.pid, endpoint (query URL), update-endpoint
# (/sparql-auth, digest authentication) and credentials.env (mode 600: ORGKG_SPARQL_USER / _PASSWORD / _AUTH
# for a loader account with the SPARQL_UPDATE role; the dba password is changed to a random one too, so the
# well-known dba/dba never guards a running server). The anonymous /sparql endpoint stays read-only.
set -euo pipefail

PYTHON=${PYTHON:-python3}
START_TIMEOUT=${VIRTUOSO_START_TIMEOUT:-60}

die() { echo "virtuoso.sh: $*" >&2; exit 1; }

install() {
  command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 && return 0
  echo "installing virtuoso-opensource-7 (Debian) for the remote-store tests" >&2
  command -v apt-get >/dev/null 2>&1 || die "virtuoso-t is missing and there is no apt-get to install virtuoso-opensource-7"
  # policy-rc.d (where present) and the missing runlevel keep the package's own system service from starting;
  # it would listen on all interfaces with dba/dba, so make sure it is not running whatever happened.
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      virtuoso-opensource-7 >/dev/null; } || die "apt-get could not install virtuoso-opensource-7"
  if [ -x /etc/init.d/virtuoso-opensource-7 ]; then /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true; fi
  command -v virtuoso-t >/dev/null 2>&1 || die "virtuoso-opensource-7 is installed but virtuoso-t is not on PATH"
}

# Two free TCP ports on 127.0.0.1 (SQL and HTTP), chosen by the kernel.
free_ports() {
  "$PYTHON" - <<'EOF'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

is_ours() {  # is PID a virtuoso-t started with DIR's ini? (guards against a recycled PID)
  local pid=$1 dir=$2
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "virtuoso-t.*$dir/virtuoso.ini"
}

launch() {  # start virtuoso-t on DIR's ini and database; prints its PID
  local dir=$1 pid
  # setsid: the server outlives the shell (and make) that started it and ignores their Ctrl-C.
  (cd "$dir/db" && exec setsid virtuoso-t +foreground +configfile "$dir/virtuoso.ini" >>"$dir/virtuoso.out" 2>&1 </dev/null) &
  pid=$!
  echo "$pid" >"$dir/virtuoso.pid"
  echo "$pid"
}

wait_http() {  # until the SPARQL endpoint answers ASK {}
  local dir=$1 url=$2 deadline=$((SECONDS + START_TIMEOUT))
  until curl -fsS -o /dev/null "$url?query=ASK%7B%7D" 2>/dev/null; do
    kill -0 "$(cat "$dir/virtuoso.pid")" 2>/dev/null || { tail -20 "$dir/virtuoso.out" >&2; die "Virtuoso exited while starting (log: $dir/db/virtuoso.log)"; }
    [ $SECONDS -lt $deadline ] || { stop "$dir"; die "Virtuoso's SPARQL endpoint did not answer within ${START_TIMEOUT}s"; }
    sleep 0.2
  done
}

# Start again on the same folder, database and ports (after a crash, or a kill in a test): Virtuoso
# replays its transaction log, so every committed update is back.
restart() {
  local dir
  dir=$(realpath -m "${1:-build/virtuoso}")
  [ -f "$dir/virtuoso.ini" ] && [ -f "$dir/endpoint" ] || die "no Virtuoso folder at $dir; use start"
  stop "$dir"
  launch "$dir" >/dev/null
  wait_http "$dir" "$(cat "$dir/endpoint")"
  echo "restarted Virtuoso (pid $(cat "$dir/virtuoso.pid"), $dir)" >&2
  cat "$dir/endpoint"
}

stop() {
  local dir pid
  dir=$(realpath -m "${1:-build/virtuoso}")
  [ -f "$dir/virtuoso.pid" ] || { echo "no Virtuoso started in $dir" >&2; return 0; }
  pid=$(cat "$dir/virtuoso.pid")
  if is_ours "$pid" "$dir"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do is_ours "$pid" "$dir" || break; sleep 0.1; done
    if is_ours "$pid" "$dir"; then kill -KILL "$pid" 2>/dev/null || true; fi
    echo "stopped Virtuoso (pid $pid, $dir)" >&2
  else
    echo "Virtuoso pid $pid from $dir is not running" >&2
  fi
  rm -f "$dir/virtuoso.pid"
}

start() {
  local dir sql_port http_port pid loader_pw dba_pw url
  dir=$(realpath -m "${1:-build/virtuoso}")
  install
  if [ -f "$dir/virtuoso.pid" ] && is_ours "$(cat "$dir/virtuoso.pid")" "$dir"; then
    echo "Virtuoso already running from $dir (pid $(cat "$dir/virtuoso.pid")); \`make virtuoso-stop\` first for a fresh one" >&2
    cat "$dir/endpoint"
    return 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir/db"
  read -r sql_port http_port < <(free_ports)
  # Sized for a laptop and CI: small buffers start in about a second; checkpoints every minute keep the
  # transaction log short, so a killed server restarts quickly from its folder.
  cat >"$dir/virtuoso.ini" <<EOF
[Database]
DatabaseFile       = $dir/db/virtuoso.db
ErrorLogFile       = $dir/db/virtuoso.log
LockFile           = $dir/db/virtuoso.lck
TransactionFile    = $dir/db/virtuoso.trx
xa_persistent_file = $dir/db/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/db/virtuoso-temp.db
TransactionFile    = $dir/db/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:$sql_port
DisableUnixSocket  = 1
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT           = 0
CaseMode           = 2
MaxStaticCursorRows = 5000
AllowOSCalls       = 0
DirsAllowed        = ., $dir
NumberOfBuffers    = 20000
MaxDirtyBuffers    = 15000
MaxQueryMem        = 512M
ThreadsPerQuery    = 2
; orgkg swaps all its graphs in one update request; the default after-image limit (50 MB) aborts that
; request (SR325) at about 10^6 triples (measured by bench/serve.py)
TransactionAfterImageLimit = 2000000000

[HTTPServer]
ServerPort         = 127.0.0.1:$http_port
ServerRoot         = $dir/db
MaxClientConnections = 10
ServerThreads      = 10
EnabledDavVSP      = 0
HTTPProxyEnabled   = 0
Charset            = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 300
EOF
  pid=$(launch "$dir")
  local deadline=$((SECONDS + START_TIMEOUT))
  until isql-vt "127.0.0.1:$sql_port" dba dba exec="select 1;" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/virtuoso.out" >&2; die "Virtuoso exited while starting (log: $dir/db/virtuoso.log)"; }
    [ $SECONDS -lt $deadline ] || { stop "$dir"; die "Virtuoso did not answer within ${START_TIMEOUT}s"; }
    sleep 0.2
  done
  loader_pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  dba_pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  # SQL on stdin, not in argv, so the passwords never show in the process list.
  isql-vt "127.0.0.1:$sql_port" dba dba >"$dir/isql.out" 2>&1 <<EOF || { cat "$dir/isql.out" >&2; stop "$dir"; die "could not set up the loader account"; }
DB.DBA.USER_CREATE('orgkg', '$loader_pw');
GRANT SPARQL_SELECT TO "orgkg";
GRANT SPARQL_UPDATE TO "orgkg";
DB.DBA.USER_CHANGE_PASSWORD('dba', 'dba', '$dba_pw');
EOF
  grep -q '\*\*\* Error' "$dir/isql.out" && { cat "$dir/isql.out" >&2; stop "$dir"; die "could not set up the loader account"; }
  rm -f "$dir/isql.out"
  (
    umask 077
    cat >"$dir/credentials.env" <<EOF
ORGKG_SPARQL_USER=orgkg
ORGKG_SPARQL_PASSWORD=$loader_pw
ORGKG_SPARQL_AUTH=digest
VIRTUOSO_DBA_PASSWORD=$dba_pw
EOF
  )
  url="http://127.0.0.1:$http_port/sparql"
  wait_http "$dir" "$url"
  echo "$url" >"$dir/endpoint"
  echo "${url}-auth" >"$dir/update-endpoint"
  cat >&2 <<EOF
Virtuoso $(virtuoso-t -? 2>&1 | grep -o 'Version [0-9.]*' | head -1) on 127.0.0.1 (pid $pid, database $dir/db, SQL port $sql_port)
  load with:  set -a; . $dir/credentials.env; set +a
              .venv/bin/orgkg build --endpoint $url --update-endpoint ${url}-auth
  query with: .venv/bin/orgkg query tasks-by-leader --endpoint $url --param leader=曹国永
  stop with:  make virtuoso-stop   (or scripts/virtuoso.sh stop $dir)
EOF
  echo "$url"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  restart) restart "${2:-}" ;;
  *) die "usage: $0 install | start [DIR] | restart [DIR] | stop [DIR]" ;;
esac
