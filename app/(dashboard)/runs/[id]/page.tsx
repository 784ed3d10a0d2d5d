import type { Metadata } from "next";
import { RunView } from "@/components/runs/RunView";
import { shortId } from "@/components/format";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Run ${shortId((await params).id)}` };
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RunView id={id} />;
}
