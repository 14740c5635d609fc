/** `imagetrust show`: the trust of a policy at a glance — a table like `podman image trust show`, JSON, or a picture. */
import { Command, Option } from "commander";
import { CommandContext, parseTarget } from "../context.js";
import { loadPolicyAndStorage, targetOption } from "../shared.js";
import { preferShortRunFor } from "../short-run.js";
import { keysFor, keysOption, requireRunConfig, runKeys } from "../run-config.js";

/** The options of `imagetrust show` as commander parses them. */
interface ShowCliOptions {
  registriesD?: string;
  keys?: string;
  format: "text" | "json" | "mermaid" | "svg";
  target?: string;
}

/** Register `imagetrust show` on `program`. */
export function registerShowCommand(program: Command, ctx: CommandContext): void {
  program
    .command("show")
    .description("the trust of a policy at a glance: a table (as podman image trust show), JSON, or a picture (mermaid, SVG)")
    .argument("<policy>", "policy.json, .trust file, or a configuration directory (policy.json + registries.d/)")
    .option("--registries-d <dir>", "registries.d directory (where signatures are read)")
    .addOption(keysOption())
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "mermaid", "svg"]).default("text"))
    .addOption(targetOption())
    .addHelpText(
      "after",
      `
One row per requirement of every scope, the global default first (transport "all"), as podman image trust show
prints them: TYPE is accept, reject, signed (signedBy), sigstoreSigned or signedBaseLayer; LEVEL the .trust level
the scope names; KEYS the key files (or inline data); ID the GPG fingerprints and user IDs, or SHA256: ids of
sigstore keys, Fulcio/PKI subjects; IDENTITY the signedIdentity rule; STORE where docker signatures are read
(the registries.d lookaside, "(built-in)" for the default directory, and whether sigstore attachments are read).
Key files are read at their paths, or from --keys DIR by file name.

--format mermaid and --format svg draw the registries and namespaces of each transport as a tree, coloured by what
they require (reject, signed, accept); paste the mermaid into a PR description to show the trust it introduces.

Exit status: 0, or 2 for usage errors and unusable input.

Examples:
  $ imagetrust show /etc/containers/policy.json --registries-d /etc/containers/registries.d
  $ imagetrust show site.trust --keys keys/ --format json
  $ imagetrust show site.trust --format mermaid >> pr-description.md
  $ imagetrust show site.trust --format svg > trust.svg
`,
    )
    .action(async (policyPath: string, opts: ShowCliOptions) => {
      const explicitTarget = parseTarget(opts.target);
      const keys = await runKeys(ctx, opts.keys, await requireRunConfig(ctx, undefined));
      ctx.keys = keysFor(ctx, keys);
      await preferShortRunFor(ctx.io, ctx.host, [ctx.libraryPath(policyPath)]);
      const { policy, registriesD } = await loadPolicyAndStorage(ctx, policyPath, opts.registriesD, explicitTarget);
      const show = await import("../../show/index.js");
      if (opts.format === "mermaid") ctx.out(show.renderTrustMermaid(policy));
      else if (opts.format === "svg") ctx.out(show.renderTrustSvg(policy));
      else {
        const description = show.describeTrust({ policy, registriesD, keys: ctx.keys === false ? undefined : ctx.keys });
        ctx.out(opts.format === "json" ? show.renderTrustJson(description) : show.renderTrustTable(description));
      }
    });
}
