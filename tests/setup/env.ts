// Per-worker setup: point lib/ at the test database and a private data directory.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.FLOWGATE_DATA_DIR = inject("dataDir");
process.env.FLOWGATE_STORAGE_DIR = `${inject("dataDir")}/storage`;
process.env.FLOWGATE_SECRET_KEY ??= "test-secret-key-not-for-production";
process.env.FLOWGATE_LOG_LEVEL ??= "warn";
// The worker's hourly bill sync would otherwise fire in whichever test's worker is up at :07 (tests call syncProviderBills themselves).
process.env.FLOWGATE_BILLS_CRON ??= "off";

// Property tests explore new random cases on every developer run; CI replays one fixed seed so a
// landing is never decided by chance (set FC_SEED to reproduce a reported failure).
import fc from "fast-check";
if (process.env.FC_SEED || process.env.CI) fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });
