// The Deploy sheet and the slot editor check slugs and slot names with the server's own schemas, so
// what the dashboard lets through is what POST /api/v1/deployments accepts, and what it flags the
// server refuses (400 validation_failed).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deployFormProblem, slotNameProblem } from "@/components/workflows/deploy-checks";
import { CreateDeploymentInput } from "@/lib/deployments/schemas";
import { slugFieldValue, slugify } from "@/lib/deployments/slug";

const ROOT = path.resolve(import.meta.dirname, "../..");
const base = { name: "Fox", workflowVersionId: "wfv_1", targets: [{ endpointId: "ep_1" }] };
const serverAcceptsSlug = (slug: string) => CreateDeploymentInput.safeParse({ ...base, slug }).success;
const serverAcceptsSlot = (name: string) => CreateDeploymentInput.safeParse({ ...base, slots: [{ name, nodeId: "6", input: "text", type: "string" }] }).success;
const clientAcceptsSlug = (slug: string) => deployFormProblem({ name: "Fox", slug, targets: ["ep_1"], slotNames: [] }) === null;
const clientAcceptsSlot = (name: string) =>
  deployFormProblem({ name: "Fox", slug: "", targets: ["ep_1"], slotNames: [name] }) === null && slotNameProblem(name, new Set()) === null;

const SLUGS = ["fox", "sdxl-turbo-v2", "0day", "a", "x".repeat(63), "x".repeat(64), "-fox", "Fox", "fox_1", "fox.v2", "fox bar", "café", "fox-"];
const SLOT_NAMES = ["prompt", "_seed", "cfg2", "Steps", "a".repeat(64), "a".repeat(65), "2steps", "neg-prompt", "with space", "ünï", "", "x.y"];

describe("dashboard form checks = the server's schemas", () => {
  it("slugs: the Deploy sheet accepts exactly what the server accepts", () => {
    const disagree = SLUGS.filter((s) => clientAcceptsSlug(s) !== serverAcceptsSlug(s));
    expect(disagree).toEqual([]);
    // the samples cover both answers
    expect(SLUGS.filter(serverAcceptsSlug)).toEqual(["fox", "sdxl-turbo-v2", "0day", "a", "x".repeat(63), "fox-"]);
  });

  it("slot names: the Deploy sheet and the slot editor accept exactly what the server accepts", () => {
    const disagree = SLOT_NAMES.filter((n) => clientAcceptsSlot(n) !== serverAcceptsSlot(n));
    expect(disagree).toEqual([]);
    expect(SLOT_NAMES.filter(serverAcceptsSlot)).toEqual(["prompt", "_seed", "cfg2", "Steps", "a".repeat(64)]);
  });

  it("a derived slug and whatever the slug field keeps of typed text are slugs the server takes (or flags)", () => {
    for (const name of ["Café au lait!", "  SDXL  Turbo // v2 ", "!!!", "x".repeat(80)]) expect(serverAcceptsSlug(slugify(name))).toBe(true);
    for (const typed of ["My Fox", "fox.v2", "-lead"]) expect(clientAcceptsSlug(slugFieldValue(typed))).toBe(serverAcceptsSlug(slugFieldValue(typed)));
  });

  it("the components carry no hand-written copy of the rules", () => {
    for (const file of ["components/graph/SlotPanel.tsx", "components/workflows/use-deploy-form.ts", "components/workflows/DeployDialog.tsx", "components/workflows/deploy-checks.ts"]) {
      const src = fs.readFileSync(path.join(ROOT, file), "utf8");
      expect(src, file).not.toMatch(/\[A-Za-z_\]\[A-Za-z0-9_\]|\^\[a-z0-9\]/);
    }
  });

  it("the schemas the dashboard imports are browser-safe (zod and the slug module only)", () => {
    const src = fs.readFileSync(path.join(ROOT, "lib/deployments/schemas.ts"), "utf8");
    const imports = [...src.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(imports.sort()).toEqual(["./slug", "zod"]);
  });
});
