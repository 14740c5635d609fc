#!/usr/bin/env -S node --max-semi-space-size=2
/**
 * The `imagetrust` executable: runs the CLI on the real process and ends it with the run's exit code.
 *
 * Bundled by scripts/build-bundle.mjs into a CommonJS script, dist/cli/imagetrust.cjs (the package's `bin`), so that
 * Node starts it without its ESM loader (~15–20 ms and ~230 page faults of every start on the benchmark machine).
 * `validate`, `simulate`, `compile` and `lint` run from module packs (src/cli/run-packed.ts) and never load it; the
 * other commands import the ES module program dist/cli/run.js, and load it then. Node built-ins that this file imports with `import()` are
 * `require`d in the bundle, at the same point (scripts/build-bundle.mjs).
 */
import { commandName } from "./command-name.js";
import { isPackedCommand, runPacked } from "./run-packed.js";
import { mapStackTracesLazily } from "./stack-traces.js";
import { EXIT_BROKEN_PIPE, FdSink, isTerminal, readerGone } from "./stdio.js";
import type { CliIo } from "./io.js";
import { SHORT_RUN_V8_FLAGS } from "./short-run.js";
import { packageVersion } from "./version.js";

// A stack trace (in a bug report) names src/…ts lines; the source maps are read only when one is printed.
mapStackTracesLazily();

const argv = process.argv.slice(2);

// The launcher (scripts/build-bundle.mjs) moved NODE_EXTRA_CA_CERTS aside, so that Node did not build its root store
// at start; the program and its children see the environment as the user set it, and the HTTPS client trusts those
// certificates on its first connection (src/host/node-host.ts, which reads IMAGETRUST_DEFERRED_CA_CERTS).
const deferredCa = process.env.IMAGETRUST_DEFERRED_CA_CERTS;
if (deferredCa !== undefined && process.env.NODE_EXTRA_CA_CERTS === undefined) process.env.NODE_EXTRA_CA_CERTS = deferredCa;

// A reader that closes the pipe early (`imagetrust simulate --refs … | head`) ends the run quietly, as a Unix
// tool killed by SIGPIPE (status 128 + 13), instead of an unhandled 'error' event with a stack trace and
// deciding the rest of the input for nobody. The streams are made only when used (see stdio.ts): the CLI writes
// through FdSink, the language server through process.stdout.
const quietOnBrokenPipe = (stream: NodeJS.WriteStream): NodeJS.WriteStream =>
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (!readerGone(err.code)) throw err;
    process.exit(EXIT_BROKEN_PIPE);
  });
for (const name of ["stdout", "stderr"] as const) {
  let stream: NodeJS.WriteStream | undefined;
  const made = Object.getOwnPropertyDescriptor(process, name)?.get;
  if (made) Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => (stream ??= quietOnBrokenPipe(made.call(process))) });
}
/**
 * V8 flags set while V8 runs; node:v8 is loaded only here (8–12 ms of a validate: it brings in the stream modules,
 * through internal/heap_utils). `v8.setFlagsFromString` is the only supported way; `process.binding("v8")` is deprecated and
 * prints DEP0111 (see the README's start-up section).
 */
const setV8Flags = async (flags: string): Promise<void> => (await import("node:v8")).setFlagsFromString(flags);

const stdout = new FdSink(1, () => process.stdout);
const stderr = new FdSink(2, () => process.stderr);

if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  // What `run` prints for it, without loading the program (commander, every command's registration).
  stdout.write(packageVersion() + "\n");
} else {
  void main();
}

/** Run the program for `argv` (a CommonJS script has no top-level await). */
async function main(): Promise<void> {
  // Node 22.1+ keeps V8's compiled code of the bundle on disk between runs (absent on Node 20: a no-op there).
  const { default: nodeModule } = await import("node:module");
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  // `validate`, `simulate`, `compile` and `lint` have programs of their own (scripts/build-bundle.mjs): module packs read
  // with V8's code cache, whose loader the bundle keeps in this file, instead of the ~36–60 ES module chunks they share
  // with the other commands. Each runs what `run` runs for that argv.
  const command = commandName(argv);
  const run = isPackedCommand(command) ? (a: readonly string[], io: CliIo) => runPacked(command, a, io) : (await import("./run.js")).run;
  const code = await run(argv, {
    stdout,
    stderr,
    env: process.env,
    isTTY: await isTerminal(1),
    stderrIsTTY: await isTerminal(2),
    cwd: process.cwd(),
    euid: process.geteuid?.(),
    // Set while V8 runs (Node warns that changing flags late is at one's own risk): both are read where V8 decides
    // (a tier-up, a young-generation resize), which is all this needs; validate measured: TurboFan's compile jobs
    // stop and the young generation stays at its first size.
    shortRun: () => setV8Flags(SHORT_RUN_V8_FLAGS),
    setV8Flags,
  });
  process.exitCode = code;
  // Once nothing is left to do (the event loop is empty: output written, files closed, a language server's streams
  // ended), end the process at once, instead of Node then tearing down the heap (~30 ms after validate of a
  // 10,000-scope policy).
  process.once("beforeExit", () => process.exit(code));
}
