/**
 * The playground's one call into imagetrust: the same core the CLI runs (lint = validate + rules, compile, simulate,
 * show), over a memory host holding what is in the editors. No DOM here, so the tests run it in Node too; nothing
 * leaves the page (the memory host has no HTTP).
 */
import { memoryHost } from "../../src/host/memory-host.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Loaders } from "../../src/input/validate.js";
import { lintInputs } from "../../src/lint/lint-inputs.js";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { decodePolicyBytes } from "../../src/load/json-decode-bytes.js";
import { loadRegistriesDDir, loadRegistriesDFile } from "../../src/load/registries-d/index.js";
import { loadRegistriesConfFile } from "../../src/load/registries-conf/index.js";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { emitTrustModel } from "../../src/emit/trust-model.js";
import { printTrustModel } from "../../src/print/trust-printer.js";
import { simulate, renderSimulationExplanation } from "../../src/simulate/simulate-refs.js";
import { scopeText, whyText } from "../../src/simulate/render-text.js";
import { parseVersion } from "../../src/ir/versions.js";
import { describeTrust, renderTrustSvg, renderTrustTable } from "../../src/show/index.js";
import type { Policy, RegistriesDConfig } from "../../src/ir/types.js";
import { isPolicyJson } from "./mode.js";

/** What the page holds; also what the share URL carries. */
export interface PlaygroundState {
  /** A .trust program or a policy.json (told apart by content: JSON starts with `{`). */
  policy: string;
  /** One registries.d YAML file, used with a policy.json (a .trust program declares its own `signatures`). */
  registriesD: string;
  /** References to simulate, one a line. */
  refs: string;
  /** containers/image version to judge by ("" = the newest, or what the .trust source declares). */
  target: string;
}

/** Which editor a diagnostic belongs to. */
export type EditorName = "policy" | "registriesD";

/** A diagnostic placed in an editor: offsets for CodeMirror, line/column for people. */
export interface PlacedDiagnostic {
  editor: EditorName;
  from: number;
  to: number;
  line: number;
  column: number;
  severity: "error" | "warning" | "info";
  code: string;
  message: string;
  hint?: string;
}

/** One simulated reference. */
export interface SimulatedRef {
  ref: string;
  verdict: "ALLOW" | "DENY";
  /** As `simulate` prints it: `docker: quay.io/acme`, `(global default)`, or `-` when the reference did not parse. */
  decidedBy: string;
  why: string;
  explanation: string;
}

/** Everything the page shows for one state. */
export interface Analysis {
  mode: "trust" | "policy-json";
  diagnostics: PlacedDiagnostic[];
  /** Compiled files (trust mode: policy.json and registries.d/*.yaml) or the policy as a .trust program (policy.json mode). */
  outputs: { path: string; text: string }[];
  simulation: SimulatedRef[];
  /** The `show` picture and table, when the policy loaded. */
  svg?: string;
  table?: string;
}

/** The path of the policy in the memory host, by mode. */
const DIR = "/play";
const TRUST = `${DIR}/policy.trust`;
const POLICY = `${DIR}/policy.json`;
const REGD = `${DIR}/registries.d`;
const REGD_FILE = `${REGD}/default.yaml`;

/** The loaders, imported statically (the CLI imports them on demand by path; a bundle needs them named). */
const LOADERS: Loaders = { loadPolicyJson, decodePolicyBytes, loadRegistriesDFile, loadRegistriesDDir, compileTrustSource, loadRegistriesConf: loadRegistriesConfFile };

export { isPolicyJson } from "./mode.js";

/** 1-based line and column of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function place(d: Diagnostic, texts: Record<EditorName, { path: string; text: string }>): PlacedDiagnostic {
  const file = d.span?.file ?? d.file ?? "";
  const editor: EditorName = file === texts.registriesD.path || file.startsWith(REGD) ? "registriesD" : "policy";
  const text = texts[editor].text;
  const from = Math.min(d.span?.start ?? 0, text.length);
  const to = Math.min(Math.max(d.span?.end ?? from, from), text.length);
  const { line, column } = position(text, from);
  const out: PlacedDiagnostic = { editor, from, to, line, column, severity: d.severity, code: d.code, message: d.message };
  if (d.hint) out.hint = d.hint;
  return out;
}

/** Analyse the page's state with the real core. */
export async function analyse(state: PlaygroundState): Promise<Analysis> {
  const json = isPolicyJson(state.policy);
  const target = state.target ? parseVersion(state.target) : undefined;
  const policyPath = json ? POLICY : TRUST;
  const files: Record<string, string> = { [policyPath]: state.policy };
  if (json) files[REGD_FILE] = state.registriesD;
  const host = memoryHost({ files, home: "/root", euid: 0, cwd: DIR });
  const texts = { policy: { path: policyPath, text: state.policy }, registriesD: { path: REGD_FILE, text: state.registriesD } };
  // policy.json mode: the directory, so that its policy.json is linted with its registries.d (as /etc/containers).
  const reports = await lintInputs([json ? DIR : TRUST], { host, loaders: LOADERS, target, keys: false, kind: json ? "config-dir" : "trust" });
  const diagnostics = reports.flatMap((r) => r.diagnostics.map((d) => place(d, texts)));
  diagnostics.sort((a, b) => (a.editor === b.editor ? a.from - b.from : a.editor === "policy" ? -1 : 1));

  let policy: Policy | undefined;
  let registriesD: RegistriesDConfig | undefined;
  const outputs: Analysis["outputs"] = [];
  const main = reports.find((r) => r.kind === (json ? "policy-json" : "trust"));
  if (main?.valid && main.model) {
    if (json) {
      policy = main.model.policy;
      registriesD = reports.find((r) => r.kind === "registries-d-dir")?.model?.registriesD ?? { docker: [] };
      if (policy) outputs.push({ path: "policy.trust (imported)", text: safePrint(() => printTrustModel({ policy: policy!, registriesD: registriesD!, expectations: [] })) });
    } else if (main.model.trust) {
      policy = main.model.trust.policy;
      registriesD = main.model.trust.registriesD;
      const declared = main.model.trust.target ? parseVersion(main.model.trust.target) : undefined;
      const emitted = emitTrustModel(main.model.trust, { target: target ?? declared, source: " from policy.trust" });
      for (const f of emitted.files ?? []) outputs.push({ path: f.path, text: f.text });
      for (const d of emitted.diagnostics) diagnostics.push(place(d, texts));
    }
  }

  const simulation: SimulatedRef[] = [];
  const refs = state.refs
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, "").trim())
    .filter((l) => l.length > 0);
  if (policy && refs.length > 0) {
    const results = simulate({ policy, registriesD, refs, env: { euid: 0, home: "/root" }, host });
    for (const r of results) {
      simulation.push({
        ref: r.ref,
        verdict: r.verdict === "allow" ? "ALLOW" : "DENY",
        decidedBy: scopeText(r),
        why: whyText(r),
        explanation: renderSimulationExplanation(r),
      });
    }
  }
  const out: Analysis = { mode: json ? "policy-json" : "trust", diagnostics, outputs, simulation };
  if (policy) {
    out.svg = renderTrustSvg(policy);
    out.table = renderTrustTable(describeTrust({ policy, registriesD }));
  }
  return out;
}

function safePrint(f: () => string): string {
  try {
    return f();
  } catch (e) {
    return `# cannot be printed as .trust: ${e instanceof Error ? e.message : String(e)}`;
  }
}
