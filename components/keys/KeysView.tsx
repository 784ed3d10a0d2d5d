"use client";
// API keys: name, scopes, deployments a run key may run, created, expiry, last use (time and address),
// status. Create (the key shown once) and revoke (confirmed). Admins see every key; others their own.
import { useState } from "react";
import type { Role } from "../api";
import { formatRelative } from "../format";
import { Badge, Button, Card, ConfirmDialog, EmptyState, ErrorCallout, PageHeader, QueryView, Table, TBody, TD, TH, THead, TR } from "../ui";
import { CreateKeyDialog } from "./CreateKeyDialog";
import { useApiKeys, useRevokeApiKey, type ApiKey } from "./queries";

const STATUS_TONE = { active: "green", expired: "amber", revoked: "neutral" } as const;

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" }) : "Never");

export function KeysView({ role }: { role: Role }) {
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          role === "admin"
            ? "Keys for scripts, the CLI and AI agents (MCP). Each has scopes, may be limited to deployments, and can expire. You see every key."
            : "Your keys for scripts, the CLI and AI agents (MCP). A key can have at most your role's permissions."
        }
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create key
          </Button>
        }
      />
      {revoke.error && <ErrorCallout className="mb-4" error={revoke.error} />}
      <Card>
        <QueryView
          query={keys}
          errorTitle="Could not load API keys"
          isEmpty={(data) => data.items.length === 0}
          empty={<EmptyState title="No API keys yet" description="Create a key to call Flowgate from a script, the CLI or an agent." action={<Button variant="primary" onClick={() => setCreating(true)}>Create key</Button>} />}
        >
          {(data) => (
            <Table>
              <THead>
                <tr>
                  <TH>Name</TH>
                  <TH>Scopes</TH>
                  <TH>Deployments</TH>
                  <TH>Created</TH>
                  <TH>Expires</TH>
                  <TH>Last used</TH>
                  <TH>Status</TH>
                  <TH className="text-right">
                    <span className="sr-only">Actions</span>
                  </TH>
                </tr>
              </THead>
              <TBody>
                {data.items.map((k) => (
                  <TR key={k.id} data-testid={`key-row-${k.id}`}>
                    <TD>
                      <div className="font-medium text-zinc-900">{k.name}</div>
                      <div className="font-mono text-[11px] text-zinc-400">
                        fg_{k.prefix}_…{k.owner ? ` · ${k.owner.email}` : ""}
                      </div>
                    </TD>
                    <TD>
                      <div className="flex flex-wrap gap-1">
                        {k.scopes.map((s) => (
                          <Badge key={s} tone={s === "admin" ? "violet" : s === "read" ? "neutral" : "indigo"}>
                            {s}
                          </Badge>
                        ))}
                      </div>
                    </TD>
                    <TD className="text-xs text-zinc-600">{k.deployments.length ? k.deployments.map((d) => <code key={d} className="mr-1 font-mono">{d}</code>) : <span className="text-zinc-400">all</span>}</TD>
                    <TD className="whitespace-nowrap text-xs text-zinc-600">{day(k.createdAt)}</TD>
                    <TD className="whitespace-nowrap text-xs text-zinc-600">{day(k.expiresAt)}</TD>
                    <TD className="whitespace-nowrap text-xs text-zinc-600">
                      {k.lastUsedAt ? (
                        <>
                          {formatRelative(k.lastUsedAt)}
                          {k.lastUsedIp && <div className="font-mono text-[11px] text-zinc-400">{k.lastUsedIp}</div>}
                        </>
                      ) : (
                        <span className="text-zinc-400">Never</span>
                      )}
                    </TD>
                    <TD>
                      <Badge tone={STATUS_TONE[k.status]} dot>
                        {k.status}
                      </Badge>
                    </TD>
                    <TD className="text-right">
                      {k.status !== "revoked" && (
                        <Button size="sm" variant="ghost" onClick={() => setRevoking(k)}>
                          Revoke
                        </Button>
                      )}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </QueryView>
      </Card>
      {creating && <CreateKeyDialog role={role} onClose={() => setCreating(false)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke key"
          pending={revoke.isPending}
          onCancel={() => setRevoking(null)}
          onConfirm={() => revoke.mutate(revoking.id, { onSettled: () => setRevoking(null) })}
        >
          <p>Every request with this key gets 401 from now on (scripts, the CLI, agents). This cannot be undone; create a new key to replace it.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
