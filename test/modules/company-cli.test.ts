/** The company example through the CLI: one source, every target, profiles, dated approvals, diff of two profiles. */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectGolden, runCli } from "../cli/helpers.js";
import { expectValidManifests } from "../k8s/manifests.js";

const SITE = "examples/company/site.trust";
const KEYS = ["--keys", "examples/keys"];
// Approvals are judged at a fixed time, so the goldens do not depend on the day the tests run.
const NOW = ["--now", "2026-12-06"];

/** Every file under `dir`, as one text (path headers, sorted). */
function tree(dir: string, prefix = ""): string {
  let out = "";
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out += tree(p, prefix + name + "/");
    else out += `=== ${prefix}${name}\n${readFileSync(p, "utf8")}`;
  }
  return out;
}

const out = () => mkdtempSync(join(tmpdir(), "imagetrust-company-"));

describe("examples/company: one source, every target", () => {
  for (const profile of [undefined, "server", "laptop"]) {
    it(`compiles ${profile ?? "the base"} to policy.json and registries.d`, async () => {
      const dir = out();
      const r = await runCli(["compile", SITE, ...KEYS, ...NOW, "--out", dir, ...(profile ? ["--profile", profile] : [])]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expectGolden(`modules/company/${profile ?? "base"}.txt`, tree(dir));
    });
  }

  for (const target of ["policy-controller", "kyverno", "kyverno-ivp"]) {
    it(`compiles to ${target}, the GPG scope left to the nodes (IT2240)`, async () => {
      const dir = out();
      const r = await runCli(["compile", SITE, ...KEYS, ...NOW, "--target-k8s", target, "--out", dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("IT2240");
      expect(r.stdout).not.toContain("IT7000");
      expectGolden(`modules/company/${target}.txt`, tree(dir));
      expectValidManifests(readdirSync(dir).map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") })));
    });
  }

  it("--explain says what the laptop profile overrides and adds", async () => {
    const r = await runCli(["compile", SITE, ...KEYS, ...NOW, "--out", out(), "--profile", "laptop", "--explain"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("profile laptop (of laptop, server)\n");
    expect(r.stdout).toContain("  overrides docker scope \"registry.acme.example/scratch\": examples/company/site.trust:");
    expect(r.stdout).toContain("  adds the docker-daemon default: examples/company/site.trust:");
  });

  it("an unknown profile is a usage error with did-you-mean", async () => {
    const r = await runCli(["compile", SITE, ...KEYS, "--out", out(), "--profile", "laptp"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("There is no profile 'laptp'; this source defines 'laptop', 'server'.");
    expect(r.stderr).toContain("Did you mean 'laptop'?");
  });

  it("an expired approval is dropped with a warning, or refused; the clock comes from --now or SOURCE_DATE_EPOCH", async () => {
    const dir = out();
    const dropped = await runCli(["compile", SITE, ...KEYS, "--now", "2027-04-01", "--out", dir]);
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain("warning IT2250");
    expect(readFileSync(join(dir, "policy.json"), "utf8")).not.toContain("busybox");
    // The last day still holds (until is inclusive, UTC).
    const lastDay = await runCli(["compile", SITE, ...KEYS, "--now", "2027-03-31T23:59:59Z", "--out", out()]);
    expect(lastDay.stdout).not.toContain("IT2250");
    const refused = await runCli(["compile", SITE, ...KEYS, "--now", "2027-04-01", "--expired-approvals", "refuse", "--out", out()]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("error IT2251");
    const epoch = String(Date.UTC(2027, 3, 1) / 1000);
    const viaEnv = await runCli(["compile", SITE, ...KEYS, "--out", out()], { env: { HOME: "/nonexistent-home", SOURCE_DATE_EPOCH: epoch } });
    expect(viaEnv.stdout).toContain("warning IT2250");
    const bad = await runCli(["compile", SITE, ...KEYS, "--now", "tomorrow", "--out", out()]);
    expect(bad.code).toBe(2);
  });

  it("test runs the expectations for the base and every profile", async () => {
    const r = await runCli(["test", SITE, ...KEYS]);
    expect(r.stdout).toBe("examples/company/site.trust: 16 passed, 0 failed\n16 passed, 0 failed\n");
    expect(r.code).toBe(0);
  });

  it("diff compares two profiles of one source", async () => {
    const r = await runCli(["diff", `${SITE}#server`, `${SITE}#laptop`, "--fail-on-loosen", ...["--format", "json"]]);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    const looser = d.regions.filter((x: { classification: string }) => x.classification === "looser").map((x: { transport: string; scope: string }) => `${x.transport} ${x.scope}`);
    expect(looser).toEqual(["docker registry.acme.example/scratch", "docker-daemon "]);
  });

  it("fmt leaves both files as they are", async () => {
    const r = await runCli(["fmt", "--check", SITE, "examples/company/common.trust"]);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(0);
  });

  it("import says that approvals' reasons and dates cannot be recovered (IT2253)", async () => {
    const dir = out();
    const policy = join(dir, "policy.json");
    const c = await runCli(["compile", SITE, ...KEYS, ...NOW, "--out", dir]);
    expect(c.code).toBe(0);
    const r = await runCli(["import", policy]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("info IT2253");
    expect(r.stdout).toContain('"docker.io/library/busybox@sha256:7b3ccabffc97de872a30dfd234fd972a66d247c8cfc69b0550f276481852627c\" accept');
  });

  it("lint lints every profile: clean with the example's own suppression, a profile's finding named without it", async () => {
    const clean = await runCli(["lint", SITE, "examples/company/common.trust", ...KEYS, ...NOW, "--max-warnings", "0"]);
    expect(clean.code).toBe(0);
    const dir = out();
    const text = readFileSync(SITE, "utf8").replace(/  # imagetrust-ignore IT4009[^\n]*/, "");
    writeFileSync(join(dir, "site.trust"), text);
    writeFileSync(join(dir, "common.trust"), readFileSync("examples/company/common.trust", "utf8"));
    const r = await runCli(["lint", join(dir, "site.trust"), ...KEYS, ...NOW]);
    expect(r.stdout).toContain("warning IT4009 profile laptop: Scope 'registry.acme.example/scratch' accepts anything");
  });
});

