// The dev/start supervisor with real child processes: a child killed from outside comes back with
// a new pid, restarts back off, and only a failure on the first start stops everything.
import { afterEach, describe, expect, it } from "vitest";
import { Supervisor } from "../../scripts/supervisor";

const LONG = ["-e", "setInterval(() => {}, 1000)"];
let supervisors: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.map((s) => s.stop(2000)));
  supervisors = [];
});

function make(opts: Partial<ConstructorParameters<typeof Supervisor>[0]> = {}) {
  const lines: string[] = [];
  const starts: number[] = [];
  const fatal: string[] = [];
  const s = new Supervisor({
    label: "test",
    initialDelayMs: 100,
    startupGraceMs: 200,
    log: (l) => lines.push(l),
    onStart: (_name, pid) => starts.push(pid),
    onFatal: (name) => fatal.push(name),
    ...opts,
  });
  supervisors.push(s);
  return { s, lines, starts, fatal };
}

const until = async (ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("Supervisor", () => {
  it("restarts a child that is killed, with a new pid, and logs it", async () => {
    const { s, lines, starts, fatal } = make();
    s.start("worker", process.execPath, LONG);
    await until(() => starts.length === 1);
    await new Promise((r) => setTimeout(r, 300)); // past the start-up grace
    process.kill(starts[0], "SIGKILL");
    await until(() => starts.length === 2);
    expect(starts[1]).not.toBe(starts[0]);
    expect(s.pids().worker).toBe(starts[1]);
    expect(() => process.kill(starts[1], 0)).not.toThrow();
    expect(fatal).toEqual([]);
    expect(lines.join("\n")).toMatch(/worker exited \(SIGKILL\) after .* s; restarting in 0\.1 s/);
    expect(lines.join("\n")).toMatch(new RegExp(`worker restarted \\(pid ${starts[1]}\\)`));
  });

  it("restarts a child killed by a signal even during its first start (not a start failure)", async () => {
    const { s, starts, fatal } = make({ startupGraceMs: 60_000 });
    s.start("worker", process.execPath, LONG);
    await until(() => starts.length === 1);
    process.kill(starts[0], "SIGKILL");
    await until(() => starts.length === 2);
    expect(fatal).toEqual([]);
  });

  it("backs off exponentially while a child keeps crashing", async () => {
    const { s, lines, starts } = make({ startupGraceMs: 0 });
    s.start("flaky", process.execPath, ["-e", "setTimeout(() => process.exit(1), 50)"]);
    await until(() => starts.length === 4);
    const delays = lines.filter((l) => l.includes("restarting in")).map((l) => l.match(/restarting in ([\d.]+) s/)![1]);
    expect(delays.slice(0, 3)).toEqual(["0.1", "0.2", "0.4"]);
  });

  it("stops everything when a child fails on its first start", async () => {
    const { s, fatal, starts, lines } = make({ startupGraceMs: 5000 });
    s.start("next", process.execPath, ["-e", "process.exit(3)"]);
    await until(() => fatal.length === 1);
    expect(fatal).toEqual(["next"]);
    await new Promise((r) => setTimeout(r, 300));
    expect(starts).toHaveLength(1);
    expect(lines.join("\n")).toMatch(/next exited \(code 3\) while starting; stopping everything/);
  });

  it("does not restart children it was asked to stop", async () => {
    const { s, starts } = make();
    s.start("worker", process.execPath, LONG);
    await until(() => starts.length === 1);
    await s.stop(2000);
    await new Promise((r) => setTimeout(r, 300));
    expect(starts).toHaveLength(1);
    expect(() => process.kill(starts[0], 0)).toThrow();
  });
});
