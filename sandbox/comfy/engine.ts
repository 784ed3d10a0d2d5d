// The sandbox ComfyUI's brain: FIFO prompt queue, one prompt at a time, history, node-output cache,
// simulated execution (progress over --exec-ms) and real output files. No HTTP here: server.ts
// speaks the protocol, the RunPod / RunComfy personalities drive this engine in-process.
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Faults } from "../faults";
import { contentTypeFor, hash32, sha256, sleep } from "../util";
import { clampSize, renderGif, renderGlb, renderPng, renderWav } from "./media";
import { validate, type ObjectInfoMap } from "./validate";

export type ApiNode = { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } };
export type ApiPrompt = Record<string, ApiNode>;
export type WsMessage = { type: string; data: Record<string, unknown> };

export interface QueueItem {
  number: number;
  promptId: string;
  prompt: ApiPrompt;
  extraData: Record<string, unknown>;
  outputs: string[];
  clientId?: string;
}

export interface HistoryEntry {
  prompt: [number, string, ApiPrompt, Record<string, unknown>, string[]];
  outputs: Record<string, Record<string, unknown>>;
  status: { status_str: "success" | "error"; completed: boolean; messages: [string, Record<string, unknown>][] };
  meta: Record<string, { node_id: string; display_node: string; parent_node: null; real_node_id: string }>;
  completedAt: number;
}

export interface StoredFile {
  data: Buffer;
  contentType: string;
}

export interface EngineHooks {
  /** clientId null = broadcast to every socket. */
  send(clientId: string | null | undefined, msg: WsMessage): void;
  /** Called when the engine decides the process dies mid-run. */
  crash(): void;
  /** Called when the engine decides the process restarts (queue + history wiped). */
  restart(): void;
  /** Called when the submitting client's socket should drop. */
  dropClient(clientId: string): void;
}

export interface SubmitResult {
  status: number;
  body: Record<string, unknown>;
}

const LINK = (v: unknown): v is [string, number] => Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "number";
const VIDEO_CLASSES = /^(SaveAnimatedWEBP|SaveAnimatedPNG|SaveWEBM|SaveVideo|VHS_VideoCombine)$|video/i;
const AUDIO_CLASSES = /^(SaveAudio|SaveAudioMP3|SaveAudioOpus|PreviewAudio)$/;
const TEXT_CLASSES = /^PreviewAny$|show.?text|preview.?text|display.?(text|string|any)/i;
const GLB_CLASSES = /^SaveGLB$/;
const MAX_HISTORY = 10000;

export class ComfyEngine {
  pending: QueueItem[] = [];
  running: { item: QueueItem; interrupted: boolean; epoch: number; node?: string; progress?: { value: number; max: number; node: string } } | null = null;
  history = new Map<string, HistoryEntry>();
  files = new Map<string, StoredFile>();
  private cache = new Map<string, Record<string, unknown> | null>();
  private counters = new Map<string, number>();
  private numberSeq = 0;
  private epoch = 0;
  private looping = false;
  private warm = false;
  private stopped = false;

  constructor(
    public objectInfo: ObjectInfoMap,
    public faults: Faults,
    private rng: () => number,
    private hooks: EngineHooks,
  ) {
    // ComfyUI ships input/example.png, which the bundled definitions list for LoadImage.
    this.putInputFile("", "example.png", renderPng({ width: 512, height: 512, seed: 0, text: "example" }));
  }

  queueRemaining(): number {
    return this.pending.length + (this.running ? 1 : 0);
  }

  broadcastStatus() {
    this.hooks.send(null, { type: "status", data: { status: { exec_info: { queue_remaining: this.queueRemaining() } } } });
  }

