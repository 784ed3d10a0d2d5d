// Deployment slugs, once for the server and the dashboard (pure: no server imports).
// The rule: lower-case; every run of characters other than a–z and 0–9 becomes one "-" (accented
// letters are not transliterated: "Café" → "caf"); no leading or trailing "-"; at most 50
// characters; "deployment" when nothing is left. A slug given explicitly must match SLUG_PATTERN.
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const SLUG_MAX_DERIVED = 50;

/** What the slug field keeps of typed text: lower case, and "-" for anything outside a–z, 0–9 and "-". */
export function slugFieldValue(typed: string): string {
  return typed.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, SLUG_MAX_DERIVED) || "deployment";
}
