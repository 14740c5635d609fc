/**
 * The policy.json loader's fast path: one pass over the text for the common case, a well-formed policy that
 * containers/image accepts without a word. It reads the document directly into the IR (spans included) and
 * *gives up* — returns undefined — at the first thing that is not plainly valid: any JSON it does not expect
 * (numbers, literals, escapes, surrogates, control characters), an unknown, misspelt or repeated key, a value
 * of another type, a key or type newer than the target, or a broken constructor rule. The exact loader
 * (policy-json.ts: json-parse.ts + policy-decode.ts …) then reads the document again and says what is wrong,
 * with Go's words. So this file decides nothing on its own: a document it accepts is one the exact loader
 * accepts, with the same IR (test/load/policy-fast.test.ts holds the two paths equal, value and spans, on the
 * fixtures, the conformance vectors and mutated documents).
 *
 * The rules are upstream's, called from where they are written once: `newPRSignedBy`, `newPRSigstoreSigned`,
 * `newPRSigstoreSignedFulcio`, `newPRSigstoreSignedPKI`, `newPRMExactReference`, `newPRMExactRepository`,
 * `newPRMRemapIdentity` (src/ir/constraints.ts, signature/policy_config*.go) and the transports' scope
 * validation (`policyTransportScopesWithTransport.UnmarshalJSON`, src/reference/scopes.ts). Keys are matched
 * exactly as `ParanoidUnmarshalJSONObject` matches them (case-sensitively; any other key is an error there).
 */
import type { Span } from "../source/source-file.js";
import type { Policy, Requirement, ScopeEntry, SignedBy, SignedByKeyType, SigstoreSigned, TransportPolicy } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import {
  bytesState,
  isValidSignedByKeyType,
  listState,
  newPRSignedBy,
  newPRSigstoreSigned,
  prSignedByKeySourcesPresent,
  stringState,
  type SignedByKeySource,
} from "../ir/constraints.js";
import { validatePolicyScope } from "../reference/scopes.js";
import { GIVE_UP } from "./json-fast-reader.js";
import { FastObjectReader } from "./policy-fast-objects.js";
import {
  K_TYPE,
  K_KEY_TYPE,
  K_KEY_PATH,
  K_KEY_PATHS,
  K_KEY_DATA,
  K_KEY_DATAS,
  K_IDENTITY,
  K_BASE_LAYER,
  K_FULCIO,
  K_PKI,
  K_REKOR_PATH,
  K_REKOR_PATHS,
  K_REKOR_DATA,
  K_REKOR_DATAS,
  REQUIREMENT_KEY_SET,
  REQUIREMENT_TYPE_SET,
  SIGNED_BY_KEY_TYPE_SET,
  type RequirementFields,
  listCode,
  resetFields,
  sigstoreFacts,
  stringCode,
  sigstoreFactsKey,
} from "./policy-fast-keys.js";

/**
 * validatePolicyScope, called once per scope: bound here once, since the bundle reaches another chunk's export through
 * a getter (one more call per use in code that runs unoptimised).
 */
const validateScope = validatePolicyScope;

/**
 * Reads `text` as a policy.json the target accepts without any diagnostic, or returns undefined (then only
 * the exact loader can say what the document is). Spans name `file`.
 */
