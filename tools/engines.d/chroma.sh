# Chroma's own server (`chroma run`, the Rust server shipped in the chromadb wheel), for the HTTP
# half of praisonai-persist-chroma's tests. Installed from PyPI with chromadb (the plugin's
# dependency). Telemetry is switched off; data lives in the engine's scratch directory.
extra_chroma() {
    if [[ ! -x "$VENV_BIN/chroma" ]]; then
        say "chroma: $VENV_BIN/chroma not installed (pip install 'plugins/chroma[test]'); skipped"
        return 0
    fi
    start_engine chroma env ANONYMIZED_TELEMETRY=False CHROMA_ANONYMIZED_TELEMETRY=False \
        "$VENV_BIN/chroma" run --path {dir} --host 127.0.0.1 --port {port}
}
