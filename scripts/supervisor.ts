// The process supervisor of `npm run dev` and `npm start`: starts each part of the stack as a child
// process and restarts one that dies, with exponential backoff, as production supervisors
// (systemd, Kubernetes) do. A worker that crashes no longer takes the app, the database and the
// sandbox's queue down with it. Only a child that fails on its very first start (a taken port, a
// broken build) stops everything: restarting it would repeat the same error.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

export interface SupervisorOptions {
  /** Prefix of the log lines, e.g. "dev". */
  label: string;
  /** First restart delay; doubles per consecutive crash up to maxDelayMs (default 1 s → 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A child that ran at least this long is healthy again: the next crash restarts after initialDelayMs. */
  resetAfterMs?: number;
  /** A child that exits within this time of its first start stops everything (default 3 s). */
  startupGraceMs?: number;
  /** Called when every child should stop: a first-start failure. */
  onFatal: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
  /** Called after each (re)start with the child's pid. */
  onStart?: (name: string, pid: number) => void;
  log?: (line: string) => void;
}

interface Entry {
  name: string;
  cmd: string;
  args: string[];
  options: SpawnOptions;
  child?: ChildProcess;
  startedAt: number;
  starts: number;
  crashes: number;
  timer?: NodeJS.Timeout;
}

export class Supervisor {
  private entries = new Map<string, Entry>();
  private stopping = false;
  private readonly opts: Required<Omit<SupervisorOptions, "onStart">> & Pick<SupervisorOptions, "onStart">;

  constructor(opts: SupervisorOptions) {
    this.opts = {
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      resetAfterMs: 60_000,
      startupGraceMs: 3000,
      log: (line) => console.error(line),
      ...opts,
    };
  }

  start(name: string, cmd: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const entry: Entry = { name, cmd, args, options, startedAt: 0, starts: 0, crashes: 0 };
    this.entries.set(name, entry);
    return this.spawn(entry);
  }

  /** The current pid of each child (for status files and tests). */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries([...this.entries.values()].map((e) => [e.name, e.child?.pid]));
  }

  /** Stops every child (SIGTERM, then SIGKILL after killAfterMs) and waits for them to exit. */
  async stop(killAfterMs = 10_000): Promise<void> {
    this.stopping = true;
    const waits: Promise<void>[] = [];
    for (const e of this.entries.values()) {
      clearTimeout(e.timer);
      const child = e.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      waits.push(
        new Promise<void>((resolve) => {
          const force = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
          child.once("exit", () => {
            clearTimeout(force);
            resolve();
          });
          child.kill("SIGTERM");
        }),
      );
    }
    await Promise.all(waits);
  }

  private spawn(entry: Entry): ChildProcess {
    const child = spawn(entry.cmd, entry.args, { stdio: ["ignore", "inherit", "inherit"], ...entry.options });
    entry.child = child;
    entry.startedAt = Date.now();
    entry.starts++;
    child.on("error", (err) => this.opts.log(`[${this.opts.label}] ${entry.name} could not start: ${err.message}`));
    child.on("exit", (code, signal) => this.onExit(entry, child, code, signal));
    if (child.pid) this.opts.onStart?.(entry.name, child.pid);
    return child;
  }

  private onExit(entry: Entry, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null) {
    if (this.stopping || entry.child !== child) return;
    const ran = Date.now() - entry.startedAt;
    const how = signal ?? `code ${code}`;
    // Exiting on its own during its first start (a taken port, a bad setting) will not get better by
    // retrying; being killed by a signal (kill -9, the OOM killer) says nothing about the child: restart.
    if (entry.starts === 1 && ran < this.opts.startupGraceMs && signal === null) {
      this.opts.log(`[${this.opts.label}] ${entry.name} exited (${how}) while starting; stopping everything.`);
      this.opts.onFatal(entry.name, code, signal);
      return;
    }
    entry.crashes = ran >= this.opts.resetAfterMs ? 1 : entry.crashes + 1;
    const delay = Math.min(this.opts.maxDelayMs, this.opts.initialDelayMs * 2 ** (entry.crashes - 1));
    this.opts.log(
      `[${this.opts.label}] ${entry.name} exited (${how}) after ${(ran / 1000).toFixed(1)} s; restarting in ${(delay / 1000).toFixed(1)} s` +
        (entry.crashes > 1 ? ` (crash ${entry.crashes} in a row)` : ""),
    );
    entry.timer = setTimeout(() => {
      if (this.stopping) return;
      const next = this.spawn(entry);
      this.opts.log(`[${this.opts.label}] ${entry.name} restarted (pid ${next.pid})`);
    }, delay);
  }
}
