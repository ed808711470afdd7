# moto's standalone server: the AWS APIs (DynamoDB here) in-process, for praisonai-persist-dynamodb.
# Installed from PyPI through plugins/dynamodb's `test` extra (moto[server,dynamodb]>=5).
extra_moto() {
    start_engine moto "$VENV_BIN/moto_server" -H 127.0.0.1 -p {port}
}
