// outboundFetch against real local HTTP servers: names resolved once and pinned (DNS rebinding),
// the socket's own address checked, redirects re-checked, bodies bounded.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { outboundFetch, outboundWebSocket, checkOutboundUrl, type Resolver } from "./outbound";

let hits: string[] = [];
let server: http.Server;
let port = 0;
const saved = process.env.FLOWGATE_ALLOW_PRIVATE_URLS;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url === "/big") {
      res.writeHead(200); // no content-length: the limit must hold on the stream
      const chunk = Buffer.alloc(64 * 1024, 1);
      let n = 0;
      const pump = () => {
        while (n++ < 64) if (!res.write(chunk)) return res.once("drain", pump);
        res.end();
      };
      return pump();
    }
    if (req.url === "/redirect-loopback") {
      res.writeHead(302, { location: `http://[::ffff:127.0.0.1]:${port}/secret` });
      return res.end();
    }
    if (req.url === "/redirect-self") {
      res.writeHead(302, { location: `/ok` });
      return res.end();
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`hello ${req.headers.authorization ?? ""}`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  hits = [];
  if (saved === undefined) delete process.env.FLOWGATE_ALLOW_PRIVATE_URLS;
  else process.env.FLOWGATE_ALLOW_PRIVATE_URLS = saved;
});

/** Answers a public address on the first question, loopback on every later one (a rebinding DNS server). */
function rebinding(): Resolver & { calls: number } {
  const r = (async () => {
    r.calls++;
    return r.calls === 1 ? [{ address: "8.8.8.8", family: 4 }] : [{ address: "127.0.0.1", family: 4 }];
  }) as unknown as Resolver & { calls: number };
  r.calls = 0;
  return r;
}

