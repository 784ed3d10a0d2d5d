// Live progress for ComfyUI endpoints: one shared WebSocket per endpoint (per process), fanned out
// to subscribers by prompt id. Hints only — the run engine's truth is /history via status().
import { randomUUID } from "node:crypto";
import type WebSocket from "ws";
import { outboundWebSocket } from "@/lib/net";

export interface ProgressEvent {
  type: "started" | "cached" | "executing" | "progress" | "executed" | "succeeded" | "failed" | "interrupted";
  promptId: string;
  nodeId?: string | null;
  value?: number;
  max?: number;
  /** Overall fraction 0..1 across the prompt's sampler nodes, when known. */
  fraction?: number;
  message?: string;
  at: number;
}

type Listener = (e: ProgressEvent) => void;

interface Tracked {
  samplers: string[];
  done: Set<string>;
  last?: ProgressEvent;
  progress?: { value: number; max: number; nodeId: string | null; fraction?: number };
  addedAt: number;
}

interface Connection {
  endpointId: string;
  wsUrl: string;
  headers: Record<string, string>;
  clientId: string;
  ws?: WebSocket;
  open?: Promise<void>;
  retryTimer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
  backoffMs: number;
  tracked: Map<string, Tracked>;
  closed: boolean;
  /** The socket closed while prompts were tracked (a restart of the server wipes its queue). */
  dropped?: boolean;
}

const TERMINAL = new Set(["succeeded", "failed", "interrupted"]);
const TRACK_TTL_MS = 6 * 60 * 60 * 1000;

export class ProgressHub {
  private conns = new Map<string, Connection>();
  private listeners = new Map<string, Set<Listener>>();
  private reconnectListeners = new Map<string, Set<() => void>>();

  /**
   * Called when the endpoint's socket comes back after dropping while prompts were tracked: the
   * server may have restarted and lost its queue, so a driver looks now instead of at its next poll.
   */
  onReconnect(endpointId: string, cb: () => void): () => void {
    let set = this.reconnectListeners.get(endpointId);
    if (!set) this.reconnectListeners.set(endpointId, (set = new Set()));
    set.add(cb);
    return () => {
      set.delete(cb);
      if (!set.size) this.reconnectListeners.delete(endpointId);
    };
  }

  private key(endpointId: string, promptId: string) {
    return `${endpointId}\u0000${promptId}`;
  }

  /** Stable per-process client id for an endpoint: sent as /prompt client_id so events reach our socket. */
  clientId(endpointId: string, baseUrl: string, headers: Record<string, string> = {}): string {
    return this.connection(endpointId, baseUrl, headers).clientId;
  }

  subscribe(endpointId: string, promptId: string, cb: Listener): () => void {
    const k = this.key(endpointId, promptId);
    let set = this.listeners.get(k);
    if (!set) this.listeners.set(k, (set = new Set()));
    set.add(cb);
    const last = this.conns.get(endpointId)?.tracked.get(promptId)?.last;
    if (last) queueMicrotask(() => set!.has(cb) && cb(last));
    return () => {
      set!.delete(cb);
      if (!set!.size) this.listeners.delete(k);
    };
  }

  /** Start (or keep) watching a prompt; opens the endpoint's socket if needed. Resolves once connected or after `waitMs`. */
  async track(endpointId: string, baseUrl: string, headers: Record<string, string>, promptId: string, samplers: string[] = [], waitMs = 0) {
    const c = this.connection(endpointId, baseUrl, headers);
    if (!c.tracked.has(promptId)) c.tracked.set(promptId, { samplers, done: new Set(), addedAt: Date.now() });
    else if (samplers.length) c.tracked.get(promptId)!.samplers = samplers;
    if (c.idleTimer) clearTimeout(c.idleTimer);
    c.idleTimer = undefined;
    this.ensureOpen(c);
    if (waitMs > 0 && c.open) await Promise.race([c.open.catch(() => {}), new Promise((r) => setTimeout(r, waitMs).unref?.())]);
  }

  untrack(endpointId: string, promptId: string) {
    const c = this.conns.get(endpointId);
    if (!c) return;
    c.tracked.delete(promptId);
    this.maybeIdle(c);
  }

  latest(endpointId: string, promptId: string) {
    return this.conns.get(endpointId)?.tracked.get(promptId)?.progress;
  }

  closeAll() {
    for (const c of this.conns.values()) this.shutdown(c);
    this.conns.clear();
    this.listeners.clear();
  }

  private connection(endpointId: string, baseUrl: string, headers: Record<string, string>): Connection {
    const wsUrl = baseUrl.replace(/^http/, "ws").replace(/\/+$/, "") + "/ws";
    let c = this.conns.get(endpointId);
    if (c && c.wsUrl !== wsUrl) {
      this.shutdown(c);
      c = undefined;
    }
    if (!c) {
      c = { endpointId, wsUrl, headers, clientId: `flowgate-${randomUUID()}`, backoffMs: 250, tracked: new Map(), closed: false };
      this.conns.set(endpointId, c);
    }
    c.headers = headers;
    return c;
  }

