"use client";
import Link from "next/link";
import { useState } from "react";
import { useWorkflows } from "../queries";
import { formatRelative } from "../format";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  PageHeader,
  QueryView,
  Table,
  TBody,
  TD,
  TH,
  THead,
  TR,
} from "../ui";
import { UploadWorkflow } from "./UploadWorkflow";
import { latestVersion, versionCount } from "./summary";

export function WorkflowsView() {
  const workflows = useWorkflows();
  const [showUpload, setShowUpload] = useState(false);
  const items = workflows.data?.items ?? [];
  const uploadOpen = showUpload || (workflows.isSuccess && items.length === 0);

  return (
    <>
      <PageHeader
        title="Workflows"
        description="Exported ComfyUI workflows. Each upload of changed content becomes a new immutable version."
        actions={
          <Button variant="primary" onClick={() => setShowUpload((v) => !v)}>
            {showUpload ? "Close" : "Upload workflow"}
          </Button>
        }
      />
      {uploadOpen && (
        <div className="mb-6">
          <UploadWorkflow onCancel={items.length ? () => setShowUpload(false) : undefined} />
        </div>
      )}
      <Card>
        <QueryView
          query={workflows}
          errorTitle="Could not load workflows"
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState
              title="No workflows yet"
              description="Upload a workflow exported from ComfyUI (API or regular .json, or a PNG/WebP with the workflow embedded)."
            />
          }
        >
          {(data) => (
            <Table>
              <THead>
                <tr>
                  <TH>Name</TH>
                  <TH>Versions</TH>
                  <TH>Nodes</TH>
                  <TH>Format</TH>
                  <TH className="text-right">Updated</TH>
                </tr>
              </THead>
              <TBody>
                {items.map((w) => {
                  const v = latestVersion(w);
                  return (
                    <TR key={w.id}>
                      <TD className="font-medium text-zinc-900">
                        <Link href={`/workflows/${w.id}`} className="hover:underline">
                          {w.name}
                        </Link>
                      </TD>
                      <TD>
                        {versionCount(w) !== undefined ? (
                          <span className="tabular-nums">
                            {versionCount(w)} {versionCount(w) === 1 ? "version" : "versions"}
                          </span>
                        ) : (
                          "—"
                        )}
                      </TD>
                      <TD className="tabular-nums">{v?.nodeCount ?? "—"}</TD>
                      <TD>{v?.format ? <Badge>{v.format === "ui" ? "UI" : "API"}</Badge> : "—"}</TD>
                      <TD className="text-right text-zinc-500">{formatRelative(w.updatedAt ?? w.createdAt)}</TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          )}
        </QueryView>
      </Card>
    </>
  );
}
