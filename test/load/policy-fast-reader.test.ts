/**
 * Corners of the fast reader's own bookkeeping (src/load/json-fast-reader.ts, policy-fast.ts): a requirement's members
 * are reset from what the previous requirement set (never inherited), and a tab, LF or CR inside a string is found
 * wherever it sits relative to the controls already seen; both ways the fast path answers as the exact loader.
 */
import { describe, expect, it } from "vitest";
import { readPolicyFast } from "../../src/load/policy-fast.js";
import { loadPolicyJsonExact } from "../../src/load/policy-json.js";
import { parseVersion, type Version } from "../../src/ir/versions.js";
import { SourceFile } from "../../src/source/source-file.js";

const NEWEST = undefined;
const V5_8 = parseVersion("5.8");

function expectSame(text: string, target: Version | undefined = NEWEST, fastReads = true): void {
  const exact = loadPolicyJsonExact(new SourceFile("policy.json", text), { target });
  const fast = readPolicyFast(text, "policy.json", target);
  if (fastReads) {
    expect(fast, "the fast path should read this document").toBeDefined();
    expect(JSON.stringify(fast)).toBe(JSON.stringify(exact.value));
  } else {
    expect(fast, "the fast path should leave this document to the exact loader").toBeUndefined();
  }
}

describe("fast reader: requirement members", () => {
  it("a requirement never keeps a member of the one before it", () => {
    const lists = [
      [
        { type: "signedBy", keyType: "GPGKeys", keyPaths: ["/a", "/b"], signedIdentity: { type: "matchRepository" } },
        { type: "signedBy", keyType: "GPGKeys", keyPath: "/c" },
        { type: "signedBy", keyType: "GPGKeys", keyData: "YWJj" },
      ],
      [
        {
          type: "sigstoreSigned",
          fulcio: { caPath: "/ca", oidcIssuer: "https://o", subjectEmail: "a@b.c" },
          rekorPublicKeyPath: "/r",
          signedIdentity: { type: "matchExact" },
        },
        { type: "sigstoreSigned", keyPath: "/k" },
        { type: "sigstoreSigned", keyDatas: ["YWJj"], rekorPublicKeyDatas: ["ZGVm"] },
        { type: "sigstoreSigned", keyPaths: ["/k1"], rekorPublicKeyPaths: ["/r1"] },
        { type: "sigstoreSigned", keyData: "YWJj", rekorPublicKeyData: "ZGVm" },
        { type: "insecureAcceptAnything" },
      ],
      [{ type: "signedBaseLayer", baseLayerIdentity: { type: "exactRepository", dockerRepository: "quay.io/a/b" } }, { type: "reject" }],
    ];
    for (const list of lists) {
      const text = JSON.stringify({ default: list, transports: { docker: { "quay.io/a": [...list].reverse() } } }, null, 2);
      expectSame(text);
    }
  });

  it("a requirement that repeats a member after a requirement without it still gives up", () => {
    const text = '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/a"},{"type":"reject","type":"reject"}]}';
    expectSame(text, NEWEST, false);
  });

  it("a member newer than the target after a requirement that had it allowed still gives up", () => {
    const text = JSON.stringify({ default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/a" }, { type: "signedBy", keyType: "GPGKeys", keyPaths: ["/a"] }] });
    expectSame(text, V5_8, false);
    expectSame(text, NEWEST, true);
  });
});

describe("fast reader: whitespace controls inside strings", () => {
  const base = { default: [{ type: "reject" }], transports: { docker: { "quay.io/a": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/etc/key.gpg" }] } } };

  it("reads documents laid out with tabs, CRLF and none", () => {
    expectSame(JSON.stringify(base));
    expectSame(JSON.stringify(base, null, "\t"));
    expectSame(JSON.stringify(base, null, 2).replace(/\n/g, "\r\n"));
    expectSame(JSON.stringify(base, null, 1) + "\n \t\r\n");
  });

  it("leaves a tab, LF or CR inside a string to the exact loader, first string or later, before or after other controls", () => {
    for (const control of ["\t", "\n", "\r"]) {
      const pretty = JSON.stringify(base, null, 2);
      // Inside the first string, inside a later one, and inside the last one of the document; laid out on many lines
      // (a control seen after every string) and on one (none seen after the first string).
      for (const key of ['"default"', '"quay.io/a"', '"/etc/key.gpg"']) {
        const broken = pretty.replace(key, key.slice(0, 3) + control + key.slice(3));
        expectSame(broken, NEWEST, false);
        expectSame(broken.replace(/\n/g, "\r\n"), NEWEST, false);
        expectSame(broken.replace(/ {2}/g, "\t"), NEWEST, false);
        expectSame(JSON.stringify(base).replace(key, key.slice(0, 3) + control + key.slice(3)), NEWEST, false);
      }
    }
  });
});
