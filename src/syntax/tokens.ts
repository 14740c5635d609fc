/**
 * The tokens of the trust language (grammar/trust.ebnf). Keywords come before `Identifier` and name it as
 * their `longer_alt`, so `keyring` is a name, not `key` followed by `ring`.
 */
import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

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

/**
 * Any token that cannot start a scope entry inside a `{ … }` block (everything but strings, braces and
 * `default`): a misplaced word there is consumed and reported once, so the block stays open and the entries
 * after it (a `default` among them) stay in their block instead of spilling out as top-level statements
 * (a false "default is given twice", IT2108). Statement keywords are taken only while a later `}` closes the
 * block (otherwise the block lacks its `}` and the statement is read as one). A category, never lexed itself.
 */
export const BlockJunk = createToken({ name: "BlockJunk", pattern: Lexer.NA, label: "a word that cannot start a scope entry" });

/**
 * The reserved keywords (RESERVED_KEYWORDS). The parser takes one where a key, identity, level or profile is
 * being named, so the statement is read whole and the misuse is reported once (IT2260) without follow-ons.
 * A category, never lexed itself.
 */
export const Reserved = createToken({ name: "Reserved", pattern: Lexer.NA, label: "a reserved keyword" });

/** Names: keys, identity rules, levels, transports. */
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_-]*/, categories: [Name, Stray, BlockJunk] });

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
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='", categories: [Stray, BlockJunk] });

