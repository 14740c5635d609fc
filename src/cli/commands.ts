/**
 * The commands beyond validate/lint: compile, fmt, import, simulate, verify, test, diff. Each loads its library module on
 * use, so a problem in one of them never breaks the others (or --help).
 */
import { Command, Option } from "commander";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { emptyRegistriesD, type Policy, type RegistriesDConfig } from "../ir/types.js";
import { readTextFile } from "../api/files.js";
import type { SimulationResult } from "../api/simulate.js";
import type { EvidenceReport, InstanceResult, VerifiedRequirement, VerifyImageResult } from "../api/verify.js";
import { stylesFor } from "./io.js";
import { CommandContext, EXIT, InputError, UsageError, parseTarget, renderLooseDiagnostics } from "./context.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const targetOption = () => new Option("--target <version>", "containers/image version to judge by (default: the newest)");
const colorOption = () => new Option("--color <when>", "colour the text output").choices(["auto", "always", "never"]).default("auto");

/** Read a text file for a command, printing the IT9xxx diagnostic and throwing InputError when it cannot be read. */
async function readSource(ctx: CommandContext, path: string) {
  const r = await readTextFile(ctx.libraryPath(path), { fs: ctx.io.fs });
  if (!r.source) {
    ctx.err(await renderLooseDiagnostics(ctx, path, r.diagnostics));
    throw new InputError(`cannot read ${path}`);
  }
  return r.source;
}

/** The bytes of `--manifest FILE` (undefined without the option), printing the IT9xxx diagnostic when unreadable. */
async function readManifest(ctx: CommandContext, path: string | undefined): Promise<Uint8Array | undefined> {
  if (path === undefined) return undefined;
  const m = await readTextFile(ctx.libraryPath(path), { fs: ctx.io.fs });
  if (!m.bytes) {
    ctx.err(await renderLooseDiagnostics(ctx, path, m.diagnostics));
    throw new InputError("cannot read the manifest");
  }
  return m.bytes;
}

/** A policy input (policy.json or .trust) plus optional registries.d directory. */
async function loadPolicyAndStorage(
  ctx: CommandContext,
  policyPath: string,
  registriesDPath: string | undefined,
  target: ReturnType<typeof parseTarget>,
): Promise<{ policy: Policy; registriesD?: RegistriesDConfig }> {
  const report = await ctx.loadModel(policyPath, { target, what: "policy" });
  const policy = report.model!.policy;
  if (!policy) {
    throw new UsageError(`${policyPath} holds no policy (expected a policy.json or a .trust file)`);
  }
  let registriesD = report.model!.registriesD;
  if (registriesDPath !== undefined) {
    const r = await ctx.loadModel(registriesDPath, { target, kind: "registries-d-dir", what: "registries.d directory" });
    registriesD = r.model!.registriesD;
  }
  return { policy, registriesD };
}

/** The options of `imagetrust simulate` as commander parses them. */
interface SimulateCliOptions {
  policy: string;
  registriesD?: string;
  registriesConf?: string;
  refs?: string;
  manifest?: string;
  /** A directory (`--signatures DIR`), false (`--no-signatures`) or undefined (the runtime's default places). */
  signatures?: string | false;
  lookaside?: boolean;
  online?: boolean;
  platform?: string;
  tlsVerify?: string;
  authfile?: string;
  debian?: boolean;
  explain?: boolean;
  format: string;
  target?: string;
  color: string;
}

/**
 * The signature evidence behind one simulated reference: what was read (`verifyImage`'s evidence report) and,
 * per evaluated signature requirement, each signature's check.
 */
interface SimulationSignatures extends EvidenceReport {
  requirements: VerifiedRequirement[];
  /** `--online` with a manifest list: each instance decided. */
  instances?: InstanceResult[];
}

/** One element of `imagetrust simulate --format json`: the simulation plus `signatures` (null: no evidence read). */
type SimulationWithEvidence = SimulationResult & { signatures: SimulationSignatures | null };

