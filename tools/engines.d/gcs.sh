# gcp-storage-emulator: the Cloud Storage JSON API in memory, for praisonai-persist-gcs.
# Installed from PyPI through plugins/gcs's `test` extra. It does not enforce generation
# preconditions, so the tests do not rely on them.
extra_gcs() {
    start_engine gcs "$VENV_BIN/gcp-storage-emulator" start --host 127.0.0.1 --port {port} --in-memory --quiet
}
