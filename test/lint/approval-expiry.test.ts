import { describe, expect, it } from "vitest";
import { approvalExpiry } from "../../src/lint/rules/approval-expiry.js";
import { lintTrust } from "./helpers.js";
import { runCli } from "../cli/helpers.js";

const D = "sha256:" + "7".repeat(64);
const SRC = (until: string) => `default reject\napprove "docker.io/library/nginx@${D}" because "OPS-101" by "alice" until ${until}\n`;
const at = (iso: string) => ({ now: new Date(iso) });

describe("approval-expiry (IT4030)", () => {
  it.each([
    ["2027-03-01", "2026-12-06T00:00:00Z", []],
    ["2027-03-01", "2027-02-01T00:00:00Z", ["IT4030 warning 29 day(s) left"]],
    ["2027-03-01", "2027-03-01T23:59:59Z", ["IT4030 warning 1 day(s) left"]],
    ["2027-03-01", "2027-03-02T00:00:00Z", ["IT4030 error ended"]],
  ] as const)("until %s judged at %s", (until, now, want) => {
    const { ds, shown } = lintTrust(SRC(until), [approvalExpiry], at(now));
    expect(ds.map((d) => `${d.code} ${d.severity} ${/(\d+ day\(s\) left|ended)/.exec(d.message)?.[1]}`)).toEqual(want);
    for (const s of shown) expect(s).toBe(`IT4030@"docker.io/library/nginx@${D}"`);
  });

  it("the window is configurable; without a clock nothing is judged; approvals without a date are left alone", () => {
    expect(lintTrust(SRC("2027-03-01"), [approvalExpiry], { now: new Date("2027-01-01T00:00:00Z"), approvalWarnDays: 90 }).ds).toHaveLength(1);
    expect(lintTrust(SRC("2027-03-01"), [approvalExpiry], { now: new Date("2027-01-01T00:00:00Z"), approvalWarnDays: 30 }).ds).toHaveLength(0);
    expect(lintTrust(SRC("2020-01-01"), [approvalExpiry]).ds).toHaveLength(0);
    expect(lintTrust(`default reject\napprove "docker.io/library/nginx@${D}" because "x"\n`, [approvalExpiry], at("2030-01-01T00:00:00Z")).ds).toHaveLength(0);
  });

  it("lint --now / --approval-warn-days on the CLI", async () => {
    const soon = await runCli(["lint", "examples/company/site.trust", "--keys", "examples/keys", "--now", "2027-03-20", "--rule", "IT7001=off"]);
    expect(soon.stdout).toContain("warning IT4030");
    const far = await runCli(["lint", "examples/company/site.trust", "--keys", "examples/keys", "--now", "2027-01-01"]);
    expect(far.stdout).not.toContain("IT4030");
    const wide = await runCli(["lint", "examples/company/site.trust", "--keys", "examples/keys", "--now", "2027-01-01", "--approval-warn-days", "120"]);
    expect(wide.stdout).toContain("warning IT4030");
    const after = await runCli(["lint", "examples/company/site.trust", "--keys", "examples/keys", "--now", "2027-04-01"]);
    expect(after.stdout).toContain("error IT4030");
    expect(after.code).toBe(1);
    const bad = await runCli(["lint", "examples/company/site.trust", "--approval-warn-days", "-1"]);
    expect(bad.code).toBe(2);
  });
});
