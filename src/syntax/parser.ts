/**
 * The trust language parser: a Chevrotain CstParser with error recovery and full node locations.
 * One instance is reused for every file (`parseTokens`). Rule names match grammar/trust.ebnf.
 */
import type { CstNode, IRecognitionException, IToken, TokenType } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import { startsStatement, staysInBlock } from "./parser-lookahead.js";
import * as T from "./tokens.js";

/** Parsing stops after this many syntax errors (recovery on hopeless input is slow and says nothing new). */
export const MAX_PARSER_ERRORS = 50;

/** Thrown through the parser to stop it once MAX_PARSER_ERRORS errors were recorded. */
class TooManySyntaxErrors extends Error {}

/** The tokens that start a key's kind (after `key NAME`). */
const KEY_KINDS: readonly TokenType[] = [T.Gpg, T.Sigstore, T.Fulcio, T.Pki, T.Rekor];

/** The parser class; use the shared `trustParser` instance. */
export class TrustParser extends CstParser {
  /**
   * `validateGrammar`: run Chevrotain's grammar validations in performSelfAnalysis. The shared instance skips
   * them (Chevrotain's production setting: ~20 ms of every process start); the tests build one with them on.
   */
  constructor(options: { validateGrammar?: boolean } = {}) {
    super(T.ALL_TOKENS, { recoveryEnabled: true, nodeLocationTracking: "onlyOffset", maxLookahead: 3, skipValidations: !options.validateGrammar });
    this.performSelfAnalysis();
    // Every recognition error passes through SAVE_ERROR (Chevrotain's error handler trait); stop at the cap.
    const self = this as unknown as { SAVE_ERROR(e: IRecognitionException): IRecognitionException; _errors: IRecognitionException[] };
    const save = self.SAVE_ERROR.bind(this);
    self.SAVE_ERROR = (e) => {
      if (self._errors.length >= MAX_PARSER_ERRORS) throw new TooManySyntaxErrors();
      return save(e);
    };
  }

