"use client";
// TanStack Query hooks for /api/v1/keys; the types are the server's zod schemas (lib/keys/schemas.ts).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api";
import type { ApiKey, ApiKeyList, CreatedApiKey } from "@/lib/keys/schemas";
import type { CreateApiKeyInput } from "@/lib/keys/create-api-key.types";

export type { ApiKey, CreatedApiKey };
export const apiKeysKey = ["apiKeys"] as const;

export function useApiKeys() {
  return useQuery({ queryKey: apiKeysKey, queryFn: () => api<ApiKeyList>("/api/v1/keys?limit=500") });
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateApiKeyInput) => api<CreatedApiKey>("/api/v1/keys", { method: "POST", json: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ApiKey>(`/api/v1/keys/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: apiKeysKey }),
  });
}
