/**
 * A Sigstore bundle (`application/vnd.dev.sigstore.bundle.v0.3+json`, protobuf-specs JSON form) checked against a
 * policy's `sigstoreSigned` requirement as far as the policy allows, to say whether it *would* satisfy the policy if
 * containers/image read it (it does not: artifacts.ts). The checks follow `signature/policy_eval_sigstore.go`
 * `isSignatureAccepted` with the trust roots of `prepareTrustRoot` (sigstore.ts): the signature (a DSSE envelope's
 * PAE, or the message signature), the Rekor SET (the bundle's `inclusionPromise`, verified as
 * `internal/rekor_set.go` `VerifyRekorSET` verifies the SET annotation; the runtime has no use for an inclusion proof
 * alone), the certificate chain to the policy's Fulcio CA at the log's integration time, the OIDC issuer and e-mail,
 * PKI roots, and that the statement's subject digest is the image's manifest digest. A bundle names no
 * `docker-reference`, so the policy's `signedIdentity` cannot be checked: that is said, not guessed.
 */
import { createHash, verify as cryptoVerify, X509Certificate, type KeyObject } from "node:crypto";
import type { SigstoreSigned } from "../ir/types.js";
import type { BundleCheckReport } from "../simulate/evidence-artifacts.js";
import { canonicalJson } from "./rekor-set.js";
import { fulcioIssuer, hasCodeSigning, prepareTrustRoot, sanValues, verifyChain, verifyWithKey, type SigstoreContext } from "./sigstore.js";

interface BundleJson {
  mediaType?: string;
  verificationMaterial?: {
    certificate?: { rawBytes?: string };
    x509CertificateChain?: { certificates?: { rawBytes?: string }[] };
    publicKey?: { hint?: string };
    tlogEntries?: {
      logIndex?: string | number;
      logId?: { keyId?: string };
      kindVersion?: { kind?: string; version?: string };
      integratedTime?: string | number;
      inclusionPromise?: { signedEntryTimestamp?: string };
      inclusionProof?: unknown;
      canonicalizedBody?: string;
    }[];
  };
  dsseEnvelope?: { payload?: string; payloadType?: string; signatures?: { sig?: string; keyid?: string }[] };
  messageSignature?: { messageDigest?: { algorithm?: string; digest?: string }; signature?: string };
}