/** Where the evidence for one input comes from. */
type EvidenceMode = "none" | "given" | "stored" | "lookaside" | "online";

/** The transport of `transport:rest` when it is one containers/image knows (alltransports splits at the first ':'). */
function transportPrefix(input: string, isKnownTransport: (name: string) => boolean): string | undefined {
  const colon = input.indexOf(":");
  if (colon <= 0) return undefined;
  const t = input.slice(0, colon);
  return isKnownTransport(t) ? t : undefined;
}

/**
 * Which evidence `simulate` reads for an input: none for bare names (podman's short-name path) and with
 * `--no-signatures`; `--signatures DIR` for every transport:reference; else what the runtime reads without
 * asking — a `dir:` image's own signature files — and, only when asked, a docker:// reference's lookaside or
 * registry. Other transports are decided as the runtime decides an image without signatures.
 */
function evidenceMode(transport: string | undefined, opts: SimulateCliOptions): EvidenceMode {
  if (transport === undefined || opts.signatures === false) return "none";
  if (typeof opts.signatures === "string") return "given";
  if (transport === "dir") return "stored";
  if (transport === "docker" && opts.online) return "online";
  if (transport === "docker" && opts.lookaside) return "lookaside";
  return "none";
}

/**
 * The simulation with real signature verdicts (`verifyImage`'s second pass) in place of the evidence-free one;
 * registries.conf pull sources and warnings are kept from the plain simulation, and verdict / upstreamError are
 * the runtime's decision, which can also fail after the policy accepted (unreadable signatures, a denied
 * instance of a manifest list).
 */
function mergeEvidence(plain: SimulationResult, v: VerifyImageResult): SimulationWithEvidence {
  const sim = v.simulation;
  const signatures: SimulationSignatures = { ...v.evidence, requirements: v.requirements };
  if (v.instances) signatures.instances = v.instances;
  const r: SimulationWithEvidence = {
    ...sim,
    ref: plain.ref,
    verdict: v.verdict,
    upstreamError: v.error,
    reasons: [...sim.reasons],
    warnings: [...new Set([...plain.warnings, ...sim.warnings])],
    signatures,
  };
  if (plain.pullSources) r.pullSources = plain.pullSources;
  if (v.verdict === "deny" && sim.verdict === "allow") {
    r.reasons.push(
      v.instances
        ? `an instance of the manifest list is denied: ${v.error ?? ""}`
        : `the requirements accepted the image, but the pull fails: ${v.error ?? ""}`,
    );
  }
  return r;
}

/** Text for the evidence of one reference: where signatures were read, and what became of each. */
function renderEvidenceText(s: SimulationSignatures | null, indent: string): string {
  if (s === null) return "";
  const lines: string[] = [];
  lines.push(`signatures read: ${s.source}${s.locations.length ? ` (${s.locations.join(", ")})` : ""}`);
  if (s.manifestDigest) lines.push(`manifest digest: ${s.manifestDigest}`);
  if (s.manifestError) lines.push(`manifest: ${s.manifestError}`);
  if (s.readError) lines.push(`reading signatures failed: ${s.readError}`);
  const requirementLines = (reqs: readonly VerifiedRequirement[], pad: string) => {
    if (reqs.length === 0) lines.push(`${pad}no signature requirement was evaluated`);
    for (const q of reqs) {
      const noneChecked = q.signatures.length === 0 && !q.allowed && q.message;
      lines.push(`${pad}requirement ${q.index + 1} (${q.type}): ${q.allowed ? "accepted" : "denied"}${noneChecked ? `: ${q.message}` : ""}`);
      for (const c of q.signatures) {
        const who = [c.claimedIdentity ? `claims ${c.claimedIdentity}` : "", c.signer ? `signed by ${c.signer}` : ""].filter(Boolean).join(", ");
        lines.push(`${pad}  signature ${c.index + 1}: ${c.accepted ? "accepted" : `rejected: ${c.reason ?? "(no reason given)"}`}${who ? ` (${who})` : ""}`);
      }
    }
  };
  if (s.instances) {
    for (const i of s.instances) {
      lines.push(`instance ${i.digest}${i.platform ? ` (${i.platform})` : ""}: ${i.verdict === "allow" ? "ALLOW" : `DENY: ${i.error ?? ""}`}`);
      requirementLines(i.requirements, "  ");
    }
  } else requirementLines(s.requirements, "");
  return lines.map((l) => indent + l).join("\n") + "\n";
}

