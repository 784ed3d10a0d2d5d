import { withApi, json } from "@/lib/api/with-api";
import { getRun } from "@/lib/runs/get-run";

// GET /api/v1/runs/{id} – the Run
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ params }) => json(await getRun(params.id)));
