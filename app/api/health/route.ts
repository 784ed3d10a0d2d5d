// GET /api/health – liveness of the app, its database and its job queue (no auth).
import { NextResponse } from "next/server";
import { checkHealth } from "@/lib/health/check-health";

export const dynamic = "force-dynamic";

export async function GET() {
  const body = await checkHealth();
  return NextResponse.json(body, { status: body.status === "ok" ? 200 : 503 });
}
