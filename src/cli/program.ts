/**
 * The imagetrust command line program: commander set up (help, version, error handling) around the commands it is
 * given, run in-process on injected I/O. src/cli/run.ts gives it the commands an argv names (all of them for help);
 * src/cli/run-validate.ts gives it `validate` alone (its own bundle, see scripts/build-bundle.mjs). Exit codes are
 * src/cli/exit-codes.ts: 0 clean, 1 rejected input / error diagnostics (or too many warnings), 2 usage, unreadable
 * input or internal failure.
 */
import { Command, CommanderError } from "commander";
import { type CliIo } from "./io.js";
import { CommandContext, EXIT, InputError, UsageError } from "./context.js";
import type { CommandEntry } from "./commands.js";
import { packageVersion } from "./shared.js";

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
 * Run the program with `commands` registered (in that order) on `argv` (the arguments after the program name) and
 * return the exit code. Never throws and never calls process.exit.
 */
export async function runProgram(argv: readonly string[], io: CliIo, commands: readonly CommandEntry[]): Promise<number> {
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

  for (const c of commands) (await c.load())(program, ctx);
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
