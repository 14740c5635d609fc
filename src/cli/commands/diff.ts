/** `imagetrust diff`: what changed semantically between two policies, region by region. */
import { Command, Option } from "commander";
import { CommandContext, parseTarget } from "../context.js";
import { diffExitCode } from "../exit-codes.js";
import { collect, loadPolicyAndStorage, readSource, targetOption } from "../shared.js";

interface DiffCliOptions {
  ref: string[];
  refs?: string;
  registriesDOld?: string;
  registriesDNew?: string;
  failOnLoosen?: boolean;
  format: string;
  target?: string;
}

/** Register `imagetrust diff` on `program`. */
export function registerDiffCommand(program: Command, ctx: CommandContext): void {
  program
    .command("diff")
    .description("what changed semantically between two policies: every region classified looser, tighter, changed or equal")
    .argument("<old>", "the old policy.json, .trust, or a directory with policy.json and registries.d/")
    .argument("<new>", "the new policy.json, .trust, or a directory with policy.json and registries.d/")
    .option("--ref <ref>", "a reference of yours to decide under both policies; repeatable", collect, [] as string[])
    .option("--refs <file>", "read references from a file (one per line, # comments), as simulate --refs")
    .option("--registries-d-old <dir>", "the old registries.d (default: the one beside OLD given as a directory, or in a .trust)")
    .option("--registries-d-new <dir>", "the new registries.d (default: the one beside NEW given as a directory, or in a .trust)")
    .option("--fail-on-loosen", "exit 1 when any region is looser or changed (a new key counts), or signatures a decision reads move")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(targetOption())
    .addHelpText(
      "after",
      `
Every transport of either policy, every scope of either policy, each transport default ("") and the global
default is a region: the references whose most specific scope, in both policies' scope sets together, is that
one. Each region gets a reference built to fall exactly in it (confirmed by the runtime's scope lookup) or,
where none can be built (ostree, unknown transports, a scope no reference reaches), is decided from the scope sets (marked *). Its old and
new requirements are classified:
  looser   accepts something the old one rejected (reject → signed → accept, a wider signedIdentity,
           an added key or Fulcio/PKI root, fewer required signatures)
  tighter  accepts only what the old one did, and less
  changed  neither (e.g. one key replaced by another, a remapIdentity); counts as looser for --fail-on-loosen
  equal    the same images
registries.d: namespaces whose lookaside or use-sigstore-attachments differ are listed; where the new
policy reads signatures for them, --fail-on-loosen fails. A plain policy.json has no registries.d (the
built-in lookaside) unless --registries-d-old / --registries-d-new name one.
Exit codes: 0, 1 with --fail-on-loosen when anything is looser or changed, 2 usage.

Examples:
  $ imagetrust diff /etc/containers/policy.json new-policy.json
  $ imagetrust diff --fail-on-loosen old.trust new.trust --ref docker://quay.io/acme/app:1
  $ imagetrust diff --fail-on-loosen /etc/containers compiled/ --refs images.txt --format json
  $ imagetrust diff old.json new.json --registries-d-old /etc/containers/registries.d --registries-d-new out/registries.d
`,
    )
    .action(async (oldPath: string, newPath: string, opts: DiffCliOptions) => {
      const target = parseTarget(opts.target);
      const before = await loadPolicyAndStorage(ctx, oldPath, opts.registriesDOld, target);
      const after = await loadPolicyAndStorage(ctx, newPath, opts.registriesDNew, target);
      const refs = [...opts.ref];
      if (opts.refs !== undefined) {
        const { parseRefsFile } = await import("../../simulate/simulate-refs.js");
        // One by one: spreading 130,000 references into push() overflows the stack.
        for (const r of parseRefsFile((await readSource(ctx, opts.refs)).text)) refs.push(r);
      }
      const { diffPolicies } = await import("../../diff/analyse.js");
      const d = diffPolicies(before.policy, after.policy, {
        refs,
        host: ctx.host,
        registriesDOld: before.registriesD,
        registriesDNew: after.registriesD,
        // --target, else what the new (or old) .trust source declares.
        parse: (after.target ?? before.target) === undefined ? undefined : { target: after.target ?? before.target },
      });
      ctx.out(opts.format === "json" ? JSON.stringify(d, null, 2) + "\n" : (await import("../../diff/render-text.js")).renderDiffText(d));
      ctx.exitCode = diffExitCode(d, { failOnLoosen: opts.failOnLoosen === true });
    });
}
