// The generated worker image installs exactly what the workflow needs, for every fixture: the
// Dockerfile is parsed back (shell words, single quotes) and compared with the requirements.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { unzipSync, strFromU8 } from "fflate";
import { bundledObjectInfo } from "@/lib/comfy-graph";
import { fixtureJson, FIXTURES } from "@/lib/comfy-graph/test-support/fixtures";
import { readManagerFile } from "../../tests/helpers/shared";
import { buildNodeIndex, type NodeIndex } from "./node-index";
import { collect, resolve, uniqueModels, type Requirements } from "./requirements";
import { buildRecipe, modelTarget, shq } from "./recipe";
import { zipRecipe } from "./recipe-zip";

const oi = bundledObjectInfo();
let cached: NodeIndex | undefined;
const index = () =>
  (cached ??= buildNodeIndex(
    { extensionNodeMap: readManagerFile("extension-node-map.json"), customNodeList: readManagerFile("custom-node-list.json"), githubStats: readManagerFile("github-stats.json"), modelList: readManagerFile("model-list.json") },
    { fetchedAt: "2026-08-19T00:00:00.000Z", source: "test" },
  ));
const requirements = (rel: string): Requirements => resolve(collect({ original: fixtureJson(rel) }, oi), { objectInfo: oi, index: index(), resolutions: { classes: new Map(), models: new Map() } });

/** sh words of a line (single and double quotes, $(…) kept as one word). */
function words(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let q: string | null = null;
  let any = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === q) q = null;
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      any = true;
    } else if (c === " ") {
      if (cur || any) out.push(cur);
      cur = "";
      any = false;
    } else cur += c;
  }
  if (cur || any) out.push(cur);
  return out;
}

function parseDockerfile(text: string) {
  const lines = text.split("\n");
  const from = lines.filter((l) => l.startsWith("FROM "));
  const packs: string[] = [];
  const models: string[] = [];
  for (const l of lines) {
    if (!l.startsWith("RUN ")) continue;
    const w = words(l.slice(4)).filter((x) => !x.startsWith("--mount="));
    if (w[0] === "comfy-node-install") packs.push(...w.slice(1));
    if (w[0] === "comfy" && w[1] === "model" && w[2] === "download") {
      const arg = (name: string) => w[w.indexOf(name) + 1]!;
      models.push(`${arg("--relative-path")}/${arg("--filename")} <- ${arg("--url")}`);
    }
  }
  return { from, packs, models };
}

const all = ["comfyui-examples/ui", "comfyui-examples/ui-only", "comfyui-examples/api", "subgraphs/ui", "community", "seed-scenarios"].flatMap((d) =>
  fs.readdirSync(`${FIXTURES}/${d}`).filter((f) => f.endsWith(".json")).map((f) => `${d}/${f}`),
);

