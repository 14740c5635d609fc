/**
 * The lint rule interface (after ESLint / graphql-js): a rule is `meta` (stable code, name, category, default
 * severity, docs, messages) beside `create(ctx)`, which returns visitors called while the runner walks the IR.
 * Rules read only the IR, so they apply alike to policy.json, registries.d and .trust inputs; spans come from
 * the IR nodes' origins.
 */
import type { Fix, RelatedLocation, Severity } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../source/source-file.js";
import type {
  Policy,
  RegistriesDConfig,
  RegistriesDEntry,
  Requirement,
  ScopeEntry,
  TransportPolicy,
} from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import type { Span } from "../source/source-file.js";
import type { HostFiles } from "../host/host.js";
import type { RegistriesConf } from "../registries/types.js";
import type { DiagnosticCode } from "../diagnostics/catalogue/index.js";

/** What a rule is about. */
export type RuleCategory = "security" | "correctness" | "portability" | "style";

/** Rule documentation with fixed headings (Ruff): rendered into the README's rule table. */
export interface RuleDocs {
  /** What it does. */
  what: string;
  /** Why it matters. */
  why: string;
  /** An example that triggers it (policy.json snippet). */
  example: string;
  /** What to write instead. */
  instead: string;
}

/** A rule's static description. */
export interface RuleMeta {
  /** Stable code in the IT4xxx band, never reused (registered in the catalogue). */
  code: DiagnosticCode;
  /** kebab-case name, equal to the rule's file name. */
  name: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  /** One line. */
  description: string;
  docs: RuleDocs;
  /** Message templates by id; `{name}` placeholders are filled from `data`. */
  messages: Record<string, string>;
}

/** One finding, as a rule reports it. */
export interface ReportDescriptor {
  /** A key of `meta.messages` (preferred) … */
  messageId?: string;
  /** … or a literal message. */
  message?: string;
  data?: Record<string, string | number>;
  span?: Span;
  /** The file, when there is no span. */
  file?: string;
  related?: RelatedLocation[];
  hint?: string;
  fix?: Fix;
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
}

/** Where a requirement list sits in a policy. */
export type RequirementPlace =
  | { kind: "default" }
  | { kind: "scope"; transport: TransportPolicy; scope: ScopeEntry };

/** What a rule sees and how it reports. */
export interface RuleContext {
  /** The file being linted (the input named on the command line). */
  readonly file: string;
  /** The policy, when the input has one. */
  readonly policy?: Policy;
  /** The registries.d configuration, when the input has one. */
  readonly registriesD?: RegistriesDConfig;
  /** The target containers/image version (undefined = newest). */
  readonly target?: Version;
  /**
   * The registries.d configuration the runtime would use together with this policy, when known (linting a
   * configuration directory or the runtime's own files); not walked, only consulted.
   */
  readonly signatureStorage?: RegistriesDConfig;
  /** The registries.conf configuration used with the policy, when known (`--registries-conf`). */
  readonly registriesConf?: RegistriesConf;
  /**
   * True when the files the policy names are the deployed ones (linting the runtime's own configuration, or
   * `--check-files`): rules that read key files or resolve paths run only then.
   */
  readonly checkHostFiles: boolean;
  /**
   * The front end the IR came from. A .trust source arrives with its checker's own findings, and the checker owns
   * those it reports (IT2111 unknown transport, IT2150/IT2151 sigstore without attachments): rules skip them.
   */
  readonly frontEnd?: "policy-json" | "trust";
  /** The run's `host.files`, for rules that look at key files and paths (src/lint/file-access.ts helpers). */
  readonly files: HostFiles;
  /** The key files given with `--keys` / config `keys:` (install paths read from there); rules check keys there even without checkHostFiles. */
  readonly keyFiles?: HostFiles;
  /** The clock approvals' dates are judged by (`--now`, SOURCE_DATE_EPOCH, the host's); absent: dates are not judged. */
  readonly now?: Date;
  /** How many days ahead of an approval's end to warn (default 30). */
  readonly approvalWarnDays?: number;
  /** The source text a span covers, when the text is at hand (for building fixes). */
  textOf(span: Span): string | undefined;
  report(descriptor: ReportDescriptor): void;
}

/** Visitors a rule may implement; the runner calls them in document order. */
export interface RuleVisitor {
  policy?(policy: Policy): void;
  /** The global default list (once per policy). */
  defaultRequirements?(requirements: Requirement[], policy: Policy): void;
  transport?(transport: TransportPolicy): void;
  scope?(scope: ScopeEntry, transport: TransportPolicy): void;
  requirement?(requirement: Requirement, place: RequirementPlace): void;
  registriesD?(config: RegistriesDConfig): void;
  registriesDEntry?(entry: RegistriesDEntry): void;
  /** After everything was visited. */
  end?(): void;
}

/** A lint rule. */
export interface Rule {
  meta: RuleMeta;
  create(context: RuleContext): RuleVisitor;
}

/** Fill `{name}` placeholders of a message template. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

/**
 * A fix replacing a string literal at `span` (a JSON / .trust `"…"` literal, or a YAML plain or quoted scalar) whose
 * value is `from` by the value `to`. Undefined when the text at the span is not such a literal of `from` (escapes,
 * comments, …): then no fix is offered rather than a wrong one.
 */
export function replaceStringFix(ctx: RuleContext, span: Span | undefined, from: string, to: string, description: string): Fix | undefined {
  if (!span) return undefined;
  const text = ctx.textOf(span);
  if (text === undefined) return undefined;
  const plainSafe = (v: string) => /^[A-Za-z0-9._\/-][A-Za-z0-9._:\/@-]*$/.test(v);
  let replacement: string | undefined;
  if (text === JSON.stringify(from) && !/["\\\u0000-\u001f]/.test(to)) replacement = JSON.stringify(to);
  else if (text === `'${from}'` && !to.includes("'")) replacement = `'${to}'`;
  else if (text === from && span.file.match(/\.ya?ml$/i)) replacement = plainSafe(to) ? to : JSON.stringify(to);
  else if (text === from && /^[A-Za-z_][\w-]*$/.test(from) && /^[A-Za-z_][\w-]*$/.test(to)) replacement = to; // a .trust identifier
  if (replacement === undefined) return undefined;
  return { description, edits: [{ span, text: replacement }] };
}

/** Source texts by file name, for {@link RuleContext.textOf}. */
export type SourceLookup = (file: string) => SourceFile | undefined;
