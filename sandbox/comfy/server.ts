// The sandbox ComfyUI's HTTP + WebSocket face: ComfyUI's routes (also under /api), plus
// /__sandbox/* controls. Crash and restart close the listening socket for `crashDownMs`
// (connection refused), drop every socket and wipe what a real process would lose.
import http from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { WebSocketServer, type WebSocket } from "ws";
import type { Faults } from "../faults";
import { parseFaults } from "../faults";
import { HttpError, readBody, readJson, sendJson, sendText, sleep, contentTypeFor } from "../util";
import { ComfyEngine, type WsMessage } from "./engine";
import type { ObjectInfoMap } from "./validate";

export interface ComfyServerOptions {
  host: string;
  objectInfo: ObjectInfoMap;
  faults: Faults;
  rng: () => number;
  /** Extra routes tried before ComfyUI's (used by nothing yet; personalities have their own servers). */
  log?: (line: string) => void;
}

const MODEL_FOLDERS: Record<string, [string, string][]> = {
  checkpoints: [["CheckpointLoaderSimple", "ckpt_name"]],
  loras: [["LoraLoader", "lora_name"]],
  vae: [["VAELoader", "vae_name"]],
  diffusion_models: [["UNETLoader", "unet_name"]],
  text_encoders: [["CLIPLoader", "clip_name"]],
  controlnet: [["ControlNetLoader", "control_net_name"]],
  upscale_models: [["UpscaleModelLoader", "model_name"]],
  clip_vision: [["CLIPVisionLoader", "clip_name"]],
  style_models: [["StyleModelLoader", "style_model_name"]],
  embeddings: [],
  hypernetworks: [["HypernetworkLoader", "hypernetwork_name"]],
  gligen: [["GLIGENLoader", "gligen_name"]],
};

function comboOptions(spec: unknown): string[] {
  if (!Array.isArray(spec)) return [];
  if (Array.isArray(spec[0])) return spec[0].filter((x): x is string => typeof x === "string");
  const opts = (spec[1] as any)?.options;
  return Array.isArray(opts) ? opts.filter((x: unknown): x is string => typeof x === "string") : [];
}

import { defaultStock, withStock } from "./stock";
import { renderPng } from "./media";

export class ComfyServer {
  readonly engine: ComfyEngine;
  readonly server: http.Server;
  private wss = new WebSocketServer({ noServer: true });
  private clients = new Map<string, Set<WebSocket>>();
  private sockets = new Set<Socket>();
  private bootUntil: number;
  private down = false;
  private port = 0;
  private closed = false;
  private timers = new Set<NodeJS.Timeout>();

