import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { emitRegistriesD, type RegistriesDLayout } from "../../src/emit/registries-d.js";
import type { RegistriesDConfig } from "../../src/ir/types.js";
import { parseVersion } from "../../src/ir/versions.js";
import { buildGoHarness, goHarnessAvailable, goLookaside, GO_BUILD_TIMEOUT_MS } from "../harness/go-harness.js";
import { fullRegistriesD } from "./ir-fixtures.js";

const REFS = [
  "quay.io/acme/tool:1",
  "quay.io/acme/app:1",
  "registry.access.redhat.com/ubi8/ubi:8",
  "registry.redhat.io/x:1",
  "a.example.com/x:1",
  "localhost:5000/x:1",
  "empty.example/x:1",
  "other.example/y:1",
];

/** What containers/image 5.23.1 must decide for REFS under fullRegistriesD() (spec §5.3–5.4). */
const EXPECTED = [
  { read: "file:///var/lib/containers/sigstore/acme/tool", write: "file:///var/lib/containers/staging/acme/tool", useSigstoreAttachments: true },
  { read: "https://sigs.example/a%20b/acme/app?x=1#frag:%20%22q%22%20%27single%27%20%23not-comment", useSigstoreAttachments: false },
  { read: "https://access.redhat.com/webassets/docker/content/sigstore/ubi8/ubi", write: "https://access.redhat.com/webassets/docker/content/sigstore/ubi8/ubi", useSigstoreAttachments: false },
  { read: "https://registry.redhat.io/containers/sigstore/x", write: "file:///tmp/staging/x", useSigstoreAttachments: false },
  { read: "https://wild.example/sigs/x", write: "https://wild.example/sigs/x", useSigstoreAttachments: false },
  // The tab arrives intact (and Go's net/url refuses it): the scalar was decoded exactly.
  { readError: 'Invalid signature storage URL file:///srv/sigs/ünï\ttab: parse "file:///srv/sigs/ünï\\ttab": net/url: invalid control character in URL', useSigstoreAttachments: false },
  { read: "file:///var/lib/containers/sigstore/x", write: "file:///var/lib/containers/staging/x", useSigstoreAttachments: false },
  { read: "file:///var/lib/containers/sigstore/y", write: "file:///var/lib/containers/staging/y", useSigstoreAttachments: false },
];

async function decide(config: RegistriesDConfig, layout: RegistriesDLayout, target?: string) {
  const dir = mkdtempSync(join(tmpdir(), "imagetrust-regd-upstream-"));
  try {
    const r = emitRegistriesD(config, { layout, target: target ? parseVersion(target) : undefined });
    for (const f of r.files!) writeFileSync(join(dir, f.name), f.text);
    return await goLookaside(dir, REFS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs = goHarnessAvailable() || process.env.CI === "true";

describe.runIf(runs && process.geteuid?.() === 0)("containers/image 5.23.1 reads the emitted registries.d as the IR says", () => {
  beforeAll(() => buildGoHarness(), GO_BUILD_TIMEOUT_MS);

  it.each(["by-file", "per-host", "single"] as const)("layout %s", async (layout) => {
    const res = await decide(fullRegistriesD(), layout);
    res.forEach((r, i) => expect(r, REFS[i]).toMatchObject(EXPECTED[i]));
  });

  it("target 5.21 (only the old sigstore names) gives the same URLs", async () => {
    const c = fullRegistriesD();
    c.docker = c.docker.map((e) => ({ ...e, storage: { ...e.storage, useSigstoreAttachments: undefined } }));
    const res = await decide(c, "per-host", "5.21");
    res.forEach((r, i) => {
      const { useSigstoreAttachments: _, ...urls } = EXPECTED[i];
      expect(r, REFS[i]).toMatchObject({ ...urls, useSigstoreAttachments: false });
    });
  });
});
