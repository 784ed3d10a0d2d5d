// An attempt's outputs: downloaded (hostile-URL safe, size-capped) and put in storage before anything
// about them reaches the database.
import { newId } from "@/lib/ids";
import { httpRequest } from "@/lib/providers/http";
import { ProviderError, type ProviderOutput } from "@/lib/providers/types";
import { storage } from "@/lib/storage";
import type { Endpoint, Prisma } from "@/lib/generated/prisma/client";
import { maxOutputBytes } from "../settings";
import { sleep } from "./wait";

/**
 * An output's bytes. A URL a backend returned is a URL a hostile backend chose: it is downloaded
 * through lib/net under the `output` purpose (a private address is refused unless it is on the
 * endpoint's own configured origin and endpoints may be private), every redirect hop re-checked, the
 * body cut off at FLOWGATE_MAX_OUTPUT_BYTES.
 */
export async function fetchOutput(o: ProviderOutput, endpoint: Endpoint): Promise<Buffer> {
  const limit = maxOutputBytes();
  if (o.data) {
    if (o.data.length > limit) throw new ProviderError("final", "output_too_large", `Output ${o.filename} is ${o.data.length} bytes; the limit is ${limit}.`);
    return o.data;
  }
  if (!o.url) throw new ProviderError("final", "output_missing", `Output ${o.filename} has neither data nor URL.`);
  const cfg = (endpoint.config ?? {}) as Record<string, unknown>;
  let res;
  try {
    res = await httpRequest(o.url, {
      purpose: "output",
      sameOriginAs: typeof cfg.baseUrl === "string" ? cfg.baseUrl : undefined,
      headers: o.headers,
      timeoutMs: 300_000,
      maxBytes: limit,
      what: `downloading output ${o.filename}`,
    });
  } catch (err) {
    if (err instanceof ProviderError && err.code === "output_too_large") {
      throw new ProviderError("final", "output_too_large", `Output ${o.filename} is larger than the ${limit}-byte limit (FLOWGATE_MAX_OUTPUT_BYTES).`, { details: { limit } });
    }
    throw err;
  }
  if (res.status < 200 || res.status >= 300) {
    throw new ProviderError(res.status === 404 ? "lost" : "retryable", "output_download_failed", `Downloading output ${o.filename} answered HTTP ${res.status}.`);
  }
  return res.body;
}

function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "output";
  return base.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "").slice(0, 120) || "output";
}

export type StoredOutput = Prisma.RunOutputCreateManyInput;

/**
 * Download and store every output (3 tries each, unless the error is final). The stored rows, or
 * the error that ends the attempt.
 */
export async function storeOutputs(runId: string, attemptId: string, outputs: ProviderOutput[], endpoint: Endpoint): Promise<{ stored: StoredOutput[] } | { error: ProviderError }> {
  const stored: StoredOutput[] = [];
  for (const [i, o] of outputs.entries()) {
    let lastErr: unknown;
    for (let tryNo = 0; tryNo < 3; tryNo++) {
      try {
        const data = await fetchOutput(o, endpoint);
        const id = newId("out");
        const filename = safeName(o.filename);
        const ext = filename.includes(".") ? filename.split(".").pop() : "bin";
        const storageKey = `outputs/${runId}/${String(i).padStart(3, "0")}-${id}.${ext}`;
        await storage().put(storageKey, data, o.contentType);
        stored.push({ id, runId, attemptId, nodeId: o.nodeId, filename, contentType: o.contentType, kind: o.kind, sizeBytes: data.length, storageKey });
        lastErr = undefined;
        break;
      } catch (err) {
        lastErr = err;
        if (err instanceof ProviderError && err.errorClass === "final") break;
        await sleep(200 * 2 ** tryNo);
      }
    }
    if (lastErr) {
      return { error: lastErr instanceof ProviderError ? lastErr : new ProviderError("final", "storage_failed", `Could not store output ${o.filename}: ${(lastErr as Error).message}`) };
    }
  }
  return { stored };
}