export function readPolicyFast(text: string, file: string, target: Version | undefined, skeleton = false): Policy | undefined {
  try {
    return new FastReader(text, file, target, skeleton).policy();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

/** A skeleton read's stand-in for a requirement it decided on and dropped (never part of a result). */
const SKIPPED: Requirement = Object.freeze({ type: "reject" });
/** A skeleton read's requirement origin (never part of a result). */
const NO_SPAN: Span = Object.freeze({ file: "", start: 0, end: 0 });
/** A skeleton read's list of a scope none of whose requirements is kept (never part of a result). */
const NONE: Requirement[] = Object.freeze([]) as unknown as Requirement[];

class FastReader extends FastObjectReader {
  constructor(text: string, file: string, target: Version | undefined, skeleton: boolean) {
    super(text, file, target);
    this.skeleton = skeleton;
  }

  /** Constructor verdicts by encoded facts (see signedBy, sigstoreSigned); the target is fixed per reader. */
  private readonly verdicts = new Map<number, boolean>();
  /** The members of the requirement being read (requirements do not nest: one record serves them all). */
  private readonly fields: RequirementFields = { seen: 0, type: "", keyType: "", keyTypeIndex: 0, keyPath: "", keyData: "", rekorPath: "", rekorData: "" };

  // ---------------------------------------------------------------------------------------------------
  // The policy (signature/policy_config.go)

  /** `Policy.UnmarshalJSON`: `default` (required) and `transports`, nothing else; then only whitespace. */
  policy(): Policy {
    const start = this.ws();
    const origin = this.p;
    if (start !== 0x7b) throw GIVE_UP;
    let defaultReqs: Requirement[] | undefined;
    let defaultOrigin: Span | undefined;
    let transports: TransportPolicy[] | undefined;
    if (this.objectStart()) {
      do {
        const k = this.key();
        if (k === "default" && defaultReqs === undefined) {
          const at = this.p;
          defaultReqs = this.requirementList();
          defaultOrigin = this.span(at, this.p);
        } else if (k === "transports" && transports === undefined) {
          transports = this.transports();
        } else throw GIVE_UP;
      } while (this.objectNext());
    }
    const end = this.p;
    if (this.ws() !== -1 || defaultReqs === undefined) throw GIVE_UP;
    const policy: Policy = { default: defaultReqs, defaultOrigin, transports: transports ?? [], origin: this.span(origin, end) };
    if (transports !== undefined) policy.transportsPresent = true;
    return policy;
  }

  /** `policyTransportsMap.UnmarshalJSON`: transport name → scope map, names unique. */
  private transports(): TransportPolicy[] {
    const out: TransportPolicy[] = [];
    if (!this.objectStart()) return out;
    const names = new Set<string>();
    do {
      const name = this.key();
      const before = names.size;
      if (names.add(name).size === before) throw GIVE_UP;
      const keyOrigin = this.span(this.ks, this.ke);
      const memberStart = this.ks;
      const scopes = this.scopes(name);
      out.push({ name, keyOrigin, scopes, origin: this.span(memberStart, this.p) });
    } while (this.objectNext());
    return out;
  }

  /** `policyTransportScopesWithTransport.UnmarshalJSON`: scope → requirement list, scopes valid and unique. */
  private scopes(transport: string): ScopeEntry[] {
    const out: ScopeEntry[] = [];
    if (!this.objectStart()) return out;
    // Debian 12's 5.23.1 build does not register the atomic (openshift) transport (as policy-json.ts).
    const validates = !(transport === "atomic" && this.before(5, 24)) && validatePolicyScope(transport, "").known;
    const seen = new Set<string>();
    do {
      const scope = this.key();
      // A repeated scope leaves the set as it was: one hash lookup instead of has + add.
      const before = seen.size;
      if (seen.add(scope).size === before) throw GIVE_UP;
      if (scope !== "" && validates && validateScope(transport, scope).error !== undefined) throw GIVE_UP;
      const keyStart = this.ks;
      const keyEnd = this.ke;
      const requirements = this.requirementList();
      // A skeleton keeps only the scopes with a kept requirement.
      if (requirements !== NONE) out.push({ scope, keyOrigin: this.span(keyStart, keyEnd), requirements, origin: this.span(keyStart, this.p) });
    } while (this.objectNext());
    return out;
  }

  /** `PolicyRequirements.UnmarshalJSON`: a non-empty array of requirements. */
  private requirementList(): Requirement[] {
    if (!this.arrayStart()) throw GIVE_UP;
    if (this.skeleton) {
      // Only the kept requirements, in order; NONE (no array made) when there are none.
      let kept: Requirement[] | undefined;
      do {
        const r = this.requirement();
        if (r !== SKIPPED) (kept ??= []).push(r);
      } while (this.arrayNext());
      return kept ?? NONE;
    }
    // Most lists hold one or two requirements: arrays of that size, not ones grown by push (a grown backing store
    // has room for 17, kept with the policy).
    const first = this.requirement();
    if (!this.arrayNext()) return [first];
    const second = this.requirement();
    if (!this.arrayNext()) return [first, second];
    const out = [first, second];
    do out.push(this.requirement());
    while (this.arrayNext());
    return out;
  }

  /** `newPolicyRequirementFromJSON` and the `pr*.UnmarshalJSON` of the type it names. */
  private requirement(): Requirement {
    const start = this.p;
    const f = this.fields;
    // Only the members the previous requirement set are not at their reset values (each is set only with its bit).
    if (f.seen !== 0) resetFields(f);
    if (!this.objectStart()) throw GIVE_UP;
    do {
      const i = this.knownKey(REQUIREMENT_KEY_SET);
      const bit = 1 << i;
      if (f.seen & bit) throw GIVE_UP;
      f.seen |= bit;
      // By index (REQUIREMENT_KEYS' order, the bits' order): literal cases make a jump table of the switch.
      switch (i) {
        case 0: // type
          // Any other type is unknown (or misspelt): the exact reader says so.
          f.type = REQUIREMENT_TYPE_SET.names[this.knownValue(REQUIREMENT_TYPE_SET)];
          break;
        case 1: // keyType
          f.keyTypeIndex = this.knownValue(SIGNED_BY_KEY_TYPE_SET);
          f.keyType = SIGNED_BY_KEY_TYPE_SET.names[f.keyTypeIndex];
          break;
        case 2: // keyPath
          f.keyPath = this.string();
          break;
        case 3: // keyPaths
          f.keyPaths = this.stringList();
          break;
        case 4: // keyData
          f.keyData = this.bytes();
          break;
        case 5: // keyDatas
          f.keyDatas = this.bytesList();
          break;
        case 6: // signedIdentity
          f.identity = this.identity();
          break;
        case 7: // baseLayerIdentity
          f.baseLayerIdentity = this.identity();
          break;
        case 8: // fulcio
          f.fulcio = this.fulcio();
          break;
        case 9: // pki
          f.pki = this.pki();
          break;
        case 10: // rekorPublicKeyPath
          f.rekorPath = this.string();
          break;
        case 11: // rekorPublicKeyPaths
          f.rekorPaths = this.stringList();
          break;
        case 12: // rekorPublicKeyData
          f.rekorData = this.bytes();
          break;
        default: // rekorPublicKeyDatas
          f.rekorDatas = this.bytesList();
      }
    } while (this.objectNext());
    if (!(f.seen & K_TYPE)) throw GIVE_UP;
    const skeleton = this.skeleton;
    const origin: Span = skeleton ? NO_SPAN : this.span(start, this.p);
    switch (f.type) {
      case "insecureAcceptAnything":
      case "reject":
        if (f.seen !== K_TYPE) throw GIVE_UP;
        return skeleton ? SKIPPED : { type: f.type, origin };
      case "signedBy":
        this.checkSignedBy(f);
        return skeleton ? SKIPPED : this.signedBy(f, origin);
      case "sigstoreSigned":
        this.checkSigstoreSigned(f);
        if (!skeleton) return this.sigstoreSigned(f, origin);
        // What validate's check reads (a subjectEmail): the requirement read again, in full.
        return f.seen & (K_FULCIO | K_PKI) ? this.readInFull(start) : SKIPPED;
      case "signedBaseLayer":
        if (f.seen !== (K_TYPE | K_BASE_LAYER)) throw GIVE_UP;
        return skeleton ? SKIPPED : { type: "signedBaseLayer", baseLayerIdentity: f.baseLayerIdentity!, origin };
      default:
        throw GIVE_UP;
    }
  }

  /** The requirement at `start` read again as a full read reads it (a skeleton read keeps it). */
  private readInFull(start: number): Requirement {
    this.skeleton = false;
    this.p = start;
    const r = this.requirement();
    this.skeleton = true;
    return r;
  }

  /** `prSignedBy.UnmarshalJSON` + `newPRSignedBy`: gives up unless the members make a valid signedBy. */
  private checkSignedBy(f: RequirementFields): void {
    const allowed = K_TYPE | K_KEY_TYPE | K_KEY_PATH | K_KEY_DATA | K_IDENTITY | (this.has("signedByKeyPaths") ? K_KEY_PATHS : 0);
    const s = f.seen;
    if ((s & ~allowed) !== 0 || !(s & K_KEY_TYPE)) throw GIVE_UP;
    // The rules decide on these facts alone (STATE_CODE of each, two bits apiece, and the keyType): asked once per
    // distinct combination (policies repeat a few), the facts' strings made only then.
    const key = 1 + stringCode(s & K_KEY_PATH, f.keyPath) + 4 * listCode(f.keyPaths) + 16 * (s & K_KEY_DATA ? 3 : 0) + 64 * f.keyTypeIndex;
    let ok = this.verdicts.get(key);
    if (ok === undefined) {
      const keyPath = s & K_KEY_PATH ? stringState(f.keyPath) : "absent";
      const keyPaths = listState(f.keyPaths);
      const keyData = s & K_KEY_DATA ? bytesState(f.keyData) : "absent";
      const present: SignedByKeySource[] = [];
      if (s & K_KEY_PATH) present.push("keyPath");
      if (s & K_KEY_PATHS) present.push("keyPaths");
      if (s & K_KEY_DATA) present.push("keyData");
      ok =
        isValidSignedByKeyType(f.keyType) &&
        prSignedByKeySourcesPresent(present).length === 0 &&
        newPRSignedBy({ keyType: f.keyType, keyPath, keyPaths, keyData }).length === 0;
      this.verdicts.set(key, ok);
    }
    if (!ok) throw GIVE_UP;
  }

  /** The signedBy of checked members. */
  private signedBy(f: RequirementFields, origin: Span): SignedBy {
    const keyType = f.keyType as SignedByKeyType;
    // The common shapes as one literal each (no property store grown member by member); the same key order as below.
    switch (f.seen & ~K_KEY_TYPE) {
      case K_TYPE | K_KEY_PATH:
        return { type: "signedBy", keyType, origin, keyPath: f.keyPath };
      case K_TYPE | K_KEY_PATH | K_IDENTITY:
        return { type: "signedBy", keyType, origin, keyPath: f.keyPath, signedIdentity: f.identity! };
      case K_TYPE | K_KEY_PATHS:
        return { type: "signedBy", keyType, origin, keyPaths: f.keyPaths! };
      case K_TYPE | K_KEY_PATHS | K_IDENTITY:
        return { type: "signedBy", keyType, origin, keyPaths: f.keyPaths!, signedIdentity: f.identity! };
    }
    const out: SignedBy = { type: "signedBy", keyType, origin };
    if (f.seen & K_KEY_PATH) out.keyPath = f.keyPath;
    if (f.keyPaths) out.keyPaths = f.keyPaths;
    if (f.seen & K_KEY_DATA) out.keyData = f.keyData;
    if (f.identity) out.signedIdentity = f.identity;
    return out;
  }

  /** `prSigstoreSigned.UnmarshalJSON` + `newPRSigstoreSigned`, by the target's generation of rules: gives up unless valid. */
  private checkSigstoreSigned(f: RequirementFields): void {
    if (!this.has("sigstoreSigned")) throw GIVE_UP;
    let allowed = K_TYPE | K_KEY_PATH | K_KEY_DATA | K_IDENTITY;
    if (this.has("sigstoreKeyLists")) allowed |= K_KEY_PATHS | K_KEY_DATAS | K_REKOR_PATHS | K_REKOR_DATAS;
    if (this.has("fulcio")) allowed |= K_FULCIO;
    if (this.has("rekorPublicKey")) allowed |= K_REKOR_PATH | K_REKOR_DATA;
    if (this.has("pki")) allowed |= K_PKI;
    const s = f.seen;
    if ((s & ~allowed) !== 0) throw GIVE_UP;
    // Once per distinct combination of facts (a negative key: apart from signedBy's); the facts object only then.
    const key = -1 - sigstoreFactsKey(f);
    let ok = this.verdicts.get(key);
    if (ok === undefined) {
      const facts = sigstoreFacts(f);
      const generation = this.before(5, 24) ? "5.23" : this.before(5, 33) ? "5.24" : "newest";
      ok = newPRSigstoreSigned(facts, generation).length === 0;
      this.verdicts.set(key, ok);
    }
    if (!ok) throw GIVE_UP;
  }

  /** The sigstoreSigned of checked members. */
  private sigstoreSigned(f: RequirementFields, origin: Span): SigstoreSigned {
    const s = f.seen;
    // The common shapes as one literal each, in the key order below.
    switch (s) {
      case K_TYPE | K_KEY_PATH:
        return { type: "sigstoreSigned", origin, keyPath: f.keyPath };
      case K_TYPE | K_KEY_PATH | K_IDENTITY:
        return { type: "sigstoreSigned", origin, keyPath: f.keyPath, signedIdentity: f.identity! };
    }
    const out: SigstoreSigned = { type: "sigstoreSigned", origin };
    if (s & K_KEY_PATH) out.keyPath = f.keyPath;
    if (f.keyPaths) out.keyPaths = f.keyPaths;
    if (s & K_KEY_DATA) out.keyData = f.keyData;
    if (f.keyDatas) out.keyDatas = f.keyDatas;
    if (f.fulcio) out.fulcio = f.fulcio;
    if (s & K_REKOR_PATH && f.rekorPath !== "") out.rekorPublicKeyPath = f.rekorPath;
    if (f.rekorPaths) out.rekorPublicKeyPaths = f.rekorPaths;
    if (s & K_REKOR_DATA) out.rekorPublicKeyData = f.rekorData;
    if (f.rekorDatas) out.rekorPublicKeyDatas = f.rekorDatas;
    if (f.pki) out.pki = f.pki;
    if (f.identity) out.signedIdentity = f.identity;
    return out;
  }
}
