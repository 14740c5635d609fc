/** What the CLI may touch of the outside world, injected so tests run it in-process. */
import { Chalk } from "chalk";
import * as nodePath from "node:path";
import { PLAIN_STYLES, type TextStyles } from "../diagnostics/render-text.js";
import type { Host } from "../host/host.js";

/** A writable text stream. */
export interface TextSink {
  write(text: string): unknown;
  /**
   * Write UTF-8 bytes (what `write` of their text would write); the caller may reuse them once this returns. Output
   * buffers use it when it is there (stdio.ts FdSink), else they write the text.
   */
  writeBytes?(bytes: Uint8Array): unknown;
  /** A stream's `once("drain")`: when write() returned false, output waits for it (bounded memory). */
  once?(event: "drain", listener: () => void): unknown;
}

/** The process-level surroundings of one CLI run. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (colour is used only then). */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress lines are drawn only then); default false. */
  stderrIsTTY?: boolean;
  /** Standard input (`--refs -`); default the process's. */
  stdin?: AsyncIterable<string | Uint8Array>;
  /** The working directory relative paths are resolved against. */
  cwd: string;
  /** Test seam: prefix for system paths such as /etc/containers (lint with no arguments). */
  systemRoot?: string;
  /** Effective user id (root and others have different default signature directories); default 0 (an injected host's own). */
  euid?: number;
  /**
   * Only the real process (main.ts): run the rest of this process as a short one — V8 without its optimising
   * compiler and without growing its young generation (see src/cli/short-run.ts). Absent in tests, which run the
   * CLI inside a shared process.
   */
  shortRun?: () => Promise<void>;
  /**
   * Only the real process (main.ts): set V8 flags of this process while it runs (`v8.setFlagsFromString`), e.g.
   * simulate's policy load without the optimising compiler (src/cli/policy-load-phase.ts). Absent in tests.
   */
  setV8Flags?: (flags: string) => Promise<void>;
  /**
   * The machine as the library sees it (the one seam: files, writes, env, home, clock, HTTP); default: the Node
   * host with this `env` and `cwd`. Tests inject a memory host, or a Node host with wrapped `files`/`writes`.
   */
  host?: Host;
}

/** `--color` values. */
export type ColorMode = "auto" | "always" | "never";

/** Whether to colour: never under NO_COLOR (any non-empty value, no-color.org), else by mode and TTY. */
export function useColor(io: CliIo, mode: ColorMode = "auto"): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (mode === "never") return false;
  if (mode === "always") return true;
  return io.isTTY && io.env.TERM !== "dumb";
}

/** Text styles for diagnostics, coloured with chalk when colour is on. */
export function stylesFor(color: boolean): TextStyles {
  if (!color) return PLAIN_STYLES;
  const c = new Chalk({ level: 1 });
  return {
    error: (s) => c.red.bold(s),
    warning: (s) => c.yellow.bold(s),
    info: (s) => c.blue.bold(s),
    dim: (s) => c.dim(s),
    location: (s) => c.bold(s),
    hint: (s) => c.cyan(s),
  };
}

/**
 * A path for output: relative to the working directory when inside it, else absolute. An empty argument (a path as
 * typed, `imagetrust validate ""`) is shown as `""`, not as the working directory it would resolve to.
 */
export function displayPath(cwd: string, absolute: string): string {
  if (absolute === "") return '""';
  const rel = nodePath.relative(cwd, absolute);
  if (rel === "") return ".";
  if (rel.startsWith("..") || nodePath.isAbsolute(rel)) return absolute;
  return rel;
}