  constructor(private opts: ComfyServerOptions) {
    this.bootUntil = Date.now() + opts.faults.slowBootMs;
    this.engine = new ComfyEngine(opts.objectInfo, opts.faults, opts.rng, {
      send: (clientId, msg) => this.send(clientId, msg),
      crash: () => this.goDown("crash"),
      restart: () => this.goDown("restart"),
      dropClient: (clientId) => {
        for (const ws of this.clients.get(clientId) ?? []) ws.terminate();
      },
    });
    // The example workflows' input images, as placeholders (ComfyUI's own input/example.png is there too).
    for (const name of defaultStock.inputs) {
      const at = name.lastIndexOf("/");
      this.engine.putLazyInputFile(at < 0 ? "" : name.slice(0, at), name.slice(at + 1), () => renderPng({ width: 512, height: 512, seed: 0, text: name.slice(at + 1) }));
    }
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        if (e instanceof HttpError) sendJson(res, e.status, e.body);
        else sendJson(res, 500, { error: String((e as Error)?.message ?? e) });
      });
    });
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    this.server.on("upgrade", (req, socket, head) => this.upgrade(req, socket as Socket, head));
  }

  private stockedInfo?: { inputs: number; info: Record<string, any> };
  /**
   * What /object_info reports: the real dump's lists with --strict-models (a stock server), else
   * what a ComfyUI holding the sandbox's stock would list: its model files in every loader that
   * reads their folder, and the input folder's images (stocked and uploaded) in LoadImage & co.
   */
  advertisedObjectInfo(): Record<string, any> {
    if (this.opts.faults.strictModels) return this.opts.objectInfo;
    const inputs = this.engine.inputFilesVersion;
    if (this.stockedInfo?.inputs !== inputs) this.stockedInfo = { inputs, info: withStock(this.opts.objectInfo, defaultStock, this.engine.inputFiles()) };
    return this.stockedInfo.info;
  }

  get faults() {
    return this.opts.faults;
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, this.opts.host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  setFaults(partial: Partial<Faults>) {
    Object.assign(this.opts.faults, partial);
    if (partial.slowBootMs !== undefined) this.bootUntil = Date.now() + partial.slowBootMs;
    this.engine.kick();
  }

  /** Simulated process death: listener closed (ECONNREFUSED), sockets dropped, memory wiped. */
  goDown(reason: "crash" | "restart", downMs = this.opts.faults.crashDownMs) {
    if (this.down || this.closed) return;
    this.opts.log?.(`sandbox comfyui: ${reason}, down for ${downMs} ms`);
    this.down = true;
    this.engine.wipe();
    for (const set of this.clients.values()) for (const ws of set) ws.terminate();
    this.clients.clear();
    this.server.close();
    for (const s of this.sockets) s.destroy();
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.closed) return;
      this.server.listen(this.port, this.opts.host, () => {
        this.down = false;
        this.engine.kick();
      });
    }, downMs);
    this.timers.add(t);
  }

  async close() {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.engine.stop();
    for (const set of this.clients.values()) for (const ws of set) ws.terminate();
    this.wss.close();
    await new Promise<void>((r) => {
      this.server.close(() => r());
      for (const s of this.sockets) s.destroy();
      if (!this.server.listening) r();
    });
  }

  // ---- WebSocket -------------------------------------------------------------------------------
  private send(clientId: string | null | undefined, msg: WsMessage) {
    if (this.opts.faults.wsStall) return;
    const text = JSON.stringify(msg);
    const targets = clientId === null ? [...this.clients.values()].flatMap((s) => [...s]) : clientId ? [...(this.clients.get(clientId) ?? [])] : [];
    for (const ws of targets) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  private upgrade(req: http.IncomingMessage, socket: Socket, head: Buffer) {
    const url = new URL(req.url ?? "/", "http://x");
    if (!/^(\/api)?\/ws\/?$/.test(url.pathname) || this.down) {
      socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
      return;
    }
    if (Date.now() < this.bootUntil) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\n\r\n");
      return;
    }
    const clientId = url.searchParams.get("clientId") || randomUUID().replace(/-/g, "");
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      let set = this.clients.get(clientId);
      if (!set) this.clients.set(clientId, (set = new Set()));
      set.add(ws);
      ws.on("close", () => {
        set!.delete(ws);
        if (!set!.size && this.clients.get(clientId) === set) this.clients.delete(clientId);
      });
      ws.on("error", () => {});
      if (!this.opts.faults.wsStall) {
        ws.send(JSON.stringify({ type: "status", data: { status: { exec_info: { queue_remaining: this.engine.queueRemaining() } }, sid: clientId } }));
        const running = this.engine.running;
        if (running && running.item.clientId === clientId) {
          ws.send(JSON.stringify({ type: "executing", data: { node: running.node ?? null, display_node: running.node ?? null, prompt_id: running.item.promptId } }));
        }
      }
    });
  }

  // ---- HTTP ------------------------------------------------------------------------------------
  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    let p = url.pathname.replace(/^\/api(?=\/)/, "");
    const faults = this.opts.faults;
    const limit = faults.payloadLimitMb * 1024 * 1024;

    if (p.startsWith("/__sandbox/")) return this.control(p, method, req, res);
    if (Date.now() < this.bootUntil) {
      req.resume();
      return sendText(res, 503, "ComfyUI is starting (sandbox --slow-boot-ms)");
    }
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.httpErrorRate > 0 && this.opts.rng() < faults.httpErrorRate) {
      req.resume();
      const code = [500, 502, 503][Math.floor(this.opts.rng() * 3)];
      return sendText(res, code, `${code} sandbox injected error (--http-error-rate)`);
    }
    const e = this.engine;

    if (p === "/" && method === "GET") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end("<!doctype html><title>ComfyUI (Flowgate sandbox)</title><p>Flowgate sandbox ComfyUI</p>");
    }
    if (p === "/prompt" && method === "GET") return sendJson(res, 200, { exec_info: { queue_remaining: e.queueRemaining() } });
    if (p === "/prompt" && method === "POST") {
      const body = await readJson(req, limit);
      const r = await e.submit(body);
      return sendJson(res, r.status, r.body);
    }
    if (p === "/queue" && method === "GET") return sendJson(res, 200, e.queueView());
    if (p === "/queue" && method === "POST") {
      const body = (await readJson(req, limit)) as any;
      if (body?.clear) e.clearQueue();
      if (Array.isArray(body?.delete)) e.deleteFromQueue(body.delete.map(String));
      res.writeHead(200);
      return res.end();
    }
    if (p === "/interrupt" && method === "POST") {
      const body = (await readJson(req, limit)) as any;
      e.interrupt(typeof body?.prompt_id === "string" ? body.prompt_id : undefined);
      res.writeHead(200);
      return res.end();
    }
    if (p === "/history" && method === "GET") {
      const max = url.searchParams.get("max_items");
      return sendJson(res, 200, e.historyView(undefined, max ? Number(max) : undefined));
    }
    if (p === "/history" && method === "POST") {
      const body = (await readJson(req, limit)) as any;
      if (body?.clear) e.history.clear();
      if (Array.isArray(body?.delete)) for (const id of body.delete) e.history.delete(String(id));
      res.writeHead(200);
      return res.end();
    }
    const hist = /^\/history\/([^/]+)$/.exec(p);
    if (hist && method === "GET") return sendJson(res, 200, e.historyView(decodeURIComponent(hist[1])));
    if (p === "/view" && method === "GET") return this.view(url, res);
    if ((p === "/upload/image" || p === "/upload/mask") && method === "POST") return this.upload(req, res, limit);
    if (p === "/object_info" && method === "GET") return sendJson(res, 200, this.advertisedObjectInfo());
    const oi = /^\/object_info\/([^/]+)$/.exec(p);
    if (oi && method === "GET") {
      const cls = decodeURIComponent(oi[1]);
      const info = this.advertisedObjectInfo();
      return sendJson(res, 200, Object.hasOwn(info, cls) ? { [cls]: info[cls] } : {});
    }
    if (p === "/system_stats" && method === "GET") {
      return sendJson(res, 200, {
        system: {
          os: "posix",
          ram_total: 34359738368,
          ram_free: 30000000000,
          comfyui_version: "0.3.60-flowgate-sandbox",
          python_version: "3.12.3 (sandbox)",
          pytorch_version: "2.7.0+sandbox",
          embedded_python: false,
          argv: ["main.py", "--sandbox"],
        },
        devices: [{ name: "cuda:0 Flowgate Sandbox GPU", type: "cuda", index: 0, vram_total: 25769803776, vram_free: 24000000000, torch_vram_total: 0, torch_vram_free: 0 }],
      });
    }
    if (p === "/models" && method === "GET") return sendJson(res, 200, Object.keys(MODEL_FOLDERS));
    const models = /^\/models\/([^/]+)$/.exec(p);
    if (models && method === "GET") {
      const folder = decodeURIComponent(models[1]);
      const sources = MODEL_FOLDERS[folder];
      if (!sources) return sendText(res, 404, "404: Not Found");
      const names = new Set<string>();
      const info = this.advertisedObjectInfo();
      for (const [cls, input] of sources) for (const n of comboOptions(info[cls]?.input?.required?.[input])) names.add(n);
      if (!this.opts.faults.strictModels) for (const n of defaultStock.models[folder] ?? []) names.add(n);
      return sendJson(res, 200, [...names]);
    }
    if (p === "/embeddings" && method === "GET") return sendJson(res, 200, []);
    if (p === "/extensions" && method === "GET") return sendJson(res, 200, []);
    if (p === "/features" && method === "GET") return sendJson(res, 200, { supports_preview_metadata: true, max_upload_size: limit });
    if (p === "/free" && method === "POST") {
      await readJson(req, limit);
      res.writeHead(200);
      return res.end();
    }
    req.resume();
    return sendText(res, 404, "404: Not Found");
  }

  private view(url: URL, res: http.ServerResponse) {
    const filename = url.searchParams.get("filename") ?? "";
    const subfolder = url.searchParams.get("subfolder") ?? "";
    const type = url.searchParams.get("type") || "output";
    if (!filename || !["output", "input", "temp"].includes(type)) return sendText(res, 400, "400: Bad Request");
    if (filename.startsWith("/") || filename.includes("..") || subfolder.split(/[\\/]/).includes("..") || path.posix.isAbsolute(subfolder)) {
      return sendText(res, 403, "403: Forbidden");
    }
    const f = this.engine.getFile(type, subfolder.replace(/^\/+|\/+$/g, ""), filename);
    if (!f) return sendText(res, 404, "404: Not Found");
    res.writeHead(200, {
      "content-type": f.contentType,
      "content-length": f.data.length,
      "content-disposition": `filename="${encodeURIComponent(filename)}"`,
    });
    res.end(f.data);
  }

  /** ComfyUI's image_upload: sanitised name, subfolder confined to the input folder, "name (1).png" on clashes. */
  private async upload(req: http.IncomingMessage, res: http.ServerResponse, limit: number) {
    const body = await readBody(req, limit);
    const ct = req.headers["content-type"] ?? "";
    if (!ct.startsWith("multipart/form-data")) return sendText(res, 400, "400: Bad Request (expected multipart/form-data)");
    let form: FormData;
    try {
      form = await new Request("http://x/", { method: "POST", headers: { "content-type": ct }, body: new Uint8Array(body) }).formData();
    } catch {
      return sendText(res, 400, "400: Bad Request (malformed multipart body)");
    }
    const file = form.get("image");
    if (!file || typeof file === "string") return sendText(res, 400, "400: Bad Request");
    const type = String(form.get("type") ?? "input") || "input";
    if (!["input", "temp", "output"].includes(type)) return sendText(res, 400, "400: Bad Request");
    const overwrite = ["true", "1"].includes(String(form.get("overwrite") ?? "").toLowerCase());
    const rawSub = String(form.get("subfolder") ?? "");
    const sub = path.posix.normalize(rawSub.replace(/\\/g, "/") || ".");
    if (sub.startsWith("..") || path.posix.isAbsolute(sub)) return sendText(res, 400, "400: Bad Request");
    const subfolder = sub === "." ? "" : sub.replace(/\/+$/, "");
    let name = sanitizeUploadName((file as File).name);
    if (!name) return sendText(res, 400, "400: Bad Request");
    const data = Buffer.from(await (file as File).arrayBuffer());
    if (!overwrite) {
      const [stem, ext] = splitExt(name);
      let i = 1;
      for (let existing = this.engine.getFile(type, subfolder, name); existing && !existing.data.equals(data); existing = this.engine.getFile(type, subfolder, name)) {
        name = `${stem} (${i++})${ext}`;
      }
    }
    this.engine.putInputFile(subfolder, name, data, type);
    return sendJson(res, 200, { name, subfolder, type });
  }

  private async control(p: string, method: string, req: http.IncomingMessage, res: http.ServerResponse) {
    if (p === "/__sandbox/faults") {
      if (method === "POST") {
        const body = (await readJson(req, 1 << 20)) as Record<string, unknown>;
        try {
          this.setFaults(parseFaults(body));
        } catch (e) {
          return sendJson(res, 400, { error: (e as Error).message });
        }
      }
      return sendJson(res, 200, this.opts.faults);
    }
    if (p === "/__sandbox/crash" && method === "POST") {
      sendJson(res, 200, { ok: true });
      setImmediate(() => this.goDown("crash"));
      return;
    }
    if (p === "/__sandbox/restart" && method === "POST") {
      sendJson(res, 200, { ok: true });
      setImmediate(() => this.goDown("restart"));
      return;
    }
    if (p === "/__sandbox/state" && method === "GET") {
      return sendJson(res, 200, {
        pending: this.engine.pending.map((q) => q.promptId),
        running: this.engine.running?.item.promptId ?? null,
        history: [...this.engine.history.keys()],
        clients: [...this.clients.keys()],
      });
    }
    return sendText(res, 404, "404: Not Found");
  }
}

function splitExt(name: string): [string, string] {
  const ext = path.posix.extname(name);
  return [name.slice(0, name.length - ext.length), ext];
}

/** Strip directories and control characters; refuse names that are only dots. */
export function sanitizeUploadName(raw: string): string {
  const base = raw.replace(/\\/g, "/").split("/").pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  if (!clean || /^\.+$/.test(clean)) return "";
  return clean;
}

export { contentTypeFor };
