import { describe, expect, it } from "vitest";
import { compileTrustSource, type CompileTrustOptions } from "../../src/check/compile-source.js";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import { SourceFile } from "../../src/source/source-file.js";

/** Compile /site/main.trust with the other files readable as includes. */
function compile(files: Record<string, string>, options: CompileTrustOptions = {}) {
  const main = new SourceFile("/site/main.trust", files["/site/main.trust"]);
  const readInclude = (p: string) => {
    if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
    return files[p];
  };
  const r = compileTrustSource(main, { checkKeyFiles: false, readInclude, ...options });
  const where = r.diagnostics.map((d) => {
    const text = files[d.span!.file];
    const line = text.slice(0, d.span!.start).split("\n").length;
    return `${d.span!.file.split("/").pop()}:${line} ${d.code} ${d.severity}${d.related ? " related " + d.related.map((x) => `${x.span.file.split("/").pop()}:${files[x.span.file].slice(0, x.span.start).split("\n").length}`).join(",") : ""}`;
  });
  return { ...r, where };
}

const COMMON = `key acme gpg file "/etc/pki/containers/acme.gpg"
level internal = signed by acme
default reject
docker {
  "registry.acme.example" internal
}
`;

describe("include", () => {
  it("joins the definitions of the included file", () => {
    const r = compile({
      "/site/common.trust": COMMON,
      "/site/main.trust": `include "common.trust"\ndocker { "quay.io/acme" internal }\n`,
    });
    expect(r.where).toEqual([]);
    const docker = r.value!.policy.transports.find((t) => t.name === "docker")!;
    expect(docker.scopes.map((s) => s.scope)).toEqual(["registry.acme.example", "quay.io/acme"]);
    // Origins point into the file each scope was written in.
    expect(docker.scopes[0].keyOrigin!.file).toBe("/site/common.trust");
    expect(docker.scopes[1].keyOrigin!.file).toBe("/site/main.trust");
  });

  it("resolves paths relative to the including file, through nested directories", () => {
    const r = compile({
      "/site/lib/keys.trust": `key acme gpg file "/k.gpg"\n`,
      "/site/lib/common.trust": `include "keys.trust"\nlevel internal = signed by acme\ndefault reject\n`,
      "/site/main.trust": `include "lib/common.trust"\ndocker { "a.example" internal }\n`,
    });
    expect(r.where).toEqual([]);
  });

  it("joins a file reached twice (a diamond) once", () => {
    const r = compile({
      "/site/keys.trust": `key acme gpg file "/k.gpg"\n`,
      "/site/a.trust": `include "keys.trust"\nlevel a = signed by acme\n`,
      "/site/b.trust": `include "keys.trust"\nlevel b = signed by acme\n`,
      "/site/main.trust": `include "a.trust"\ninclude "b.trust"\ndefault reject\ndocker { "x.example" a\n "y.example" b }\n`,
    });
    expect(r.where).toEqual([]);
  });

  it("reports a cycle at the include that closes it, naming the one that opened it", () => {
    const r = compile({
      "/site/a.trust": `include "b.trust"\n`,
      "/site/b.trust": `\ninclude "a.trust"\n`,
      "/site/main.trust": `include "a.trust"\ndefault reject\n`,
    });
    expect(r.where).toEqual(["b.trust:2 IT2220 error related main.trust:1"]);
    expect(r.diagnostics[0].message).toBe('Include cycle: "a.trust" → "b.trust" → "a.trust".');
  });

  it("reports a file including itself", () => {
    const r = compile({ "/site/main.trust": `include "main.trust"\ndefault reject\n` });
    expect(r.where).toEqual(["main.trust:1 IT2220 error"]);
  });

  it("reports a missing file with where it was looked for", () => {
    const r = compile({ "/site/main.trust": `default reject\ninclude "nope.trust"\n` });
    expect(r.where).toEqual(["main.trust:2 IT2221 error"]);
    expect(r.diagnostics[0].hint).toContain("/site/nope.trust");
  });

  it("reports a definition duplicated across files at both places", () => {
    const r = compile({
      "/site/common.trust": COMMON,
      "/site/main.trust": `include "common.trust"\n\nlevel internal = reject\n`,
    });
    expect(r.where).toEqual(["main.trust:3 IT2100 error related common.trust:2"]);
  });

  it("reports a scope given in two files at both places", () => {
    const r = compile({
      "/site/common.trust": COMMON,
      "/site/main.trust": `include "common.trust"\ndocker {\n  "registry.acme.example" reject\n}\n`,
    });
    expect(r.where).toEqual(["main.trust:3 IT2112 error related common.trust:5"]);
  });

  it("puts syntax errors of an included file into that file", () => {
    const r = compile({
      "/site/common.trust": `default reject\nlevel = accept\n`,
      "/site/main.trust": `include "common.trust"\n`,
    });
    expect(r.where.map((w) => w.split(" ")[0])).toEqual(["common.trust:2"]);
  });

  it("orders diagnostics root first, then included files in the order they joined", () => {
    const r = compile({
      "/site/common.trust": `default reject\nlevel unused1 = accept\n`,
      "/site/main.trust": `include "common.trust"\nlevel unused2 = accept\n`,
    });
    expect(r.where).toEqual(["main.trust:2 IT2109 warning", "common.trust:2 IT2109 warning"]);
  });

  it("refuses an include inside a profile", () => {
    const r = compile({ "/site/main.trust": `default reject\nprofile p {\n  include "x.trust"\n}\n` });
    expect(r.where).toEqual(["main.trust:3 IT2222 error"]);
  });
});