/** Register compile, fmt, import, simulate, test and diff on `program`. */
export function registerMoreCommands(program: Command, ctx: CommandContext): void {
  // ---------------------------------------------------------------------------------------------- compile
  program
    .command("compile")
    .description("compile a .trust file into policy.json and registries.d/ (nothing is written on any error)")
    .argument("<file>", "the .trust source")
    .requiredOption("-o, --out <dir>", "output directory (policy.json and registries.d/ go inside)")
    .option("--check", "write nothing; exit 1 when the output directory differs from what would be written")
    .addOption(targetOption())
    .addOption(
      new Option("--target-k8s <engine>", "write Kubernetes admission policies for this engine instead of policy.json").choices([
        "policy-controller",
        "kyverno",
        "kyverno-ivp",
      ]),
    )
    .addOption(new Option("--mode <mode>", "with --target-k8s: enforce, or only warn/audit").choices(["enforce", "warn"]).default("enforce"))
    .option("--keys <dir>", "read the key files the source names from this directory, by file name (the output keeps their install paths)")
    .addOption(colorOption())
    .addHelpText(
      "after",
      `
Examples:
  $ imagetrust compile site.trust --out /etc/containers
  $ imagetrust compile site.trust --out out/ --target 5.23
  $ imagetrust compile site.trust --out /etc/containers --check     # in CI: is the deployed policy current?
  $ imagetrust compile site.trust --target-k8s policy-controller --out k8s/   # ClusterImagePolicy manifests
  $ imagetrust compile site.trust --target-k8s kyverno --out k8s/             # Kyverno ClusterPolicy manifests
  $ imagetrust compile site.trust --target-k8s kyverno-ivp --out k8s/         # Kyverno ImageValidatingPolicy (CEL) manifests
  $ imagetrust compile examples/keyless-ci.trust --keys examples/keys --target-k8s kyverno --out k8s/
`,
    )
    .action(async (file: string, opts: { out: string; check?: boolean; target?: string; targetK8s?: string; mode: string; keys?: string; color: string }) => {
      const target = parseTarget(opts.target);
      const source = await readSource(ctx, file);
      const keyAccess = opts.keys === undefined ? undefined : (await import("../api/key-files.js")).keyFilesFrom(ctx.libraryPath(opts.keys));
      const r = opts.targetK8s
        ? await (await import("../api/compile-k8s.js")).compileToKubernetesFiles(source, {
            outDir: ctx.libraryPath(opts.out),
            k8sTarget: opts.targetK8s as "kyverno",
            mode: opts.mode as "warn",
            target,
            check: opts.check === true,
            compile: keyAccess,
          })
        : await (await import("../api/compile.js")).compileToFiles(source, {
            outDir: ctx.libraryPath(opts.out),
            target,
            check: opts.check === true,
            compile: keyAccess,
          });
      ctx.out(await renderLooseDiagnostics(ctx, file, r.diagnostics, ctx.color(opts.color as "auto")));
      if (hasErrors(r.diagnostics)) {
        ctx.out(`${ctx.display(file)}: not compiled${opts.targetK8s ? ` for ${opts.targetK8s}` : ""}\n`);
        ctx.exitCode = EXIT.rejected;
        return;
      }
      if (opts.check) {
        const diffs = r.differences ?? [];
        for (const d of diffs) ctx.out(`${d}\n`);
        ctx.out(diffs.length ? `${ctx.display(opts.out)} is out of date\n` : `${ctx.display(opts.out)} is up to date\n`);
        ctx.exitCode = diffs.length ? EXIT.rejected : EXIT.ok;
        return;
      }
      for (const w of r.written) ctx.out(`wrote ${ctx.display(w)}\n`);
      for (const w of r.removed ?? []) ctx.out(`removed ${ctx.display(w)}\n`);
    });

  // ---------------------------------------------------------------------------------------------- fmt
  program
    .command("fmt")
    .description("format .trust files canonically (comments kept)")
    .argument("<files...>", ".trust files")
    .option("-w, --write", "rewrite the files in place")
    .option("--check", "write nothing; exit 1 when a file is not formatted")
    .addHelpText(
      "after",
      `
Examples:
  $ imagetrust fmt site.trust            # print the formatted text
  $ imagetrust fmt --write *.trust
  $ imagetrust fmt --check *.trust       # in CI
`,
    )
    .action(async (files: string[], opts: { write?: boolean; check?: boolean }) => {
      if (!opts.write && !opts.check && files.length > 1) throw new UsageError("fmt prints one file; use --write or --check for several");
      const { formatTrustSource } = await import("../print/format.js");
      let failed = false;
      for (const file of files) {
        const source = await readSource(ctx, file);
        const r = formatTrustSource(source);
        if (r.text === undefined) {
          ctx.out(await renderLooseDiagnostics(ctx, file, r.diagnostics));
          failed = true;
          continue;
        }
        if (opts.check) {
          if (r.text !== source.text) {
            ctx.out(`${ctx.display(file)}: not formatted\n`);
            failed = true;
          }
        } else if (opts.write) {
          if (r.text !== source.text) {
            const { writeFileAtomic } = await import("../util/atomic-write.js");
            await writeFileAtomic(ctx.libraryPath(file), r.text);
            ctx.out(`formatted ${ctx.display(file)}\n`);
          }
        } else {
          ctx.out(r.text);
        }
      }
      ctx.exitCode = failed ? EXIT.rejected : EXIT.ok;
    });

  // ---------------------------------------------------------------------------------------------- import
  program
    .command("import")
    .description("turn an existing policy.json (and registries.d) into .trust source")
    .argument("<policy>", "a policy.json")
    .option("--registries-d <dir>", "a registries.d directory to include")
    .option("-o, --output <file>", "write the .trust source here instead of printing it")
    .addOption(targetOption())
    .addHelpText(
      "after",
      `
Examples:
  $ imagetrust import /etc/containers/policy.json --registries-d /etc/containers/registries.d -o site.trust
`,
    )
    .action(async (policyPath: string, opts: { registriesD?: string; output?: string; target?: string }) => {
      const target = parseTarget(opts.target);
      const { policy, registriesD } = await loadPolicyAndStorage(ctx, policyPath, opts.registriesD, target);
      const { printTrustModel } = await import("../print/trust-printer.js");
      const text = printTrustModel({ policy, registriesD: registriesD ?? emptyRegistriesD(), expectations: [] });
      if (opts.output !== undefined) {
        const { writeFileAtomic } = await import("../util/atomic-write.js");
        await writeFileAtomic(ctx.libraryPath(opts.output), text);
        ctx.out(`wrote ${ctx.display(opts.output)}\n`);
      } else {
        ctx.out(text);
      }
    });

  // ---------------------------------------------------------------------------------------------- simulate
  program
    .command("simulate")
    .description("would pulling these images be allowed, and why (with the real signatures when they are at hand)")
    .argument("[refs...]", "image references as skopeo takes them (docker://…, dir:…) or bare names as podman does")
    .requiredOption("--policy <file>", "policy.json or .trust file")
    .option("--registries-d <dir>", "registries.d directory (signature storage)")
    .option("--registries-conf <file>", "registries.conf (short names, mirrors)")
    .option("--refs <file>", "read references from a file (one per line, # comments)")
    .option("--manifest <file>", "the image manifest: its digest locates and is checked against signatures (replaces a dir: image's manifest.json)")
    .option("--signatures <dir>", "signature-1, signature-2, … in this directory are the signatures of every transport:reference given")
    .option("--no-signatures", "read no signatures at all, not even those of dir: images (signature requirements deny)")
    .option("--lookaside", "read the signatures of docker:// references from their registries.d lookaside (file:// and http(s)://)")
    .option("--online", "read the manifest and signatures of docker:// references from their registry (network)")
    .option("--platform <os/arch>", "with --online and a manifest list: decide only this instance")
    .option("--tls-verify <bool>", "with --online or --lookaside: verify TLS certificates (default true)")
    .option("--authfile <file>", "with --online: containers auth.json for registry credentials")
    .option("--debian", "with signatures: reproduce Debian 12's containers/image build, which rejects every sigstore signature")
    .option("--explain", "the full explanation for every reference")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(targetOption())
    .addOption(colorOption())
    .addHelpText(
      "after",
      `
Signature evidence (what the runtime would see; signature requirements are decided on it):
  dir:PATH             the signatures stored in the image directory (signature-1, …) and its manifest.json,
                       read by default as the runtime reads them
  --signatures DIR     the files signature-1, signature-2, … of DIR, as if served for each transport:reference
                       given, with the manifest of --manifest FILE (or of a dir: image)
  --lookaside          docker:// references: the registries.d lookaside (file:// and http(s)://), at the digest
                       of --manifest FILE or of an @sha256: reference
  --online             docker:// references: the live registry (manifest, lookaside, sigstore attachments)
  --no-signatures      none: every signature requirement denies for want of a signature
Other references (and bare names) are decided without signatures, as an unsigned image. Nothing is read over
the network without --lookaside (http(s) lookasides) or --online.
The JSON output has, per reference, "signatures": the evidence read and, for each signature requirement, each
signature's check (accepted, reason, claimed identity, signer); null when no evidence was read.

Exit status: 0 every reference allowed, 1 any denied, 2 usage error or unusable input.

Examples:
  $ imagetrust simulate --policy /etc/containers/policy.json docker://quay.io/acme/app:1.2
  $ imagetrust simulate --policy site.trust --registries-d /etc/containers/registries.d --explain docker://busybox
  $ imagetrust simulate --policy policy.json --refs images.txt --format json
  $ imagetrust simulate --policy policy.json dir:/srv/images/app          # the image's own signatures
  $ imagetrust simulate --policy policy.json --manifest m.json --signatures sigs/ docker://quay.io/acme/app:1
  $ imagetrust simulate --policy policy.json --registries-d /etc/containers/registries.d --lookaside \\
      --manifest m.json docker://quay.io/acme/app:1
`,
    )
    .action(async (refs: string[], opts: SimulateCliOptions) => {
      const target = parseTarget(opts.target);
      if (opts.tlsVerify !== undefined && opts.tlsVerify !== "true" && opts.tlsVerify !== "false") {
        throw new UsageError(`invalid --tls-verify '${opts.tlsVerify}': expected true or false`);
      }
      if (typeof opts.signatures === "string" && opts.online) throw new UsageError("--signatures and --online cannot be combined: --online reads the signatures from the registry");
      if (opts.signatures === false && (opts.online || opts.lookaside)) throw new UsageError("--no-signatures cannot be combined with --online or --lookaside");
      const all = [...refs];
      if (opts.refs !== undefined) {
        const { parseRefsFile } = await import("../api/simulate.js");
        all.push(...parseRefsFile((await readSource(ctx, opts.refs)).text));
      }
      if (all.length === 0) throw new UsageError("simulate needs at least one image reference (or --refs FILE)");
      const { policy, registriesD } = await loadPolicyAndStorage(ctx, opts.policy, opts.registriesD, target);
      let registriesConf;
      if (opts.registriesConf !== undefined) {
        const { loadRegistriesConf } = await import("../load/registries-conf.js");
        const r = loadRegistriesConf({ confPath: ctx.libraryPath(opts.registriesConf), explicit: true, target });
        if (!r.value) {
          ctx.err(await renderLooseDiagnostics(ctx, opts.registriesConf, r.diagnostics));
          throw new InputError("registries.conf cannot be used");
        }
        registriesConf = r.value;
      }
      const manifest = await readManifest(ctx, opts.manifest);
      const { simulate, simulationExitCode } = await import("../api/simulate.js");
      const env = { euid: ctx.io.euid ?? 0, home: ctx.io.env.HOME };
      const parse = { cwd: ctx.io.cwd, target };
      const base = { policy, registriesD, registriesConf, manifest, env, parse };
      const plain = simulate({ ...base, refs: all });
      const { isKnownTransport } = await import("../reference/scopes.js");
      const results: SimulationWithEvidence[] = [];
      for (let i = 0; i < all.length; i++) {
        const transport = transportPrefix(all[i], isKnownTransport);
        // A reference that does not parse is denied before anything is read.
        const mode = plain[i].error === null ? evidenceMode(transport, opts) : "none";
        if (mode === "none") {
          const r: SimulationWithEvidence = { ...plain[i], signatures: null };
          if (transport === undefined && plain[i].error === null && (typeof opts.signatures === "string" || opts.lookaside || opts.online))
            r.warnings = [...r.warnings, "signatures are read only for transport:reference inputs (e.g. docker://NAME): this bare name was decided without them"];
          results.push(r);
          continue;
        }
        // registries.conf can make the pull fail before the policy (and so any signature) is consulted.
        if (registriesConf !== undefined) {
          const policyOnly = simulate({ ...base, registriesConf: undefined, refs: [all[i]] })[0];
          if (plain[i].upstreamError !== policyOnly.upstreamError) {
            results.push({ ...plain[i], signatures: null });
            continue;
          }
        }
        const { verifyImage } = await import("../api/verify.js");
        const v = await verifyImage({
          policy,
          registriesD,
          ref: all[i],
          manifest,
          signaturesDir: mode === "given" ? ctx.libraryPath(opts.signatures as string) : undefined,
          target: opts.target,
          debianSigstoreDisabled: opts.debian === true,
          env,
          parse,
          http: opts.tlsVerify !== undefined ? { tlsVerify: opts.tlsVerify !== "false" } : undefined,
          online:
            mode === "online"
              ? { platform: opts.platform, tlsVerify: opts.tlsVerify !== "false", authFile: opts.authfile, home: ctx.io.env.HOME, env: ctx.io.env }
              : undefined,
        });
        results.push(mergeEvidence(plain[i], v));
      }
      if (opts.format === "json") {
        ctx.out(JSON.stringify(results, null, 2) + "\n");
      } else {
        const st = stylesFor(ctx.color(opts.color as "auto"));
        const { renderSimulationExplanation, renderSimulationTable } = await import("../api/simulate.js");
        const style = { allow: st.info, deny: st.error, dim: st.dim, bold: st.location };
        if (results.length === 1 || opts.explain) {
          ctx.out(results.map((r) => renderSimulationExplanation(r, { style }) + renderEvidenceText(r.signatures, "  ")).join("\n"));
        } else {
          let text = renderSimulationTable(results, { style });
          for (const r of results) if (r.signatures) text += `${r.ref}:\n${renderEvidenceText(r.signatures, "  ")}`;
          ctx.out(text);
        }
      }
      ctx.exitCode = simulationExitCode(results);
    });

  // ---------------------------------------------------------------------------------------------- verify
  program
    .command("verify")
    .description("decide a pull with the real signatures, verifying them as containers/image does")
    .argument("<ref>", "the image, as skopeo takes it (dir:PATH, docker://…, oci:PATH:TAG, …)")
    .requiredOption("--policy <file>", "policy.json or .trust file")
    .option("--registries-d <dir>", "registries.d directory (lookaside locations)")
    .option("--manifest <file>", "the image manifest (default: read from a dir: image)")
    .option("--signatures <dir>", "read signature-1, signature-2, … from this directory instead of where the runtime would")
    .option("--online", "read the manifest and signatures of a docker:// image from its registry")
    .option("--platform <os/arch>", "with --online and a manifest list: decide only this instance")
    .option("--tls-verify <bool>", "with --online: verify TLS certificates (default true)")
    .option("--authfile <file>", "with --online: containers auth.json for registry credentials")
    .option("--debian", "reproduce Debian 12's containers/image build, which rejects every sigstore signature")
    .option("--require-signatures", "allow only when a signature requirement accepted a signature")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(targetOption())
    .addOption(colorOption())
    .addHelpText(
      "after",
      `
Exit status: 0 allowed, 1 denied, 2 usage error or unusable input.

Examples:
  $ imagetrust verify --policy /etc/containers/policy.json dir:/srv/images/app
  $ imagetrust verify --policy policy.json --registries-d /etc/containers/registries.d --online docker://quay.io/acme/app:1
  $ imagetrust verify --policy policy.json --target 5.23 --debian --manifest m.json --signatures sigs/ docker://quay.io/acme/app:1
`,
    )
    .action(
      async (
        ref: string,
        opts: {
          policy: string;
          registriesD?: string;
          manifest?: string;
          signatures?: string;
          online?: boolean;
          platform?: string;
          tlsVerify?: string;
          authfile?: string;
          debian?: boolean;
          requireSignatures?: boolean;
          format: string;
          target?: string;
          color: string;
        },
      ) => {
        const target = parseTarget(opts.target);
        if (opts.tlsVerify !== undefined && opts.tlsVerify !== "true" && opts.tlsVerify !== "false") {
          throw new UsageError(`invalid --tls-verify '${opts.tlsVerify}': expected true or false`);
        }
        const { policy, registriesD } = await loadPolicyAndStorage(ctx, opts.policy, opts.registriesD, target);
        const manifest = await readManifest(ctx, opts.manifest);
        const { verifyImage } = await import("../api/verify.js");
        const r = await verifyImage({
          policy,
          registriesD,
          ref,
          manifest,
          signaturesDir: opts.signatures !== undefined ? ctx.libraryPath(opts.signatures) : undefined,
          target: opts.target,
          debianSigstoreDisabled: opts.debian === true,
          requireSignatures: opts.requireSignatures === true,
          env: { euid: ctx.io.euid ?? 0, home: ctx.io.env.HOME },
          online: opts.online
            ? { platform: opts.platform, tlsVerify: opts.tlsVerify !== "false", authFile: opts.authfile, home: ctx.io.env.HOME, env: ctx.io.env }
            : undefined,
        });
        if (opts.format === "json") {
          ctx.out(JSON.stringify(r, null, 2) + "\n");
        } else {
          const st = stylesFor(ctx.color(opts.color as "auto"));
          const lines: string[] = [];
          lines.push(`${st.location(r.ref)}: ${r.verdict === "allow" ? st.info("ALLOW") : st.error("DENY")}`);
          if (r.error) lines.push(`  ${r.error}`);
          const sc = r.simulation.scope;
          lines.push(`  decided by: ${sc === null ? "the global default" : `${sc.transport}: ${sc.scope === "" ? '"" (transport default)' : sc.scope}`}`);
          lines.push(`  signatures: ${r.evidence.source}${r.evidence.locations.length ? ` (${r.evidence.locations.join(", ")})` : ""}`);
          if (r.evidence.manifestDigest) lines.push(`  manifest digest: ${r.evidence.manifestDigest}`);
          if (r.evidence.manifestError) lines.push(`  manifest: ${r.evidence.manifestError}`);
          if (r.evidence.readError) lines.push(`  reading signatures: ${r.evidence.readError}`);
          // Upstream's message is said once: not repeated under the requirement or the signature it came from.
          for (const q of r.requirements) {
            const qMsg = q.message && q.message !== r.error ? `: ${q.message}` : "";
            lines.push(`  requirement ${q.index + 1} (${q.type}): ${q.allowed ? "accepted" : `denied${qMsg}`}`);
            for (const c of q.signatures) {
              const who = [c.claimedIdentity ? `claims ${c.claimedIdentity}` : "", c.signer ? `signed by ${c.signer}` : ""].filter(Boolean).join(", ");
              const reason = c.reason && c.reason !== q.message ? `: ${c.reason}` : "";
              lines.push(`    signature ${c.index + 1}: ${c.accepted ? "accepted" : `rejected${reason}`}${who ? ` (${who})` : ""}`);
            }
          }
          for (const i of r.instances ?? []) {
            lines.push(`  instance ${i.digest}${i.platform ? ` (${i.platform})` : ""}: ${i.verdict === "allow" ? "ALLOW" : `DENY: ${i.error ?? ""}`}`);
          }
          ctx.out(lines.join("\n") + "\n");
        }
        ctx.exitCode = r.verdict === "allow" ? EXIT.ok : EXIT.rejected;
      },
    );

  // ---------------------------------------------------------------------------------------------- test
  program
    .command("test")
    .description("check expectations: `expect` lines of .trust files, or YAML case files for a policy.json")
    .argument("<files...>", ".trust files or expectation YAML files (policy: …, cases: [{ref, expect: allow|deny, scope?}])")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(targetOption())
    .addHelpText(
      "after",
      `
Exit status: 0 every expectation holds, 1 any fails (or a file cannot be used).

Examples:
  $ imagetrust test site.trust
  $ imagetrust test policy-cases.yaml
`,
    )
    .action(async (files: string[], opts: { format: string; target?: string }) => {
      const target = parseTarget(opts.target);
      const { testExpectationFiles, expectationsExitCode, renderExpectationsText } = await import("../api/test-expectations.js");
      const runs = testExpectationFiles(
        files.map((f) => ctx.libraryPath(f)),
        { target, env: { euid: ctx.io.euid ?? 0, home: ctx.io.env.HOME } },
      );
      if (opts.format === "json") ctx.out(JSON.stringify(runs, null, 2) + "\n");
      else ctx.out(renderExpectationsText(runs));
      ctx.exitCode = expectationsExitCode(runs);
    });

  // ---------------------------------------------------------------------------------------------- diff
  program
    .command("diff")
    .description("what changed semantically between two policies, and which sample pulls flip")
    .argument("<old>", "the old policy.json or .trust")
    .argument("<new>", "the new policy.json or .trust")
    .option("--ref <ref>", "a sample reference to decide under both policies; repeatable", collect, [] as string[])
    .option("--fail-on-loosen", "exit 1 when any decision becomes more permissive")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(targetOption())
    .addHelpText(
      "after",
      `
Examples:
  $ imagetrust diff /etc/containers/policy.json new-policy.json
  $ imagetrust diff --fail-on-loosen old.trust new.trust --ref docker://quay.io/acme/app:1
`,
    )
    .action(async (oldPath: string, newPath: string, opts: { ref: string[]; failOnLoosen?: boolean; format: string; target?: string }) => {
      const target = parseTarget(opts.target);
      const before = await loadPolicyAndStorage(ctx, oldPath, undefined, target);
      const after = await loadPolicyAndStorage(ctx, newPath, undefined, target);
      const { diffPolicies, diffExitCode, renderDiffText } = await import("../api/diff.js");
      const d = diffPolicies(before.policy, after.policy, { refs: opts.ref });
      ctx.out(opts.format === "json" ? JSON.stringify(d, null, 2) + "\n" : renderDiffText(d));
      ctx.exitCode = diffExitCode(d, { failOnLoosen: opts.failOnLoosen === true });
    });

}
