/**
 * The tokens of the trust language (grammar/trust.ebnf). Keywords come before `Identifier` and name it as
 * their `longer_alt`, so `keyring` is a name, not `key` followed by `ring`.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

/**
 * Anything usable as a name: identifiers and the soft keywords (words that are keywords only where the
 * grammar expects them, so `key rekor rekor file "…"` works). A token category, never lexed itself.
 */
export const Name = createToken({ name: "Name", pattern: Lexer.NA, label: "a name" });
/**
 * Any token that cannot start a statement: at top level such tokens are consumed one by one and reported,
 * so one bad line never hides the statements after it. A token category, never lexed itself.
 */
export const Stray = createToken({ name: "Stray", pattern: Lexer.NA, label: "a token that cannot start a statement" });

/** Names: keys, identity rules, levels, transports. */
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_-]*/, categories: [Name, Stray] });

/** A double-quoted string, escapes allowed; raw control characters other than tab are not. */
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\[^\x00-\x08\x0a-\x1f\x7f])*"/,
  categories: [Stray],
});
/** A string that runs into the end of its line: reported, then parsed as if it were closed. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\[^\x00-\x08\x0a-\x1f\x7f])*\\?/,
  categories: [StringLiteral, Stray],
});

/** `# …` to the end of the line; kept in the `comments` group for the formatter. */
export const Comment = createToken({ name: "Comment", pattern: /#[^\r\n]*/, group: "comments" });
/** Blanks and line ends. */
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\uFEFF]+/, group: Lexer.SKIPPED });

/** `{` */
export const LCurly = createToken({ name: "LCurly", pattern: /\{/, label: "'{'", categories: [Stray] });
/** `}` */
export const RCurly = createToken({ name: "RCurly", pattern: /\}/, label: "'}'", categories: [Stray] });
/** `=` */
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='", categories: [Stray] });

const keywordTokens: TokenType[] = [];
/** Keywords that may also serve as names (they never start a statement or a requirement). */
export const SOFT_KEYWORDS: readonly string[] = [
  "gpg", "sigstore", "fulcio", "pki", "rekor", "keytype", "file", "files", "data", "datas", "ca", "issuer", "email",
  "roots", "intermediates", "hostname", "lookaside", "staging", "sigstore-staging", "attachments", "base", "layer", "to",
  "no", "with", "by", "allow", "deny",
];
/** Keywords that start a statement. */
export const STATEMENT_KEYWORDS: readonly string[] = ["target", "key", "identity", "level", "default", "transport", "approve", "expect", "signatures"];
function keyword(word: string): TokenType {
  const name = "Kw_" + word.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const soft = SOFT_KEYWORDS.includes(word);
  const categories = [...(soft ? [Name] : []), ...(STATEMENT_KEYWORDS.includes(word) ? [] : [Stray])];
  const t = createToken({
    name,
    pattern: new RegExp(word.replace(/-/g, "\\-")),
    longer_alt: Identifier,
    label: `'${word}'`,
    categories,
  });
  keywordTokens.push(t);
  return t;
}

export const RepoDigestOrExact = keyword("repo-digest-or-exact");
export const ExactReference = keyword("exact-reference");
export const ExactRepository = keyword("exact-repository");
export const SigstoreStaging = keyword("sigstore-staging");
export const Target = keyword("target");
export const Key = keyword("key");
export const Gpg = keyword("gpg");
export const Sigstore = keyword("sigstore");
export const Fulcio = keyword("fulcio");
export const Pki = keyword("pki");
export const Rekor = keyword("rekor");
export const KeyType = keyword("keytype");
export const Files = keyword("files");
export const File = keyword("file");
export const Datas = keyword("datas");
export const Data = keyword("data");
export const Ca = keyword("ca");
export const Issuer = keyword("issuer");
export const Email = keyword("email");
export const Roots = keyword("roots");
export const Intermediates = keyword("intermediates");
export const Hostname = keyword("hostname");
export const IdentityKw = keyword("identity");
export const Level = keyword("level");
export const Default = keyword("default");
export const Transport = keyword("transport");
export const Approve = keyword("approve");
export const Because = keyword("because");
export const Expect = keyword("expect");
export const Allow = keyword("allow");
export const Deny = keyword("deny");
export const By = keyword("by");
export const Signatures = keyword("signatures");
export const Lookaside = keyword("lookaside");
export const Staging = keyword("staging");
export const Attachments = keyword("attachments");
export const No = keyword("no");
export const Accept = keyword("accept");
export const Reject = keyword("reject");
export const Signed = keyword("signed");
export const Base = keyword("base");
export const Layer = keyword("layer");
export const With = keyword("with");
export const And = keyword("and");
export const Plus = keyword("plus");
export const Exact = keyword("exact");
export const Repository = keyword("repository");
export const Remap = keyword("remap");
export const To = keyword("to");

/** Every keyword token. */
export const KEYWORD_TOKENS: readonly TokenType[] = keywordTokens;

/** Every keyword as written. */
export const KEYWORDS: readonly string[] = keywordTokens.map((t) => String(t.LABEL).slice(1, -1));

/** All tokens in lexing order. */
export const ALL_TOKENS: TokenType[] = [
  Name,
  Stray,
  WhiteSpace,
  Comment,
  StringLiteral,
  UnterminatedString,
  LCurly,
  RCurly,
  Equals,
  // Longest first, so no keyword is shadowed by one of its prefixes (key / keytype).
  ...[...keywordTokens].sort((a, b) => String(b.LABEL).length - String(a.LABEL).length),
  Identifier,
];
