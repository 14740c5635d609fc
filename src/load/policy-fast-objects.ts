/**
 * The policy.json fast path's readers of the objects inside a requirement — signedIdentity / baseLayerIdentity,
 * fulcio, pki — and what the whole reader shares (the file, the target's features, caches of reference parses).
 * policy-fast.ts reads the policy, its transports, scopes and requirements on top of this; the rules are upstream's,
 * called from where they are written once (src/ir/constraints.ts), as there.
 */
import type { Span } from "../source/source-file.js";
import { IDENTITY_MATCH_TYPES, type FulcioConfig, type IdentityMatch, type PkiConfig } from "../ir/types.js";
import { hasFeature, type Feature, type Version } from "../ir/versions.js";
import {
  bytesState,
  newPRMExactReference,
  newPRMExactRepository,
  newPRMRemapIdentity,
  newPRSigstoreSignedFulcio,
  newPRSigstoreSignedPKI,
  stringState,
} from "../ir/constraints.js";
import { parseNormalizedNamed, validateRemapPrefix, type DockerReferenceResult } from "../reference/docker-reference.js";
import { FastJsonReader, GIVE_UP } from "./json-fast-reader.js";
import { FULCIO_KEY_SET, PKI_KEYS, PKI_KEY_SET, IDENTITY_KEY_SET, IDENTITY_MATCH_TYPE_SET } from "./policy-fast-keys.js";

/**
 * What a skeleton read ({@link FastObjectReader.skeleton}) returns for an identity it decided on but did not build: a
 * placeholder, never part of a skeleton's result (a requirement that is kept is read again in full).
 */
export const SKIPPED_IDENTITY: IdentityMatch = Object.freeze({ type: "matchRepoDigestOrExact" });

/** The object readers of the fast path (see the file comment); {@link readPolicyFast} uses its subclass. */
export class FastObjectReader extends FastJsonReader {
  /**
   * Decide only, building no more than validate's own check reads (see readPolicyFast's `skeleton`): every rule is
   * applied as in a full read, but identities, spans and most requirements are not made.
   */
  protected skeleton = false;

  private readonly features = new Map<Feature, boolean>();
  private readonly refs = new Map<string, DockerReferenceResult>();
  private readonly prefixes = new Map<string, boolean>();
  private readonly parseReference = (s: string): DockerReferenceResult => this.reference(s);
  private readonly validRemapPrefix = (s: string): boolean => this.remapPrefix(s);

  constructor(
    text: string,
    protected readonly file: string,
    protected readonly target: Version | undefined,
  ) {
    super(text);
  }

  protected span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  protected has(feature: Feature): boolean {
    let v = this.features.get(feature);
    if (v === undefined) {
      v = hasFeature(this.target, feature);
      this.features.set(feature, v);
    }
    return v;
  }

  /** True when the target is older than major.minor. */
  protected before(major: number, minor: number): boolean {
    const t = this.target;
    return t !== undefined && (t[0] < major || (t[0] === major && t[1] < minor));
  }

  /** `prSigstoreSignedFulcio.UnmarshalJSON` + `newPRSigstoreSignedFulcio`. */
  protected fulcio(): FulcioConfig {
    const start = this.p;
    let seen = 0;
    let caPath = "";
    let caData: string | undefined;
    let oidcIssuer = "";
    let subjectEmail = "";
    if (this.objectStart()) {
      do {
        const bit = 1 << this.knownKey(FULCIO_KEY_SET);
        if (seen & bit) throw GIVE_UP;
        seen |= bit;
        if (bit === 1) caPath = this.string();
        else if (bit === 2) caData = this.bytes();
        else if (bit === 4) oidcIssuer = this.string();
        else subjectEmail = this.string();
      } while (this.objectNext());
    }
    const facts = {
      caPath: seen & 1 ? stringState(caPath) : ("absent" as const),
      caData: bytesState(caData),
      oidcIssuer: seen & 4 ? stringState(oidcIssuer) : ("absent" as const),
      subjectEmail: seen & 8 ? stringState(subjectEmail) : ("absent" as const),
    };
    if (newPRSigstoreSignedFulcio(facts).length > 0) throw GIVE_UP;
    const out: FulcioConfig = { oidcIssuer, subjectEmail, origin: this.span(start, this.p) };
    if (caPath !== "") out.caPath = caPath;
    if (caData !== undefined) out.caData = caData;
    return out;
  }

