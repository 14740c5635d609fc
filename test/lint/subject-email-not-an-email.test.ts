/**
 * subject-email-not-an-email (IT4028): a policy.json `fulcio.subjectEmail` / `pki.subjectEmail` that is a URI or has no
 * '@' loads (upstream accepts any non-empty string) and can never match: signature/fulcio_cert.go
 * verifyFulcioCertificateAtTime compares it with the certificate's e-mail SANs only. Empty stays the loader's error.
 */
import { describe, expect, it } from "vitest";
import { notAnEmailReason } from "../../src/check/check-subjects.js";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { subjectEmailNotAnEmail } from "../../src/lint/rules/subject-email-not-an-email.js";
import { SourceFile } from "../../src/source/source-file.js";
import { lintJson, lintTrust } from "./helpers.js";

const WORKFLOW = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";

describe("lint IT4028 subject-email-not-an-email (policy.json)", () => {
  const policy = (fulcio: Record<string, unknown>) =>
    JSON.stringify({ default: [{ type: "reject" }], transports: { docker: { "ghcr.io/acme": [{ type: "sigstoreSigned", fulcio, rekorPublicKeyPath: "/r.pub" }] } } }, null, 2);
  const base = { caPath: "/ca.pem", oidcIssuer: "https://token.actions.githubusercontent.com" };

  it.each([
    [WORKFLOW, ["IT4028"]],
    ["https://gitlab.com/acme/app//.gitlab-ci.yml@refs/heads/main", ["IT4028"]],
    ["release-bot", ["IT4028"]],
    ["release-bot@acme.example", []],
    ["1234567890-compute@developer.gserviceaccount.com", []],
  ])("subjectEmail %s", (subjectEmail, codes) => {
    const { ds } = lintJson(policy({ ...base, subjectEmail }), [subjectEmailNotAnEmail]);
    expect(ds.map((d) => d.code)).toEqual(codes);
    if (codes.length) {
      expect(ds[0].severity).toBe("error");
      expect(ds[0].message).toMatch(/e-mail SANs only/);
    }
  });

  it("points at the fulcio object and explains the options", () => {
    const { shown, ds } = lintJson(policy({ ...base, subjectEmail: WORKFLOW }), [subjectEmailNotAnEmail]);
    expect(shown[0]).toMatch(/^IT4028@\{\n\s+"caPath"/);
    expect(ds[0].hint).toMatch(/key pair.*e-mail identity.*admission/s);
  });

  it("pki.subjectEmail too", () => {
    const text = JSON.stringify({ default: [{ type: "sigstoreSigned", pki: { caRootsPath: "/r.pem", subjectEmail: WORKFLOW } }] });
    expect(lintJson(text, [subjectEmailNotAnEmail]).ds.map((d) => d.code)).toEqual(["IT4028"]);
  });

  it("an empty subjectEmail stays the loader's error, in upstream's words (newPRSigstoreSignedFulcio: subjectEmail not specified)", () => {
    const loaded = loadPolicyJson(new SourceFile("p.json", policy({ ...base, subjectEmail: "" })));
    expect(loaded.value).toBeUndefined();
    expect(loaded.diagnostics.map((d) => d.upstreamMessage)).toContain("subjectEmail not specified");
    expect(notAnEmailReason("")).toBeUndefined();
  });

  it(".trust sources too: an e-mail without '@' compiles, and lint says IT4028 at the key", () => {
    const text = 'key gh fulcio ca file "/ca.pem" issuer "https://github.com/login/oauth" email "release-bot"\nkey rk rekor file "/r.pub"\nlevel l = signed by gh with rk\ndefault l\nsignatures {\n  default attachments\n}\n';
    expect(lintTrust(text, [subjectEmailNotAnEmail]).shown).toEqual(['IT4028@fulcio ca file "/ca.pem" issuer "https://github.com/login/oauth" email "release-bot"']);
  });
});
