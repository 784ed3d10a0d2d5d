// The Deploy sheet's checks before sending, with the server's own schemas (lib/deployments/schemas.ts):
// a form the dashboard lets through is one the server's rules for slugs and slot names accept too.
import { accepts, DeploymentSlug, SlotName } from "@/lib/deployments/schemas";

/** The first problem with the form, in words for the sheet; null when it can be sent. */
export function deployFormProblem(form: { name: string; slug: string; targets: string[]; slotNames: string[] }): string | null {
  if (!form.name.trim()) return "Give the deployment a name.";
  if (form.slug && !accepts(DeploymentSlug, form.slug)) return "The slug must start with a letter or digit and use only lowercase letters, digits and dashes (at most 63).";
  if (!form.targets.length) return "Pick at least one endpoint to run on.";
  const names = form.slotNames;
  const dupName = names.find((n, i) => names.indexOf(n) !== i);
  if (dupName) return `Two parameters are named “${dupName}”. Rename one.`;
  const badName = names.find((n) => !accepts(SlotName, n));
  if (badName !== undefined) return `“${badName}” is not a valid parameter name (letters, digits, underscores; at most 64).`;
  return null;
}

/** A slot name's problem for the slot editor, or null. */
export function slotNameProblem(name: string, taken: Set<string>): string | null {
  if (!accepts(SlotName, name)) return "Use letters, digits and underscores (at most 64); start with a letter or _.";
  return taken.has(name) ? "Another parameter already has this name." : null;
}
