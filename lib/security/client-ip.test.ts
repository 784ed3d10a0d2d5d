// The address used for per-address limits cannot be chosen by the client: the preload stamps the
// socket's peer address over whatever the request claims, and X-Forwarded-For is believed only as
// far as FLOWGATE_TRUST_PROXY says proxies append to it.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { clientIp } from "./client-ip";

let child: ChildProcess;
let url: string;

beforeAll(async () => {
  const server = `require("node:http").createServer((req, res) => res.end(JSON.stringify(req.headers))).listen(0, "127.0.0.1", function () { console.log(this.address().port) })`;
  child = spawn(process.execPath, ["--require", path.resolve("scripts/peer-address.cjs"), "-e", server], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve) => child.stdout!.once("data", (d) => resolve(String(d).trim())));
  url = `http://127.0.0.1:${port}/`;
});
afterAll(() => child?.kill());
afterEach(() => {
  delete process.env.FLOWGATE_TRUST_PROXY;
});

const seen = async (headers: Record<string, string>) => new Headers((await (await fetch(url, { headers })).json()) as Record<string, string>);

describe("client address", () => {
  it("is the socket's peer address when reached directly, whatever the request claims", async () => {
    const h = await seen({ "x-forwarded-for": "203.0.113.7", "x-flowgate-peer": "203.0.113.8" });
    expect(h.get("x-flowgate-peer")).toBe("127.0.0.1");
    expect(clientIp(new Request(url, { headers: h }))).toBe("127.0.0.1");
  });

  it("behind N trusted proxies, is the N-th X-Forwarded-For entry from the right", async () => {
    process.env.FLOWGATE_TRUST_PROXY = "1";
    const h = await seen({ "x-forwarded-for": "6.6.6.6, 198.51.100.4" }); // forged, then what nginx appended
    expect(clientIp(new Request(url, { headers: h }))).toBe("198.51.100.4");
    process.env.FLOWGATE_TRUST_PROXY = "2";
    expect(clientIp(new Request(url, { headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.2" } }))).toBe("198.51.100.4");
  });

  it("without the preload, falls back to the entry Next.js set from the socket (the last one)", () => {
    expect(clientIp(new Request(url, { headers: { "x-forwarded-for": "::ffff:192.0.2.1" } }))).toBe("192.0.2.1");
    expect(clientIp(new Request(url))).toBe("unknown");
  });
});
