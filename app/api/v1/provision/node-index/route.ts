import { withApi, json } from "@/lib/api/with-api";
import { nodeIndexStatus } from "@/lib/provision/refresh-node-index";

// GET /api/v1/provision/node-index – the node index's source and date; POST refetches it (admin)
export const GET = withApi({ permission: "read" }, async ({ ctx }) => json(await nodeIndexStatus({ ctx, input: {} })));
export const POST = withApi({ permission: "admin" }, async ({ ctx }) => json(await nodeIndexStatus({ ctx, input: { refresh: true } })));
