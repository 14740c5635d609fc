/**
 * A whole TrustModel → every output file in memory: `policy.json` and `registries.d/<name>.yaml`
 * (paths relative to the output directory; registries.d files first, policy.json last — the order in which
 * they should be put in place, so a policy never becomes active before the signature storage it relies on).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { TrustModel } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import { emitPolicyJson } from "./policy-json.js";
import { emitRegistriesD, type RegistriesDLayout } from "./registries-d.js";

/** The policy file's path relative to the output directory. */
export const POLICY_JSON_PATH = "policy.json";
/** The registries.d directory relative to the output directory. */
export const REGISTRIES_D_DIR = "registries.d";

/** Options of emitTrustModel. */
export interface EmitTrustModelOptions {
  /** Target version; undefined = the newest format. */
  target?: Version;
  layout?: RegistriesDLayout;
  /** Shown in the generated-file header of registries.d files, e.g. " from site.trust". */
  source?: string;
}

/** An output file: `path` relative to the output directory. */
export interface OutputFile {
  path: string;
  text: string;
}

/** All files (absent on errors) and the diagnostics of both emitters. */
export interface EmitTrustModelResult {
  files?: OutputFile[];
  diagnostics: Diagnostic[];
}

/** Emit policy.json and the registries.d files of `model`; nothing when either emitter reports an error. */
export function emitTrustModel(model: TrustModel, options: EmitTrustModelOptions = {}): EmitTrustModelResult {
  const policy = emitPolicyJson(model.policy, { target: options.target });
  const regs = emitRegistriesD(model.registriesD, { target: options.target, layout: options.layout, source: options.source });
  const diagnostics = [...policy.diagnostics, ...regs.diagnostics];
  if (hasErrors(diagnostics) || policy.text === undefined || regs.files === undefined) return { diagnostics };
  return {
    files: [...regs.files.map((f) => ({ path: `${REGISTRIES_D_DIR}/${f.name}`, text: f.text })), { path: POLICY_JSON_PATH, text: policy.text }],
    diagnostics,
  };
}
