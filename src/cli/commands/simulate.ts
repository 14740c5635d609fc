/** `imagetrust simulate`: would these pulls be allowed, and why. */
import { Command, Option } from "commander";
import type { EvidenceReport } from "../../simulate/evidence-source.js";
import { stylesFor } from "../io.js";
import { formatVersion } from "../../ir/versions.js";
import { CommandContext, InputError, UsageError, parseTarget, renderLooseDiagnostics } from "../context.js";
import { colorOption, loadPolicyAndStorage, readManifest, readSource, requireDirectory, targetOption } from "../shared.js";
import { keysFor, keysOption, requireRunConfig, runKeys } from "../run-config.js";
import { SimulationExitCode } from "../exit-codes.js";
import type { SimulationResult } from "../../simulate/types.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";
import { progressLine } from "../progress.js";
import { BufferedOutput, jsonArrayWriter, jsonlWriter, RECORD_FIELDS, textWriter, type RecordSelection } from "../simulate-output.js";
import { parseTimeoutOption } from "../timeout-option.js";
import { policyLoadPhase } from "../policy-load-phase.js";
import type { FastRecord } from "../../simulate/fast-record.js";

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
  fields?: string;
  quiet?: boolean;
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
    .option("--refs <file>", "read references from a file, or '-' for standard input (one per line, # comments; streamed)")
    .option("--manifest <file>", "the image manifest: its digest locates and is checked against signatures (replaces a dir: image's manifest.json)")
    .option("--signatures <dir>", "signature-1, signature-2, … in this directory are the signatures of every transport:reference given")
    .option("--no-signatures", "read no signatures at all, not even those of dir: images (signature requirements deny)")
    .option("--lookaside", "read the signatures of docker:// references from their registries.d lookaside (file:// and http(s)://)")
    .option("--online", "read the manifest and signatures of docker:// references from their registry (network)")
    .option("--platform <os/arch[/variant]>", "with a manifest list (--online, --manifest LIST, a dir:/oci: layout): decide only the instance a pull on this platform takes")
    .option("--tls-verify <bool>", "with --online or --lookaside: verify TLS certificates (default true)")
    .option("--authfile <file>", "with --online: containers auth.json for registry credentials")
    .option("--timeout <duration>", "with --online or --lookaside: total time for each reference's registry and lookaside reads (Go duration: 90s, 2m; default 30s)")
    .addOption(keysOption())
    .option("--debian", "reproduce Debian 12's containers/image build: no atomic transport, and every sigstore signature rejected")
    .option("--explain", "the full explanation for every reference (text), every field of every record (json, jsonl)")
    .option("--fields <list>", "json/jsonl: only these record fields, comma-separated (e.g. ref,verdict,scope)")
    .option("-q, --quiet", "no progress line on stderr")
    .addOption(new Option("--format <format>", "output format (jsonl: one JSON object a line)").choices(["text", "json", "jsonl"]).default("text"))
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

Output (streamed: each reference is written as it is decided, so memory stays flat over millions of references):
  --format jsonl       one compact JSON object a line; --format json: one array (compact unless on a terminal)
  records              ${"ref, error, transport, identity, namespacesTried, scope, verdict, upstreamError,"}
                       requirements, reasons, signatureLookup, warnings, resolution, candidates, pullSources,
                       signatures; --explain adds trail, imageName, dockerReference; --fields picks any of them
  progress             on a terminal, a line on stderr (done, rate, ETA) for long runs; none with --quiet

Exit status: 0 every reference allowed, 1 any denied, 2 usage error or unusable input.

