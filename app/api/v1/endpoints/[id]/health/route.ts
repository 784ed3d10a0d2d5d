import { withApi, json } from "@/lib/api/with-api";
import { endpointHealthFor } from "@/lib/endpoints/health";

// GET /api/v1/endpoints/{id}/health – "Test connection": operators (oncall, engineer, admin) check the
// endpoint now; a viewer gets the last stored check (a read never calls out or writes). `?fresh=0`
// asks for the stored check whoever asks. The answer's `fresh` says which it is.
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ req, actor, params }) => {
  const fresh = new URL(req.url).searchParams.get("fresh");
  return json(await endpointHealthFor(actor, params.id, { fresh: fresh === null ? undefined : !/^(0|false|no)$/i.test(fresh) }));
});
