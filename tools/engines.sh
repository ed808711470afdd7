#!/usr/bin/env bash
# Database engines for the tests on this machine.
#
# The machine runs PostgreSQL (127.0.0.1:5432), MariaDB (127.0.0.1:3306) and Redis (127.0.0.1:6379)
# as services; `up` checks that each answers and restarts one that is down with the machine's own
# start command. Engines that tools/ runs itself (pgvector, a Redis 8 server, moto, a GCS emulator ...)
# go on spare loopback ports through start_engine, tracked as .engines/NAME.pid and .engines/NAME.port,
# and `down` stops exactly those, by PID, never by name.
#
# Usage:
#   tools/engines.sh up [ENGINE...]      bring engines up (default: the machine's three and every
#                                        tools/engines.d engine); idempotent
#   tools/engines.sh status [ENGINE...]  one line per engine; exit 3 when one is down
#   tools/engines.sh down [ENGINE...]    stop engines this script started (default: all of them)
#
# Environment: ENGINES_WAIT_SECONDS (default 30) bounds each wait; ENGINES_DIR (default <repo>/.engines);
# ENGINES_VENV (default <repo>/.venv) is the virtualenv whose bin/ holds engines installed from PyPI ($VENV_BIN).
# To add an engine that tools/ runs itself, write one function `extra_NAME` that calls
#   start_engine NAME COMMAND ARGS...
# where the arguments may use {port} (a free loopback port) and {dir} (a scratch data directory);
# the command must stay in the foreground (no daemonizing), so its PID is the one recorded.

set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENGINES_DIR="${ENGINES_DIR:-$ROOT/.engines}"
WAIT_SECONDS="${ENGINES_WAIT_SECONDS:-30}"
HOST=127.0.0.1
# Engine programs installed from PyPI (through a plugin's `test` extra) live in this virtualenv.
VENV_BIN="${ENGINES_VENV:-$ROOT/.venv}/bin"
SYSTEM_ENGINES=(postgres mariadb redis)

say() { printf 'engines: %s\n' "$*"; }
warn() { printf 'engines: error: %s\n' "$*" >&2; }
die() {
    warn "$*"
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

# True when something accepts TCP connections on HOST:PORT (bash's /dev/tcp, bounded by timeout).
tcp_probe() {
    timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# Wait until "$@" succeeds or $WAIT_SECONDS pass; prints nothing.
wait_for() {
    local deadline=$((SECONDS + WAIT_SECONDS))
    until "$@"; do
        ((SECONDS >= deadline)) && return 1
        sleep 0.5
    done
}

canonical() {
    case "$1" in
        postgres | postgresql | pg) echo postgres ;;
        mariadb | mysql) echo mariadb ;;
        *) echo "$1" ;;
    esac
}

# --- the machine's engines: port, ping and start command (the start commands are the machine's) ----

declare -A PORT=([postgres]=5432 [mariadb]=3306 [redis]=6379)
declare -A LABEL=([postgres]=PostgreSQL [mariadb]=MariaDB [redis]=Redis)
declare -A LOG=(
    [postgres]="/var/log/postgresql/"
    [mariadb]="/var/log/mysql/ or /var/lib/mysql/*.err"
    [redis]="/var/log/redis/ci.log"
)

ping_postgres() {
    if have pg_isready; then
        pg_isready -q -h "$HOST" -p "${PORT[postgres]}" -t 2
    else
        tcp_probe "$HOST" "${PORT[postgres]}"
    fi
}

ping_mariadb() {
    # mariadb-admin ping exits 0 whenever the server runs, even if this user may not log in.
    if have mariadb-admin; then
        mariadb-admin --protocol=tcp -h "$HOST" -P "${PORT[mariadb]}" --connect-timeout=2 ping >/dev/null 2>&1
    elif have mysqladmin; then
        mysqladmin --protocol=tcp -h "$HOST" -P "${PORT[mariadb]}" --connect-timeout=2 ping >/dev/null 2>&1
    else
        tcp_probe "$HOST" "${PORT[mariadb]}"
    fi
}

ping_redis() {
    if have redis-cli; then
        # PONG, or NOAUTH from a server with a password: either way it answers.
        timeout 3 redis-cli -h "$HOST" -p "${PORT[redis]}" ping 2>/dev/null | grep -qE 'PONG|NOAUTH'
    else
        tcp_probe "$HOST" "${PORT[redis]}"
    fi
}

start_postgres() {
    have pg_ctlcluster || {
        warn "pg_ctlcluster not found: start PostgreSQL on $HOST:${PORT[postgres]} yourself"
        return 1
    }
    # The socket directory lives on tmpfs; recreate it if a reboot removed it.
    [[ -d /run/postgresql ]] || install -d -o postgres -g postgres -m 2775 /run/postgresql
    say "postgres: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
    # shellcheck disable=SC2046  # the machine's command, as documented (one cluster version)
    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
}

