/**
 * The keywords of the .trust lexer (src/syntax/tokens.ts KEYWORDS), written out so that the page's first chunk does
 * not load the parser; test/playground/core.test.ts checks that this list equals the lexer's.
 */
export const TRUST_KEYWORDS: readonly string[] = [
  "repo-digest-or-exact", "exact-reference", "exact-repository", "sigstore-staging", "target", "key", "gpg",
  "sigstore", "fulcio", "pki", "rekor", "keytype", "files", "file", "datas", "data", "ca", "issuer", "email",
  "roots", "intermediates", "hostname", "identity", "level", "default", "transport", "approve", "because", "expect",
  "allow", "deny", "by", "signatures", "lookaside", "staging", "attachments", "no", "accept", "reject", "signed",
  "base", "layer", "with", "and", "plus", "exact", "repository", "remap", "to", "include", "profile", "enforced-by",
  "nodes", "cluster", "until", "workflow", "prefix", "regexp", "manifest",
];
