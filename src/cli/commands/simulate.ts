/** `imagetrust simulate`: would these pulls be allowed, and why. */
import { Command, Option } from "commander";
import { stylesFor } from "../io.js";
import { formatVersion } from "../../ir/versions.js";
import { CommandContext, InputError, UsageError, parseTarget, renderLooseDiagnostics } from "../context.js";
import { colorOption, loadPolicyAndStorage, readManifest, readSource, requireDirectory, targetOption } from "../shared.js";
import { keysFor, keysOption, requireRunConfig, runKeys } from "../run-config.js";
import { parseTimeoutOption } from "../timeout-option.js";
import { simulationExitCode } from "../exit-codes.js";

/** The options of `imagetrust simulate` as commander parses them. */
interface SimulateCliOptions {
  policy: string;
  registriesD?: string;
  registriesConf?: string;
  registriesConfD?: string;
  refs?: string;
  manifest?: string;
  /** A directory (`--signatures DIR`), false (`--no-signatures`) or undefined (the runtime's default places). */
  signatures?: string | false;
  lookaside?: boolean;
  online?: boolean;
  platform?: string;
  tlsVerify?: string;
  authfile?: string;
  timeout?: string;
  debian?: boolean;
  keys?: string;
  explain?: boolean;
  format: string;
  target?: string;
  color: string;
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
    .option("--registries-conf-d <dir>", "with --registries-conf: its drop-in directory (*.conf merged in lexical order, as registries.conf.d)")
    .option("--refs <file>", "read references from a file (one per line, # comments)")
    .option("--manifest <file>", "the image manifest: its digest locates and is checked against signatures (replaces a dir: image's manifest.json)")
    .option("--signatures <dir>", "signature-1, signature-2, … in this directory are the signatures of every transport:reference given")
    .option("--no-signatures", "read no signatures at all, not even those of dir: images (signature requirements deny)")
    .option("--lookaside", "read the signatures of docker:// references from their registries.d lookaside (file:// and http(s)://)")
    .option("--online", "read the manifest and signatures of docker:// references from their registry (network)")
    .option("--platform <os/arch>", "with --online and a manifest list: decide only this instance")
    .option("--tls-verify <bool>", "with --online or --lookaside: verify TLS certificates (default true)")
    .option("--authfile <file>", "with --online: containers auth.json for registry credentials")
    .option("--timeout <duration>", "with --online or --lookaside: total time for each reference's registry and lookaside reads (Go duration: 90s, 2m; default 30s)")
    .addOption(keysOption())
    .option("--debian", "reproduce Debian 12's containers/image build: no atomic transport, and every sigstore signature rejected")
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
dir:, oci: and oci-archive: paths that containers/image cannot resolve on this machine (a missing parent
directory, a trailing slash on a missing directory) fail with its error, and the answer says it depends on
this machine. --policy DIR reads DIR/policy.json and DIR/registries.d/ (--registries-d wins).
Other references (and bare names) are decided without signatures, as an unsigned image. Nothing is read over
the network without --lookaside (http(s) lookasides) or --online.
Network reads are bounded: --timeout DURATION (default 30s) for all reads of each reference, 4 MiB per
manifest or signature, at most 128 list instances (give --platform) and 128 sigstore attachment layers.
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
      const explicitTarget = parseTarget(opts.target);
      if (opts.tlsVerify !== undefined && opts.tlsVerify !== "true" && opts.tlsVerify !== "false") {
        throw new UsageError(`invalid --tls-verify '${opts.tlsVerify}': expected true or false`);
      }
      if (typeof opts.signatures === "string" && opts.online) throw new UsageError("--signatures and --online cannot be combined: --online reads the signatures from the registry");
      if (opts.signatures === false && (opts.online || opts.lookaside)) throw new UsageError("--no-signatures cannot be combined with --online or --lookaside");
      const totalTimeoutMs = parseTimeoutOption(opts.timeout);
      if (totalTimeoutMs !== undefined && !opts.online && !opts.lookaside) throw new UsageError("--timeout needs --online or --lookaside: nothing else reads the network");
      const all = [...refs];
      if (opts.refs !== undefined) {
        const { parseRefsFile } = await import("../../simulate/simulate-refs.js");
        // One by one: spreading 130,000 references into push() overflows the stack.
        for (const r of parseRefsFile((await readSource(ctx, opts.refs)).text)) all.push(r);
      }
      if (all.length === 0) throw new UsageError("simulate needs at least one image reference (or --refs FILE)");
      // Key files from --keys / .imagetrust.yaml `keys:`: for the .trust checker and for verifying signatures.
      const keys = await runKeys(ctx, opts.keys, await requireRunConfig(ctx, undefined));
      ctx.keys = keysFor(ctx, keys);
      // --target, else the target a .trust source declares.
      const { policy, registriesD, target } = await loadPolicyAndStorage(ctx, opts.policy, opts.registriesD, explicitTarget);
      let registriesConf;
      if (opts.registriesConfD !== undefined && opts.registriesConf === undefined)
        throw new UsageError("--registries-conf-d needs --registries-conf: the main file its drop-ins are merged into");
      if (opts.registriesConf !== undefined) {
        const { loadRegistriesConf } = await import("../../load/registries-conf/index.js");
        // As SystemRegistriesConfPath + SystemRegistriesConfDirPath: the named file, then the named drop-ins only.
        const confDirs = opts.registriesConfD !== undefined ? [await requireDirectory(ctx, opts.registriesConfD, "--registries-conf-d")] : [];
        const r = loadRegistriesConf({ host: ctx.host, confPath: ctx.libraryPath(opts.registriesConf), confDirs, explicit: true, target });
        if (!r.value) {
          ctx.err(await renderLooseDiagnostics(ctx, opts.registriesConf, r.diagnostics));
          throw new InputError("registries.conf cannot be used");
        }
        registriesConf = r.value;
      }
      const manifest = await readManifest(ctx, opts.manifest);
      const { simulateAllWithEvidence } = await import("../../simulate/simulate-evidence.js");
      const { signatureEvidence } = await import("../../verify/evidence.js");
      const env = { euid: ctx.io.euid ?? 0, home: ctx.io.env.HOME };
      // --debian: Debian's build has no atomic transport (an atomic: reference is "unknown transport").
      const parse = { cwd: ctx.io.cwd, target, debian: opts.debian === true };
      const simulated = await simulateAllWithEvidence({
        policy,
        registriesD,
        registriesConf,
        manifest,
        env,
        host: ctx.host,
        parse,
        refs: all,
        evidenceSource: signatureEvidence({
          host: ctx.host,
          keys: keys.host,
          registriesD,
          manifest,
          signaturesDir: typeof opts.signatures === "string" ? ctx.libraryPath(opts.signatures) : undefined,
          none: opts.signatures === false,
          lookaside: opts.lookaside === true,
          online: opts.online
            ? { platform: opts.platform, tlsVerify: opts.tlsVerify !== "false", authFile: opts.authfile, home: ctx.io.env.HOME, env: ctx.io.env }
            : undefined,
          otherTransports: "skip",
          target: target && formatVersion(target),
          debianSigstoreDisabled: opts.debian === true,
          env,
          http:
            opts.tlsVerify !== undefined || totalTimeoutMs !== undefined
              ? { ...(opts.tlsVerify !== undefined ? { tlsVerify: opts.tlsVerify !== "false" } : {}), ...(totalTimeoutMs !== undefined ? { totalTimeoutMs } : {}) }
              : undefined,
          cwd: ctx.io.cwd,
        }),
      });
      // Path references containers/image cannot resolve on this machine fail as they would here (a missing parent).
      const { checkPathOnThisMachine } = await import("../../simulate/paths-on-this-machine.js");
      const results = simulated.map((r) => checkPathOnThisMachine(r, { host: ctx.host, parse }));
      if (opts.format === "json") {
        ctx.out(JSON.stringify(results, null, 2) + "\n");
      } else {
        const st = stylesFor(ctx.color(opts.color as "auto"));
        const { renderSimulationExplanation, renderSimulationTable } = await import("../../simulate/render-text.js");
        const { renderEvidenceText } = await import("../../simulate/render-evidence.js");
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
