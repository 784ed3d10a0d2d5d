// Structured logging: one JSON line per event, with whatever ids (runId, endpointId) the caller has.
type Fields = Record<string, unknown>;
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;
const min = LEVELS[(process.env.FLOWGATE_LOG_LEVEL as Level) ?? "info"] ?? 20;

function write(level: Level, msg: string, fields?: Fields) {
  if (LEVELS[level] < min) return;
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

export const log = {
  debug: (m: string, f?: Fields) => write("debug", m, f),
  info: (m: string, f?: Fields) => write("info", m, f),
  warn: (m: string, f?: Fields) => write("warn", m, f),
  error: (m: string, f?: Fields) => write("error", m, f),
  child: (base: Fields) => ({
    debug: (m: string, f?: Fields) => write("debug", m, { ...base, ...f }),
    info: (m: string, f?: Fields) => write("info", m, { ...base, ...f }),
    warn: (m: string, f?: Fields) => write("warn", m, { ...base, ...f }),
    error: (m: string, f?: Fields) => write("error", m, { ...base, ...f }),
  }),
};
