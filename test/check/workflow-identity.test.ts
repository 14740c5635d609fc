/**
 * Keyless CI identities (issue 12 §1): `workflow [prefix|regexp] "URI"` in a fulcio key. Node targets refuse it
 * (IT2200) because containers/image compares `fulcio.subjectEmail` with e-mail SANs only
 * (signature/fulcio_cert.go `verifyFulcioCertificateAtTime`); admission targets emit it as `subject` /
 * `subjectRegExp`. An e-mail slot holding a URI is an error on nodes and a warning for admission (IT2201); the lint
 * rule IT4028 says the same of a policy.json (test/lint/subject-email-not-an-email.test.ts).
 */
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { compileToKubernetes, type K8sTarget } from "../../src/k8s/compile.js";
import { quoteMeta } from "../../src/k8s/requirements.js";
import { formatTrustSource } from "../../src/print/format.js";
import { normalizeTrustModel } from "../../src/print/normalize-model.js";
import { printTrustModel } from "../../src/print/trust-printer.js";
import { SourceFile } from "../../src/source/source-file.js";
import { readKey } from "../k8s/helpers.js";
import { expectValidManifests } from "../k8s/manifests.js";

const WORKFLOW = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";

function source(subject: string, extra = ""): string {
  return `target "5.24"
key gh fulcio
  ca file "/etc/pki/containers/fulcio_v1.crt.pem"
  issuer "https://token.actions.githubusercontent.com"
  ${subject}
key rk rekor file "/etc/pki/containers/rekor.pub"
${extra}
level ci = signed by gh with rk identity repository
default reject
docker {
  "ghcr.io/acme"  ci
}
signatures {
  "ghcr.io/acme"  attachments
}
`;
}

function compile(text: string, admission = false) {
  const s = new SourceFile("ci.trust", text);
  const r = compileTrustSource(s, { checkKeyFiles: false, admission });
  const at = (d: { span?: { start: number; end: number } }) => {
    const lc = s.position(d.span!.start);
    return `${lc.line}:${lc.column} ${s.text.slice(d.span!.start, d.span!.end)}`;
  };
  return { r, s, found: r.diagnostics.map((d) => `${d.code} ${d.severity} ${at(d)}`) };
}

