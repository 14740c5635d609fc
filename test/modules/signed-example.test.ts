/**
 * examples/signed: the README's `imagetrust test` commands on the committed evidence (GPG signatures made once with a
 * throwaway key whose public half is examples/keys/acme-signing.gpg), from a clone with nothing beside it.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../cli/helpers.js";
import { skopeoAvailable, skopeoCopyVerdict } from "../harness/skopeo.js";

const KEYS = ["--keys", "examples/keys"];
const ci = process.env.CI === "true";

describe("examples/signed", () => {
  it("its expectations hold on the committed signatures (.trust and YAML)", async () => {
    const r = await runCli(["test", "examples/signed/release.trust", "examples/signed/cases.yaml", ...KEYS]);
    expect(r.stdout).toBe("examples/signed/release.trust: 5 passed, 0 failed\nexamples/signed/cases.yaml: 4 passed, 0 failed\n9 passed, 0 failed\n");
    expect(r.code).toBe(0);
  });

  it("without the keys the signed cases fail in the runtime's words, not silently", async () => {
    const r = await runCli(["test", "examples/signed/cases.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("got: deny: open /etc/pki/containers/acme-signing.gpg: no such file or directory");
    expect(r.stdout).toContain("FAIL examples/signed/cases.yaml:6:5: expect allow docker://registry.acme.example/apps/app:1.0 with signatures \"examples/signed/evidence/app-1.0\"");
  });

  it("is formatted, lints clean with its key, and compiled/ is what it compiles to", async () => {
    expect((await runCli(["fmt", "--check", "examples/signed/release.trust"])).code).toBe(0);
    const lint = await runCli(["lint", "examples/signed/release.trust", ...KEYS, "--max-warnings", "0"]);
    expect(lint.code).toBe(0);
    const check = await runCli(["compile", "examples/signed/release.trust", ...KEYS, "--check", "--out", "examples/signed/compiled"]);
    expect(check.code).toBe(0);
    // The expectations are not in the output.
    const out = mkdtempSync(join(tmpdir(), "imagetrust-signed-"));
    expect((await runCli(["compile", "examples/signed/release.trust", ...KEYS, "--out", out])).code).toBe(0);
    expect(readFileSync(join(out, "policy.json"), "utf8")).toBe(readFileSync(join(REPO, "examples/signed/compiled/policy.json"), "utf8"));
    expect(readFileSync(join(out, "policy.json"), "utf8")).not.toContain("evidence");
  });

  it.skipIf(!skopeoAvailable() && !ci)("skopeo agrees on the committed evidence (each evidence directory is a dir: image)", async () => {
    const signedBy = {
      type: "signedBy",
      keyType: "GPGKeys",
      keyPath: join(REPO, "examples/keys/acme-signing.gpg"),
      signedIdentity: { type: "exactReference", dockerReference: "registry.acme.example/apps/app:1.0" },
    };
    const policy = JSON.stringify({ default: [{ type: "reject" }], transports: { dir: { "": [signedBy] } } });
    const verdict = async (name: string) => (await skopeoCopyVerdict(policy, `dir:${join(REPO, "examples/signed/evidence", name)}`)).allowed;
    expect([await verdict("app-1.0"), await verdict("other-key"), await verdict("rebuilt")]).toEqual([true, false, false]);
  });
});