/** DSSE's pre-authentication encoding (`DSSEv1 <len> <type> <len> <body>`), what a DSSE signature signs. */
export function dssePae(payloadType: string, payload: Uint8Array): Buffer {
  const t = Buffer.from(payloadType);
  return Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${payload.length} `), Buffer.from(payload)]);
}

function pemOf(der: Buffer): string {
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/**
 * Check a bundle for the image with manifest digest `imageDigest` against `req`. Never throws: a bundle that does not
 * parse is a failed check.
 */
export function checkBundle(bytes: Uint8Array, imageDigest: string, req: SigstoreSigned, ctx: SigstoreContext): BundleCheckReport {
  const checks: BundleCheckReport["checks"] = [];
  const add = (check: string, passed: boolean | null, detail: string) => checks.push({ check, passed, detail });
  const done = (): BundleCheckReport => ({ wouldSatisfy: checks.some((c) => c.passed === false) ? false : true, checks });
  let b: BundleJson;
  try {
    b = JSON.parse(new TextDecoder().decode(bytes)) as BundleJson;
    if (typeof b !== "object" || b === null) throw new Error("not a JSON object");
  } catch (e) {
    add("bundle", false, `the bundle does not parse: ${(e as Error).message}`);
    return done();
  }
  add("bundle", true, `media type ${b.mediaType ?? "(none)"}`);

  // What was signed, and is it this image?
  let signed: Buffer | undefined;
  let sig: Buffer | undefined;
  const hex = imageDigest.slice(imageDigest.indexOf(":") + 1);
  let payloadForTlog: Buffer | undefined;
  if (b.dsseEnvelope) {
    const payload = Buffer.from(b.dsseEnvelope.payload ?? "", "base64");
    payloadForTlog = payload;
    signed = dssePae(b.dsseEnvelope.payloadType ?? "", payload);
    sig = Buffer.from(b.dsseEnvelope.signatures?.[0]?.sig ?? "", "base64");
    let subjects: { digest?: Record<string, string> }[] = [];
    try {
      subjects = (JSON.parse(payload.toString("utf8")) as { subject?: { digest?: Record<string, string> }[] }).subject ?? [];
    } catch {
      /* reported below */
    }
    const digests = subjects.map((s) => s.digest?.sha256).filter((d): d is string => typeof d === "string");
    add("digest", digests.includes(hex), digests.includes(hex) ? `the statement's subject is ${imageDigest}` : `the statement's subject is ${digests.map((d) => "sha256:" + d).join(", ") || "(none)"}, not the image's ${imageDigest}`);
  } else if (b.messageSignature) {
    sig = Buffer.from(b.messageSignature.signature ?? "", "base64");
    const md = b.messageSignature.messageDigest;
    const got = md?.digest ? Buffer.from(md.digest, "base64").toString("hex") : "";
    add("digest", got === hex, got === hex ? `the signed message digest is ${imageDigest}` : `the signed message digest is sha256:${got || "(none)"}, not the image's ${imageDigest}`);
  } else {
    add("content", false, "the bundle has neither a DSSE envelope nor a message signature");
    return done();
  }

  const tr = prepareTrustRoot(req, ctx);
  if (!tr.ok) {
    add("trust root", false, `the policy's trust root cannot be prepared: ${tr.error}`);
    return done();
  }
  const root = tr.root;
  const vm = b.verificationMaterial ?? {};
  const leafDer = vm.certificate?.rawBytes ?? vm.x509CertificateChain?.certificates?.[0]?.rawBytes;
  let leaf: X509Certificate | undefined;
  let chain: X509Certificate[] = [];
  try {
    if (leafDer) leaf = new X509Certificate(Buffer.from(leafDer, "base64"));
    chain = (vm.x509CertificateChain?.certificates ?? []).slice(1).map((c) => new X509Certificate(Buffer.from(c.rawBytes ?? "", "base64")));
  } catch (e) {
    add("certificate", false, `the certificate does not parse: ${(e as Error).message}`);
    return done();
  }

  // Rekor: the runtime verifies a SET (inclusion promise) with the policy's Rekor keys.
  let integratedTime: Date | undefined;
  const entry = vm.tlogEntries?.[0];
  if (root.rekorKeys.length > 0 || root.fulcio) {
    if (!entry) add("rekor", false, "the bundle has no transparency log entry; the policy requires a Rekor SET");
    else if (!entry.inclusionPromise?.signedEntryTimestamp)
      add("rekor", false, "the log entry has an inclusion proof but no inclusion promise (SET); containers/image verifies Rekor SETs only");
    else {
      const setPayload = {
        body: entry.canonicalizedBody ?? "",
        integratedTime: Number(entry.integratedTime ?? 0),
        logIndex: Number(entry.logIndex ?? 0),
        logID: Buffer.from(entry.logId?.keyId ?? "", "base64").toString("hex"),
      };
      const setSig = Buffer.from(entry.inclusionPromise.signedEntryTimestamp, "base64");
      const ok = root.rekorKeys.some((k) => {
        try {
          return cryptoVerify("sha256", Buffer.from(canonicalJson(setPayload)), k, setSig);
        } catch {
          return false;
        }
      });
      if (!ok) add("rekor", false, "the SET does not verify with the policy's Rekor public key(s)");
      else {
        integratedTime = new Date(setPayload.integratedTime * 1000);
        // The entry must be about this signature: for DSSE, its payload hash.
        let bodyOk = true;
        let what = "";
        try {
          const body = JSON.parse(Buffer.from(setPayload.body, "base64").toString("utf8")) as { kind?: string; spec?: { payloadHash?: { value?: string }; data?: { hash?: { value?: string } } } };
          const want = payloadForTlog ? createHash("sha256").update(payloadForTlog).digest("hex") : undefined;
          const got = body.spec?.payloadHash?.value ?? body.spec?.data?.hash?.value;
          if (want !== undefined && got !== undefined && got !== want) {
            bodyOk = false;
            what = `the log entry (${body.kind ?? "?"}) is for payload sha256:${got}, not this bundle's`;
          } else what = `${body.kind ?? "entry"} at log index ${setPayload.logIndex}, integrated ${integratedTime.toISOString()}`;
        } catch {
          bodyOk = false;
          what = "the log entry's body does not parse";
        }
        add("rekor", bodyOk, bodyOk ? `SET verified: ${what}` : what);
      }
    }
  }

  // Who signed: a public key of the policy, or a certificate chaining to its Fulcio / PKI roots.
  let keys: { key: KeyObject; who: string }[] = [];
  if (root.publicKeys.length > 0) keys = root.publicKeys.map((k, i) => ({ key: k.key, who: `public key ${i + 1} of the policy` }));
  else if (root.fulcio || root.pki) {
    if (!leaf) add("certificate", false, "the bundle carries no certificate; the policy needs one (Fulcio or PKI)");
    else {
      const roots = root.fulcio ? root.fulcio.roots : root.pki!.roots;
      const at = root.fulcio ? (integratedTime ?? ctx.now ?? new Date()) : (ctx.now ?? new Date());
      const err = verifyChain(leaf, root.pki ? [...root.pki.intermediates, ...chain] : chain, roots, at);
      if (err) add("certificate", false, `the certificate does not chain to the policy's ${root.fulcio ? "Fulcio CA" : "PKI roots"}: ${err}`);
      else if (!hasCodeSigning(leaf)) add("certificate", false, "the certificate is not for code signing");
      else add("certificate", true, `chains to the policy's ${root.fulcio ? "Fulcio CA" : "PKI roots"} at ${at.toISOString()}`);
      if (root.fulcio) {
        const iss = fulcioIssuer(leaf);
        const issuer = iss.v2 ?? iss.v1;
        add("issuer", issuer === root.fulcio.oidcIssuer, issuer === root.fulcio.oidcIssuer ? `OIDC issuer ${issuer}` : `OIDC issuer ${JSON.stringify(issuer ?? null)}, the policy wants ${JSON.stringify(root.fulcio.oidcIssuer)}`);
        const emails = sanValues(leaf, "email");
        const uris = (leaf.subjectAltName ?? "").split(/,\s*/).filter((s) => s.startsWith("URI:")).map((s) => s.slice(4));
        const has = emails.includes(root.fulcio.subjectEmail);
        add("identity", has, has ? `e-mail ${root.fulcio.subjectEmail}` : `the certificate names ${[...emails.map((e) => `e-mail ${e}`), ...uris.map((u) => `URI ${u}`)].join(", ") || "no e-mail"}; the policy wants e-mail ${root.fulcio.subjectEmail}`);
      } else if (root.pki?.subjectEmail !== undefined) {
        const has = sanValues(leaf, "email").includes(root.pki.subjectEmail);
        add("identity", has, has ? `e-mail ${root.pki.subjectEmail}` : `the certificate does not name e-mail ${root.pki.subjectEmail}`);
      }
      keys = [{ key: leaf.publicKey, who: "the bundle's certificate" }];
    }
  }
  if (keys.length > 0 && signed && sig) {
    const good = keys.find((k) => verifyWithKey(k.key, signed, sig) === undefined);
    add("signature", good !== undefined, good ? `verified with ${good.who}` : "the signature does not verify with the policy's key(s)");
  } else if (b.messageSignature && keys.length > 0) add("signature", null, "a message signature over an artifact's digest: the artifact itself is not at hand");
  // The identity the runtime compares (signedIdentity) is not in a bundle.
  add("signedIdentity", null, "a bundle names no docker-reference, so the policy's signedIdentity cannot be checked");
  if (ctx.debianSigstoreDisabled) add("runtime", false, "Debian 12's containers/image build rejects every sigstore signature (Debian-local change: sigstore disabled)");
  return done();
}
