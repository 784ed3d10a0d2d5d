import type { Metadata } from "next";
import { EndpointView } from "@/components/endpoints/EndpointView";

export const metadata: Metadata = { title: "Endpoint" };

export default async function EndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EndpointView id={id} />;
}
