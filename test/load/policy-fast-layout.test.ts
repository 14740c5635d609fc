/**
 * The fast reader's whitespace runs, key lookup by length and sigstoreSigned verdict keys (src/load/json-fast-reader.ts,
 * policy-fast-keys.ts): however a document is laid out (CRLF, tabs, long indentation, none at all, a run at the very
 * end), the fast path reads it exactly as the exact loader does, spans included, or leaves it to the exact loader;
 * and a document the fast path leaves alone still gets the exact loader's diagnostics at the right line:column.
 */
import { describe, expect, it } from "vitest";
import { readPolicyFast } from "../../src/load/policy-fast.js";
import { loadPolicyJson, loadPolicyJsonExact } from "../../src/load/policy-json.js";
import { sigstoreFactsKey, sigstoreFactsKeyOf, type RequirementFields, K_TYPE, K_KEY_PATH, K_KEY_DATA, K_FULCIO, K_PKI, K_REKOR_PATH, K_REKOR_DATA } from "../../src/load/policy-fast-keys.js";
import { nameSet } from "../../src/load/json-fast-reader.js";
import { parseVersion, type Version } from "../../src/ir/versions.js";
import { SourceFile } from "../../src/source/source-file.js";

const V5_23 = parseVersion("5.23");

const POLICY = {
  default: [{ type: "reject" }],
  transports: {
    docker: {
      "": [{ type: "insecureAcceptAnything" }],
      "quay.io/a": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k.gpg", signedIdentity: { type: "matchRepository" } }],
      "quay.io/b": [{ type: "signedBy", keyType: "GPGKeys", keyPaths: ["/a.gpg", "/b.gpg"] }, { type: "reject" }],
      "quay.io/c": [{ type: "sigstoreSigned", keyPath: "/c.pub", signedIdentity: { type: "remapIdentity", prefix: "m.example.com", signedPrefix: "r.example.com" } }],
      "quay.io/d": [{ type: "sigstoreSigned", keyData: "YWJj" }],
      "quay.io/e": [{ type: "signedBy", keyType: "GPGKeys", keyData: "YWJj", signedIdentity: { type: "exactRepository", dockerRepository: "quay.io/x/y" } }],
    },
    dir: { "/srv/images": [{ type: "insecureAcceptAnything" }] },
  },
};

function expectSame(text: string, target: Version | undefined = undefined): void {
  const exact = loadPolicyJsonExact(new SourceFile("policy.json", text), { target });
  expect(exact.diagnostics).toEqual([]);
  const fast = readPolicyFast(text, "policy.json", target);
  expect(fast, "the fast path should read this document").toBeDefined();
  // JSON text: values, spans and key order alike.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(exact.value));
}

/** The policy laid out with `sep` between tokens and `indent` per level (a hand-rolled pretty printer). */
function layout(value: unknown, nl: string, indent: string, depth = 0): string {
  const pad = (d: number) => indent.repeat(d);
  if (Array.isArray(value)) {
    return `[${nl}${value.map((v) => pad(depth + 1) + layout(v, nl, indent, depth + 1)).join(`,${nl}`)}${nl}${pad(depth)}]`;
  }
  if (value && typeof value === "object") {
    const members = Object.entries(value).map(([k, v]) => `${pad(depth + 1)}${JSON.stringify(k)} :\t ${layout(v, nl, indent, depth + 1)}`);
    return `{${nl}${members.join(`,${nl}`)}${nl}${pad(depth)}}`;
  }
  return JSON.stringify(value);
}

