/**
 * The policy.json loader's fast path (src/load/policy-fast.ts) against the exact path (json-parse.ts +
 * policy-decode.ts …): for every document and target, `loadPolicyJson` (fast path first) must give exactly what
 * `loadPolicyJsonExact` gives — the same IR, spans and property order included, and the same diagnostics — and
 * the fast path must accept only documents the exact path accepts without a word. Inputs: the spec vectors
 * (newest and 5.23.1), the hand-written examples and fixtures, the benchmark's generated policy, policies emitted
 * from random IR, reformatted copies of all of these, and mutated documents.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import { parseVersion, type Version } from "../../src/ir/versions.js";
import type { Policy, Requirement } from "../../src/ir/types.js";
import { readPolicyFast } from "../../src/load/policy-fast.js";
import { loadPolicyJson, loadPolicyJsonExact } from "../../src/load/policy-json.js";
import { SourceFile } from "../../src/source/source-file.js";
import { generatePolicy } from "../../bench/gen-policy.mjs";
import { JSON_DICT, policySeeds } from "../fuzz/corpora.js";
import { policy } from "../fuzz/ir-arbitraries.js";
import { mutated, params, readCorpus } from "../fuzz/support.js";
import { POLICY_PARSE_VECTORS } from "../support/shared.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const TARGETS: (Version | undefined)[] = [undefined, ...["5.8", "5.9", "5.22", "5.23", "5.24", "5.33", "5.35"].map((v) => parseVersion(v)!)];

function vectorInputs(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { input: string }).input);
}

/** The same document pretty-printed, compact and with CRLF/tab indentation (when it is JSON at all). */
function reformatted(text: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return [];
  }
  return [JSON.stringify(v), JSON.stringify(v, null, "\t").replace(/\n/g, "\r\n"), ` \n${JSON.stringify(v, null, 1)}\n\n`];
}

/**
 * Loads `text` both ways for `target` and expects the same outcome; returns whether the fast path read it.
 * JSON text comparison checks property order too (emitters and `--format json` write IR fields in that order).
 */
function expectSameLoad(text: string, target: Version | undefined): boolean {
  const source = new SourceFile("policy.json", text);
  const exact = loadPolicyJsonExact(source, { target });
  const fast = readPolicyFast(text, "policy.json", target);
  if (fast !== undefined) {
    expect(exact.diagnostics, "the fast path accepted a document the exact loader reports on").toEqual([]);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(exact.value));
    expect(fast).toEqual(exact.value);
  }
  const both = loadPolicyJson(source, { target });
  expect(JSON.stringify(both)).toBe(JSON.stringify(exact));
  // The skeleton read (validate's) decides as the full read and keeps exactly the requirements with fulcio or pki.
  const skeleton = readPolicyFast(text, "policy.json", target, true);
  expect(skeleton === undefined, "the skeleton read decided otherwise than the full read").toBe(fast === undefined);
  if (fast !== undefined) expect(JSON.stringify(skeleton)).toBe(JSON.stringify(skeletonOf(fast)));
  return fast !== undefined;
}

/** What a skeleton read keeps of a full policy: the sigstoreSigned requirements with fulcio or pki, in their places. */
function skeletonOf(p: Policy): Policy {
  const keep = (r: Requirement) => r.type === "sigstoreSigned" && (r.fulcio !== undefined || r.pki !== undefined);
  return {
    ...p,
    default: p.default.filter(keep),
    transports: p.transports.map((t) => ({
      ...t,
      scopes: t.scopes.map((s) => ({ ...s, requirements: s.requirements.filter(keep) })).filter((s) => s.requirements.length > 0),
    })),
  };
}

