/**
 * The imagetrust command line: a commander program run in-process on injected I/O. This file only sets the
 * program up (help, version, error handling) and registers one file per command (src/cli/commands/); exit codes
 * are src/cli/exit-codes.ts: 0 clean, 1 rejected input / error diagnostics (or too many warnings), 2 usage,
 * unreadable input or internal failure.
 */
import { Command, CommanderError } from "commander";
import { type CliIo } from "./io.js";
import { CommandContext, EXIT, InputError, UsageError } from "./context.js";
import { COMMANDS } from "./commands.js";
import { packageVersion } from "./shared.js";

export type { CliIo } from "./io.js";
export { EXIT, parseTarget } from "./context.js";
export { packageVersion } from "./shared.js";

const MAIN_HELP = `
Examples:
  $ imagetrust validate /etc/containers/policy.json
  $ imagetrust lint
  $ imagetrust lint --format json examples/hand-written/
  $ imagetrust compile site.trust --out /etc/containers
  $ imagetrust simulate --policy /etc/containers/policy.json docker://quay.io/acme/app:1.2
  $ imagetrust verify --policy /etc/containers/policy.json dir:/srv/images/app
  $ imagetrust import /etc/containers/policy.json -o site.trust
  $ imagetrust diff old-policy.json new-policy.json

Exit status: 0 success, 1 rejected input or error findings, 2 usage error, unreadable input or internal failure.
Colour is used only on a terminal and never when NO_COLOR is set.
`;

/** The two commander internals {@link reportUnknownOptionsFirst} reorders (present since commander 7, untyped). */
interface CommanderChecks {
  missingMandatoryOptionValue(option: unknown): void;
  unknownOption(flag: string): void;
}

/**
 * Commander checks required options before unknown ones, so `simulate --polcy p.json ref` said "required option
 * '--policy' not specified" instead of "unknown option '--polcy' (Did you mean --policy?)". Report the first
 * unknown option (with its did-you-mean) before a missing required one.
 */
function reportUnknownOptionsFirst(cmd: Command): void {
  const checks = cmd as unknown as CommanderChecks;
  const missing = checks.missingMandatoryOptionValue.bind(cmd);
  checks.missingMandatoryOptionValue = (option) => {
    // After parsing, cmd.args holds the operands then the unknown arguments; an option-looking one before `--`
    // was not recognised.
    const args = cmd.args.slice(0, cmd.args.includes("--") ? cmd.args.indexOf("--") : undefined);
    const unknown = args.find((a) => a.startsWith("-") && a !== "-");
    if (unknown !== undefined) checks.unknownOption(unknown.split("=")[0]!);
    missing(option);
  };
}

/**
 * Run the CLI on `argv` (the arguments after the program name) and return the exit code.
 * Never throws and never calls process.exit.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = new CommandContext(io);
  const err = (s: string) => ctx.err(s);

  const program = new Command("imagetrust");
  program
    .description("Container image trust policy toolchain: validate and lint containers-policy.json and registries.d.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s), writeErr: err, outputError: (s, write) => write(s) })
    .showHelpAfterError("(run 'imagetrust --help' for usage)")
    .version(packageVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .addHelpText("after", MAIN_HELP);

  // `imagetrust NAME …` loads only NAME's command file; help, no command or an unknown one (for its did-you-mean)
  // loads them all, in help order. Start-up then compiles one command module, not eleven.
  const first = argv.find((a) => !a.startsWith("-"));
  const named = COMMANDS.filter((c) => c.name === first);
  for (const c of named.length > 0 ? named : COMMANDS) (await c.load())(program, ctx);
  program.showSuggestionAfterError(true);
  for (const cmd of program.commands) reportUnknownOptionsFirst(cmd);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof InputError) return EXIT.usage;
    if (e instanceof UsageError) {
      err(`error: ${e.message}\n(run 'imagetrust --help' for usage)\n`);
      return EXIT.usage;
    }
    const msg = e instanceof Error ? e.message : String(e);
    err(`imagetrust: internal error: ${msg}\nThis is a bug in imagetrust; please report it.\n`);
    return EXIT.usage;
  }
}