  // ---- /prompt ---------------------------------------------------------------------------------
  async submit(body: any): Promise<SubmitResult> {
    if (!body || typeof body !== "object" || !body.prompt || typeof body.prompt !== "object" || Array.isArray(body.prompt)) {
      return {
        status: 400,
        body: { error: { type: "no_prompt", message: "No prompt provided", details: "No prompt provided", extra_info: {} }, node_errors: {} },
      };
    }
    const prompt = body.prompt as ApiPrompt;
    const promptId = typeof body.prompt_id === "string" && body.prompt_id ? body.prompt_id : randomUUID();
    const { objectInfo, uploadErrors } = this.checkUploadInputs(prompt);
    const result = await validate(prompt as any, objectInfo, !this.faults.strictModels);
    const nodeErrors: Record<string, any> = { ...(result.node_errors ?? {}) };
    if (!result.ok && result.error?.type !== "prompt_outputs_failed_validation") {
      return { status: 400, body: { error: result.error, node_errors: nodeErrors } };
    }
    for (const [id, err] of uploadErrors) {
      const deps = this.outputNodes(prompt).filter((out) => out === id || this.plan(prompt, [out]).includes(id));
      const ne = (nodeErrors[id] ??= { errors: [], dependent_outputs: [], class_type: prompt[id].class_type });
      ne.errors.push(err);
      for (const d of deps) if (!ne.dependent_outputs.includes(d)) ne.dependent_outputs.push(d);
    }
    // Like ComfyUI: queue the outputs that passed; refuse only when none did.
    let outputs = this.outputNodes(prompt).filter((id) => !this.failedOutput(id, nodeErrors));
    if (!outputs.length) {
      const lines = Object.entries(nodeErrors).flatMap(([id, ne]: [string, any]) =>
        ne.errors.map((e: any) => `${e.message}: ${e.details} (node ${id}, ${ne.class_type})`),
      );
      const error = result.error ?? {
        type: "prompt_outputs_failed_validation",
        message: "Prompt outputs failed validation",
        details: lines.join("\n"),
        extra_info: {},
      };
      return { status: 400, body: { error, node_errors: nodeErrors } };
    }
    if (this.faults.partialErrors && outputs.length >= 2) {
      const bad = outputs[outputs.length - 1];
      nodeErrors[bad] = {
        errors: [
          {
            type: "exception_during_validation",
            message: "Exception when validating node",
            details: "SANDBOX: injected partial validation failure (--partial-errors)",
            extra_info: {},
          },
        ],
        dependent_outputs: [bad],
        class_type: prompt[bad].class_type,
      };
      outputs = outputs.slice(0, -1);
    }
    const extraData = { ...(typeof body.extra_data === "object" && body.extra_data ? body.extra_data : {}) } as Record<string, unknown>;
    if (typeof body.client_id === "string") extraData.client_id = body.client_id;
    const number = body.front ? -++this.numberSeq : typeof body.number === "number" ? body.number : this.numberSeq++;
    const item: QueueItem = { number, promptId, prompt, extraData, outputs, clientId: extraData.client_id as string | undefined };
    this.pending.push(item);
    this.pending.sort((a, b) => a.number - b.number);
    this.broadcastStatus();
    if (this.faults.restartRate > 0 && this.rng() < this.faults.restartRate) setTimeout(() => this.hooks.restart(), 10);
    this.kick();
    return { status: 200, body: { prompt_id: promptId, number, node_errors: nodeErrors } };
  }