describe("policy.json fast path = exact path", () => {
  const corpus = [
    ...vectorInputs(POLICY_PARSE_VECTORS),
    ...vectorInputs(join(ROOT, "test/conformance/vectors/policy-parse-5.23.1.jsonl")),
    ...readCorpus(join(ROOT, "examples"), (n) => n.endsWith(".json")),
    ...readCorpus(join(ROOT, "test/fixtures"), (n) => n.endsWith(".json")),
    JSON.stringify(generatePolicy(300), null, 2) + "\n",
  ];

  it("on the vectors, examples and fixtures, as written and reformatted, for every target", () => {
    let fast = 0;
    let cases = 0;
    for (const text of corpus) {
      for (const variant of [text, ...reformatted(text)]) {
        for (const target of TARGETS) {
          cases++;
          if (expectSameLoad(variant, target)) fast++;
        }
      }
    }
    // The fast path must actually carry the load: most of these documents are plain valid policies.
    expect(fast).toBeGreaterThan(cases / 4);
  });

  it("reads the benchmark's policy (10,000-scope shape) on the fast path, for 5.23 and the newest", () => {
    const text = JSON.stringify(generatePolicy(2000), null, 2) + "\n";
    for (const target of [parseVersion("5.23"), undefined]) {
      expect(readPolicyFast(text, "policy.json", target)).toBeDefined();
      expectSameLoad(text, target);
    }
  });

  it.each([
    ["a duplicate scope", '{"default":[{"type":"reject"}],"transports":{"docker":{"a.example":[{"type":"reject"}],"a.example":[{"type":"insecureAcceptAnything"}]}}}'],
    ["a duplicate key in a requirement", '{"default":[{"type":"reject","type":"reject"}]}'],
    ["a duplicate default", '{"default":[{"type":"reject"}],"default":[{"type":"reject"}]}'],
    ["a case variant of type", '{"default":[{"Type":"reject"}]}'],
    ["a case variant next to type", '{"default":[{"type":"reject","TYPE":"reject"}]}'],
    ["an escaped key", '{"default":[{"typ\\u0065":"reject"}]}'],
    ["an escaped value", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k\\u002egpg"}]}'],
    ["a lone surrogate", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k\ud800"}]}'],
    ["an escaped lone surrogate", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k\\ud800"}]}'],
    ["a control character in a string", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k\tx"}]}'],
    ["a byte order mark", '\ufeff{"default":[{"type":"reject"}]}'],
    ["a trailing comma", '{"default":[{"type":"reject"},]}'],
    ["a trailing comma in an object", '{"default":[{"type":"reject"}],}'],
    ["text after the document", '{"default":[{"type":"reject"}]} x'],
    ["a second document", '{"default":[{"type":"reject"}]}{}'],
    ["null for a requirement list", '{"default":null}'],
    ["null for a key path", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":null}]}'],
    ["null for transports", '{"default":[{"type":"reject"}],"transports":null}'],
    ["a number", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":[1,2,3]}]}'],
    ["an empty key path", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":""}]}'],
    ["bad base64", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"a"}]}'],
    ["non-canonical base64", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YR=="}]}'],
    ["integer-like scopes (JSON.parse would reorder them)", '{"default":[{"type":"reject"}],"transports":{"dir":{"/b":[{"type":"reject"}],"1":[{"type":"reject"}]}}}'],
    ["an invalid docker-daemon scope", '{"default":[{"type":"reject"}],"transports":{"docker-daemon":{"sha256:' + "a".repeat(64) + '":[{"type":"reject"}]}}}'],
    ["atomic scopes on 5.23 and newer", '{"default":[{"type":"reject"}],"transports":{"atomic":{"not a scope":[{"type":"reject"}]}}}'],
    ["keyPaths for signedBy", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":["/a","/b"]}]}'],
    ["an empty keyPaths", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":[]}]}'],
    ["sigstore with fulcio and rekor", '{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/ca","oidcIssuer":"https://i","subjectEmail":"a@b"},"rekorPublicKeyPath":"/r"}]}'],
    ["sigstore with pki", '{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","subjectHostname":"h"}}]}'],
    ["sigstore with key lists", '{"default":[{"type":"sigstoreSigned","keyPaths":["/a"],"rekorPublicKeyDatas":["YQ=="]}]}'],
    ["sigstore with an empty rekor path", '{"default":[{"type":"sigstoreSigned","keyPath":"/a","rekorPublicKeyPath":""}]}'],
    ["sigstore with both legacy keys", '{"default":[{"type":"sigstoreSigned","keyPath":"/a","keyData":"YQ=="}]}'],
    ["remapIdentity", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"a.example/x","signedPrefix":"b.example"}}]}'],
    ["an invalid remap prefix", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"a.example/x/","signedPrefix":"b.example"}}]}'],
    ["exactReference without a tag", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"a.example/x"}}]}'],
    ["signedBaseLayer", '{"default":[{"type":"signedBaseLayer","baseLayerIdentity":{"type":"exactRepository","dockerRepository":"a.example/x"}}]}'],
    ["an empty object scope map", '{"default":[{"type":"reject"}],"transports":{"docker":{}}}'],
    ["whitespace everywhere", ' \r\n\t{ "default" : [ { "type" : "reject" } ] , "transports" : { } } \n'],
    // type, keyType and the identity type are matched against their constants: near misses give up.
    ["a type that is a prefix of one", '{"default":[{"type":"reje"}]}'],
    ["a type one of them is a prefix of", '{"default":[{"type":"rejected"}]}'],
    ["a type in another case", '{"default":[{"type":"SignedBy","keyType":"GPGKeys","keyPath":"/k"}]}'],
    ["a type with a trailing space", '{"default":[{"type":"reject "}]}'],
    ["an empty type", '{"default":[{"type":""}]}'],
    ["a type holding a tab", '{"default":[{"type":"re\tject"}]}'],
    ["a type that is not a string", '{"default":[{"type":["reject"]}]}'],
    ["every signedBy keyType", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k"},{"type":"signedBy","keyType":"signedByGPGKeys","keyPath":"/k"},{"type":"signedBy","keyType":"X509Certificates","keyPath":"/k"},{"type":"signedBy","keyType":"signedByX509CAs","keyPath":"/k"}]}'],
    ["a keyType near miss", '{"default":[{"type":"signedBy","keyType":"GPGKey","keyPath":"/k"}]}'],
    ["a keyType on sigstoreSigned", '{"default":[{"type":"sigstoreSigned","keyType":"GPGKeys","keyPath":"/k"}]}'],
    ["every identity type", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchExact"}},{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchRepoDigestOrExact"}},{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchRepository"}}]}'],
    ["an identity type near miss", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchexact"}}]}'],
    ["an identity without a type", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"dockerRepository":"a.example/x"}}]}'],
  ])("%s: the same as the exact loader, for every target", (_name, text) => {
    for (const target of TARGETS) expectSameLoad(text, target);
  });

  it("on policies emitted from random IR (newest and 5.23)", () => {
    for (const [features, target] of [["newest", undefined], ["5.23", parseVersion("5.23")]] as const) {
      let read = 0;
      fc.assert(
        fc.property(policy(features), (p) => {
          const out = emitPolicyJson(p, { target });
          if (out.text === undefined) return;
          for (const text of [out.text, ...reformatted(out.text)]) if (expectSameLoad(text, target)) read++;
        }),
        params(150, 0.05),
      );
      expect(read).toBeGreaterThan(0);
    }
  });

  it("on mutated documents", () => {
    fc.assert(
      fc.property(mutated(policySeeds(), JSON_DICT), fc.constantFrom(...TARGETS), (text, target) => {
        expectSameLoad(text, target);
      }),
      params(1500, 0.2),
    );
  });
});
