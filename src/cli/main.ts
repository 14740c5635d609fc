#!/usr/bin/env -S node --enable-source-maps --max-semi-space-size=16
/** The `imagetrust` executable: runs the CLI on the real process and sets the exit code (never calls exit). */
import { packageVersion } from "./version.js";

const argv = process.argv.slice(2);
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
