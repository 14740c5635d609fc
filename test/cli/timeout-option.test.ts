/** `--timeout DURATION` on verify and simulate: Go durations, usage errors for anything else. */
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

describe("--timeout", () => {
  it("refuses what is not a positive Go duration (exit 2)", async () => {
    for (const bad of ["30", "-1s", "0s", "soon", "1x"]) {
      const v = await runCli(["verify", "--policy", "examples/laptop.trust", "--timeout", bad, "docker://example.com/a:1"]);
      expect(v.code, bad).toBe(2);
      expect(v.stderr).toContain(`invalid --timeout '${bad}': expected a positive duration such as 30s, 2m or 1m30s`);
    }
  });
  it("simulate takes it only with --online or --lookaside", async () => {
    const r = await runCli(["simulate", "--policy", "examples/laptop.trust", "--timeout", "10s", "docker://example.com/a:1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--timeout needs --online or --lookaside");
  });
});