describe("workflow identities in the language", () => {
  it("node targets: an error at the workflow line that says why and what the options are", () => {
    const { r, found } = compile(source(`workflow "${WORKFLOW}"`));
    expect(r.value).toBeUndefined();
    expect(found).toEqual([`IT2200 error 5:3 workflow "${WORKFLOW}"`]);
    const d = r.diagnostics[0];
    expect(d.message).toMatch(/e-mail SANs only \(fulcio_cert\.go\)/);
    expect(d.message).toMatch(/URI SAN/);
    for (const option of [/key pair/, /e-mail identity/, /--target-k8s/, /release that supports workflow identities/]) expect(d.hint).toMatch(option);
  });

  it("prefix and regexp forms parse; admission targets accept all three and lower them to subjectURI", () => {
    for (const [clause, match, value] of [
      [`workflow "${WORKFLOW}"`, "exact", WORKFLOW],
      [`workflow prefix "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/"`, "prefix", "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/"],
      [`workflow regexp "^https://github\\\\.com/acme/app/.+@refs/tags/v[0-9]+$"`, "regexp", "^https://github\\.com/acme/app/.+@refs/tags/v[0-9]+$"],
    ] as const) {
      const node = compile(source(clause));
      expect(node.found.map((f) => f.slice(0, 12))).toEqual(["IT2200 error"]);
      const { r } = compile(source(clause), true);
      expect(r.diagnostics).toEqual([]);
      const req = r.value!.policy.transports[0].scopes[0].requirements[0];
      expect(req.type === "sigstoreSigned" && req.fulcio).toMatchObject({ oidcIssuer: "https://token.actions.githubusercontent.com", subjectURI: { match, value } });
      expect(req.type === "sigstoreSigned" && req.fulcio!.subjectEmail).toBeUndefined();
    }
  });

  it("an unused workflow key is not a node error (it never reaches policy.json)", () => {
    const text = source('email "release@acme.example"', `key unused fulcio\n  ca file "/x.pem"\n  issuer "https://token.actions.githubusercontent.com"\n  workflow "${WORKFLOW}"`);
    expect(compile(text).found).toEqual(["IT2109 warning 7:5 unused"]);
  });

  it("email holding a URI: an error on nodes, a warning for admission (where it does match)", () => {
    const node = compile(source(`email "${WORKFLOW}"`));
    expect(node.found).toEqual([`IT2201 error 5:9 "${WORKFLOW}"`]);
    expect(node.r.diagnostics[0].message).toMatch(/is a URI, not an e-mail address: containers\/image compares it with the certificate's e-mail SANs only/);
    const cluster = compile(source(`email "${WORKFLOW}"`), true);
    expect(cluster.found).toEqual([`IT2201 warning 5:9 "${WORKFLOW}"`]);
    expect(cluster.r.diagnostics[0].hint).toBe(`Say what it is: workflow ${JSON.stringify(WORKFLOW)}.`);
    // Without '@' but no URI: lint's (IT4028), not the checker's.
    expect(compile(source('email "release-bot"')).found).toEqual([]);
    expect(compile(source('email "release@acme.example"')).found).toEqual([]);
  });

  it("pki email holding a URI is refused on nodes too (pki_cert.go compares e-mail SANs the same way)", () => {
    const text = `key p pki roots file "/r.pem" email "${WORKFLOW}"\nlevel l = signed by p\ndefault l\nsignatures {\n  default attachments\n}\n`;
    expect(compile(text).found).toEqual([`IT2201 error 1:37 "${WORKFLOW}"`]);
  });

  it("two subjects, a workflow that is no URI, a broken or unanchored regexp", () => {
    expect(compile(source(`email "a@b.example"\n  workflow "${WORKFLOW}"`), true).found).toEqual(["IT2202 error 6:3 workflow"]);
    const notUri = compile(source('workflow "release-bot@acme.example"'), true);
    expect(notUri.found).toEqual(['IT2203 error 5:12 "release-bot@acme.example"']);
    expect(notUri.r.diagnostics[0].hint).toBe('"release-bot@acme.example" is an e-mail address: write email "release-bot@acme.example".');
    expect(compile(source('workflow regexp "^https://(unclosed$"'), true).found).toEqual(['IT2203 error 5:19 "^https://(unclosed$"']);
    expect(compile(source('workflow regexp "acme/app/.github/workflows/release.yml"'), true).found).toEqual([
      'IT2204 warning 5:19 "acme/app/.github/workflows/release.yml"',
    ]);
  });

  it("a fulcio key without any subject asks for email or workflow", () => {
    const { r } = compile(source(""));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT2123"]);
    expect(r.diagnostics[0].hint).toMatch(/email "release@example.com".*or workflow "https:/);
  });

  it("fmt lays workflow clauses out like the other fulcio clauses; print → compile keeps them", () => {
    const messy = `key gh fulcio ca file "/x.pem" issuer "https://token.actions.githubusercontent.com"   workflow   prefix "https://github.com/a/b/"\nkey rk rekor file "/r.pub"\nlevel ci = signed by gh with rk\ndefault ci\n`;
    const f = formatTrustSource(new SourceFile("m.trust", messy)).text!;
    expect(f).toContain('\n  workflow prefix "https://github.com/a/b/"\n');
    expect(formatTrustSource(new SourceFile("m.trust", f)).text).toBe(f);
    for (const clause of [`workflow "${WORKFLOW}"`, 'workflow prefix "https://github.com/a/b/"', 'workflow regexp "^https://x$"']) {
      const model = compile(source(clause), true).r.value!;
      const printed = printTrustModel(model);
      expect(printed).toContain(clause);
      const again = compileTrustSource(new SourceFile("p.trust", printed), { checkKeyFiles: false, admission: true });
      expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(normalizeTrustModel(again.value!)).toEqual(normalizeTrustModel(model));
    }
  });
});

describe("workflow identities on admission targets", () => {
  const clauses = {
    exact: { clause: `workflow "${WORKFLOW}"`, subject: { subject: WORKFLOW } },
    prefix: {
      clause: 'workflow prefix "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/"',
      subject: { subjectRegExp: "^https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/tags/" },
    },
    regexp: { clause: 'workflow regexp "^https://github\\\\.com/acme/.+$"', subject: { subjectRegExp: "^https://github\\.com/acme/.+$" } },
  };

  function identitiesOf(target: K8sTarget, text: string): unknown[] {
    const model = compile(text, true).r.value!;
    const out = compileToKubernetes(model, { target, readFile: readKey });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expectValidManifests(out.files!);
    const found: unknown[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if ("issuer" in o && ("subject" in o || "subjectRegExp" in o)) {
          const { issuer, subject, subjectRegExp } = o;
          found.push({ issuer, ...(subject !== undefined ? { subject } : {}), ...(subjectRegExp !== undefined ? { subjectRegExp } : {}) });
        } else Object.values(o).forEach(walk);
      }
    };
    for (const f of out.files!) for (const d of parseAllDocuments(f.text)) walk(d.toJSON());
    return found;
  }

  for (const target of ["policy-controller", "kyverno", "kyverno-ivp"] as const) {
    it(`${target}: subject for an exact URI, subjectRegExp for a prefix or regexp (valid for the CRD)`, () => {
      for (const { clause, subject } of Object.values(clauses)) {
        const ids = identitiesOf(target, source(clause));
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) expect(id).toEqual({ issuer: "https://token.actions.githubusercontent.com", ...subject });
      }
    });
  }

  it("a prefix becomes an anchored, quoted Go regexp that matches exactly the URIs starting with it", () => {
    const prefix = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/";
    const re = new RegExp("^" + quoteMeta(prefix));
    expect(re.test(prefix + "v1.2.0")).toBe(true);
    expect(re.test("https://github.com/acme/appX.github/workflows/release.yml@refs/tags/v1")).toBe(false);
    expect(re.test("https://github.com/evil/x?" + prefix)).toBe(false);
    expect(quoteMeta("a.b*c+d?e(f)g|h[i]j{k}l^m$n\\o")).toBe("a\\.b\\*c\\+d\\?e\\(f\\)g\\|h\\[i\\]j\\{k\\}l\\^m\\$n\\\\o");
  });
});
