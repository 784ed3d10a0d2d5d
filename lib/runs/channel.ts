// The PostgreSQL NOTIFY channel every run change is announced on (payload: the run id). A leaf
// module: the writers (events, create-run) and the listener (listen) import it, not each other.
export const RUN_CHANNEL = "flowgate_runs";
