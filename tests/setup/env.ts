// Per-worker setup: point lib/ at the test database and a private data directory.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.FLOWGATE_DATA_DIR = inject("dataDir");
process.env.FLOWGATE_STORAGE_DIR = `${inject("dataDir")}/storage`;
process.env.FLOWGATE_SECRET_KEY ??= "test-secret-key-not-for-production";
process.env.FLOWGATE_LOG_LEVEL ??= "warn";