  /**
   * Upload-backed inputs (LoadImage & co.) are checked against the files this server holds, the way
   * their VALIDATE_INPUTS do in ComfyUI; the generic validator sees node definitions whose lists
   * include the value, so it only judges everything else.
   */
  private checkUploadInputs(prompt: ApiPrompt): { objectInfo: ObjectInfoMap; uploadErrors: [string, Record<string, unknown>][] } {
    const uploadErrors: [string, Record<string, unknown>][] = [];
    let overlay: ObjectInfoMap | null = null;
    for (const [id, node] of Object.entries(prompt ?? {})) {
      const def = this.objectInfo[node?.class_type];
      if (!def || !node.inputs || typeof node.inputs !== "object") continue;
      for (const section of ["required", "optional"]) {
        for (const [name, spec] of Object.entries<any>(def.input?.[section] ?? {})) {
          const meta = Array.isArray(spec) ? spec[1] : undefined;
          if (!meta || !Object.keys(meta).some((k) => /_upload$/.test(k))) continue;
          const value = node.inputs[name];
          if (typeof value !== "string") continue;
          const m = /^(.*?)(?: \[(input|output|temp)\])?$/.exec(value)!;
          const type = m[2] ?? (meta.image_folder === "output" ? "output" : "input");
          const rel = m[1].replace(/\\/g, "/");
          const sub = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "";
          const file = rel.slice(rel.lastIndexOf("/") + 1);
          if (rel.split("/").includes("..") || !this.files.has(fileKey(type, sub, file))) {
            const what = name === "audio" ? "audio" : name === "file" ? "video" : name === "model_file" ? "file" : "image";
            uploadErrors.push([
              id,
              {
                type: "custom_validation_failed",
                message: "Custom validation failed for node",
                details: `${name} - Invalid ${what} file: ${value}`,
                extra_info: { input_name: name, input_config: null, received_value: value },
              },
            ]);
          }
          overlay ??= { ...this.objectInfo };
          const d = (overlay[node.class_type] = structuredClone(overlay[node.class_type]));
          const s2 = d.input[section][name];
          if (Array.isArray(s2[0])) s2[0].push(value);
          else s2[1] = { ...s2[1], options: [...(s2[1]?.options ?? []), value] };
        }
      }
    }
    return { objectInfo: overlay ?? this.objectInfo, uploadErrors };
  }

  private outputNodes(prompt: ApiPrompt): string[] {
    return Object.keys(prompt).filter((id) => this.objectInfo[prompt[id].class_type]?.output_node);
  }

  private failedOutput(id: string, nodeErrors: Record<string, any>): boolean {
    if (nodeErrors[id]) return true;
    return Object.values(nodeErrors).some((e: any) => Array.isArray(e?.dependent_outputs) && e.dependent_outputs.includes(id));
  }

  // ---- queue control ---------------------------------------------------------------------------
  interrupt(promptId?: string): boolean {
    if (!this.running) return false;
    if (promptId && this.running.item.promptId !== promptId) return false;
    this.running.interrupted = true;
    return true;
  }

  deleteFromQueue(ids: string[]): number {
    const before = this.pending.length;
    this.pending = this.pending.filter((q) => !ids.includes(q.promptId));
    if (before !== this.pending.length) this.broadcastStatus();
    return before - this.pending.length;
  }

  clearQueue(): number {
    const n = this.pending.length;
    this.pending = [];
    this.broadcastStatus();
    return n;
  }

  /** What a process restart loses: queue, running prompt, history, caches, temp files. Outputs on "disk" stay. */
  wipe() {
    this.epoch++;
    this.pending = [];
    this.running = null;
    this.history.clear();
    this.cache.clear();
    this.warm = false;
    for (const key of [...this.files.keys()]) if (key.startsWith("temp\u0000")) this.files.delete(key);
  }

  stop() {
    this.stopped = true;
    this.epoch++;
  }

  sweepHistory() {
    const ttl = this.faults.resultTtlS * 1000;
    if (ttl > 0) {
      const now = Date.now();
      for (const [id, h] of this.history) if (now - h.completedAt > ttl) this.history.delete(id);
    }
    while (this.history.size > MAX_HISTORY) this.history.delete(this.history.keys().next().value!);
  }

  kick() {
    if (this.looping || this.stopped) return;
    this.looping = true;
    void (async () => {
      try {
        while (!this.stopped && !this.faults.stuck && this.pending.length) {
          const item = this.pending.shift()!;
          await this.execute(item);
        }
      } finally {
        this.looping = false;
      }
    })();
  }

