/**
 * imagetrust's public API: re-exports only. Library functions that touch the machine take a `host` (the Host
 * seam, below); on Node, `nodeHost()` comes from "imagetrust/node" (src/node.ts), so this entry point pulls in no
 * Node built-in through the library (the CLI export at the end does).
 */

// The host seam
export { HostError, errorCode, type Host, type HostFileHandle, type HostFiles, type HostHttp, type HostStat, type HostWrites } from "./host/host.js";
export { memoryHost, type MemoryEntry, type MemoryHostOptions } from "./host/memory-host.js";

// Sources and diagnostics
export { SourceFile, type Position, type Span } from "./source/source-file.js";
export { hasErrors, type Diagnostic, type Fix, type RelatedLocation, type Severity, type TextEdit } from "./diagnostics/diagnostic.js";
export { didYouMean, editDistance, suggestionList } from "./diagnostics/did-you-mean.js";
export {
  PLAIN_STYLES,
  codeFrame,
  renderDiagnosticText,
  renderDiagnosticsText,
  resolveSpan,
  summarizeCounts,
  type ResolvedSpan,
  type TextRenderOptions,
  type TextStyles,
} from "./diagnostics/render-text.js";
export {
  diagnosticToJson,
  renderJsonReport,
  type JsonDiagnostic,
  type JsonFileEntry,
  type JsonRelated,
  type JsonRenderOptions,
} from "./diagnostics/render-json.js";
export { renderDiagnosticGithub, renderDiagnosticsGithub, type GithubRenderOptions } from "./diagnostics/render-github.js";

// The IR and target versions
export * from "./ir/types.js";
export {
  FEATURES,
  KNOWN_TARGETS,
  NEWEST_VERSION,
  compareVersions,
  formatVersion,
  hasFeature,
  parseVersion,
  type Feature,
  type Version,
} from "./ir/versions.js";
export type { LoadResult } from "./load/result.js";

// Front ends
export { loadPolicyJson, type LoadPolicyOptions } from "./load/policy-json.js";
export { decodePolicyBytes } from "./load/json-decode-bytes.js";
export { loadRegistriesDDir, loadRegistriesDFile, type RegistriesDFile, type RegistriesDLoadOptions } from "./load/registries-d/index.js";
export { loadRegistriesConf, loadRegistriesConfFile } from "./load/registries-conf/index.js";
export { compileTrustSource, type CompileTrustOptions } from "./check/compile-source.js";

// References and scopes
export {
  familiarString,
  parseNormalizedNamed,
  referenceName,
  referenceString,
  type DockerReference,
} from "./reference/docker-reference.js";
export { KNOWN_TRANSPORTS, validatePolicyScope } from "./reference/scopes.js";
export { dockerNamespaces, parseImageReference, type ImageReference, type ParseImageReferenceOptions } from "./reference/image-reference.js";

// Back ends
export { emitPolicyJson } from "./emit/policy-json.js";
export { emitRegistriesD } from "./emit/registries-d.js";
export { emitTrustModel, type EmitTrustModelOptions, type EmitTrustModelResult, type OutputFile } from "./emit/trust-model.js";
export { printTrustModel } from "./print/trust-printer.js";
export { formatTrustSource } from "./print/format.js";

// Lint
export { RULES, findRule, ruleNameOfCode } from "./lint/registry.js";
export { runLint, type LintInput, type RunLintOptions } from "./lint/run.js";
export type { ReportDescriptor, RequirementPlace, Rule, RuleCategory, RuleContext, RuleDocs, RuleMeta, RuleVisitor } from "./lint/rule.js";

// Whole-file APIs (what the CLI calls)
export {
  DEFAULT_MAX_BYTES,
  FILE_CODES,
  classifyFileName,
  findRuntimeLocations,
  readTextFile,
  type InputKind,
  type RuntimeEnvironment,
  type RuntimeLocation,
  type RuntimeLocations,
} from "./input/files.js";
export { validateFile, validateInput, validateInputs, type FileReport, type LoadedModel, type ValidateOptions } from "./input/validate.js";
export { lintInputs, lintRuntimeConfiguration, type LintOptions, type RuntimeLintResult } from "./lint/lint-inputs.js";
export { compileToFiles, type CompileToFilesOptions, type CompileToFilesResult } from "./compile/compile-files.js";
export { simulate, renderSimulationText, type SimulateOptions, type SimulationResult } from "./simulate/simulate-refs.js";
export { compileToKubernetesFiles, type CompileK8sOptions, type CompileK8sResult } from "./compile/compile-k8s.js";
export { parseExpectationsYaml, type ExpectationCase, type ExpectationsFile } from "./expectations/yaml-cases.js";
export {
  runExpectations,
  runExpectationsWithEvidence,
  testExpectationFiles,
  type ExpectationResult,
  type ExpectationRun,
  type ExpectationsInput,
  type TestFilesOptions,
} from "./expectations/run.js";
export type { ExpectationEvidence, ExpectationEvidenceSource } from "./expectations/evidence.js";
export { renderExpectationsText } from "./expectations/render-text.js";
export { diffPolicies, type DiffOptions, type PolicyDiff } from "./diff/analyse.js";
export { renderDiffText } from "./diff/render-text.js";
export { writeFileAtomic, writeTreeAtomic, type AtomicWriteOptions } from "./util/atomic-write.js";
export { verifyImage, type VerifyImageOptions, type VerifyImageResult } from "./verify/verify-image.js";
export { expectationEvidence } from "./verify/evidence.js";

// The CLI, for embedding (and its exit codes for the results above)
export { run, type CliIo } from "./cli/run.js";
export { EXIT, diffExitCode, expectationsExitCode, reportsExitCode, simulationExitCode } from "./cli/exit-codes.js";
