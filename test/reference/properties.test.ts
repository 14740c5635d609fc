import fc from "fast-check";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanPath } from "../../src/reference/clean-path.js";
import {
  familiarString,
  parseNamed,
  parseNormalizedNamed,
  referenceString,
  tagNameOnly,
} from "../../src/reference/docker-reference.js";
import { parseImageReference } from "../../src/reference/image-reference.js";
import { validatePolicyScope } from "../../src/reference/scopes.js";

const alnum = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const component = fc.tuple(alnum, fc.array(fc.tuple(fc.constantFrom(".", "_", "__", "-", "---"), alnum), { maxLength: 2 }))
  .map(([a, rest]) => a + rest.map(([s, b]) => s + b).join(""));
const domain = fc.oneof(
  fc.constantFrom("docker.io", "quay.io", "localhost", "localhost:5000", "Registry.Example.com:443", "10.0.0.1:5000"),
  fc.tuple(alnum, alnum).map(([a, b]) => `${a}.${b}`),
);
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`);
const reference = fc.record({
  domain,
  path: fc.array(component, { minLength: 1, maxLength: 4 }).map((xs) => xs.join("/")),
  tag: fc.option(tag, { nil: undefined }),
  digest: fc.option(digest, { nil: undefined }),
});

describe("docker reference properties", () => {
  it("canonical strings round-trip through parseNormalizedNamed and parseNamed", () => {
    fc.assert(
      fc.property(reference, (r) => {
        const text = referenceString(r);
        const parsed = parseNormalizedNamed(text);
        if (r.domain === "docker.io" && !r.path.includes("/")) {
          // docker.io/x is expanded to docker.io/library/x: not canonical.
          expect(parsed.ok && referenceString(parsed.ref)).toBe(referenceString({ ...r, path: "library/" + r.path }));
          expect(parseNamed(text)).toEqual({ ok: false, error: "repository name must be canonical" });
          return;
        }
        expect(parsed.ok && referenceString(parsed.ref)).toBe(text);
        expect(parseNamed(text).ok).toBe(true);
      }),
    );
  });

  it("the familiar form parses back to the same reference, except docker.io names that look like a host (as upstream)", () => {
    fc.assert(
      fc.property(reference, (r) => {
        const p = parseNormalizedNamed(referenceString(r));
        if (!p.ok) return;
        const again = parseNormalizedNamed(familiarString(p.ref));
        const first = p.ref.path.split("/")[0];
        const looksLikeHost = p.ref.domain === "docker.io" && (/[.:]/.test(first) || first === "localhost") && p.ref.path.includes("/");
        if (looksLikeHost) {
          expect(again.ok && referenceString(again.ref)).not.toBe(referenceString(p.ref));
        } else {
          expect(again.ok && referenceString(again.ref)).toBe(referenceString(p.ref));
        }
      }),
    );
  });

  it("docker transport identities are always valid docker scopes and the first namespace is the repository", () => {
    fc.assert(
      fc.property(reference, (r) => {
        if (r.tag !== undefined && r.digest !== undefined) return;
        const parsed = parseImageReference("docker://" + referenceString(r));
        if (!parsed.ok) return;
        const name = referenceString({ domain: parsed.ref.dockerReference!.domain, path: parsed.ref.dockerReference!.path });
        expect(parsed.ref.namespaces[0]).toBe(name);
        expect(parsed.ref.identity.startsWith(name)).toBe(true);
        expect(referenceString(tagNameOnly(parsed.ref.dockerReference!))).toBe(parsed.ref.identity);
      }),
    );
  });
});

describe("cleanPath properties", () => {
  const pathText = fc.array(fc.constantFrom("a", "bb", ".", "..", "", "c.d", "..."), { maxLength: 8 })
    .chain((parts) => fc.boolean().map((abs) => (abs ? "/" : "") + parts.join("/")));
  it("is idempotent and agrees with path.posix.normalize up to Go's conventions", () => {
    fc.assert(
      fc.property(pathText, (p) => {
        const c = cleanPath(p);
        expect(cleanPath(c)).toBe(c);
        let n = path.posix.normalize(p === "" ? "." : p);
        if (n.length > 1 && n.endsWith("/")) n = n.slice(0, -1);
        if (n.startsWith("//")) n = n.slice(1);
        expect(c).toBe(n);
      }),
    );
  });
  it("clean absolute paths are exactly the accepted dir scopes (besides /)", () => {
    fc.assert(
      fc.property(pathText, (p) => {
        if (p === "") return;
        const accepted = validatePolicyScope("dir", p).error === undefined;
        expect(accepted).toBe(p.startsWith("/") && p !== "/" && cleanPath(p) === p);
      }),
    );
  });
});
