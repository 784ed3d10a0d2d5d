import { llmsTxt } from "@/lib/deployments/llms-txt";

// GET /llms.txt – the agent guide (public: it holds no data, only how to use this Flowgate)
export function GET(req: Request): Response {
  return new Response(llmsTxt(new URL(req.url).origin), {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff" },
  });
}
