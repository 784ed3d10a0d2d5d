import type { Metadata } from "next";
import { DeploymentView } from "@/components/deployments/DeploymentView";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  return { title: slug };
}

export default async function DeploymentPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <DeploymentView slug={slug} />;
}
