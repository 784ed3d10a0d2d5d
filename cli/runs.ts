// `flowgate runs [--status S] [--deployment SLUG] [--limit N] [--json]`: recent runs, newest first.
import { parseArgs } from "node:util";
import { client, guarded, table } from "./http";

export async function main(argv: string[]): Promise<number> {
  return guarded(async () => {
    const { values } = parseArgs({
      args: argv,
      options: { status: { type: "string" }, deployment: { type: "string" }, limit: { type: "string", default: "20" }, json: { type: "boolean", default: false } },
      strict: true,
    });
    const q = new URLSearchParams({ limit: values.limit! });
    if (values.status) q.set("status", values.status);
    if (values.deployment) q.set("deployment", values.deployment);
    const page = await client("runs").json<{ items: Array<{ id: string; deploymentSlug: string; status: string; createdAt: string; timings?: { totalMs?: number | null } | null; costUsd?: number | null; error?: { code: string } | null }> }>(
      "GET",
      `/api/v1/runs?${q}`,
    );
    if (values.json) {
      process.stdout.write(JSON.stringify(page.items, null, 2) + "\n");
      return 0;
    }
    const rows = [["RUN", "DEPLOYMENT", "STATUS", "CREATED", "TOTAL", "ERROR"]];
    for (const r of page.items) {
      const total = r.timings?.totalMs != null ? `${(r.timings.totalMs / 1000).toFixed(1)}s` : "-";
      rows.push([r.id, r.deploymentSlug, r.status, r.createdAt.replace("T", " ").slice(0, 19), total, r.error?.code ?? ""]);
    }
    process.stdout.write(table(rows));
    return 0;
  });
}
