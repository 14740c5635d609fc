/**
 * The policy.json loader: accepts exactly what containers/image accepts (`signature.NewPolicyFromBytes`,
 * signature/policy_config.go and policy_config_sigstore.go), for the newest format or an older target, and
 * lowers it into the IR with spans. Unlike upstream it reports every problem, each with a stable code and a
 * span; the first problem in upstream's order carries `upstreamMessage`, the exact text containers/image
 * would give (without its `invalid policy in "<path>": ` prefix).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Policy, Requirement, ScopeEntry, TransportPolicy } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import { validatePolicyScope } from "../reference/scopes.js";
import type { SourceFile } from "../source/source-file.js";
import { goQuote } from "../util/go-quote.js";
import type { LoadResult } from "./result.js";
import { parseJson } from "./json-parse.js";
import type { JsonMember, JsonValue } from "./json-tree.js";
import { LoadContext, type FieldSpec, fieldTable, readStrictObject } from "./policy-decode.js";
import { POLICY_CODES } from "./policy-codes.js";
import { readRequirementList } from "./policy-requirements.js";
import { readPolicyFast } from "./policy-fast.js";

/** Go-faithful decoding of policy.json bytes (see json-decode-bytes.ts), re-exported for callers of the loader. */
export { decodePolicyBytes } from "./json-decode-bytes.js";

/** Options of loadPolicyJson. */
export interface LoadPolicyOptions {
  /** The containers/image version to accept for; undefined = the newest format. */
  target?: Version;
  /**
   * For a caller that keeps no IR (the `validate` command): build only what validate's accepted-but-never-matching
   * check reads. When the fast path reads the document, `value` is then a skeleton of the policy holding just its
   * sigstoreSigned requirements with `fulcio` or `pki` (in their scopes, transports and default list), each exactly
   * as a full load makes it; when the exact loader reads it, the full policy. Verdict and diagnostics are a full
   * load's: the same rules decide, only the objects nobody reads are not made.
   */
  skeleton?: boolean;
}

/**
 * Loads a policy.json text. `value` is the IR policy (with origin spans) exactly when the target
 * containers/image would accept the document; `diagnostics` lists every problem (codes IT1000–IT1299).
 * Never throws for any input.
 */
export function loadPolicyJson(source: SourceFile, options: LoadPolicyOptions = {}): LoadResult<Policy> {
  // A plainly valid document is read in one pass (policy-fast.ts); anything else, by the exact reader below.
  const fast = readPolicyFast(source.text, source.path, options.target, options.skeleton === true);
  if (fast) return { value: fast, diagnostics: [] };
  return loadPolicyJsonExact(source, options);
}

/**
 * {@link loadPolicyJson} without the fast path: the position-keeping parse and the strict readers, which say
 * what is wrong in Go's words. Exported for the tests that hold the two paths equal.
 */
export function loadPolicyJsonExact(source: SourceFile, options: LoadPolicyOptions = {}): LoadResult<Policy> {
  const parsed = parseJson(source.text);
  if (!parsed.ok) return { diagnostics: [syntaxDiagnostic(source, parsed.error)] };
  const ctx = new LoadContext(source.path, source.text, options.target);
  const policy = readPolicy(ctx, parsed.value);
  if (ctx.failed || !policy) return { diagnostics: ctx.diagnostics };
  return { value: policy, diagnostics: ctx.diagnostics };
}

function syntaxDiagnostic(
  source: SourceFile,
  error: { message: string; reason: string; offset: number; length: number },
): Diagnostic {
  const span = source.span(error.offset, error.offset + error.length);
  const base = { severity: "error" as const, span, upstreamMessage: error.message };
  if (source.text.trim() === "" || /^[ \t\r\n]*$/.test(source.text)) {
    return { ...base, code: POLICY_CODES.emptyInput, message: "the policy file is empty; it must contain a JSON object" };
  }
  if (error.offset === 0 && source.text.charCodeAt(0) === 0xfeff) {
    return {
      ...base,
      code: POLICY_CODES.byteOrderMark,
      message: `the file starts with a UTF-8 byte order mark, which containers/image rejects (${error.message})`,
      hint: "save the file as UTF-8 without BOM",
    };
  }
  if (error.reason === "max-depth") {
    return {
      ...base,
      code: POLICY_CODES.maxDepth,
      message: `JSON nesting deeper than 10000 levels (${error.message})`,
    };
  }
  return { ...base, code: POLICY_CODES.syntax, message: `JSON syntax error: ${error.message}` };
}

