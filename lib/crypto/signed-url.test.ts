import { describe, expect, it } from "vitest";
import { signLink, verifyLink } from "./signed-url";

describe("signed links", () => {
  const exp = Math.floor(Date.now() / 1000) + 60;
  it("accepts the signature it made, until the expiry", () => {
    const sig = signLink("run-output:run_1/out_1", exp);
    expect(verifyLink("run-output:run_1/out_1", exp, sig)).toEqual({ ok: true });
    expect(verifyLink("run-output:run_1/out_1", exp, sig, (exp + 1) * 1000)).toEqual({ ok: false, reason: "link_expired" });
  });
  it("refuses another subject, another expiry, a changed or missing signature — before saying whether it expired", () => {
    const sig = signLink("run-output:run_1/out_1", exp);
    expect(verifyLink("run-output:run_1/out_2", exp, sig)).toEqual({ ok: false, reason: "signature_invalid" });
    expect(verifyLink("run-output:run_1/out_1", exp + 1, sig)).toEqual({ ok: false, reason: "signature_invalid" });
    const changed = sig.slice(0, -1) + (sig.endsWith("A") ? "B" : "A");
    expect(verifyLink("run-output:run_1/out_1", exp, changed)).toEqual({ ok: false, reason: "signature_invalid" });
    expect(verifyLink("run-output:run_1/out_1", exp, null)).toEqual({ ok: false, reason: "signature_invalid" });
    expect(verifyLink("run-output:run_1/out_1", Number.NaN, sig)).toEqual({ ok: false, reason: "signature_invalid" });
    expect(verifyLink("run-output:run_1/out_1", exp, sig, (exp + 10) * 1000)).toEqual({ ok: false, reason: "link_expired" });
    const old = exp - 120;
    expect(verifyLink("run-output:run_1/out_1", old, "forged")).toEqual({ ok: false, reason: "signature_invalid" });
  });
});
