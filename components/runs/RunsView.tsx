"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useDeployments, useRuns } from "../queries";
import { Card, EmptyState, PageHeader, QueryView, Select } from "../ui";
import { RunsTable } from "./RunsTable";

const STATUSES = ["queued", "dispatching", "submitted", "running", "succeeded", "failed", "canceled", "timed_out"];

export function RunsView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const deployment = params.get("deployment") ?? "";
  const status = params.get("status") ?? "";
  const runs = useRuns({ deployment: deployment || undefined, status: status || undefined }, { refetchInterval: 5_000 });
  const deployments = useDeployments();
  const setParam = (k: string, v: string) => {
    const p = new URLSearchParams(params.toString());
    if (v) p.set(k, v);
    else p.delete(k);
    router.replace(`${pathname}${p.size ? `?${p}` : ""}`);
  };
  return (
    <>
      <PageHeader
        title="Runs"
        description="Every execution of every deployment, newest first. Refreshes every few seconds."
        actions={
          <>
            <Select aria-label="Deployment" value={deployment} onChange={(e) => setParam("deployment", e.target.value)} className="w-48">
              <option value="">All deployments</option>
              {(deployments.data?.items ?? []).map((d) => (
                <option key={d.id} value={d.slug}>
                  {d.name}
                </option>
              ))}
            </Select>
            <Select aria-label="Status" value={status} onChange={(e) => setParam("status", e.target.value)} className="w-40">
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replace("_", " ")}
                </option>
              ))}
            </Select>
          </>
        }
      />
      <Card>
        <QueryView
          query={runs}
          errorTitle="Could not load runs"
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState
              title={deployment || status ? "No runs match these filters" : "No runs yet"}
              description={deployment || status ? "Clear a filter to see more." : "Start one from a deployment's page or through the API."}
            />
          }
        >
          {(data) => (
            <RunsTable runs={data.items} />
          )}
        </QueryView>
      </Card>
    </>
  );
}
