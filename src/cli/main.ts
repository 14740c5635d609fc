#!/usr/bin/env -S node --max-semi-space-size=16
/** The `imagetrust` executable: runs the CLI on the real process and sets the exit code (never calls exit). */
import { mapStackTracesLazily } from "./stack-traces.js";
import { packageVersion } from "./version.js";

// A stack trace (in a bug report) names src/…ts lines; the source maps are read only when one is printed.
mapStackTracesLazily();

const argv = process.argv.slice(2);

// A reader that closes the pipe early (`imagetrust simulate --refs … | head`) ends the run quietly, as a Unix
// tool killed by SIGPIPE does (status 128 + 13), instead of an unhandled 'error' event with a stack trace and
// deciding the rest of the input for nobody.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(141);
  });
}
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  // What `run` prints for it, without loading the program (commander, every command's registration).
  process.stdout.write(packageVersion() + "\n");
} else {
  // Node 22.1+ keeps V8's compiled code of the bundle on disk between runs (absent on Node 20: a no-op there).
  const { default: nodeModule } = await import("node:module");
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const { run } = await import("./run.js");
  const code = await run(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    euid: process.geteuid?.(),
  });
  process.exitCode = code;
}