  // ---- execution -------------------------------------------------------------------------------
  private async execute(item: QueueItem) {
    const epoch = this.epoch;
    const run = { item, interrupted: false, epoch } as NonNullable<ComfyEngine["running"]>;
    this.running = run;
    const alive = () => this.epoch === epoch && !this.stopped;
    const pid = item.promptId;
    const messages: [string, Record<string, unknown>][] = [];
    const outputs: HistoryEntry["outputs"] = {};
    const meta: HistoryEntry["meta"] = {};
    const client = item.clientId;
    const emit = (type: string, data: Record<string, unknown>, record = false) => {
      if (!alive()) return;
      if (record) messages.push([type, data]);
      this.hooks.send(client, { type, data });
    };
    const finish = (status: "success" | "error", completed: boolean) => {
      if (!alive()) return;
      this.history.set(pid, {
        prompt: [item.number, pid, item.prompt, item.extraData, item.outputs],
        outputs,
        status: { status_str: status, completed, messages },
        meta,
        completedAt: Date.now(),
      });
      this.sweepHistory();
      this.running = null;
      this.broadcastStatus();
    };

    await sleep(0); // like ComfyUI, execution never starts inside the /prompt request
    if (!alive()) return;
    emit("execution_start", { prompt_id: pid, timestamp: Date.now() }, true);
    if (this.faults.wsDrop && client) this.hooks.dropClient(client);
    if (!this.warm && this.faults.coldStartMs > 0) await sleep(this.faults.coldStartMs);
    if (!alive()) return;
    this.warm = true;

    const order = this.plan(item.prompt, item.outputs);
    const sigs = new Map<string, string>();
    for (const id of order) sigs.set(id, this.signature(item.prompt, id, sigs));
    const cached = order.filter((id) => this.cache.has(sigs.get(id)!));
    emit("execution_cached", { nodes: cached, prompt_id: pid, timestamp: Date.now() }, true);
    const toRun = order.filter((id) => !cached.includes(id));

    const samplerSteps = new Map<string, number>();
    for (const id of toRun) {
      const steps = this.samplerSteps(item.prompt, id);
      if (steps) samplerSteps.set(id, steps);
    }
    const totalSteps = [...samplerSteps.values()].reduce((a, b) => a + b, 0);
    const others = toRun.length - samplerSteps.size;
    const execMs = this.faults.execMs;
    const perStep = totalSteps ? (execMs * (others ? 0.8 : 1)) / totalSteps : 0;
    const perNode = others ? (execMs * (totalSteps ? 0.2 : 1)) / others : 0;

    const failAt = this.faults.failRate > 0 && this.rng() < this.faults.failRate ? toRun[Math.floor(toRun.length / 2)] ?? null : null;
    const crashAt = this.faults.crashRate > 0 && this.rng() < this.faults.crashRate ? toRun[Math.floor(toRun.length / 2)] ?? null : null;

    // Long simulated work is sliced so an interrupt or a wipe is noticed within ~50 ms.
    const work = async (ms: number) => {
      const end = Date.now() + ms;
      for (let left = ms; left > 0 && alive() && !run.interrupted; left = end - Date.now()) await sleep(Math.min(left, 50));
    };
    const executed: string[] = [];
    for (const id of order) {
      if (!alive()) return;
      const node = item.prompt[id];
      if (cached.includes(id)) {
        const ui = this.cache.get(sigs.get(id)!);
        if (ui) {
          outputs[id] = ui;
          meta[id] = { node_id: id, display_node: id, parent_node: null, real_node_id: id };
          emit("executed", { node: id, display_node: id, output: ui, prompt_id: pid });
        }
        continue;
      }
      if (run.interrupted) {
        emit("execution_interrupted", { prompt_id: pid, node_id: id, node_type: node.class_type, executed, timestamp: Date.now() }, true);
        finish("error", false);
        return;
      }
      run.node = id;
      emit("executing", { node: id, display_node: id, prompt_id: pid });
      const steps = samplerSteps.get(id);
      if (steps) {
        for (let s = 1; s <= steps; s++) {
          await work(perStep);
          if (!alive()) return;
          if (crashAt === id && s >= Math.ceil(steps / 2)) {
            this.hooks.crash();
            return;
          }
          if (run.interrupted) break;
          run.progress = { value: s, max: steps, node: id };
          emit("progress", { value: s, max: steps, prompt_id: pid, node: id });
        }
      } else {
        await work(perNode);
        if (!alive()) return;
        if (crashAt === id) {
          this.hooks.crash();
          return;
        }
      }
      if (run.interrupted) {
        emit("execution_interrupted", { prompt_id: pid, node_id: id, node_type: node.class_type, executed, timestamp: Date.now() }, true);
        finish("error", false);
        return;
      }
      let ui: Record<string, unknown> | null = null;
      let failure: { type: string; message: string } | null = null;
      if (failAt === id) failure = { type: "RuntimeError", message: "SANDBOX: injected execution failure (--fail-rate)" };
      else {
        try {
          ui = this.produceOutputs(item, id);
        } catch (e) {
          failure = { type: "Exception", message: (e as Error).message };
        }
      }
      if (failure) {
        emit(
          "execution_error",
          {
            prompt_id: pid,
            node_id: id,
            node_type: node.class_type,
            executed,
            exception_message: failure.message,
            exception_type: failure.type,
            traceback: [`  File "sandbox/execution.py", line 1, in execute\n`, `${failure.type}: ${failure.message}\n`],
            current_inputs: {},
            current_outputs: {},
            timestamp: Date.now(),
          },
          true,
        );
        finish("error", false);
        return;
      }
      this.cache.set(sigs.get(id)!, ui);
      executed.push(id);
      if (ui) {
        outputs[id] = ui;
        meta[id] = { node_id: id, display_node: id, parent_node: null, real_node_id: id };
        emit("executed", { node: id, display_node: id, output: ui, prompt_id: pid });
      }
    }
    emit("execution_success", { prompt_id: pid, timestamp: Date.now() }, true);
    emit("executing", { node: null, display_node: null, prompt_id: pid });
    finish("success", true);
  }

