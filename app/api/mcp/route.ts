import { handleMcpPost, methodNotAllowed } from "@/lib/mcp/http";

// POST /api/mcp – Model Context Protocol (Streamable HTTP, stateless), bearer API keys
export const POST = (req: Request) => handleMcpPost(req);

// GET, DELETE /api/mcp – 405: no sessions, no server-initiated stream
export const GET = () => methodNotAllowed();
export const DELETE = () => methodNotAllowed();
