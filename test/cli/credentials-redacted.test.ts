/**
 * Credentials never printed (issue 17): a lookaside URL with `user:password@` is shown as containers/image shows it
 * (`url.Redacted()`: `user:xxxxx@`; errors of Go's HTTP client itself, `Get "…": …`, as net/http's stripPassword:
 * `user:***@`) in every output of verify and simulate — text, JSON, --explain — whether the server fails, stalls
 * past --timeout, redirects to another URL with credentials, or the URL does not parse.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../harness/skopeo.js";
import { policyJson, R } from "../simulate/policy-builder.js";
import { imageManifest, startHostileServer, type HostileServer } from "../verify/hostile-server.js";
import { runCli } from "./helpers.js";

const SECRET = "s3cret-Pa55";

describe("lookaside credentials are redacted everywhere", () => {
  let s: HostileServer;
  let dir: string;
  let policy: string;
  let manifest: string;
  beforeAll(async () => {
    s = await startHostileServer();
    dir = makeTempDir("creds-");
    policy = path.join(dir, "policy.json");
    fs.writeFileSync(policy, policyJson({ default: [R.signedBy] }));
    manifest = path.join(dir, "manifest.json");
    fs.writeFileSync(manifest, imageManifest(1));
    s.routes.set("/fail/*", { status: 500, body: "boom" });
    s.routes.set("/hang/*", { hang: true });
    s.routes.set("/redirect/*", { status: 302, headers: { Location: `http://bob:${SECRET}-2@${s.host}/redirect/again` } });
  });
  afterAll(() => s.close());

  function registriesD(lookaside: string): string {
    const d = makeTempDir("creds-regd-");
    fs.writeFileSync(path.join(d, "default.yaml"), `default-docker:\n  lookaside: ${JSON.stringify(lookaside)}\n`);
    return d;
  }

  const cases: [string, string][] = [
    ["a failing server", "fail"],
    ["a stalled server (--timeout)", "hang"],
    ["a redirect loop to URLs with credentials", "redirect"],
  ];
  it.each(cases)("%s", async (_name, route) => {
    const regd = registriesD(`http://alice:${SECRET}@${s.host}/${route}`);
    const common = ["--policy", policy, "--registries-d", regd, "--manifest", manifest, "--timeout", "700ms"];
    const runs = [
      await runCli(["verify", ...common, "docker://example.com/acme/app:1"]),
      await runCli(["verify", ...common, "--format", "json", "docker://example.com/acme/app:1"]),
      await runCli(["simulate", "--lookaside", ...common, "docker://example.com/acme/app:1"]),
      await runCli(["simulate", "--lookaside", ...common, "--format", "json", "docker://example.com/acme/app:1"]),
      await runCli(["simulate", "--lookaside", ...common, "--explain", "docker://example.com/acme/app:1", "docker://example.com/acme/other:1"]),
    ];
    for (const r of runs) {
      const all = r.stdout + r.stderr;
      expect(r.code, all).toBe(1);
      expect(all).not.toContain(SECRET);
      expect(all).toContain(route === "redirect" ? `bob:***@${s.host}` : `alice:`);
      expect(all).toMatch(/(alice|bob):(xxxxx|\*\*\*)@/);
    }
    const text = runs[0].stdout;
    if (route === "fail") expect(text).toContain(`status 500 (Internal Server Error)`);
    if (route === "fail") expect(text).toContain(`reading signature from http://alice:xxxxx@${s.host}/fail/`);
    if (route === "hang") expect(text).toContain(`Get "http://alice:***@${s.host}/hang/`);
    if (route === "hang") expect(text).toContain("[IT5700]");
    if (route === "redirect") expect(text).toContain(`Get "http://bob:***@${s.host}/redirect/again": stopped after 10 redirects`);
  });

  it("a lookaside URL that does not parse is redacted in the error too", async () => {
    const regd = registriesD(`http://alice:${SECRET}@[::1`);
    for (const args of [
      ["verify", "--policy", policy, "--registries-d", regd, "--manifest", manifest, "docker://example.com/acme/app:1"],
      ["simulate", "--lookaside", "--policy", policy, "--registries-d", regd, "--manifest", manifest, "--format", "json", "docker://example.com/acme/app:1"],
    ]) {
      const r = await runCli(args);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.stdout + r.stderr).toContain("alice:xxxxx@");
    }
  });
});

describe("lint and validate messages never repeat a lookaside password either", () => {
  it("an invalid URL with credentials in registries.d", async () => {
    const d = makeTempDir("creds-lint-");
    fs.writeFileSync(path.join(d, "default.yaml"), `default-docker:\n  lookaside: "http://alice:${SECRET}@[::1"\n`);
    for (const args of [["lint", d], ["validate", path.join(d, "default.yaml")], ["lint", "--format", "json", d]]) {
      const r = await runCli(args);
      // The excerpt quotes the user's own file as it is; the messages do not repeat the password.
      const messages = (r.stdout + r.stderr).split("\n").filter((l) => !/^\s*\d+ \|/.test(l));
      expect(messages.join("\n"), args.join(" ")).not.toContain(SECRET);
      expect(r.stdout + r.stderr).toContain("alice:xxxxx@");
    }
  });
});