Examples:
  $ imagetrust simulate --policy /etc/containers/policy.json docker://quay.io/acme/app:1.2
  $ imagetrust simulate --policy site.trust --registries-d /etc/containers/registries.d --explain docker://busybox
  $ imagetrust simulate --policy policy.json --refs images.txt --format json
  $ kubectl get pods -A -o jsonpath='{..image}' | tr ' ' '\\n' | \\
      imagetrust simulate --policy policy.json --refs - --format jsonl --fields ref,verdict,scope > verdicts.jsonl
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
      if (refs.length === 0 && opts.refs === undefined) throw new UsageError("simulate needs at least one image reference (or --refs FILE)");
      const selection = recordSelection(opts);
      // Streamed: opened now (an unreadable file fails before anything else), read line by line as decided.
      const { openRefs } = await import("../refs-stream.js");
      const refsInput = opts.refs !== undefined ? await openRefs(ctx, opts.refs) : undefined;
      // Key files from --keys / .imagetrust.yaml `keys:`: for the .trust checker and for verifying signatures.
      const keys = await runKeys(ctx, opts.keys, await requireRunConfig(ctx, undefined));
      ctx.keys = keysFor(ctx, keys);
      // Start-up without the optimising compiler, back for the loop below (policy-load-phase.ts).
      const endLoadPhase = await policyLoadPhase(ctx.io);
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
      const { platformOptions, platformNotApplicable } = await import("../platform-option.js");
      // References in a --refs file are read later; they may be dir:/oci: layouts, so only the after-check applies to them.
      const platform = platformOptions(ctx, opts.platform, { online: opts.online === true, manifest: opts.manifest !== undefined, refs: opts.refs !== undefined ? [...refs, "dir:"] : refs });
      const manifest = await readManifest(ctx, opts.manifest);
      // Imported when the first image's evidence is gathered (most runs read none).
      const { lazySignatureEvidence } = await import("../../verify/lazy-evidence.js");
      // A missing file is asked for once per reference (a dir: image's manifest.json is read twice otherwise).
      const { referenceReads } = await import("../../simulate/reference-reads.js");
      const reads = referenceReads(ctx.host.files);
      const env = { euid: ctx.io.euid ?? 0, home: ctx.io.env.HOME };
      // --debian: Debian's build has no atomic transport (an atomic: reference is "unknown transport").
      const parse = { cwd: ctx.io.cwd, target, debian: opts.debian === true };
      const evidenceSource = lazySignatureEvidence({
        host: { ...ctx.host, files: reads.files },
        keys: keys.host,
        registriesD,
        manifest,
        signaturesDir: typeof opts.signatures === "string" ? ctx.libraryPath(opts.signatures) : undefined,
        none: opts.signatures === false,
        ...platform.offline,
        lookaside: opts.lookaside === true,
        online: opts.online
          ? { ...platform.online, tlsVerify: opts.tlsVerify !== "false", authFile: opts.authfile, home: ctx.io.env.HOME, env: ctx.io.env }
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
      });
      const { createRunSimulator } = await import("../../simulate/simulate-run.js");
      const runner = createRunSimulator({
        policy,
        registriesD,
        registriesConf,
        manifest,
        env,
        host: ctx.host,
        parse,
        // Path references containers/image cannot resolve on this machine fail as they would here (a missing parent).
        pathCheck: { host: ctx.host, parse },
        evidenceSource,
      });
      const out = new BufferedOutput(ctx.io.stdout);
      const writer =
        opts.format === "jsonl"
          ? jsonlWriter(out, selection)
          : opts.format === "json"
            ? jsonArrayWriter(out, selection, ctx.io.isTTY)
            : textWriter(out, textStyle(ctx, opts.color), opts.explain === true);
      const progress = progressLine(ctx.io, {
        quiet: opts.quiet,
        noun: "simulate",
        bytes: refsInput && (() => ({ read: refsInput.bytesRead(), total: refsInput.totalBytes })),
      });
      const exit = new SimulationExitCode();
      let done = 0;
      // Decision fields only (--fields ref,verdict,scope): decided without building the explanation, where that is
      // the same answer (simulate-run.ts `decision`).
      const { DECISION_FIELDS } = await import("../../simulate/simulate-run.js");
      const decisionOnly = selection.kind === "fields" && [...selection.fields].every((f) => DECISION_FIELDS.has(f));
      // docker:// and docker-daemon: references without evidence, written straight as JSON (fast-record.ts), where the
      // record is the exact path's byte for byte: no evidence, registries.conf, manifest or --platform, compact JSON.
      const { createFastRecords } = await import("../../simulate/fast-record.js");
      const fastRecords =
        writer.addJson !== undefined && writer.addPrepared !== undefined && selection.kind !== "full" && !evidenceSource.requested && registriesConf === undefined && manifest === undefined && opts.platform === undefined
          ? createFastRecords(runner.simulator, selection.kind === "fields" ? selection.fields : undefined)
          : undefined;
      // dir: images that are not on this machine, where the signatures are read as the runtime reads them (the default).
      const { createDirRecords } = await import("../simulate-dir-records.js");
      const dirRecords =
        fastRecords !== undefined && opts.signatures === undefined
          ? createDirRecords({ runner, reads, cwd: ctx.io.cwd, selection, machine: ctx.host.files })
          : undefined;
      let flushDue = false;
      // Every record, once written (`full`: the writer asks for a flush), counts towards the exit code and progress.
      const counted = (result: Pick<SimulationResult, "verdict">, full: boolean): void => {
        exit.add(result);
        if (full) flushDue = true;
        progress.tick(++done);
      };
      // A record written straight as JSON (dir: records).
      const addRecord = (fr: FastRecord): void => counted(fr, writer.addJson!(fr.json));
      const exact = async (input: string) => {
        reads.clear();
        const r = (decisionOnly && runner.decision(input)) || (await runner.simulate(input));
        // --platform on a single image: a usage error (IT5840), not silently ignored.
        if ("signatures" in r) platformNotApplicable([(r.signatures as EvidenceReport | null) ?? undefined]);
        counted(r, writer.add(r));
      };
      // Synchronous where the bulk path takes the reference: one await per flush and per exact reference only.
      const each = async (inputs: readonly string[]) => {
        for (const input of inputs) {
          // A bulk record is written straight into the output as bytes.
          const verdict = fastRecords?.prepare(input);
          if (verdict !== undefined) counted(verdict === "allow" ? ALLOW : DENY, writer.addPrepared!(fastRecords!));
          else if (dirRecords !== undefined && input.startsWith("dir:")) {
            // An image directory that is not here, in one that is: written as bytes too (simulate-dir-records.ts).
            const dirVerdict = dirRecords.prepare(input);
            if (dirVerdict !== undefined) counted(dirVerdict === "allow" ? ALLOW : DENY, writer.addPrepared!(dirRecords));
            else {
              const fr = await dirRecords.record(input);
              if (fr !== undefined) addRecord(fr);
              else await exact(input);
            }
          } else await exact(input);
          if (flushDue) {
            flushDue = false;
            await out.flush();
          }
        }
      };
      await endLoadPhase();
      try {
        await each(refs);
        if (refsInput) for await (const batch of refsInput.batches) await each(batch);
      } finally {
        progress.done();
      }
      if (done === 0) {
        const source = opts.refs === undefined ? "" : `: ${opts.refs === "-" ? "standard input" : opts.refs} held none (one reference a line; # starts a comment)`;
        throw new UsageError(`simulate needs at least one image reference${source || " (or --refs FILE)"}`);
      }
      writer.end();
      await out.flush();
      ctx.exitCode = exit.code;
    });
}

const ALLOW = { verdict: "allow" } as const;
const DENY = { verdict: "deny" } as const;

/** Which fields records have: `--fields` (checked against the record's), else everything with `--explain`, else lean. */
function recordSelection(opts: SimulateCliOptions): RecordSelection {
  if (opts.fields === undefined) return opts.explain ? { kind: "full" } : { kind: "lean" };
  if (opts.format === "text") throw new UsageError("--fields selects fields of --format json or jsonl records");
  const known: readonly string[] = RECORD_FIELDS;
  const fields = opts.fields.split(",").map((f) => f.trim()).filter((f) => f !== "");
  if (fields.length === 0) throw new UsageError("--fields needs at least one field name");
  for (const f of fields) {
    if (!known.includes(f)) {
      throw new UsageError(`unknown field '${f}' in --fields.${didYouMean(f, known)} Fields: ${known.join(", ")}`);
    }
  }
  return { kind: "fields", fields: new Set(fields) };
}

function textStyle(ctx: CommandContext, color: string) {
  const st = stylesFor(ctx.color(color as "auto"));
  return { allow: st.info, deny: st.error, dim: st.dim, bold: st.location };
}
