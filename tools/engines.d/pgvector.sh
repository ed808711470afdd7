# pgvector: PostgreSQL 16 with the pgvector extension, from the `pgserver` wheel (plugins/pgvector's
# `test` extra). Debian's PostgreSQL here has no pgvector, so we run the wheel's bundled initdb and
# postgres binaries directly (not pgserver's Python API, which changes the permissions of every
# parent of its data directory). PostgreSQL refuses to run as root: the server runs as the system
# user persist-pg (created if missing), with its data in a fresh directory under /tmp, outside any
# home directory. Trust authentication on 127.0.0.1 only; user `postgres`, database `postgres`.

pgvector_bin_dir() {
    local py="$VENV_BIN/python"
    [[ -x "$py" ]] || return 1
    "$py" -c 'import os, pgserver; print(os.path.join(os.path.dirname(pgserver.__file__), "pginstall", "bin"))' 2>/dev/null
}

extra_pgvector() {
    if engine_alive pgvector && tcp_probe "$HOST" "$(<"$ENGINES_DIR/pgvector.port")"; then
        say "pgvector: already running on $HOST:$(<"$ENGINES_DIR/pgvector.port") (pid $(<"$ENGINES_DIR/pgvector.pid"))"
        return 0
    fi
    local bin
    bin=$(pgvector_bin_dir) || {
        warn "pgvector: the pgserver wheel is not installed in ${VENV_BIN%/bin} (pip install 'plugins/pgvector[test]'; wheels exist for CPython 3.11/3.12)"
        return 1
    }
    [[ -x "$bin/postgres" && -x "$bin/initdb" ]] || {
        warn "pgvector: $bin holds no postgres/initdb binaries"
        return 1
    }
    # As root, the server runs as the system user persist-pg; as any other user (a CI runner), as
    # that user itself.
    local user=persist-pg as_root=1
    [[ $(id -u) -eq 0 ]] || { as_root=0; user=$(id -un); }
    if ((as_root)) && ! id -u "$user" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user" || {
            warn "pgvector: could not create the system user $user (PostgreSQL refuses to run as root)"
            return 1
        }
    fi
    # The data directory of the previous run (if its server is gone) is removed before a new one.
    mkdir -p "$ENGINES_DIR"
    local record="$ENGINES_DIR/pgvector.datadir" old
    if [[ -f "$record" ]]; then
        old=$(<"$record")
        [[ "$old" == /tmp/persist-pgvector.* && -d "$old" ]] && rm -rf -- "$old"
        rm -f "$record"
    fi
    local data
    data=$(mktemp -d /tmp/persist-pgvector.XXXXXX) || return 1
    echo "$data" >"$record"
    chmod 700 "$data"
    ((as_root)) && chown "$user:" "$data"
    # The server's user must reach the wheel's binaries; a venv under a private directory (a checkout
    # in /root) is not reachable, so the installation (bin, lib, share: ~60 MB) is copied next to the data.
    if ((as_root)) && ! runuser -u "$user" -- test -x "$bin/postgres" 2>/dev/null; then
        # The binaries find their shared libraries at $ORIGIN/../../../pgserver.libs: keep that layout.
        local site
        site=$(cd "$bin/../../.." && pwd)
        mkdir -p "$data/site/pgserver" &&
            cp -a "$site/pgserver/pginstall" "$data/site/pgserver/" &&
            cp -a "$site/pgserver.libs" "$data/site/" &&
            chown -R "$user:" "$data/site" || {
            warn "pgvector: could not copy the server from $site to $data for the user $user"
            return 1
        }
        bin="$data/site/pgserver/pginstall/bin"
        say "pgvector: $user cannot reach the virtualenv; running a copy of the server from $bin"
    fi
    local drop=()
    ((as_root)) && drop=(setpriv --reuid="$user" --regid="$user" --clear-groups --)
    if ! "${drop[@]}" \
        "$bin/initdb" -D "$data/pg" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$data/initdb.log" 2>&1; then
        warn "pgvector: initdb failed; last lines of $data/initdb.log:"
        tail -n 20 "$data/initdb.log" >&2
        return 1
    fi
    # runuser stays as the parent of postgres, so the recorded PID's command line names it.
    local run_as=()
    ((as_root)) && run_as=(runuser -u "$user" --)
    start_engine pgvector "${run_as[@]}" \
        "$bin/postgres" -D "$data/pg" -h 127.0.0.1 -p '{port}' -k "$data" \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200
}

# Called by stop_engine after the server stopped: remove its data directory under /tmp.
cleanup_pgvector() {
    local record="$ENGINES_DIR/pgvector.datadir" old
    [[ -f "$record" ]] || return 0
    old=$(<"$record")
    [[ "$old" == /tmp/persist-pgvector.* && -d "$old" ]] && rm -rf -- "$old"
    rm -f "$record"
}
