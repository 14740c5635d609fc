/** The railroad diagrams of the grammar (grammar/railroad.html), generated from the parser's own GAST. */
import { createSyntaxDiagramsCode } from "./chevrotain.js";
import { trustParser } from "./parser.js";

/** The HTML of grammar/railroad.html, from the serialized grammar of the one parser instance. */
export function railroadHtml(): string {
  return createSyntaxDiagramsCode(trustParser.getSerializedGastProductions());
}

/** Every rule name of the parser, in definition order. */
export function parserRuleNames(): string[] {
  return Object.keys(trustParser.getGAstProductions());
}
