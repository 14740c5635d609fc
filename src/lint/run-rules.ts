/** Runs given lint rules over the IR of one input: one walk, every rule's visitors called in the order given (without loading the registry). */
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import type { Policy, RegistriesDConfig } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import type { RegistriesConf } from "../registries/types.js";
import { formatMessage, type ReportDescriptor, type Rule, type RuleContext, type RuleVisitor, type SourceLookup } from "./rule.js";
import type { Host } from "../host/host.js";
import { NO_FILES } from "./file-access.js";

/** What one lint run looks at. */
export interface LintInput {
  file: string;
  /** The texts the IR came from (lets rules offer fixes). */
  getSource?: SourceLookup;
  /** The registries.d the runtime would use with `policy`, when known (see RuleContext.signatureStorage). */
  signatureStorage?: RegistriesDConfig;
  policy?: Policy;
  registriesD?: RegistriesDConfig;
  target?: Version;
  /** The registries.conf used with `policy`, when known. */
  registriesConf?: RegistriesConf;
  /** Check key files and path scopes on this machine (see RuleContext.checkHostFiles). */
  checkHostFiles?: boolean;
  /** The front end the IR came from (see RuleContext.frontEnd). */
  frontEnd?: "policy-json" | "trust";
  /** The machine, for rules that read key files or resolve paths (without one, every path is missing). */
  host?: Host;
  /** Key files given with `--keys` / config `keys:` (a `keysHost`): key rules read them there, even without checkHostFiles. */
  keyHost?: Host;
  /** See RuleContext.now / approvalWarnDays. */
  now?: Date;
  approvalWarnDays?: number;
}

/** Options of {@link runRules}. */
export interface RunLintOptions {
  /** The rules to run (default, in runLint: every registered rule). */
  rules?: readonly Rule[];
  /** Per rule (by name or code): a different severity, or "off". */
  severities?: Record<string, Severity | "off">;
}

/** Lint one input's IR with `rules`; findings come back in walk (document) order, rules in the given order at each node. */
export function runRules(input: LintInput, rules: readonly Rule[], options: Omit<RunLintOptions, "rules"> = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visitors: RuleVisitor[] = [];
  for (const rule of rules) {
    const override = options.severities?.[rule.meta.name] ?? options.severities?.[rule.meta.code];
    if (override === "off") continue;
    const severity = override ?? rule.meta.defaultSeverity;
    const ctx: RuleContext = {
      file: input.file,
      policy: input.policy,
      registriesD: input.registriesD,
      target: input.target,
      signatureStorage: input.signatureStorage,
      registriesConf: input.registriesConf,
      checkHostFiles: input.checkHostFiles ?? false,
      frontEnd: input.frontEnd,
      files: input.host?.files ?? NO_FILES,
      keyFiles: input.keyHost?.files,
      ...(input.now ? { now: input.now } : {}),
      ...(input.approvalWarnDays !== undefined ? { approvalWarnDays: input.approvalWarnDays } : {}),
      textOf: (span) => input.getSource?.(span.file)?.text.slice(span.start, span.end),
      report: (d: ReportDescriptor) => out.push(toDiagnostic(rule, severity, d, input.file, override !== undefined)),
    };
    visitors.push(rule.create(ctx));
  }
  walk(input, visitors);
  return out;
}

function toDiagnostic(rule: Rule, severity: Severity, d: ReportDescriptor, file: string, overridden: boolean): Diagnostic {
  let message = d.message;
  if (message === undefined) {
    const template = d.messageId !== undefined ? rule.meta.messages[d.messageId] : undefined;
    if (template === undefined) throw new Error(`lint rule ${rule.meta.name} reported unknown messageId ${String(d.messageId)}`);
    message = formatMessage(template, d.data);
  } else if (d.data) {
    message = formatMessage(message, d.data);
  }
  const diag: Diagnostic = {
    code: rule.meta.code,
    severity: overridden ? severity : (d.severity ?? severity),
    message,
  };
  if (d.span) diag.span = d.span;
  else diag.file = d.file ?? file;
  if (d.related?.length) diag.related = d.related;
  if (d.hint) diag.hint = d.hint;
  if (d.fix) diag.fix = d.fix;
  return diag;
}

function walk(input: LintInput, visitors: RuleVisitor[]): void {
  // Per event, the visitors that handle it, found once; a walk level no visitor listens to below is skipped
  // (validate runs one requirement rule over policies of tens of thousands of scopes).
  const on = <K extends keyof RuleVisitor>(key: K): RuleVisitor[] => visitors.filter((v) => v[key] !== undefined);
  const policy = input.policy;
  if (policy) {
    for (const v of on("policy")) v.policy!(policy);
    for (const v of on("defaultRequirements")) v.defaultRequirements!(policy.default, policy);
    const onTransport = on("transport");
    const onScope = on("scope");
    const onRequirement = on("requirement");
    for (const r of onRequirement.length > 0 ? policy.default : []) {
      const place = { kind: "default" as const };
      for (const v of onRequirement) v.requirement!(r, place);
    }
    if (onTransport.length + onScope.length + onRequirement.length > 0) {
      // Indexed loops: in code V8 has not optimised yet (one run over a fresh IR), `for … of` allocates an
      // iterator result per step, and that garbage made the scavenger copy the whole young IR once more.
      const transports = policy.transports;
      for (let ti = 0; ti < transports.length; ti++) {
        const t = transports[ti]!;
        for (const v of onTransport) v.transport!(t);
        if (onScope.length + onRequirement.length === 0) continue;
        const scopes = t.scopes;
        for (let si = 0; si < scopes.length; si++) {
          const s = scopes[si]!;
          for (let vi = 0; vi < onScope.length; vi++) onScope[vi]!.scope!(s, t);
          if (onRequirement.length === 0) continue;
          const place = { kind: "scope" as const, transport: t, scope: s };
          const requirements = s.requirements;
          for (let ri = 0; ri < requirements.length; ri++) {
            const r = requirements[ri]!;
            for (let vi = 0; vi < onRequirement.length; vi++) onRequirement[vi]!.requirement!(r, place);
          }
        }
      }
    }
  }
  const reg = input.registriesD;
  if (reg) {
    for (const v of on("registriesD")) v.registriesD!(reg);
    const onEntry = on("registriesDEntry");
    if (onEntry.length > 0) for (const e of reg.docker) for (const v of onEntry) v.registriesDEntry!(e);
  }
  for (const v of on("end")) v.end!();
}