const keywordTokens: TokenType[] = [];
/** Keywords that may also serve as names (they never start a statement or a requirement). */
export const SOFT_KEYWORDS: readonly string[] = [
  "gpg", "sigstore", "fulcio", "pki", "rekor", "keytype", "file", "files", "data", "datas", "ca", "issuer", "email",
  "roots", "intermediates", "hostname", "lookaside", "staging", "sigstore-staging", "attachments", "base", "layer", "to",
  "no", "with", "by", "allow", "deny", "nodes", "cluster",
  // issue 12: keyless CI identities (`workflow [prefix|regexp] "URI"` in a fulcio key)
  "workflow", "prefix", "regexp",
  // issue 16: signature evidence of an expectation (`expect … with signatures "DIR" manifest "FILE"`)
  "manifest",
];
/** Keywords that start a statement. */
export const STATEMENT_KEYWORDS: readonly string[] = [
  "target", "key", "identity", "level", "default", "transport", "approve", "expect", "signatures", "include", "profile",
];
function keyword(word: string): TokenType {
  const name = "Kw_" + word.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const soft = SOFT_KEYWORDS.includes(word);
  const categories = [
    ...(soft ? [Name] : [Reserved]),
    ...(STATEMENT_KEYWORDS.includes(word) ? [] : [Stray]),
    ...(word === "default" ? [] : [BlockJunk]),
  ];
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

/** A calendar date `YYYY-MM-DD` (approvals' `until`). */
export const DateLiteral = createToken({ name: "DateLiteral", pattern: /\d{4}-\d{2}-\d{2}/, label: "a date (YYYY-MM-DD)", categories: [Stray, BlockJunk] });

/** The keyword `repo-digest-or-exact`. */
export const RepoDigestOrExact = keyword("repo-digest-or-exact");
/** The keyword `exact-reference`. */
export const ExactReference = keyword("exact-reference");
/** The keyword `exact-repository`. */
export const ExactRepository = keyword("exact-repository");
/** The keyword `sigstore-staging`. */
export const SigstoreStaging = keyword("sigstore-staging");
/** The keyword `target`. */
export const Target = keyword("target");
/** The keyword `key`. */
export const Key = keyword("key");
/** The keyword `gpg`. */
export const Gpg = keyword("gpg");
/** The keyword `sigstore`. */
export const Sigstore = keyword("sigstore");
/** The keyword `fulcio`. */
export const Fulcio = keyword("fulcio");
/** The keyword `pki`. */
export const Pki = keyword("pki");
/** The keyword `rekor`. */
export const Rekor = keyword("rekor");
/** The keyword `keytype`. */
export const KeyType = keyword("keytype");
/** The keyword `files`. */
export const Files = keyword("files");
/** The keyword `file`. */
export const File = keyword("file");
/** The keyword `datas`. */
export const Datas = keyword("datas");
/** The keyword `data`. */
export const Data = keyword("data");
/** The keyword `ca`. */
export const Ca = keyword("ca");
/** The keyword `issuer`. */
export const Issuer = keyword("issuer");
/** The keyword `email`. */
export const Email = keyword("email");
/** The keyword `workflow`: a CI workflow identity (a URI SAN) in a fulcio key. */
export const Workflow = keyword("workflow");
/** The keyword `prefix` (`workflow prefix "…"`). */
export const Prefix = keyword("prefix");
/** The keyword `regexp` (`workflow regexp "…"`). */
export const Regexp = keyword("regexp");
/** The keyword `roots`. */
export const Roots = keyword("roots");
/** The keyword `intermediates`. */
export const Intermediates = keyword("intermediates");
/** The keyword `hostname`. */
export const Hostname = keyword("hostname");
/** The keyword `identity`. */
export const IdentityKw = keyword("identity");
/** The keyword `level`. */
export const Level = keyword("level");
/** The keyword `default`. */
export const Default = keyword("default");
/** The keyword `transport`. */
export const Transport = keyword("transport");
/** The keyword `approve`. */
export const Approve = keyword("approve");
/** The keyword `because`. */
export const Because = keyword("because");
/** The keyword `expect`. */
export const Expect = keyword("expect");
/** The keyword `allow`. */
export const Allow = keyword("allow");
/** The keyword `deny`. */
export const Deny = keyword("deny");
/** The keyword `by`. */
export const By = keyword("by");
/** The keyword `signatures`. */
export const Signatures = keyword("signatures");
/** The keyword `lookaside`. */
export const Lookaside = keyword("lookaside");
/** The keyword `staging`. */
export const Staging = keyword("staging");
/** The keyword `attachments`. */
export const Attachments = keyword("attachments");
/** The keyword `no`. */
export const No = keyword("no");
/** The keyword `accept`. */
export const Accept = keyword("accept");
/** The keyword `reject`. */
export const Reject = keyword("reject");
/** The keyword `signed`. */
export const Signed = keyword("signed");
/** The keyword `base`. */
export const Base = keyword("base");
/** The keyword `layer`. */
export const Layer = keyword("layer");
/** The keyword `with`. */
export const With = keyword("with");
/** The keyword `and`. */
export const And = keyword("and");
/** The keyword `plus`. */
export const Plus = keyword("plus");
/** The keyword `exact`. */
export const Exact = keyword("exact");
/** The keyword `repository`. */
export const Repository = keyword("repository");
/** The keyword `remap`. */
export const Remap = keyword("remap");
/** The keyword `to`. */
export const To = keyword("to");
/** The keyword `include` (modules: src/check/check-includes.ts). */
export const Include = keyword("include");
/** The keyword `profile` (src/check/check-profiles.ts). */
export const Profile = keyword("profile");
/** The keyword `enforced-by`: where a scope is enforced (nodes or cluster). */
export const EnforcedBy = keyword("enforced-by");
/** The keyword `nodes`. */
export const Nodes = keyword("nodes");
/** The keyword `cluster`. */
export const Cluster = keyword("cluster");
/** The keyword `until`: an approval's last day. */
export const Until = keyword("until");
/** The keyword `manifest`: the manifest an expectation's signatures are checked against (`with signatures "DIR" manifest "FILE"`). */
export const Manifest = keyword("manifest");

/** Every keyword token. */
export const KEYWORD_TOKENS: readonly TokenType[] = keywordTokens;

/** Every keyword as written. */
export const KEYWORDS: readonly string[] = keywordTokens.map((t) => String(t.LABEL).slice(1, -1));

/** All tokens in lexing order. */
export const ALL_TOKENS: TokenType[] = [
  Name,
  Stray,
  BlockJunk,
  Reserved,
  WhiteSpace,
  Comment,
  StringLiteral,
  UnterminatedString,
  LCurly,
  RCurly,
  Equals,
  DateLiteral,
  // Longest first, so no keyword is shadowed by one of its prefixes (key / keytype).
  ...[...keywordTokens].sort((a, b) => String(b.LABEL).length - String(a.LABEL).length),
  Identifier,
];

/**
 * The reserved keywords: never a name (IT2260). They are the statement keywords and the words that can stand
 * where a name stands or right after one (requirements, identity rules, `and`/`plus`, `because`,
 * `enforced-by`, `until`). Every other keyword is contextual: a keyword where the grammar wants that keyword,
 * a name anywhere a name is expected (`key rekor rekor file "…"`).
 */
export const RESERVED_KEYWORDS: readonly string[] = KEYWORDS.filter((w) => !SOFT_KEYWORDS.includes(w));
