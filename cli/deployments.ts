// `flowgate deployments [--json]`: the server's deployments with their slots.
import { parseArgs } from "node:util";
import { client, guarded, table } from "./http";

export async function main(argv: string[]): Promise<number> {
  return guarded(async () => {
    const { values } = parseArgs({ args: argv, options: { json: { type: "boolean", default: false }, limit: { type: "string", default: "100" } }, strict: true });
    const api = client("deployments");
    const page = await api.json<{ items: Array<{ slug: string; name: string; status: string; workflowVersion: number | null; slots: Array<{ name: string; type: string; required?: boolean }> }> }>(
      "GET",
      `/api/v1/deployments?limit=${encodeURIComponent(values.limit!)}`,
    );
    if (values.json) {
      process.stdout.write(JSON.stringify(page.items, null, 2) + "\n");
      return 0;
    }
    if (!page.items.length) {
      process.stderr.write("No deployments yet.\n");
      return 0;
    }
    const rows = [["SLUG", "NAME", "STATUS", "VERSION", "SLOTS"]];
    for (const d of page.items) rows.push([d.slug, d.name, d.status, d.workflowVersion ? `v${d.workflowVersion}` : "-", d.slots.map((s) => `${s.name}:${s.type}${s.required ? "*" : ""}`).join(" ")]);
    process.stdout.write(table(rows));
    return 0;
  });
}