interface PolicyState {
  defaultMember?: JsonMember;
  defaultReqs?: Requirement[];
  transportsMember?: JsonMember;
  transports?: TransportPolicy[];
}

const POLICY_FIELDS = fieldTable<PolicyState>({
  default: (ctx, m, st) => {
    st.defaultMember = m;
    st.defaultReqs = readRequirementList(ctx, m.value, "default");
  },
  transports: (ctx, m, st) => {
    st.transportsMember = m;
    st.transports = readTransports(ctx, m.value);
  },
});

/** `Policy.UnmarshalJSON`: keys `default` (required) and `transports`. */
function readPolicy(ctx: LoadContext, root: JsonValue): Policy | undefined {
  const st: PolicyState = {};
  if (!readStrictObject(ctx, root, "the policy", POLICY_FIELDS, st)) return undefined;
  if (!st.defaultMember) {
    ctx.report(
      POLICY_CODES.defaultMissing,
      ctx.nodeSpan(root),
      'the policy has no "default" requirement list',
      "Default policy is missing",
      { hint: 'add e.g. "default": [{"type": "reject"}]' },
    );
  }
  if (!st.defaultReqs || !st.defaultMember) return undefined;
  const policy: Policy = {
    default: st.defaultReqs,
    defaultOrigin: ctx.nodeSpan(st.defaultMember.value),
    transports: st.transports ?? [],
    origin: ctx.nodeSpan(root),
  };
  if (st.transportsMember) policy.transportsPresent = true;
  return policy;
}

const TRANSPORT_FIELD: FieldSpec<TransportPolicy[]> = {
  read: (ctx, member, out) => {
    const scopes = readScopes(ctx, member.key, member.value);
    if (scopes) out.push({ name: member.key, keyOrigin: ctx.keySpan(member), scopes, origin: ctx.memberSpan(member) });
  },
};

/** `policyTransportsMap.UnmarshalJSON`: any transport name, each mapping to a scope map. */
function readTransports(ctx: LoadContext, node: JsonValue): TransportPolicy[] | undefined {
  const out: TransportPolicy[] = [];
  const before = ctx.diagnostics.length;
  if (!readStrictObject(ctx, node, "transports", () => TRANSPORT_FIELD, out)) return undefined;
  return ctx.diagnostics.length === before ? out : undefined;
}

/** Whether the target's containers/image registers `transport` and so validates its scopes. */
function transportValidatesScopes(ctx: LoadContext, transport: string): boolean {
  // Debian 12's 5.23.1 build does not register the atomic (openshift) transport.
  if (transport === "atomic" && ctx.before(5, 24)) return false;
  return validatePolicyScope(transport, "").known;
}

interface ScopesState {
  transport: string;
  validates: boolean;
  out: ScopeEntry[];
}

const SCOPE_FIELD: FieldSpec<ScopesState> = {
  read: (ctx, member, st) => {
    const scope = member.key;
    let scopeOk = true;
    if (scope !== "" && st.validates) {
      const v = validatePolicyScope(st.transport, scope);
      if (v.error !== undefined) {
        scopeOk = false;
        ctx.report(
          POLICY_CODES.invalidScope,
          ctx.keySpan(member),
          `${goQuote(scope)} is not a valid scope for the ${st.transport} transport: ${v.error}`,
          `Unknown key ${ctx.q(scope)}`,
        );
        // Upstream stops here; the requirements are still checked so that their problems show up now too.
      }
    }
    const requirements = readRequirementList(ctx, member.value, () => `the requirements of scope ${goQuote(scope)}`);
    if (requirements && scopeOk) {
      st.out.push({ scope, keyOrigin: ctx.keySpan(member), requirements, origin: ctx.memberSpan(member) });
    }
  },
};

/** `policyTransportScopesWithTransport.UnmarshalJSON`: scope → requirement list, scopes validated. */
function readScopes(ctx: LoadContext, transport: string, node: JsonValue): ScopeEntry[] | undefined {
  const st: ScopesState = { transport, validates: transportValidatesScopes(ctx, transport), out: [] };
  const before = ctx.diagnostics.length;
  if (!readStrictObject(ctx, node, () => `transport ${goQuote(transport)}`, () => SCOPE_FIELD, st)) return undefined;
  const out = st.out;
  return ctx.diagnostics.length === before ? out : undefined;
}