  /** Nodes the requested outputs depend on, in dependency order. */
  private plan(prompt: ApiPrompt, outputIds: string[]): string[] {
    const order: string[] = [];
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id) || !prompt[id]) return;
      seen.add(id);
      for (const v of Object.values(prompt[id].inputs ?? {})) if (LINK(v)) visit(v[0]);
      order.push(id);
    };
    for (const id of [...outputIds].sort()) visit(id);
    return order;
  }

  private signature(prompt: ApiPrompt, id: string, sigs: Map<string, string>): string {
    const node = prompt[id];
    const inputs = Object.fromEntries(
      Object.entries(node.inputs ?? {}).map(([k, v]) => [k, LINK(v) ? [`#${sigs.get(v[0]) ?? v[0]}`, v[1]] : v]),
    );
    return sha256(JSON.stringify([node.class_type, inputs]));
  }

  private samplerSteps(prompt: ApiPrompt, id: string): number | null {
    const node = prompt[id];
    const isSampler = /sampler/i.test(node.class_type) && !/select|scheduler/i.test(node.class_type);
    const steps = node.inputs?.steps;
    if (typeof steps === "number" && !/scheduler/i.test(node.class_type)) return Math.max(1, Math.min(steps, 1000));
    if (!isSampler) return null;
    const up = this.upstream(prompt, id).find((n) => typeof n.inputs?.steps === "number");
    return up ? Math.max(1, Math.min(up.inputs.steps as number, 1000)) : 20;
  }

  private upstream(prompt: ApiPrompt, id: string): ApiNode[] {
    const out: ApiNode[] = [];
    const seen = new Set<string>([id]);
    const queue = [id];
    while (queue.length) {
      const cur = prompt[queue.shift()!];
      for (const v of Object.values(cur?.inputs ?? {})) {
        if (LINK(v) && !seen.has(v[0]) && prompt[v[0]]) {
          seen.add(v[0]);
          out.push(prompt[v[0]]);
          queue.push(v[0]);
        }
      }
    }
    return out;
  }

  // ---- outputs ---------------------------------------------------------------------------------
  private context(item: QueueItem, id: string) {
    const up = this.upstream(item.prompt, id);
    const num = (k: string) => up.map((n) => n.inputs?.[k]).find((v) => typeof v === "number") as number | undefined;
    const seed = num("seed") ?? num("noise_seed") ?? 0;
    const texts = up.flatMap((n) => ["text", "text_g", "text_l", "prompt", "clip_l", "t5xxl"].map((k) => n.inputs?.[k]).filter((v) => typeof v === "string")) as string[];
    const { width, height } = clampSize(num("width"), num("height"));
    const batch = Math.max(1, Math.min(num("batch_size") ?? 1, 4));
    const frames = Math.max(2, Math.min(num("length") ?? num("frame_count") ?? 8, 12));
    return { seed, text: texts.join("\n"), width, height, batch, frames };
  }

  /** ComfyUI's get_save_image_path: prefix may carry a subfolder; escaping the output folder is refused. */
  private savePath(prefix: unknown, kind: "output" | "temp", ext: string): { filename: string; subfolder: string } {
    let p = typeof prefix === "string" && prefix ? prefix : "ComfyUI";
    if (kind === "temp") p = `ComfyUI_temp_${Math.floor(this.rng() * 36 ** 5).toString(36).padStart(5, "a")}`;
    const norm = path.posix.normalize(p.replace(/\\/g, "/"));
    if (norm.startsWith("../") || norm === ".." || path.posix.isAbsolute(norm)) {
      throw new Error(`**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: ${norm}`);
    }
    const subfolder = path.posix.dirname(norm) === "." ? "" : path.posix.dirname(norm);
    const base = path.posix.basename(norm);
    const key = `${kind}\u0000${subfolder}\u0000${base}`;
    const counter = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, counter);
    return { filename: `${base}_${String(counter).padStart(5, "0")}_.${ext}`, subfolder };
  }

  private store(type: string, subfolder: string, filename: string, data: Buffer) {
    if (type === "input") this.inputFilesVersion++;
    this.files.set(fileKey(type, subfolder, filename), { data, contentType: contentTypeFor(filename) });
  }

  /** Bumped whenever the input folder changes (so /object_info's LoadImage list can be cached). */
  inputFilesVersion = 0;

  /** The input folder's files as LoadImage names them: "name.png", "sub/name.png". */
  inputFiles(): string[] {
    const out: string[] = [];
    for (const key of this.files.keys()) {
      const [type, sub, file] = key.split("\u0000");
      if (type === "input") out.push(sub ? `${sub}/${file}` : file);
    }
    return out;
  }

  private produceOutputs(item: QueueItem, id: string): Record<string, unknown> | null {
    const node = item.prompt[id];
    const cls = node.class_type;
    const def = this.objectInfo[cls];
    if (!def?.output_node) return null;
    const ctx = this.context(item, id);
    const inputs = node.inputs ?? {};
    if (cls === "SaveImage" || cls === "PreviewImage" || (/image/i.test(cls) && /save|preview/i.test(cls) && !VIDEO_CLASSES.test(cls))) {
      const type = cls === "SaveImage" || /^save/i.test(cls) ? "output" : "temp";
      const images = [];
      const promptText = latin1Json(item.prompt);
      const workflow = (item.extraData.extra_pnginfo as any)?.workflow;
      for (let b = 0; b < ctx.batch; b++) {
        const { filename, subfolder } = this.savePath(inputs.filename_prefix, type, "png");
        const data = renderPng({
          width: ctx.width,
          height: ctx.height,
          seed: ctx.seed + b,
          text: ctx.text,
          textChunks: { prompt: promptText, ...(workflow ? { workflow: latin1Json(workflow) } : {}) },
        });
        this.store(type, subfolder, filename, data);
        images.push({ filename, subfolder, type });
      }
      return { images };
    }
    if (VIDEO_CLASSES.test(cls)) {
      const vhs = cls === "VHS_VideoCombine";
      const type = vhs && inputs.save_output === false ? "temp" : "output";
      const { filename, subfolder } = this.savePath(inputs.filename_prefix ?? "ComfyUI", type, "gif");
      const fps = typeof inputs.frame_rate === "number" ? inputs.frame_rate : typeof inputs.fps === "number" ? inputs.fps : 8;
      const size = clampSize(ctx.width, ctx.height, 160);
      this.store(type, subfolder, filename, renderGif({ ...size, seed: ctx.seed, text: ctx.text, frames: ctx.frames, fps }));
      if (vhs) return { gifs: [{ filename, subfolder, type, format: "image/gif", frame_rate: fps }] };
      return { images: [{ filename, subfolder, type }], animated: [true] };
    }
    if (AUDIO_CLASSES.test(cls)) {
      const type = cls === "PreviewAudio" ? "temp" : "output";
      const { filename, subfolder } = this.savePath(inputs.filename_prefix ?? "audio/ComfyUI", type, "wav");
      this.store(type, subfolder, filename, renderWav({ seed: ctx.seed }));
      return { audio: [{ filename, subfolder, type }] };
    }
    if (GLB_CLASSES.test(cls)) {
      const { filename, subfolder } = this.savePath(inputs.filename_prefix ?? "mesh/ComfyUI", "output", "glb");
      this.store("output", subfolder, filename, renderGlb({ seed: ctx.seed }));
      return { "3d": [{ filename, subfolder, type: "output" }] };
    }
    if (TEXT_CLASSES.test(cls)) {
      return { text: [this.textValue(item.prompt, id)] };
    }
    return null;
  }

  private textValue(prompt: ApiPrompt, id: string): string {
    for (const v of Object.values(prompt[id].inputs ?? {})) {
      if (typeof v === "string") return v;
      if (LINK(v)) {
        const src = prompt[v[0]];
        const lit = Object.values(src?.inputs ?? {}).filter((x) => typeof x === "string") as string[];
        if (lit.length) return lit.join("");
        return `sandbox text ${hash32(JSON.stringify(src)).toString(16)}`;
      }
    }
    return "sandbox text";
  }

  // ---- views for the HTTP layer ----------------------------------------------------------------
  queueView() {
    const row = (q: QueueItem) => [q.number, q.promptId, q.prompt, q.extraData, q.outputs];
    return {
      queue_running: this.running ? [row(this.running.item)] : [],
      queue_pending: this.pending.map(row),
    };
  }

  historyView(id?: string, maxItems?: number) {
    this.sweepHistory();
    const strip = (h: HistoryEntry) => ({ prompt: h.prompt, outputs: h.outputs, status: h.status, meta: h.meta });
    if (id !== undefined) {
      const h = this.history.get(id);
      return h ? { [id]: strip(h) } : {};
    }
    let entries = [...this.history.entries()];
    if (maxItems !== undefined) entries = entries.slice(-maxItems);
    return Object.fromEntries(entries.map(([k, h]) => [k, strip(h)]));
  }

  getFile(type: string, subfolder: string, filename: string): StoredFile | undefined {
    return this.files.get(fileKey(type, subfolder, filename));
  }

  putInputFile(subfolder: string, filename: string, data: Buffer, type = "input") {
    this.store(type, subfolder, filename, data);
  }

  /** An input file whose bytes are made on first read (stocked placeholders: rendering them all costs ~1 s). */
  putLazyInputFile(subfolder: string, filename: string, make: () => Buffer) {
    this.inputFilesVersion++;
    let data: Buffer | undefined;
    this.files.set(fileKey("input", subfolder, filename), {
      get data() {
        return (data ??= make());
      },
      contentType: contentTypeFor(filename),
    });
  }
}

export const fileKey = (type: string, subfolder: string, filename: string) => `${type}\u0000${subfolder}\u0000${filename}`;

/** tEXt chunks are Latin-1: escape everything else the way JSON allows. */
function latin1Json(v: unknown): string {
  return JSON.stringify(v).replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