  private ensureOpen(c: Connection) {
    if (c.closed || c.ws || c.retryTimer) return;
    let ws: WebSocket;
    try {
      // Through the address policy like every other call to the endpoint.
      ws = outboundWebSocket(`${c.wsUrl}?clientId=${encodeURIComponent(c.clientId)}`, { purpose: "endpoint", headers: c.headers, handshakeTimeout: 10_000 });
    } catch {
      // A refused address: no live hints (status polls report the refusal as the attempt's error).
      return;
    }
    c.ws = ws;
    c.open = new Promise<void>((resolve, reject) => {
      ws.once("open", () => {
        c.backoffMs = 250;
        resolve();
        if (c.dropped) {
          c.dropped = false;
          for (const cb of [...(this.reconnectListeners.get(c.endpointId) ?? [])]) cb();
        }
      });
      ws.once("error", reject);
    });
    c.open.catch(() => {});
    ws.on("message", (data, isBinary) => {
      if (isBinary) return; // live preview frames
      try {
        this.onMessage(c, JSON.parse(data.toString()));
      } catch {
        /* a malformed frame is a lost hint, nothing more */
      }
    });
    ws.on("error", () => {});
    ws.on("close", () => {
      if (c.ws === ws) c.ws = undefined;
      this.pruneTracked(c);
      if (c.closed || c.tracked.size === 0) return;
      c.dropped = true;
      c.retryTimer = setTimeout(() => {
        c.retryTimer = undefined;
        this.ensureOpen(c);
      }, c.backoffMs);
      c.retryTimer.unref?.();
      c.backoffMs = Math.min(c.backoffMs * 2, 5000);
    });
  }

  private pruneTracked(c: Connection) {
    const now = Date.now();
    for (const [id, t] of c.tracked) if (now - t.addedAt > TRACK_TTL_MS) c.tracked.delete(id);
  }

  private maybeIdle(c: Connection) {
    if (c.tracked.size || c.idleTimer) return;
    c.idleTimer = setTimeout(() => {
      c.idleTimer = undefined;
      if (!c.tracked.size) {
        c.ws?.close();
        c.ws = undefined;
      }
    }, 30_000);
    c.idleTimer.unref?.();
  }

  private shutdown(c: Connection) {
    c.closed = true;
    if (c.retryTimer) clearTimeout(c.retryTimer);
    if (c.idleTimer) clearTimeout(c.idleTimer);
    c.ws?.terminate();
    c.ws = undefined;
  }

  private onMessage(c: Connection, msg: { type?: string; data?: any }) {
    const d = msg?.data;
    const promptId: string | undefined = d?.prompt_id;
    if (!promptId || typeof promptId !== "string") return;
    const t = c.tracked.get(promptId);
    if (!t) return;
    let ev: ProgressEvent | null = null;
    const at = Date.now();
    switch (msg.type) {
      case "execution_start":
        ev = { type: "started", promptId, at };
        break;
      case "execution_cached":
        for (const n of Array.isArray(d.nodes) ? d.nodes : []) if (t.samplers.includes(String(n))) t.done.add(String(n));
        ev = { type: "cached", promptId, at, fraction: this.fraction(t, 0, 1) };
        break;
      case "executing":
        if (d.node === null || d.node === undefined) ev = { type: "succeeded", promptId, at, fraction: 1 };
        else {
          // Every node reports when it starts, not only samplers: the run shows which one is busy.
          const nodeId = String(d.node);
          t.progress = { value: 0, max: 1, nodeId, fraction: this.fraction(t, 0, 1) };
          ev = { type: "executing", promptId, nodeId, at };
        }
        break;
      case "progress": {
        const value = Number(d.value);
        const max = Number(d.max) || 1;
        const nodeId = d.node == null ? null : String(d.node);
        if (nodeId && value >= max && t.samplers.includes(nodeId)) t.done.add(nodeId);
        const cur = nodeId && t.done.has(nodeId) ? 0 : value / max;
        const fraction = this.fraction(t, cur, 1);
        t.progress = { value, max, nodeId, fraction };
        ev = { type: "progress", promptId, nodeId, value, max, fraction, at };
        break;
      }
      case "executed":
        ev = { type: "executed", promptId, nodeId: d.node == null ? null : String(d.node), at };
        break;
      case "execution_success":
        ev = { type: "succeeded", promptId, at, fraction: 1 };
        break;
      case "execution_error":
        ev = { type: "failed", promptId, nodeId: d.node_id ?? null, message: d.exception_message, at };
        break;
      case "execution_interrupted":
        ev = { type: "interrupted", promptId, nodeId: d.node_id ?? null, at };
        break;
    }
    if (!ev) return;
    if (t.last && TERMINAL.has(t.last.type) && ev.type === "succeeded") return; // execution_success then executing(null)
    t.last = ev;
    for (const cb of this.listeners.get(this.key(c.endpointId, promptId)) ?? []) {
      try {
        cb(ev);
      } catch {
        /* a subscriber's bug must not break the socket */
      }
    }
  }

  private fraction(t: Tracked, current: number, _w: number): number | undefined {
    if (!t.samplers.length) return undefined;
    return Math.min(1, (t.done.size + current) / t.samplers.length);
  }
}

/** The process-wide hub. */
export const progressHub = new ProgressHub();

/** Live progress of one prompt on one endpoint; returns the unsubscribe function. */
export function subscribeProgress(endpointId: string, promptId: string, cb: (e: ProgressEvent) => void): () => void {
  return progressHub.subscribe(endpointId, promptId, cb);
}
