// Spawns the real launcher (bin/flowgate.mjs → tsx → cli/index.ts), as a user would run it.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, ROOT } from "./test-support/fixtures";
import { managerIndexDir } from "../../tests/helpers/shared";

const OI = path.join(ROOT, "lib/comfy-graph/data/object_info.json");

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

  it("analyze lists packs, models and unknown classes of UI workflows it cannot convert (exit 0)", () => {
    const index = managerIndexDir();
    const human = flowgate("analyze", path.join(FIXTURES, "community/impact-face-detailer.json"), "--node-index", index);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/ComfyUI Impact Pack  https:\/\/github.com\/ltdrdata\/ComfyUI-Impact-Pack  \[index\]  ← FaceDetailer, SAMLoader/);
    expect(human.stdout).toMatch(/sams\/sam_vit_b_01ec64.pth  https:\/\/dl.fbaipublicfiles.com\//);
    const json = flowgate("analyze", path.join(FIXTURES, "community/unknown-classes.json"), "--json", "--node-index", index);
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.convertible).toBe(false);
    expect(r.requirements.unknownClasses.map((u: { classType: string }) => u.classType)).toEqual(["Acme Frobnicator", "Qux Secret Saver", "ZetaUpscaler_XL"]);
    const danrisi = JSON.parse(flowgate("analyze", path.join(FIXTURES, "seed-scenarios/z-image-danrisi.api.json"), "--json", "--node-index", index).stdout);
    expect(danrisi.requirements.packs.map((p: { title: string }) => p.title)).toEqual(["RES4LYF"]);
  });

  it("recipe prints a Dockerfile installing the packs and models", () => {
    const r = flowgate("recipe", path.join(FIXTURES, "community/impact-face-detailer.json"), "--node-index", managerIndexDir());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^FROM runpod\/worker-comfyui:/m);
    expect(r.stdout).toMatch(/^RUN comfy-node-install 'comfyui-impact-pack' 'comfyui-impact-subpack'$/m);
    expect(r.stdout).toContain("--relative-path 'models/sams' --filename 'sam_vit_b_01ec64.pth'");
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