describe("the Dockerfile installs exactly the required packs and models", () => {
  it.each(all)("%s", (rel) => {
    const req = requirements(rel);
    const recipe = buildRecipe(req, { workflowName: rel, version: 1 });
    const df = parseDockerfile(recipe.dockerfile);
    expect(df.from).toEqual(["FROM runpod/worker-comfyui:5.5.0-base"]);
    expect(df.packs.sort()).toEqual(req.packs.map((p) => p.install!).sort());
    const wanted = uniqueModels(req.models)
      .filter((m) => m.url && modelTarget(m))
      .map((m) => {
        const t = modelTarget(m)!;
        return `${t.dir}/${t.filename} <- ${m.url}`;
      });
    expect(df.models.sort()).toEqual(wanted.sort());
    // Whatever cannot be installed is named, not silently dropped.
    const missing = uniqueModels(req.models).filter((m) => !m.url || !modelTarget(m)).length + req.unknownClasses.length;
    expect(recipe.problems.length).toBe(missing);
    expect(Object.keys(recipe.files).sort()).toEqual([".github/workflows/build-worker.yml", "Dockerfile", "README.md", "extra_model_paths.yaml", "setup-network-volume.sh"]);
    expect(recipe.files["extra_model_paths.yaml"]).toMatch(/diffusion_models: models\/diffusion_models\/\n[\s\S]*text_encoders: models\/text_encoders\//);
  });

  it("Danrisi: RES4LYF, and its three models listed as needing a source", () => {
    const recipe = buildRecipe(requirements("seed-scenarios/z-image-danrisi.api.json"), { workflowName: "Z-Image Danrisi", version: 3 });
    expect(parseDockerfile(recipe.dockerfile).packs).toEqual(["res4lyf"]);
    expect(recipe.problems).toEqual([
      "Model diffusion_models/z_image_turbo_bf16.safetensors: no download source known — give a Hugging Face or Civitai URL in Flowgate",
      "Model text_encoders/qwen_3_4b.safetensors: no download source known — give a Hugging Face or Civitai URL in Flowgate",
      "Model vae/z-image-turbo-vae.safetensors: no download source known — give a Hugging Face or Civitai URL in Flowgate",
    ]);
    expect(recipe.image).toBe("docker.io/YOUR_DOCKERHUB_USER/flowgate-z-image-danrisi:v3");
  });

  it("Impact Pack: detector into models/ultralytics/bbox, SAM into models/sams, the folders added to extra_model_paths", () => {
    const recipe = buildRecipe(requirements("community/impact-face-detailer.json"), { workflowName: "faces", version: 1 });
    const df = parseDockerfile(recipe.dockerfile);
    expect(df.packs.sort()).toEqual(["comfyui-impact-pack", "comfyui-impact-subpack"]);
    expect(df.models).toContain("models/ultralytics/bbox/face_yolov8m.pt <- https://huggingface.co/Bingsu/adetailer/resolve/main/face_yolov8m.pt");
    expect(recipe.files["extra_model_paths.yaml"]).toMatch(/ultralytics: models\/ultralytics\/\n\s+sams: models\/sams\//);
    expect(recipe.files["setup-network-volume.sh"]).toContain("get_model 'https://dl.fbaipublicfiles.com/segment_anything/sam_vit_b_01ec64.pth' 'models/sams' 'sam_vit_b_01ec64.pth'");
  });

  it("gated downloads use a build secret, never a token in the file", () => {
    const req = requirements("seed-scenarios/z-image-danrisi.api.json");
    req.models[0] = { ...req.models[0]!, url: "https://huggingface.co/black-forest-labs/FLUX.1-dev/resolve/main/flux1-dev.safetensors", source: "user", token: "HF_TOKEN" };
    const recipe = buildRecipe(req, { workflowName: "x", version: 1 });
    expect(recipe.dockerfile).toContain(`RUN --mount=type=secret,id=HF_TOKEN comfy model download --url 'https://huggingface.co/black-forest-labs/FLUX.1-dev/resolve/main/flux1-dev.safetensors' --relative-path 'models/diffusion_models' --filename 'z_image_turbo_bf16.safetensors' --set-hf-api-token "$(cat /run/secrets/HF_TOKEN)"`);
    expect(recipe.files[".github/workflows/build-worker.yml"]).toContain("HF_TOKEN=${{ secrets.HF_TOKEN }}");
  });

  it("hostile names cannot break out of the Dockerfile or the script", () => {
    const req = requirements("seed-scenarios/z-image-danrisi.api.json");
    req.models = [
      { nodeId: "1", input: "x", name: "a'; rm -rf / #.safetensors", folder: "loras", url: "https://huggingface.co/a/b/resolve/main/a.safetensors", source: "user" },
      { nodeId: "2", input: "x", name: "../../etc/passwd.safetensors", folder: "loras", url: "https://huggingface.co/a/b/resolve/main/b.safetensors", source: "user" },
      { nodeId: "3", input: "x", name: "ok.safetensors", folder: "loras\nRUN evil", url: "https://huggingface.co/a/b/resolve/main/c.safetensors", source: "user" },
    ];
    req.packs = [{ repository: "https://github.com/a/b", title: "x\nRUN evil", classes: ["X"], source: "user", install: "https://github.com/a/b" }];
    const recipe = buildRecipe(req, { workflowName: "evil\nRUN curl x", version: 1 });
    expect(recipe.dockerfile.split("\n").filter((l) => l.startsWith("RUN ")).map((l) => words(l)[1])).toEqual(["comfy-node-install"]);
    expect(recipe.problems).toHaveLength(3);
    expect(shq("it's")).toBe(`'it'\\''s'`);
  });

  it("zips the same files", () => {
    const recipe = buildRecipe(requirements("community/vhs-animatediff.json"), { workflowName: "vhs", version: 2 });
    const files = unzipSync(zipRecipe(recipe, "flowgate-vhs-v2"));
    expect(Object.keys(files).sort()).toEqual(Object.keys(recipe.files).map((f) => `flowgate-vhs-v2/${f}`).sort());
    expect(strFromU8(files["flowgate-vhs-v2/Dockerfile"]!)).toBe(recipe.dockerfile);
  });
});
