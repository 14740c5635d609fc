/** `imagetrust verify`: a pull decided with the real signatures. */
import { Command, Option } from "commander";
import { stylesFor } from "../io.js";
import { formatVersion } from "../../ir/versions.js";
import { CommandContext, EXIT, InputError, UsageError, parseTarget, renderLooseDiagnostics } from "../context.js";
import { colorOption, loadPolicyAndStorage, readManifest, targetOption } from "../shared.js";
import { parseTimeoutOption } from "../timeout-option.js";
import { keysFor, keysOption, requireRunConfig, runKeys } from "../run-config.js";

/** Register `imagetrust verify` on `program`. */
export function registerVerifyCommand(program: Command, ctx: CommandContext): void {
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
    .option("--timeout <duration>", "total time for the registry and lookaside reads of the image (Go duration: 90s, 2m; default 30s)")
    .addOption(keysOption())
    .option("--debian", "reproduce Debian 12's containers/image build: no atomic transport, and every sigstore signature rejected")
    .option("--require-signatures", "allow only when a signature requirement accepted a signature")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(targetOption())
    .addOption(colorOption())
    .addHelpText(
      "after",
      `
Registries and lookaside servers are untrusted: --timeout DURATION (default 30s) bounds all network reads of
the image; manifests and signatures are read up to 4 MiB each, at most 128 manifest-list instances (give
--platform) and 128 sigstore attachment layers (32 MiB in total). URLs are printed without their password.

Exit status: 0 allowed, 1 denied, 2 usage error or unusable input.

Examples:
  $ imagetrust verify --policy /etc/containers/policy.json dir:/srv/images/app
  $ imagetrust verify --policy policy.json --registries-d /etc/containers/registries.d --online docker://quay.io/acme/app:1
  $ imagetrust verify --policy policy.json --online --platform linux/arm64 --timeout 2m docker://quay.io/acme/app:1
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
          timeout?: string;
          debian?: boolean;
          keys?: string;
          requireSignatures?: boolean;
          format: string;
          target?: string;
          color: string;
        },
      ) => {
        const explicitTarget = parseTarget(opts.target);
        if (opts.tlsVerify !== undefined && opts.tlsVerify !== "true" && opts.tlsVerify !== "false") {
          throw new UsageError(`invalid --tls-verify '${opts.tlsVerify}': expected true or false`);
        }
        const totalTimeoutMs = parseTimeoutOption(opts.timeout);
        // Key files from --keys / .imagetrust.yaml `keys:`: for the .trust checker and for verifying signatures.
        const keys = await runKeys(ctx, opts.keys, await requireRunConfig(ctx, undefined));
        ctx.keys = keysFor(ctx, keys);
        // --target, else the target a .trust source declares.
        const { policy, registriesD, target } = await loadPolicyAndStorage(ctx, opts.policy, opts.registriesD, explicitTarget);
        const manifest = await readManifest(ctx, opts.manifest);
        if (opts.authfile !== undefined) await checkAuthFile(ctx, opts.authfile);
        const { verifyImage } = await import("../../verify/verify-image.js");
        const r = await verifyImage({
          host: ctx.host,
          keys: keys.host,
          policy,
          registriesD,
          ref,
          manifest,
          signaturesDir: opts.signatures !== undefined ? ctx.libraryPath(opts.signatures) : undefined,
          target: target && formatVersion(target),
          debianSigstoreDisabled: opts.debian === true,
          requireSignatures: opts.requireSignatures === true,
          // A dir:/oci: path is the user's (the CLI's cwd); --debian: no atomic transport, as Debian's build.
          parse: { cwd: ctx.io.cwd, target, debian: opts.debian === true },
          env: { euid: ctx.io.euid ?? 0, home: ctx.io.env.HOME },
          ...(totalTimeoutMs !== undefined ? { http: { totalTimeoutMs } } : {}),
          online: opts.online
            ? { platform: opts.platform, tlsVerify: opts.tlsVerify !== "false", authFile: opts.authfile, home: ctx.io.env.HOME, env: ctx.io.env }
            : undefined,
        });
        if (opts.format === "json") {
          ctx.out(JSON.stringify(r, null, 2) + "\n");
        } else {
          const st = stylesFor(ctx.color(opts.color as "auto"));
          const { renderVerifyText } = await import("../../verify/render-text.js");
          ctx.out(renderVerifyText(r, { allow: st.info, deny: st.error, bold: st.location }));
        }
        ctx.exitCode = r.verdict === "allow" ? EXIT.ok : EXIT.rejected;
      },
    );
}

/**
 * `--authfile FILE` must be a regular file of sane size when it exists (a missing one is no credentials, as
 * containers/image's pkg/docker/config treats it): /dev/zero or a FIFO is IT9013, a huge file IT9005, exit 2.
 */
async function checkAuthFile(ctx: CommandContext, file: string): Promise<void> {
  const [{ readTextFile, FILE_CODES }, { readLimit }] = await Promise.all([import("../../input/files.js"), import("../../host/read-limits.js")]);
  const r = await readTextFile(ctx.libraryPath(file), { host: ctx.host, maxBytes: readLimit(ctx.host, "authfile") });
  const refused = r.diagnostics.filter((d) => d.code === FILE_CODES.notRegularFile || d.code === FILE_CODES.tooLarge || d.code === FILE_CODES.isDirectory);
  if (refused.length === 0) return;
  ctx.err(await renderLooseDiagnostics(ctx, file, refused));
  throw new InputError(`cannot read --authfile ${file}`);
}
