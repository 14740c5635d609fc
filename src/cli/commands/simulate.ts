/** `imagetrust simulate`: would these pulls be allowed, and why. */
import { Command, Option } from "commander";
import type { SimulationResult } from "../../simulate/simulate-refs.js";
import type { EvidenceReport, InstanceResult, VerifiedRequirement, VerifyImageResult } from "../../verify/verify-image.js";
import { stylesFor } from "../io.js";
import { CommandContext, InputError, UsageError, parseTarget, renderLooseDiagnostics } from "../context.js";
import { colorOption, loadPolicyAndStorage, readManifest, readSource, targetOption } from "../shared.js";

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

/** Register `imagetrust simulate` on `program`. */
export function registerSimulateCommand(program: Command, ctx: CommandContext): void {
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
        const { parseRefsFile } = await import("../../simulate/simulate-refs.js");
        all.push(...parseRefsFile((await readSource(ctx, opts.refs)).text));
      }
      if (all.length === 0) throw new UsageError("simulate needs at least one image reference (or --refs FILE)");
      const { policy, registriesD } = await loadPolicyAndStorage(ctx, opts.policy, opts.registriesD, target);
      let registriesConf;
      if (opts.registriesConf !== undefined) {
        const { loadRegistriesConf } = await import("../../load/registries-conf.js");
        const r = loadRegistriesConf({ confPath: ctx.libraryPath(opts.registriesConf), explicit: true, target });
        if (!r.value) {
          ctx.err(await renderLooseDiagnostics(ctx, opts.registriesConf, r.diagnostics));
          throw new InputError("registries.conf cannot be used");
        }
        registriesConf = r.value;
      }
      const manifest = await readManifest(ctx, opts.manifest);
      const { simulate, simulationExitCode } = await import("../../simulate/simulate-refs.js");
      const env = { euid: ctx.io.euid ?? 0, home: ctx.io.env.HOME };
      const parse = { cwd: ctx.io.cwd, target };
      const base = { policy, registriesD, registriesConf, manifest, env, parse };
      const plain = simulate({ ...base, refs: all });
      const { isKnownTransport } = await import("../../reference/scopes.js");
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
        const { verifyImage } = await import("../../verify/verify-image.js");
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
        const { renderSimulationExplanation, renderSimulationTable } = await import("../../simulate/simulate-refs.js");
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
}
