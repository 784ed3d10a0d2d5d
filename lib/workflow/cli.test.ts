// Spawns the real launcher (bin/flowgate.mjs → tsx → cli/index.ts), as a user would run it.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, ROOT } from "./test-support/fixtures";

const OI = path.join(ROOT, "lib/workflow/data/object_info.json");

function flowgate(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin/flowgate.mjs"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("flowgate CLI", () => {
  it("analyze prints a summary, --json the Analysis object", () => {
    const human = flowgate("analyze", path.join(FIXTURES, "comfyui-examples/ui/lora__lora.json"));
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/UI format/);
    expect(human.stdout).toMatch(/loras\/epiNoiseoffset_v2.safetensors/);
    const json = flowgate("analyze", path.join(FIXTURES, "seed-scenarios/z-image-danrisi.api.json"), "--json", "--object-info", OI);
    expect(json.code).toBe(0);
    const a = JSON.parse(json.stdout);
    expect(a.format).toBe("api");
    expect(a.customNodes.map((c: { classType: string }) => c.classType)).toContain("ClownsharKSampler_Beta");
  });

  it("convert prints the API prompt of a PNG", () => {
    const r = flowgate("convert", path.join(FIXTURES, "comfyui-examples/png/lora.png"));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)["3"].class_type).toBe("KSampler");
  });

  it("validate exits 1 with ComfyUI-style errors, 0 with ok", () => {
    const bad = flowgate("validate", path.join(FIXTURES, "comfyui-examples/api/lora__lora.json"), "--object-info", OI);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/value_not_in_list: Value not in list: ckpt_name: 'v1-5-pruned-emaonly.ckpt' not in/);
    const ok = flowgate("validate", path.join(FIXTURES, "comfyui-examples/api/lora__lora.json"), "--object-info", OI, "--lenient");
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe("ok");
  });

  it("reports bad files and unknown commands", () => {
    expect(flowgate("analyze", "/nonexistent.json").code).toBe(1);
    const notJson = flowgate("convert", path.join(ROOT, "package-lock.json").replace("package-lock.json", "tsconfig.json"));
    expect([0, 1]).toContain(notJson.code);
    const u = flowgate("frobnicate");
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/usage: flowgate/);
    expect(flowgate("validate", "x.json").code).toBe(2);
  });
});
