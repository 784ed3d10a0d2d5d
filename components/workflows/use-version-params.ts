"use client";
// Which version a workflow page shows (`?v=`, default the latest) and which earlier one it is
// compared with (`?against=`, default the one just before), kept in the URL.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import type { WorkflowVersion } from "../api";

export function useVersionParams(all: WorkflowVersion[] | undefined) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const versions = useMemo(() => [...(all ?? [])].sort((a, b) => b.number - a.number), [all]);
  const requested = Number(params.get("v"));
  const number = versions.some((v) => v.number === requested) ? requested : versions[0]?.number;
  const earlier = versions.filter((x) => number !== undefined && x.number < number).map((x) => x.number);
  const requestedAgainst = Number(params.get("against"));
  const against = earlier.includes(requestedAgainst) ? requestedAgainst : earlier[0];

  const replace = (edit: (p: URLSearchParams) => void) => {
    const p = new URLSearchParams(params.toString());
    edit(p);
    router.replace(`${pathname}?${p.toString()}`, { scroll: false });
  };
  /** Show version `n` (compared with the one before it). */
  const selectVersion = (n: number) =>
    replace((p) => {
      p.set("v", String(n));
      p.delete("against");
    });
  const setAgainst = (n: number | null) => replace((p) => (n === null ? p.delete("against") : p.set("against", String(n))));
  return { versions, number, earlier, against, selectVersion, setAgainst };
}
