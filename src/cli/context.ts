/** What every command handler shares: I/O, option parsing, usage errors, and loading policy inputs. */
import * as nodePath from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { KNOWN_TARGETS, NEWEST_VERSION, compareVersions, parseVersion, type Version } from "../ir/versions.js";
import type { InputKind } from "../input/files.js";
import { validateInput, type FileReport } from "../input/validate.js";
import type { Host } from "../host/host.js";
import { nodeHost } from "../host/node-host.js";
import { displayPath, stylesFor, useColor, type CliIo, type ColorMode } from "./io.js";
import { EXIT } from "./exit-codes.js";
import { renderReports } from "./report-output.js";

export { EXIT } from "./exit-codes.js";

/** A usage problem found after commander parsed the arguments (exit 2). */
export class UsageError extends Error {}

/** An input the command cannot work with (an invalid policy for `simulate`, …): diagnostics already printed, exit 2. */
export class InputError extends Error {}

/** One CLI run's shared state. */
export class CommandContext {
  exitCode: number = EXIT.ok;
  /**
   * Where this run reads the key files a policy names (a `keysHost` for `--keys` / `keys:`, src/cli/run-config.ts),
   * `false` when none is looked at (`checkFiles: false`); undefined: at their own paths. Set by the command.
   */
  keys?: Host | false;
  /** The one host of this run, passed down to every library call that touches the machine. */
  readonly host: Host;
  constructor(readonly io: CliIo) {
    const base = io.host ?? nodeHost({ env: io.env, cwd: io.cwd });
    // CliIo.euid is who the run is judged as (main.ts passes the process's); without it 0, as simulate and verify
    // take it, unless an injected host says otherwise.
    const euid = io.euid ?? (io.host ? undefined : 0);
    this.host = euid === undefined ? base : { ...base, euid: () => euid };
  }

  out(s: string): void {
    this.io.stdout.write(s);
  }
  err(s: string): void {
    this.io.stderr.write(s);
  }
  /**
   * The path handed to the library: as typed when the injected working directory is the process's (so messages,
   * including containers/image's own, name the file as the user did), else resolved against it.
   */
  libraryPath(p: string): string {
    return this.io.cwd === process.cwd() ? p : nodePath.resolve(this.io.cwd, p);
  }
  /** A path for output. */
  display(p: string): string {
    return displayPath(this.io.cwd, nodePath.resolve(this.io.cwd, p));
  }
  /** Whether text output is coloured. */
  color(mode: ColorMode = "auto"): boolean {
    return useColor(this.io, mode);
  }

  /**
   * Load a policy input (.json or .trust, or a registries.d directory) for a command that needs its IR. When the
   * runtime would reject it, print the diagnostics to stderr and throw InputError.
   */
  async loadModel(path: string, options: { target?: Version; kind?: InputKind; what: string; profile?: string }): Promise<FileReport> {
    const profile = options.profile !== undefined ? { profile: options.profile } : {};
    const [report] = await validateInput(this.libraryPath(path), { target: options.target, kind: options.kind, host: this.host, keys: this.keys, ...profile });
    if (!report || !report.valid || !report.model) {
      const reports = report ? [report] : [];
      const text = await renderReports(reports, {
        format: "text",
        command: "validate",
        styles: stylesFor(useColor({ ...this.io, isTTY: false })),
        displayPath: (f) => this.display(f),
        host: this.host,
      });
      this.err(text);
      throw new InputError(`${options.what} ${path} cannot be used`);
    }
    return report;
  }
}

/** Parse and check `--target`. */
export function parseTarget(text: string | undefined): Version | undefined {
  if (text === undefined) return undefined;
  const v = parseVersion(text);
  const newest = parseVersion(NEWEST_VERSION)!;
  if (!v || v[0] !== 5 || compareVersions(v, newest) > 0) {
    throw new UsageError(
      `invalid --target '${text}': expected a containers/image version 5.x up to ${NEWEST_VERSION}, e.g. ${KNOWN_TARGETS.join(", ")} or 'latest'`,
    );
  }
  return v;
}

/** Diagnostics as text for stderr/stdout of the non-validate commands. */
export async function renderLooseDiagnostics(ctx: CommandContext, file: string, diagnostics: Diagnostic[], color = false): Promise<string> {
  if (diagnostics.length === 0) return "";
  const { renderDiagnosticsText } = await import("../diagnostics/render-text.js");
  const { collectSources } = await import("./report-output.js");
  const sources = await collectSources([{ file, kind: "trust", valid: false, fatal: false, diagnostics, sources: new Map() }], ctx.host);
  return renderDiagnosticsText(diagnostics, { getSource: (f) => sources.get(f), styles: stylesFor(color), displayPath: (f) => ctx.display(f) });
}
