#!/usr/bin/env -S node --max-semi-space-size=64 --min-semi-space-size=64
/** The `imagetrust` executable: runs the CLI on the real process and sets the exit code (never calls exit). */
import { run } from "./run.js";

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  cwd: process.cwd(),
  euid: process.geteuid?.(),
});
process.exitCode = code;
