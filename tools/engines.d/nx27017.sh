# nx-27017 (PyPI): a MongoDB wire-protocol server on SQLite, for the mongodb state stores' tests
# (no mongod can run on this machine). Installed by plugins/mongodb's `test` extra.
extra_nx27017() {
    start_engine nx27017 "$VENV_BIN/nx-27017" --host 127.0.0.1 --port {port} --data-dir {dir}/data \
        --log-file {dir}/nx-27017.log --pid-file {dir}/nx-27017.pid
}