  /** `prSigstoreSignedPKI.UnmarshalJSON` + `newPRSigstoreSignedPKI`. */
  protected pki(): PkiConfig {
    const start = this.p;
    const paths: Record<"caRootsPath" | "caIntermediatesPath" | "subjectEmail" | "subjectHostname", string | undefined> = {
      caRootsPath: undefined,
      caIntermediatesPath: undefined,
      subjectEmail: undefined,
      subjectHostname: undefined,
    };
    const datas: Record<"caRootsData" | "caIntermediatesData", string | undefined> = { caRootsData: undefined, caIntermediatesData: undefined };
    if (this.objectStart()) {
      do {
        const k = PKI_KEYS[this.knownKey(PKI_KEY_SET)];
        if (k === "caRootsData" || k === "caIntermediatesData") {
          if (datas[k] !== undefined) throw GIVE_UP;
          datas[k] = this.bytes();
        } else {
          if (paths[k] !== undefined) throw GIVE_UP;
          paths[k] = this.string();
        }
      } while (this.objectNext());
    }
    const facts = {
      caRootsPath: stringState(paths.caRootsPath),
      caRootsData: bytesState(datas.caRootsData),
      caIntermediatesPath: stringState(paths.caIntermediatesPath),
      caIntermediatesData: bytesState(datas.caIntermediatesData),
      subjectEmail: stringState(paths.subjectEmail),
      subjectHostname: stringState(paths.subjectHostname),
    };
    if (newPRSigstoreSignedPKI(facts).length > 0) throw GIVE_UP;
    const out: PkiConfig = { origin: this.span(start, this.p) };
    for (const k of ["caRootsPath", "caIntermediatesPath", "subjectEmail", "subjectHostname"] as const) {
      const v = paths[k];
      if (v !== undefined && v !== "") out[k] = v;
    }
    for (const k of ["caRootsData", "caIntermediatesData"] as const) {
      const v = datas[k];
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  /** `newPolicyReferenceMatchFromJSON` and the `prm*.UnmarshalJSON` + `newPRM*` of the type it names. */
  protected identity(): IdentityMatch {
    const start = this.p;
    let seen = 0;
    let type = "";
    let value = "";
    let prefix = "";
    let signedPrefix = "";
    if (!this.objectStart()) throw GIVE_UP;
    do {
      const bit = 1 << this.knownKey(IDENTITY_KEY_SET);
      if (seen & bit) throw GIVE_UP;
      seen |= bit;
      if (bit === 1) type = IDENTITY_MATCH_TYPE_SET.names[this.knownValue(IDENTITY_MATCH_TYPE_SET)];
      else if (bit === 2 || bit === 4) value = this.string();
      else if (bit === 8) prefix = this.string();
      else signedPrefix = this.string();
    } while (this.objectNext());
    const origin = this.skeleton ? undefined : this.span(start, this.p);
    // No "type" key: the exact reader says so (a type read is one of IDENTITY_MATCH_TYPES: knownValue).
    if (!(seen & 1)) throw GIVE_UP;
    switch (type) {
      case "matchExact":
      case "matchRepoDigestOrExact":
      case "matchRepository":
        if (seen !== 1) throw GIVE_UP;
        return origin === undefined ? SKIPPED_IDENTITY : { type, origin };
      case "exactReference":
        if (seen !== 3 || newPRMExactReference(value, this.parseReference).length > 0) throw GIVE_UP;
        return origin === undefined ? SKIPPED_IDENTITY : { type: "exactReference", dockerReference: value, origin };
      case "exactRepository":
        if (seen !== 5 || newPRMExactRepository(value, this.parseReference).length > 0) throw GIVE_UP;
        return origin === undefined ? SKIPPED_IDENTITY : { type: "exactRepository", dockerRepository: value, origin };
      default: {
        // remapIdentity
        if (!this.has("remapIdentity") || seen !== 25) throw GIVE_UP;
        if (newPRMRemapIdentity(prefix, signedPrefix, this.validRemapPrefix).length > 0) throw GIVE_UP;
        return origin === undefined ? SKIPPED_IDENTITY : { type: "remapIdentity", prefix, signedPrefix, origin };
      }
    }
  }

  /** `reference.ParseNormalizedNamed`, once per distinct text (policies repeat the same references). */
  private reference(s: string): DockerReferenceResult {
    let r = this.refs.get(s);
    if (r === undefined) {
      r = parseNormalizedNamed(s);
      this.refs.set(s, r);
    }
    return r;
  }

  /** `validateIdentityRemappingPrefix`, once per distinct text. */
  private remapPrefix(s: string): boolean {
    let r = this.prefixes.get(s);
    if (r === undefined) {
      r = validateRemapPrefix(s);
      this.prefixes.set(s, r);
    }
    return r;
  }
}