describe("fast reader: layouts", () => {
  it.each([
    ["compact", JSON.stringify(POLICY)],
    ["two spaces", JSON.stringify(POLICY, null, 2)],
    ["tabs", JSON.stringify(POLICY, null, "\t")],
    ["CRLF", JSON.stringify(POLICY, null, 2).replace(/\n/g, "\r\n")],
    ["CR only", JSON.stringify(POLICY, null, 2).replace(/\n/g, "\r")],
    ["mixed runs", layout(POLICY, "\r\n \t", "\t  ")],
    ["single characters", layout(POLICY, "\n", "")],
    ["very long indentation", layout(POLICY, "\n", " ".repeat(300))],
    ["whitespace before and after", " \r\n\t" + JSON.stringify(POLICY, null, 2) + "\n\n \t\r\n"],
    ["one space after", JSON.stringify(POLICY) + " "],
    ["one long line", JSON.stringify(POLICY, null, 1).replace(/\n/g, " ".repeat(40))],
  ])("%s", (_name, text) => {
    expectSame(text);
    expectSame(text, V5_23);
  });

  it("non-ASCII text in strings keeps spans in UTF-16 units, as the exact loader's", () => {
    const p = { default: [{ type: "reject" }], transports: { docker: { "quay.io/é/ü": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/ключ/€.gpg" }] } } };
    expectSame(JSON.stringify(p, null, 2));
  });
});

describe("fast reader: documents it leaves to the exact loader", () => {
  /** The loader's diagnostics with their positions, as `validate` shows them. */
  function positions(text: string): string[] {
    const source = new SourceFile("policy.json", text);
    const r = loadPolicyJson(source, { target: V5_23 });
    expect(r.diagnostics).toEqual(loadPolicyJsonExact(source, { target: V5_23 }).diagnostics);
    return r.diagnostics.map((d) => {
      const at = d.span ? source.position(d.span.start) : undefined;
      return `${d.code} ${at ? `${at.line}:${at.column}` : "-"}`;
    });
  }

  it.each([
    ["a BOM", "\ufeff" + JSON.stringify(POLICY, null, 2)],
    ["an unknown key after CRLF lines and tabs", JSON.stringify({ ...POLICY, extra: 1 }, null, "\t").replace(/\n/g, "\r\n")],
    ["a bad key after non-ASCII text", JSON.stringify({ default: [{ type: "reject" }], transports: { docker: { "quay.io/é": [{ type: "reject" }], "quay.io/ü": [{ type: "reject", keyPath: "/x" }] } } }, null, 2)],
    ["a misspelt key of a known key's length", JSON.stringify({ default: [{ type: "signedBy", keyType: "GPGKeys", keyPata: "/k" }] }, null, 2)],
    ["a tab inside a string on a long line", `{"default": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "${" ".repeat(5000)}/a\tb"}]}`],
    ["a raw LF inside a string after indentation", `{\n    "default": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "/a\nb"}]\n}`],
    ["trailing garbage after whitespace", JSON.stringify(POLICY, null, 2) + "\r\n\t  x"],
  ])("%s", (_name, text) => {
    expect(readPolicyFast(text, "policy.json", V5_23)).toBeUndefined();
    expect(positions(text).length).toBeGreaterThan(0);
  });

  it("line:column of a diagnostic after CRLF and tab layout", () => {
    const text = '{\r\n\t"default": [\r\n\t\t{"type": "rejct"}\r\n\t]\r\n}';
    expect(positions(text)).toEqual(["IT1103 3:12"]);
  });
});

describe("fast reader: name sets", () => {
  it("finds each name by its length and text only", () => {
    const names = ["type", "keyType", "keyPath", "keyPaths", "keyData", "keyDatas", "pki"];
    const set = nameSet(names);
    names.forEach((n, i) => expect(set.byLength[n.length]).toContain(i));
    expect(set.byLength[5]).toEqual([]);
    expect(set.byLength[9]).toBeUndefined();
  });
});

describe("fast reader: sigstoreSigned verdict keys", () => {
  it("the written-out key equals the key of the facts, for every combination of members", () => {
    const strings = ["", "/x"];
    const lists: (string[] | undefined)[] = [undefined, [], ["a"]];
    const bits = [K_KEY_PATH, K_KEY_DATA, K_FULCIO, K_PKI, K_REKOR_PATH, K_REKOR_DATA];
    const seen = new Set<number>();
    for (let mask = 0; mask < 1 << bits.length; mask++) {
      for (const keyPath of strings)
        for (const rekorPath of strings)
          for (const keyPaths of lists)
            for (const rekorDatas of lists) {
              let s = K_TYPE;
              bits.forEach((b, i) => {
                if (mask & (1 << i)) s |= b;
              });
              const f: RequirementFields = { seen: s, type: "sigstoreSigned", keyType: "", keyTypeIndex: 0, keyPath: s & K_KEY_PATH ? keyPath : "", keyData: "", rekorPath: s & K_REKOR_PATH ? rekorPath : "", rekorData: "", keyPaths, rekorDatas };
              if (s & K_KEY_DATA) f.keyData = "YWJj";
              if (s & K_REKOR_DATA) f.rekorData = "";
              const key = sigstoreFactsKey(f);
              expect(key).toBe(sigstoreFactsKeyOf(f));
              seen.add(key);
            }
    }
    expect(seen.size).toBeGreaterThan(1000);
  });
});

describe("fast reader: skeleton read (validate's)", () => {
  it("keeps exactly the sigstoreSigned requirements with fulcio or pki, each as the full read makes it", () => {
    const fulcio = { caPath: "/ca", oidcIssuer: "https://o", subjectEmail: "a@b.c" };
    const p = {
      transports: {
        docker: {
          "quay.io/a": [{ type: "reject" }, { type: "sigstoreSigned", pki: { caRootsPath: "/r", subjectEmail: "x" }, signedIdentity: { type: "exactRepository", dockerRepository: "quay.io/x/y" } }],
          "quay.io/b": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", signedIdentity: { type: "matchRepository" } }],
        },
      },
      default: [{ type: "sigstoreSigned", fulcio, rekorPublicKeyPath: "/r", signedIdentity: { type: "remapIdentity", prefix: "m.example.com", signedPrefix: "r.example.com" } }],
    };
    const text = JSON.stringify(p, null, 2);
    const full = readPolicyFast(text, "policy.json", undefined)!;
    const skeleton = readPolicyFast(text, "policy.json", undefined, true)!;
    expect(skeleton.default).toEqual(full.default);
    expect(skeleton.transports[0]!.scopes.map((s) => s.scope)).toEqual(["quay.io/a"]);
    expect(skeleton.transports[0]!.scopes[0]!.requirements).toEqual([full.transports[0]!.scopes[0]!.requirements[1]]);
    expect(skeleton.transports[0]!.scopes[0]!.keyOrigin).toEqual(full.transports[0]!.scopes[0]!.keyOrigin);
    // and gives up where the full read does, in a kept requirement or in a dropped one
    for (const broken of [text.replace('"quay.io/x/y"', '"quay.io/X/y"'), text.replace('"matchRepository"', '"matchRepositry"'), text.replace('"/k"', '""')]) {
      expect(broken).not.toBe(text);
      expect(readPolicyFast(broken, "policy.json", undefined)).toBeUndefined();
      expect(readPolicyFast(broken, "policy.json", undefined, true)).toBeUndefined();
    }
  });
});
