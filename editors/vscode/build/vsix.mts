/**
 * `npm run vsix`: package the VS Code extension as editors/vscode/imagetrust-<version>.vsix, offline. A .vsix is an
 * OPC zip: `[Content_Types].xml`, `extension.vsixmanifest` (what `@vscode/vsce package` writes) and the extension's
 * files under `extension/`. Steps: write the TextMate grammar from the token set, bundle src/extension.ts with
 * vscode-languageclient into dist/extension.js (esbuild; `vscode` is provided by the editor), zip with fflate.
 * The archive is byte-for-byte reproducible (fixed timestamps, sorted entries).
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";
import { zipSync } from "fflate";
import { trustGrammarText } from "./grammar.mjs";

/** The extension's directory. */
export const EXTENSION_DIR = path.resolve(import.meta.dirname, "..");

interface ExtensionManifest {
  name: string;
  displayName: string;
  description: string;
  version: string;
  publisher: string;
  engines: { vscode: string };
  categories?: string[];
  keywords?: string[];
  repository?: { url: string };
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The `extension.vsixmanifest` for a package.json (the fields `vsce package` fills in). */
export function vsixManifest(pkg: ExtensionManifest): string {
  const props: Array<[string, string]> = [
    ["Microsoft.VisualStudio.Code.Engine", pkg.engines.vscode],
    ["Microsoft.VisualStudio.Code.ExtensionDependencies", ""],
    ["Microsoft.VisualStudio.Code.ExtensionPack", ""],
    ["Microsoft.VisualStudio.Code.ExtensionKind", "workspace"],
    ["Microsoft.VisualStudio.Code.LocalizedLanguages", ""],
  ];
  if (pkg.repository?.url) props.push(["Microsoft.VisualStudio.Services.Links.Source", pkg.repository.url]);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">',
    "  <Metadata>",
    `    <Identity Language="en-US" Id="${xml(pkg.name)}" Version="${xml(pkg.version)}" Publisher="${xml(pkg.publisher)}" />`,
    `    <DisplayName>${xml(pkg.displayName)}</DisplayName>`,
    `    <Description xml:space="preserve">${xml(pkg.description)}</Description>`,
    `    <Tags>${xml([...(pkg.keywords ?? []), "trust"].join(","))}</Tags>`,
    `    <Categories>${xml((pkg.categories ?? []).join(","))}</Categories>`,
    "    <GalleryFlags>Public</GalleryFlags>",
    "    <Properties>",
    ...props.map(([id, value]) => `      <Property Id="${id}" Value="${xml(value)}" />`),
    "    </Properties>",
    "  </Metadata>",
    "  <Installation>",
    '    <InstallationTarget Id="Microsoft.VisualStudio.Code" />',
    "  </Installation>",
    "  <Dependencies />",
    "  <Assets>",
    '    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />',
    '    <Asset Type="Microsoft.VisualStudio.Services.Content.Details" Path="extension/README.md" Addressable="true" />',
    "  </Assets>",
    "</PackageManifest>",
    "",
  ].join("\n");
}

/** `[Content_Types].xml` for the file extensions in the archive. */
export function contentTypes(files: readonly string[]): string {
  const types: Record<string, string> = { ".json": "application/json", ".js": "application/javascript", ".md": "text/markdown", ".vsixmanifest": "text/xml", ".xml": "text/xml" };
  const exts = [...new Set(files.map((f) => path.extname(f)).filter((e) => e !== ""))].sort();
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
    ...exts.map((e) => `  <Default Extension="${e}" ContentType="${types[e] ?? "application/octet-stream"}" />`),
    "</Types>",
    "",
  ].join("\n");
}

/** Bundle the extension's entry point (with vscode-languageclient) into one CommonJS file. */
export async function bundleExtension(): Promise<string> {
  const r = await build({
    entryPoints: [path.join(EXTENSION_DIR, "src/extension.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node18",
    external: ["vscode"],
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  return r.outputFiles[0].text;
}

/** Build the .vsix; returns its path. */
export async function buildVsix(): Promise<{ file: string; entries: string[] }> {
  writeFileSync(path.join(EXTENSION_DIR, "syntaxes/trust.tmLanguage.json"), trustGrammarText());
  const extensionJs = await bundleExtension();
  const pkgText = readFileSync(path.join(EXTENSION_DIR, "package.json"), "utf8");
  const pkg = JSON.parse(pkgText) as ExtensionManifest;
  const files: Record<string, Uint8Array> = {};
  const enc = new TextEncoder();
  for (const f of ["package.json", "README.md", "language-configuration.json", "syntaxes/trust.tmLanguage.json"]) files[`extension/${f}`] = readFileSync(path.join(EXTENSION_DIR, f));
  files["extension/dist/extension.js"] = enc.encode(extensionJs);
  files["extension.vsixmanifest"] = enc.encode(vsixManifest(pkg));
  files["[Content_Types].xml"] = enc.encode(contentTypes(Object.keys(files)));
  const entries = Object.keys(files).sort((a, b) => (a === "[Content_Types].xml" ? -1 : b === "[Content_Types].xml" ? 1 : a < b ? -1 : 1));
  const mtime = new Date("1980-01-02T00:00:00Z");
  const zip = zipSync(Object.fromEntries(entries.map((e) => [e, [files[e], { mtime, level: 9 }]])) as Parameters<typeof zipSync>[0]);
  const file = path.join(EXTENSION_DIR, `${pkg.name}-${pkg.version}.vsix`);
  writeFileSync(file, zip);
  return { file, entries };
}