describe("outboundFetch", () => {
  it("DNS rebinding: the name is resolved once, and the connection goes to the address that was checked", async () => {
    delete process.env.FLOWGATE_ALLOW_PRIVATE_URLS;
    const resolver = rebinding();
    // Check-then-fetch (the old way) would have approved 8.8.8.8, then connected to 127.0.0.1.
    await checkOutboundUrl(`http://rebind.test:${port}/`, "webhook", { resolver });
    const err = await outboundFetch(`http://rebind.test:${port}/`, { purpose: "webhook", resolver, timeoutMs: 1500 }).catch((e) => e);
    // The second answer (loopback) is what this connection got: refused, nothing sent.
    expect(err.code).toBe("url_not_allowed");
    expect(err.details.address).toBe("127.0.0.1");
    expect(hits).toEqual([]);

    // And a fresh rebinding resolver: the one answer (public) is what the socket connects to — never loopback.
    const once = rebinding();
    const e2 = await outboundFetch(`http://rebind.test:${port}/`, { purpose: "webhook", resolver: once, timeoutMs: 1500 }).catch((e) => e);
    expect(once.calls).toBe(1);
    expect(e2).toBeInstanceOf(Error); // 8.8.8.8 is unreachable or slow from here; what matters is where it did not go
    expect(hits).toEqual([]);
  });

  it("a name that resolves to loopback in any of its answers is refused", async () => {
    delete process.env.FLOWGATE_ALLOW_PRIVATE_URLS;
    const resolver: Resolver = async () => [{ address: "8.8.8.8", family: 4 }, { address: "::ffff:7f00:1", family: 6 }];
    const err = await outboundFetch(`http://mixed.test:${port}/`, { purpose: "image", resolver }).catch((e) => e);
    expect(err.code).toBe("url_not_allowed");
    expect(err.message).toContain("FLOWGATE_ALLOW_PRIVATE_URLS=image");
    expect(hits).toEqual([]);
  });

  it("address literals in any spelling are refused without connecting; allowed purposes connect", async () => {
    delete process.env.FLOWGATE_ALLOW_PRIVATE_URLS;
    for (const h of ["127.0.0.1", "[::ffff:127.0.0.1]", "2130706433", "127.1", "0x7f.1"]) {
      const err = await outboundFetch(`http://${h}:${port}/`, { purpose: "webhook" }).catch((e) => e);
      expect(err.code, h).toBe("url_not_allowed");
    }
    expect(hits).toEqual([]);
    process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "webhook";
    const res = await outboundFetch(`http://127.0.0.1:${port}/ok`, { purpose: "webhook" });
    expect(res.status).toBe(200);
    expect(res.address).toBe("127.0.0.1");
  });

  it("names that resolve to loopback through the system resolver (`localhost`, `localhost.`) are refused", async () => {
    delete process.env.FLOWGATE_ALLOW_PRIVATE_URLS;
    const err = await outboundFetch(`http://localhost:${port}/`, { purpose: "webhook" }).catch((e) => e);
    expect(err.code).toBe("url_not_allowed");
    // `localhost.` resolves to loopback where the resolver knows it, and not at all elsewhere: never reached.
    const dotted = await outboundFetch(`http://localhost.:${port}/`, { purpose: "webhook" }).catch((e) => e);
    expect(["url_not_allowed", "ENOTFOUND", "EAI_AGAIN"]).toContain(dotted.code);
    expect(hits).toEqual([]);
  });

  it("redirects are re-checked at every hop: a redirect to loopback is refused for a purpose without the allowance", async () => {
    // The first hop is the endpoint's own origin (allowed under `endpoint`), the redirect goes elsewhere.
    process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
    const base = `http://127.0.0.1:${port}`;
    const err = await outboundFetch(`${base}/redirect-loopback`, { purpose: "output", sameOriginAs: `http://localhost:${port}` }).catch((e) => e);
    expect(err.code).toBe("url_not_allowed");
    expect(hits).toEqual([]); // the first hop is not the endpoint's origin either (localhost ≠ 127.0.0.1)

    const ok = await outboundFetch(`${base}/redirect-self`, { purpose: "output", sameOriginAs: base });
    expect(ok.status).toBe(200);
    expect(ok.url).toBe(`${base}/ok`);
    const refused = await outboundFetch(`${base}/redirect-self`, { purpose: "output", sameOriginAs: base, redirect: "error" }).catch((e) => e);
    expect(refused.code).toBe("redirect_refused");
  });

  it("credentials are dropped on a cross-origin redirect", async () => {
    process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
    const other = http.createServer((req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${port}/echo` });
      res.end();
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    try {
      const res = await outboundFetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`, { purpose: "endpoint", headers: { Authorization: "Bearer s3cret" } });
      expect(res.body.toString()).toBe("hello ");
    } finally {
      other.close();
    }
  });

  it("a body above maxBytes is aborted at the limit, declared or streamed", async () => {
    process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
    const err = await outboundFetch(`http://127.0.0.1:${port}/big`, { purpose: "endpoint", maxBytes: 100_000 }).catch((e) => e);
    expect(err.code).toBe("too_large");
    const ok = await outboundFetch(`http://127.0.0.1:${port}/big`, { purpose: "endpoint", maxBytes: 8 * 1024 * 1024 });
    expect(ok.body.length).toBe(64 * 64 * 1024);
  });

  it("WebSockets go through the same policy", async () => {
    delete process.env.FLOWGATE_ALLOW_PRIVATE_URLS;
    expect(() => outboundWebSocket(`ws://[::ffff:7f00:1]:${port}/ws`, { purpose: "endpoint" })).toThrow(/FLOWGATE_ALLOW_PRIVATE_URLS=endpoint/);
    const ws = outboundWebSocket(`ws://rebind.test:${port}/ws`, { purpose: "endpoint", resolver: async () => [{ address: "127.0.0.1", family: 4 }] });
    const err = await new Promise<Error>((r) => ws.once("error", r));
    expect((err as any).code).toBe("url_not_allowed");
    expect(hits).toEqual([]);
  });
});