  file = this.RULE("file", () => {
    this.MANY(() =>
      this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { GATE: () => this.startsStatement(), ALT: () => this.SUBRULE(this.statement) },
          // Left over after a broken statement: consumed here and reported by parse.ts.
          { ALT: () => this.CONSUME(T.Stray) },
        ],
      }),
    );
  });

  /** Whether a statement starts at the token ahead (parser-lookahead.ts). */
  private readonly startsStatement = (): boolean => startsStatement((i) => this.LA(i));

  statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.targetDecl) },
      { ALT: () => this.SUBRULE(this.keyDecl) },
      { ALT: () => this.SUBRULE(this.identityDecl) },
      { ALT: () => this.SUBRULE(this.levelDecl) },
      { ALT: () => this.SUBRULE(this.defaultDecl) },
      { ALT: () => this.SUBRULE(this.transportBlock) },
      { ALT: () => this.SUBRULE(this.approveDecl) },
      { ALT: () => this.SUBRULE(this.expectDecl) },
      { ALT: () => this.SUBRULE(this.signaturesBlock) },
      { ALT: () => this.SUBRULE(this.includeDecl) },
      { ALT: () => this.SUBRULE(this.profileBlock) },
    ]);
  });

  includeDecl = this.RULE("includeDecl", () => {
    this.CONSUME(T.Include);
    this.CONSUME(T.StringLiteral);
  });

  profileBlock = this.RULE("profileBlock", () => {
    this.CONSUME(T.Profile);
    this.OR([{ ALT: () => this.CONSUME(T.Name) }, { GATE: () => this.LA(2).tokenType === T.LCurly, ALT: () => this.CONSUME(T.Reserved) }]);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RCurly);
  });

  enforcedClause = this.RULE("enforcedClause", () => {
    this.CONSUME(T.EnforcedBy);
    this.OR([{ ALT: () => this.CONSUME(T.Nodes) }, { ALT: () => this.CONSUME(T.Cluster) }]);
  });

  targetDecl = this.RULE("targetDecl", () => {
    this.CONSUME(T.Target);
    this.CONSUME(T.StringLiteral);
  });

  keyDecl = this.RULE("keyDecl", () => {
    this.CONSUME(T.Key);
    this.OR([{ ALT: () => this.CONSUME(T.Name) }, { GATE: () => KEY_KINDS.includes(this.LA(2).tokenType), ALT: () => this.CONSUME(T.Reserved) }]);
    this.SUBRULE(this.keySpec);
  });

  keySpec = this.RULE("keySpec", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.gpgKey) },
      { ALT: () => this.SUBRULE(this.sigstoreKey) },
      { ALT: () => this.SUBRULE(this.fulcioKey) },
      { ALT: () => this.SUBRULE(this.pkiKey) },
      { ALT: () => this.SUBRULE(this.rekorKey) },
    ]);
  });

  gpgKey = this.RULE("gpgKey", () => {
    this.CONSUME(T.Gpg);
    this.OPTION(() => {
      this.CONSUME(T.KeyType);
      this.OR([{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
    });
    this.SUBRULE(this.keySource);
  });

  sigstoreKey = this.RULE("sigstoreKey", () => {
    this.CONSUME(T.Sigstore);
    this.SUBRULE(this.keySource);
  });

  rekorKey = this.RULE("rekorKey", () => {
    this.CONSUME(T.Rekor);
    this.SUBRULE(this.keySource);
  });

  keySource = this.RULE("keySource", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.File);
          this.CONSUME(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Files);
          this.MANY(() => this.CONSUME2(T.StringLiteral));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Data);
          this.CONSUME3(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Datas);
          this.MANY2(() => this.CONSUME4(T.StringLiteral));
        },
      },
    ]);
  });

  fulcioKey = this.RULE("fulcioKey", () => {
    this.CONSUME(T.Fulcio);
    this.MANY(() => this.SUBRULE(this.fulcioClause));
  });

  fulcioClause = this.RULE("fulcioClause", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Ca);
          this.OR2([{ ALT: () => this.CONSUME(T.File) }, { ALT: () => this.CONSUME(T.Data) }]);
          this.CONSUME(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Issuer);
          this.CONSUME2(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Email);
          this.CONSUME3(T.StringLiteral);
        },
      },
      { ALT: () => this.SUBRULE(this.workflowClause) },
    ]);
  });

  /** `workflow ["prefix" | "regexp"] "URI"`: the identity of a CI workflow, a URI SAN (issue 12). */
  workflowClause = this.RULE("workflowClause", () => {
    this.CONSUME(T.Workflow);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Prefix) }, { ALT: () => this.CONSUME(T.Regexp) }]));
    this.CONSUME(T.StringLiteral);
  });

  pkiKey = this.RULE("pkiKey", () => {
    this.CONSUME(T.Pki);
    this.MANY(() => this.SUBRULE(this.pkiClause));
  });

  pkiClause = this.RULE("pkiClause", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Roots);
          this.OR2([{ ALT: () => this.CONSUME(T.File) }, { ALT: () => this.CONSUME(T.Data) }]);
          this.CONSUME(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Intermediates);
          this.OR3([{ ALT: () => this.CONSUME2(T.File) }, { ALT: () => this.CONSUME2(T.Data) }]);
          this.CONSUME2(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Email);
          this.CONSUME3(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Hostname);
          this.CONSUME4(T.StringLiteral);
        },
      },
    ]);
  });

  identityDecl = this.RULE("identityDecl", () => {
    this.CONSUME(T.IdentityKw);
    this.OR([{ ALT: () => this.CONSUME(T.Name) }, { GATE: () => this.LA(2).tokenType === T.Equals, ALT: () => this.CONSUME(T.Reserved) }]);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.identitySpec);
  });

  identitySpec = this.RULE("identitySpec", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Exact) },
      { ALT: () => this.CONSUME(T.RepoDigestOrExact) },
      { ALT: () => this.CONSUME(T.Repository) },
      {
        ALT: () => {
          this.CONSUME(T.ExactReference);
          this.CONSUME(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.ExactRepository);
          this.CONSUME2(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Remap);
          this.CONSUME3(T.StringLiteral);
          this.CONSUME(T.To);
          this.CONSUME4(T.StringLiteral);
        },
      },
      { ALT: () => this.CONSUME(T.Name) },
    ]);
  });

  levelDecl = this.RULE("levelDecl", () => {
    this.CONSUME(T.Level);
    this.OR([{ ALT: () => this.CONSUME(T.Name) }, { GATE: () => this.LA(2).tokenType === T.Equals, ALT: () => this.CONSUME(T.Reserved) }]);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.levelBody);
  });

  levelBody = this.RULE("levelBody", () => {
    this.SUBRULE(this.levelTerm);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.And) }, { ALT: () => this.CONSUME(T.Plus) }]);
      this.SUBRULE2(this.levelTerm);
    });
  });

  levelTerm = this.RULE("levelTerm", () => {
    this.OR([{ ALT: () => this.SUBRULE(this.requirement) }, { ALT: () => this.CONSUME(T.Name) }]);
  });

  requirement = this.RULE("requirement", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Accept) },
      { ALT: () => this.CONSUME(T.Reject) },
      { ALT: () => this.SUBRULE(this.signedRequirement) },
    ]);
  });

  signedRequirement = this.RULE("signedRequirement", () => {
    this.CONSUME(T.Signed);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.By);
          this.CONSUME(T.Name);
          this.OPTION(() => {
            this.CONSUME(T.With);
            this.CONSUME2(T.Name);
          });
          this.OPTION2(() => {
            this.CONSUME(T.IdentityKw);
            this.SUBRULE(this.identitySpec);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Base);
          this.CONSUME(T.Layer);
          this.CONSUME2(T.IdentityKw);
          this.SUBRULE2(this.identitySpec);
        },
      },
    ]);
  });

  defaultDecl = this.RULE("defaultDecl", () => {
    this.CONSUME(T.Default);
    this.SUBRULE(this.levelBody);
  });

  transportBlock = this.RULE("transportBlock", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Transport);
          this.OR2([{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
        },
      },
      { ALT: () => this.CONSUME2(T.Name) },
    ]);
    this.OPTION(() => this.SUBRULE(this.enforcedClause));
    this.CONSUME(T.LCurly);
    this.MANY({
      GATE: () => this.staysInBlock(),
      DEF: () =>
        this.OR3([
          { ALT: () => this.SUBRULE(this.scopeEntry) },
          // A misplaced word inside the block: consumed and reported once by parse.ts (see T.BlockJunk).
          { ALT: () => this.CONSUME(T.BlockJunk) },
        ]),
    });
    this.CONSUME(T.RCurly);
  });

  /** Whether the block goes on at the word ahead (parser-lookahead.ts `staysInBlock`). */
  private readonly staysInBlock = (): boolean => staysInBlock((i) => this.LA(i));

  scopeEntry = this.RULE("scopeEntry", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Default);
          this.SUBRULE(this.levelBody);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.StringLiteral);
          this.SUBRULE2(this.levelBody);
          this.OPTION2(() => this.SUBRULE(this.enforcedClause));
          this.OPTION(() => {
            this.CONSUME(T.LCurly);
            this.MANY({
              GATE: () => this.staysInBlock(),
              DEF: () => this.OR2([{ ALT: () => this.SUBRULE(this.scopeEntry) }, { ALT: () => this.CONSUME(T.BlockJunk) }]),
            });
            this.CONSUME(T.RCurly);
          });
        },
      },
    ]);
  });

  approveDecl = this.RULE("approveDecl", () => {
    this.CONSUME(T.Approve);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => this.SUBRULE(this.levelBody));
    this.CONSUME(T.Because);
    this.CONSUME2(T.StringLiteral);
    this.OPTION2(() => {
      this.CONSUME(T.By);
      this.CONSUME3(T.StringLiteral);
    });
    this.OPTION3(() => {
      this.CONSUME(T.Until);
      this.CONSUME(T.DateLiteral);
    });
  });

  expectDecl = this.RULE("expectDecl", () => {
    this.CONSUME(T.Expect);
    this.OR([{ ALT: () => this.CONSUME(T.Allow) }, { ALT: () => this.CONSUME(T.Deny) }]);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.By);
      this.CONSUME2(T.StringLiteral);
    });
    this.OPTION2(() => this.SUBRULE(this.evidenceClause));
    this.OPTION3(() => this.SUBRULE(this.becauseClause));
  });

  /** `with signatures "DIR" [manifest "FILE"]`: the signature evidence an expectation is decided on. */
  evidenceClause = this.RULE("evidenceClause", () => {
    this.CONSUME(T.With);
    this.CONSUME(T.Signatures);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.Manifest);
      this.CONSUME2(T.StringLiteral);
    });
  });

  /** `because CODE` or `because "text"`: what a denial must carry. */
  becauseClause = this.RULE("becauseClause", () => {
    this.CONSUME(T.Because);
    this.OR([{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
  });

  signaturesBlock = this.RULE("signaturesBlock", () => {
    this.CONSUME(T.Signatures);
    this.OPTION(() => this.CONSUME(T.StringLiteral));
    this.CONSUME(T.LCurly);
    this.MANY({
      GATE: () => this.staysInBlock(),
      DEF: () => this.OR([{ ALT: () => this.SUBRULE(this.storageEntry) }, { ALT: () => this.CONSUME(T.BlockJunk) }]),
    });
    this.CONSUME(T.RCurly);
  });

  storageEntry = this.RULE("storageEntry", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Default) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
    this.MANY(() => this.SUBRULE(this.storageSetting));
  });

  storageSetting = this.RULE("storageSetting", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Lookaside);
          this.CONSUME(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Staging);
          this.CONSUME2(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Sigstore);
          this.CONSUME3(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.SigstoreStaging);
          this.CONSUME4(T.StringLiteral);
        },
      },
      { ALT: () => this.CONSUME(T.Attachments) },
      {
        ALT: () => {
          this.CONSUME(T.No);
          this.CONSUME2(T.Attachments);
        },
      },
    ]);
  });
}

/** The one parser instance. */
export const trustParser = new TrustParser();

/**
 * Parse tokens into a CST (the `file` rule). Not re-entrant: the shared instance holds state. After
 * MAX_PARSER_ERRORS errors parsing stops: `cst` is then absent and `aborted` true.
 */
export function parseTokens(tokens: IToken[]): { cst?: CstNode; errors: IRecognitionException[]; aborted: boolean } {
  trustParser.input = tokens;
  try {
    const cst = trustParser.file();
    const errors = trustParser.errors;
    // Drop the shared instance's reference to the tokens: it would keep them alive (and copied by every GC
    // scavenge) after the caller is done with them.
    trustParser.input = [];
    return { cst, errors, aborted: false };
  } catch (e) {
    if (!(e instanceof TooManySyntaxErrors)) throw e;
    const errors = trustParser.errors;
    trustParser.input = [];
    return { errors, aborted: true };
  }
}