const SITE = `include "common.trust"
docker {
  "quay.io/acme" internal
}
containers-storage {
  default reject
}
expect deny "docker://docker.io/library/busybox:1"

profile laptop {
  default reject
  containers-storage {
    default accept
  }
  docker {
    "quay.io/acme" accept
  }
  expect allow "containers-storage:localhost/dev:1"
}
profile server {
  expect deny "containers-storage:localhost/dev:1"
}
`;

describe("profiles", () => {
  const files = { "/site/common.trust": COMMON, "/site/main.trust": SITE };

  it("compile without a profile gives the base", () => {
    const r = compile(files);
    expect(r.where).toEqual([]);
    const cs = r.value!.policy.transports.find((t) => t.name === "containers-storage")!;
    expect(cs.scopes[0].requirements.map((x) => x.type)).toEqual(["reject"]);
    expect(r.value!.expectations.map((e) => e.reference)).toEqual(["docker://docker.io/library/busybox:1"]);
    expect(r.value!.profile).toBeUndefined();
  });

  it("a profile overrides scopes in place and adds its expectations to the shared ones", () => {
    const r = compile(files, { profile: "laptop" });
    expect(r.where).toEqual([]);
    const m = r.value!;
    const docker = m.policy.transports.find((t) => t.name === "docker")!;
    expect(docker.scopes.map((s) => [s.scope, s.requirements.map((x) => x.type).join("+")])).toEqual([
      ["registry.acme.example", "signedBy"],
      ["quay.io/acme", "insecureAcceptAnything"],
    ]);
    const cs = m.policy.transports.find((t) => t.name === "containers-storage")!;
    expect(cs.scopes[0].requirements.map((x) => x.type)).toEqual(["insecureAcceptAnything"]);
    expect(m.expectations.map((e) => e.reference)).toEqual(["docker://docker.io/library/busybox:1", "containers-storage:localhost/dev:1"]);
    expect(m.profile!.name).toBe("laptop");
    expect(m.profile!.overrides.map((o) => `${o.transport ?? "(global)"} ${o.scope ?? ""}`)).toEqual([
      "(global) ",
      "containers-storage ",
      "docker quay.io/acme",
    ]);
    expect(m.profile!.overrides[0].base.file).toBe("/site/common.trust");
  });

  it("an unknown profile is an error with did-you-mean", () => {
    const r = compile(files, { profile: "laptp" });
    expect(r.where).toEqual(["main.trust:1 IT2230 error"]);
    expect(r.diagnostics[0].hint).toContain("laptop");
  });

  it("a profile holds no names or storage", () => {
    const r = compile({ "/site/main.trust": `default reject\nprofile p {\n  level x = accept\n}\n` });
    expect(r.where).toEqual(["main.trust:3 IT2231 error related main.trust:2"]);
  });

  it("names used only by a profile that is not compiled are used, and typos there are reported", () => {
    const ok = compile({ "/site/main.trust": `level open = accept\ndefault reject\nprofile p {\n  default open\n}\n` });
    expect(ok.where).toEqual([]);
    const typo = compile({ "/site/main.trust": `level open = accept\ndefault reject\nprofile p {\n  default opn\n}\n` });
    expect(typo.where).toEqual(["main.trust:1 IT2109 warning", "main.trust:4 IT2101 error"]);
  });

  it("two profiles giving the same scope do not collide; one profile giving it twice does", () => {
    const r = compile({ "/site/main.trust": `default reject\nprofile a {\n  docker { "x.example" accept }\n}\nprofile b {\n  docker { "x.example" accept }\n}\n` }, { profile: "a" });
    expect(r.where).toEqual([]);
    const twice = compile({ "/site/main.trust": `default reject\nprofile a {\n  docker { "x.example" accept }\n  docker { "x.example" reject }\n}\n` }, { profile: "a" });
    expect(twice.where).toEqual(["main.trust:4 IT2112 error related main.trust:3"]);
  });

  it("sources without includes or profiles compile exactly as before", () => {
    const text = `default reject\ndocker { "a.example" accept }\n`;
    const a = compileTrustSource(new SourceFile("/site/main.trust", text), { checkKeyFiles: false });
    expect(a.value!.profile).toBeUndefined();
    expect(emitPolicyJson(a.value!.policy).text).toContain('"a.example"');
  });
});