start_mariadb() {
    [[ -x /usr/sbin/mariadbd ]] || {
        warn "/usr/sbin/mariadbd not found: start MariaDB on $HOST:${PORT[mariadb]} yourself"
        return 1
    }
    [[ -d /run/mysqld ]] || install -d -o mysql -g mysql -m 755 /run/mysqld
    say "mariadb: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
}

start_redis() {
    have redis-server || {
        warn "redis-server not found: start Redis on $HOST:${PORT[redis]} yourself"
        return 1
    }
    mkdir -p /var/lib/redis /var/log/redis
    say "redis: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
}

system_up() {
    local name=$1
    local port=${PORT[$1]} label=${LABEL[$1]}
    if "ping_$name"; then
        say "$name: $label answers on $HOST:$port (nothing to do)"
        return 0
    fi
    say "$name: $label does not answer on $HOST:$port; starting it"
    if ! "start_$name"; then
        warn "$label could not be started (the start command failed); see ${LOG[$name]}"
        return 1
    fi
    local started=$SECONDS
    if ! wait_for "ping_$name"; then
        warn "$label did not answer on $HOST:$port within ${WAIT_SECONDS}s of being started; see ${LOG[$name]}"
        return 1
    fi
    say "$name: $label is up on $HOST:$port after $((SECONDS - started))s"
}

system_status() {
    local name=$1
    if "ping_$name"; then
        printf '%-12s up    %s:%s  %s (machine service)\n' "$name" "$HOST" "${PORT[$name]}" "${LABEL[$name]}"
    else
        printf '%-12s DOWN  %s:%s  %s (machine service; tools/engines.sh up %s)\n' \
            "$name" "$HOST" "${PORT[$name]}" "${LABEL[$name]}" "$name"
        return 1
    fi
}

# --- engines tools/ runs itself on spare ports ------------------------------------------------------

# A free TCP port on the loopback interface.
free_port() {
    if have python3; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        tcp_probe "$HOST" "$port" || {
            echo "$port"
            return
        }
    done
    return 1
}

# True when NAME's recorded PID is alive and still runs the command we started (PIDs get reused).
engine_alive() {
    local name=$1 pid expected
    [[ -f "$ENGINES_DIR/$name.pid" ]] || return 1
    pid=$(<"$ENGINES_DIR/$name.pid")
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    [[ -f "$ENGINES_DIR/$name.cmd" ]] || return 1
    expected=$(<"$ENGINES_DIR/$name.cmd")
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$expected"
}

