/** A deployment's workflow version number, whether the API sent the number or the version object. */
export function versionNumberOf(v: unknown): number | string {
  if (typeof v === "number") return v;
  if (v && typeof v === "object" && "number" in v) return (v as { number: number }).number;
  return "?";
}
