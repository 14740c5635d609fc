/**
 * Every finding (loader and lint) on the real-world corpus (../shared/corpus/real-world beside the clone, read in place) and on the
 * policies upstream ships, in one golden file for review: test/fixtures/lint/corpus.txt. Each policy is linted alone
 * (no registries.d: the cross-file rules stay quiet) and then a few pairs the corpus notes say belong together are
 * linted with --registries-d / --registries-conf semantics.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "vitest";
import { lintInputs } from "../../src/lint/lint-inputs.js";
import { nodeHost } from "../../src/host/node-host.js";
import type { FileReport } from "../../src/input/validate.js";
import { resolveSpan } from "../../src/diagnostics/render-text.js";
import { expectGolden } from "../cli/helpers.js";
import { SourceFile } from "../../src/source/source-file.js";
import { CORPUS as SHARED_CORPUS, skipWithoutShared } from "../support/shared.js";

const CORPUS = process.env.IMAGETRUST_CORPUS ?? SHARED_CORPUS;
const UPSTREAM = "/usr/share/gocode/src/github.com/containers/image";

const host = nodeHost();
const extraSources = new Map<string, SourceFile>();
function sourceOf(file: string): SourceFile | undefined {
  if (!extraSources.has(file) && existsSync(file)) extraSources.set(file, new SourceFile(file, readFileSync(file, "utf8")));
  return extraSources.get(file);
}

function render(reports: readonly FileReport[], base: string): string {
  const out: string[] = [];
  for (const r of reports) {
    const rel = (f: string) => (f.startsWith(base + "/") ? f.slice(base.length + 1) : f);
    out.push(`== ${rel(r.file)} (${r.kind}): ${r.fatal ? "not checked" : r.valid ? "accepted" : "rejected"}`);
    for (const d of r.diagnostics) {
      let where = rel(d.span?.file ?? d.file ?? r.file);
      if (d.span) {
        const s = r.sources.get(d.span.file) ?? sourceOf(d.span.file);
        if (s) {
          const p = resolveSpan(d.span, s);
          where += `:${p.line}:${p.column}`;
        }
      }
      const lint = d.code.startsWith("IT4") ? "lint " : "";
      out.push(`  ${where} ${d.severity} ${lint}${d.code} ${d.message.split("\n")[0]}`);
      for (const rel2 of d.related ?? []) {
        const s = r.sources.get(rel2.span.file);
        const p = s ? resolveSpan(rel2.span, s) : undefined;
        out.push(`    related ${rel(rel2.span.file)}${p ? `:${p.line}:${p.column}` : ""}: ${rel2.message}`);
      }
    }
  }
  return out.join("\n") + "\n";
}

const skip = process.env.IMAGETRUST_CORPUS === undefined && skipWithoutShared("the lint golden over the real-world corpus");

describe.skipIf(skip)("lint on the real-world corpus and upstream's policies", () => {
  it("golden: test/fixtures/lint/corpus.txt", async () => {
    const parts: string[] = [];
    for (const sub of ["policy", "registries.d", "registries.conf"]) {
      const dir = path.join(CORPUS, sub);
      const files = readdirSync(dir).sort().map((f) => path.join(dir, f));
      const kind = sub === "policy" ? "policy-json" : sub === "registries.d" ? "registries-d-file" : "registries-conf";
      parts.push(`#### ${sub}/\n`);
      for (const f of files) parts.push(render(await lintInputs([f], { kind, host }), CORPUS));
    }
    parts.push("#### upstream containers/image 5.23.1\n");
    parts.push(render(await lintInputs([path.join(UPSTREAM, "signature/fixtures/policy.json")], { kind: "policy-json", host }), UPSTREAM));

    // Pairs that are deployed together (same repository, per SOURCES.md).
    parts.push("#### pairs (policy with its registries.d / registries.conf)\n");
    const pair = async (label: string, policy: string, regD: string[], conf?: string) => {
      const d = mkdtempSync(path.join(tmpdir(), "imagetrust-corpus-"));
      mkdirSync(path.join(d, "registries.d"));
      for (const f of regD) symlinkSync(path.join(CORPUS, "registries.d", f), path.join(d, "registries.d", f));
      const reports = await lintInputs([path.join(CORPUS, "policy", policy)], {
        kind: "policy-json",
        host,
        registriesDPath: path.join(d, "registries.d"),
        registriesConfPath: conf ? path.join(CORPUS, "registries.conf", conf) : undefined,
      });
      // Only the policy's report (the others are above already).
      const text = render(reports.filter((r) => r.kind === "policy-json"), CORPUS).replace(new RegExp(d.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g"), "<registries.d>");
      parts.push(`-- ${label}\n` + text);
    };
    // Red Hat's registries.d files (005, 006) ship with containers-common on Fedora/RHEL: deployed beside the others.
    const RH = ["005-redhat-access-lookaside.yaml", "006-redhat-io-lookaside.yaml"];
    await pair("ublue-os/config", "027-ublue-os-config.json", [...RH, "018-ublue-toolbx-attachments.yaml"]);
    await pair("mcaimi/ocp4-signature-verification", "020-ocp4-machineconfig-rhel-defaults-envsubst.json", [...RH, "030-ocp4-nexus-sigstore.yaml"]);
    await pair("openshift/microshift", "019-microshift-kickstart-redhat-release-key3.json", ["026-microshift-attachments-plus-lookaside.yaml", "027-microshift-replace-placeholder-scope.yaml"], "012-microshift-mirror-placeholders.conf");
    await pair("gucci-on-fleek/maxchernoff.ca", "029-maxchernoff-placeholder-port-rekor.json", ["022-maxchernoff-quoted-placeholder-scope.yaml"], "013-maxchernoff-placeholder-location.conf");
    await pair("mullvad/mullvadvpn-app", "023-mullvad-build-containers-gpg.json", ["025-mullvad-read-sigstore-file.yaml"]);
    await pair("alexhaydock/goldenblue", "028-goldenblue-registry-with-port.json", [...RH, "020-goldenblue-yml-warning.yaml"]);
    await pair("SZH-CSPS/szh-silverblue-fleet", "032-silverblue-fleet-comment-key.json", ["021-silverblue-fleet-attachments.yaml"]);
    expectGolden("lint/corpus.txt", parts.join("\n"));
  }, 120_000);
});
