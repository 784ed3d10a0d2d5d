// Both storage backends against real servers: local disk, and S3 over HTTP against s3rver (an
// S3-compatible server, like MinIO or R2 would be). Keys cannot escape the storage root.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error s3rver ships no types
import S3rver from "s3rver";
import { LocalStorage, S3Storage, type Storage } from "./index";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fg-storage-"));
let s3: { close(): Promise<void>; address(): AddressInfo } | undefined;
let s3Storage: S3Storage;

beforeAll(async () => {
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: path.join(dir, "s3"), configureBuckets: [{ name: "flowgate-test" }] });
  const addr = (await server.run()) as AddressInfo;
  s3 = server;
  s3Storage = new S3Storage("flowgate-test", { endpoint: `http://127.0.0.1:${addr.port}`, accessKeyId: "S3RVER", secretAccessKey: "S3RVER", prefix: "runs/" });
});

afterAll(async () => {
  await s3?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const read = async (s: Storage, key: string) => {
  const o = await s.get(key);
  return o ? Buffer.from(await new Response(o.stream()).arrayBuffer()) : null;
};

describe.each([
  ["local disk", () => new LocalStorage(path.join(dir, "local")) as Storage],
  ["S3-compatible", () => s3Storage as Storage],
])("%s storage", (_name, make) => {
  it("stores and reads back bytes, and answers null for a missing key", async () => {
    const s = make();
    const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5]);
    await s.put("outputs/run_1/000-out_1.png", data, "image/png");
    expect(await read(s, "outputs/run_1/000-out_1.png")).toEqual(data);
    expect((await s.get("outputs/run_1/000-out_1.png"))!.size).toBe(data.length);
    expect(await s.get("outputs/run_1/missing.png")).toBeNull();
  });

  it("refuses keys that would escape the root", async () => {
    const s = make();
    for (const bad of ["../etc/passwd", "/abs/path", "outputs/../../x", "a//b", "./x"]) {
      await expect(s.put(bad, Buffer.from("x"), "text/plain")).rejects.toThrow(/unsafe|escapes/);
    }
  });
});