# start_engine NAME COMMAND ARGS...: run COMMAND on a free loopback port unless NAME already runs.
# {port} and {dir} in the arguments become the port and .engines/NAME.d; waits until the port answers.
start_engine() {
    local name=$1
    shift
    mkdir -p "$ENGINES_DIR"
    local base="$ENGINES_DIR/$name"
    if engine_alive "$name" && tcp_probe "$HOST" "$(<"$base.port")"; then
        say "$name: already running on $HOST:$(<"$base.port") (pid $(<"$base.pid"))"
        return 0
    fi
    rm -f "$base.pid" "$base.port" "$base.cmd"
    local port
    port=$(free_port) || {
        warn "$name: no free loopback port found"
        return 1
    }
    local args=() arg
    for arg in "$@"; do
        arg=${arg//\{port\}/$port}
        args+=("${arg//\{dir\}/$base.d}")
    done
    have "${args[0]}" || {
        warn "$name: command ${args[0]} not found; install it first"
        return 1
    }
    mkdir -p "$base.d"
    # setsid: the engine leads its own process group, so `down` can stop its children by that id.
    setsid "${args[@]}" >"$base.log" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$base.pid"
    echo "$port" >"$base.port"
    basename -- "${args[0]}" >"$base.cmd"
    say "$name: started ${args[*]} (pid $pid)"
    if ! wait_for tcp_probe "$HOST" "$port"; then
        warn "$name did not answer on $HOST:$port within ${WAIT_SECONDS}s; last lines of $base.log:"
        tail -n 20 "$base.log" >&2
        stop_engine "$name"
        return 1
    fi
    say "$name: up on $HOST:$port (log $base.log)"
}

# stop_engine NAME: stop an engine start_engine started, by its recorded PID (its process group).
stop_engine() {
    local name=$1 base="$ENGINES_DIR/$1" pid
    if [[ ! -f "$base.pid" ]]; then
        say "$name: not started by tools/engines.sh (nothing to stop)"
        return 0
    fi
    pid=$(<"$base.pid")
    if engine_alive "$name"; then
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
        local deadline=$((SECONDS + 10))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
        fi
        say "$name: stopped (pid $pid)"
    else
        say "$name: pid $pid had already exited"
    fi
    rm -rf "$base.pid" "$base.port" "$base.cmd" "$base.d"
    # An engine whose data lives elsewhere (tools/engines.d/NAME.sh) removes it in cleanup_NAME.
    if declare -F "cleanup_$name" >/dev/null; then "cleanup_$name"; fi
}

started_engines() {
    local file
    for file in "$ENGINES_DIR"/*.pid; do
        [[ -e "$file" ]] && basename "$file" .pid
    done
}

known_extras() {
    declare -F | awk '{print $3}' | sed -n 's/^extra_//p'
}

is_system() {
    local e
    for e in "${SYSTEM_ENGINES[@]}"; do [[ "$e" == "$1" ]] && return 0; done
    return 1
}

# --- engines tools/ runs itself: one file each in tools/engines.d/NAME.sh ---------------------------
# Each file defines `extra_NAME` (see the header); e.g.
#   extra_example() { start_engine example some-server --host 127.0.0.1 --port {port} --data {dir}; }
# An engine that cannot exist on some machines (a jar that no registry ships) prints why and
# returns 0, and its tests say they skipped it.
for engine_file in "$ROOT"/tools/engines.d/*.sh; do
    # shellcheck source=/dev/null
    [[ -e "$engine_file" ]] && source "$engine_file"
done
unset engine_file

# --- commands --------------------------------------------------------------------------------------

cmd_up() {
    local names=() failed=() name
    for name in "$@"; do names+=("$(canonical "$name")"); done
    if ((${#names[@]} == 0)); then
        names=("${SYSTEM_ENGINES[@]}")
        while read -r name; do [[ -n "$name" ]] && names+=("$name"); done < <(known_extras)
    fi
    for name in "${names[@]}"; do
        if is_system "$name"; then
            system_up "$name" || failed+=("$name")
        elif declare -F "extra_$name" >/dev/null; then
            "extra_$name" || failed+=("$name")
        else
            die "unknown engine '$name'; known: ${SYSTEM_ENGINES[*]} $(known_extras | tr '\n' ' ')"
        fi
    done
    if ((${#failed[@]})); then
        die "could not bring up: ${failed[*]} (see the messages above)"
    fi
    say "all up: ${names[*]}"
}

cmd_status() {
    local names=("$@") down=0 name
    if ((${#names[@]} == 0)); then
        names=("${SYSTEM_ENGINES[@]}")
        while read -r name; do [[ -n "$name" ]] && names+=("$name"); done < <(started_engines)
    fi
    for name in "${names[@]}"; do
        name=$(canonical "$name")
        if is_system "$name"; then
            system_status "$name" || down=1
        elif engine_alive "$name" && tcp_probe "$HOST" "$(<"$ENGINES_DIR/$name.port")"; then
            printf '%-12s up    %s:%s  pid %s (started by tools/engines.sh)\n' \
                "$name" "$HOST" "$(<"$ENGINES_DIR/$name.port")" "$(<"$ENGINES_DIR/$name.pid")"
        elif [[ -f "$ENGINES_DIR/$name.pid" ]] || declare -F "extra_$name" >/dev/null; then
            printf '%-12s DOWN  (not running; tools/engines.sh up %s)\n' "$name" "$name"
            down=1
        else
            printf '%-12s unknown engine (known: %s %s)\n' "$name" "${SYSTEM_ENGINES[*]}" "$(known_extras | tr '\n' ' ')"
            down=1
        fi
    done
    ((down == 0)) || return 3
}

cmd_down() {
    local names=("$@") name
    if ((${#names[@]} == 0)); then
        while read -r name; do [[ -n "$name" ]] && names+=("$name"); done < <(started_engines)
        ((${#names[@]})) || {
            say "no engine started by tools/engines.sh is running (machine services are left alone)"
            return 0
        }
    fi
    for name in "${names[@]}"; do
        name=$(canonical "$name")
        if is_system "$name"; then
            say "$name: a machine service, left running (down stops only engines started by tools/engines.sh)"
        else
            stop_engine "$name"
        fi
    done
}

main() {
    local command=${1:-}
    (($#)) && shift
    case "$command" in
        up) cmd_up "$@" ;;
        status) cmd_status "$@" ;;
        down) cmd_down "$@" ;;
        -h | --help | help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
        *) die "usage: tools/engines.sh up|status|down [ENGINE...] (see tools/engines.sh --help)" ;;
    esac
}

# Sourcing the script (for tests or for defining engines) only defines the functions.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
