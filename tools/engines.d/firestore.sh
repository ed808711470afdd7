# The Cloud Firestore emulator (gcloud's jar, run with Java), for praisonai-persist-firestore.
# No package registry ships it: it comes with the Google Cloud CLI's
# google-cloud-cli-firestore-emulator package. Where it is absent this prints so and returns 0,
# and the firestore tests skip with that reason (they fail under CI=true only when it is present
# but down). FIRESTORE_EMULATOR_JAR overrides where to look.
FIRESTORE_EMULATOR_JAR_DEFAULT=/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar

extra_firestore() {
    local jar="${FIRESTORE_EMULATOR_JAR:-$FIRESTORE_EMULATOR_JAR_DEFAULT}"
    if [[ ! -f "$jar" ]] || ! have java; then
        say "firestore: skipped: the Cloud Firestore emulator jar ($jar) or java is not on this machine" \
            "(install the Google Cloud CLI component cloud-firestore-emulator; no registry ships it)"
        return 0
    fi
    # The jar waits for stdin to close before exiting on its own; start_engine gives it /dev/null.
    WAIT_SECONDS=$((WAIT_SECONDS > 60 ? WAIT_SECONDS : 60)) \
        start_engine firestore java -Duser.language=en -cp "$jar" \
        com.google.cloud.datastore.emulator.firestore.CloudFirestore \
        start --host 127.0.0.1 --port {port} --project_id praisonai-persist-test
}
