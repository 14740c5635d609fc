/** Catalogue band IT9000–IT9999: files, the CLI, the lint configuration and internal errors. */
import { page } from "./entry.js";

const READ = "imagetrust reads inputs the way the runtime would; a file it cannot read, the runtime cannot either.";
const CONFIG = "The lint configuration (.imagetrust.yaml) is validated against schemas/lint-config.schema.json; a broken configuration stops the run (exit 2) rather than being half applied.";

/** IT9xxx entries. */
export const FILES_ENTRIES = {
  IT9001: page("error", "No such file", "The path does not exist.", READ, "Check the path."),
  IT9002: page("error", "Permission denied", "The file cannot be read by this user.", READ, "Run as a user who can read it, or fix the permissions."),
  IT9003: page("error", "A directory where a file was expected", "The path names a directory.", READ, "Name the file (or use a command that takes a directory)."),
  IT9004: page("error", "A binary file", "The file contains a NUL byte.", "No configuration format here is binary; the path probably names the wrong file.", "Check the path."),
  IT9005: page("error", "File too large", "The file is larger than imagetrust reads.", "A configuration this big is not a real one; reading it would exhaust memory.", "Check the path."),
  IT9006: page("error", "Read error", "Reading failed for another reason (I/O error, …).", READ, "See the message."),
  IT9007: page("error", "Not a directory", "A directory was expected.", READ, "Name a directory."),
  IT9008: page("error", "Unknown input kind", "The kind of the file cannot be told from its name or content.", "Each kind (policy.json, registries.d, registries.conf, .trust) has its own loader.", "Rename the file or pass --kind."),
  IT9009: page("error", "Input kind not available", "The loader for this kind is not available in this build.", "Front ends are loaded on use.", "Reinstall imagetrust; report it if it persists."),
  IT9010: page("info", "Which runtime file is read", "Linting the runtime's own configuration: why this file is the one containers/image reads (and what it shadows).",
    "signature.DefaultPolicy prefers $HOME/.config/containers/policy.json over /etc/containers/policy.json; registries.d likewise.",
    "Nothing to do; it explains the report.", "signature.DefaultPolicy / docker.registriesDirPath"),
  IT9011: page("error", "No runtime policy", "No policy.json exists where containers/image looks.", "Without a policy every pull fails (\"open /etc/containers/policy.json: no such file or directory\").", "Install a policy.json.", "signature.DefaultPolicy"),
  IT9012: page("varies", "Invalid UTF-8", "The file has bytes that are not UTF-8: a warning for policy.json (Go replaces them by U+FFFD), an error for the formats whose parsers refuse them.",
    "Go's JSON decoder replaces invalid bytes silently, so the text is not what it seems; the YAML and TOML parsers refuse it.", "Save the file as UTF-8."),
  IT9013: page("error", "Not a regular file", "A device, FIFO or socket.", "Reading one may block forever.", "Name a regular file."),
  IT9040: page("error", "Lint configuration: not valid YAML", "The .imagetrust.yaml file has a YAML syntax error.", CONFIG, "Fix the YAML."),
  IT9041: page("error", "Lint configuration: not allowed by the schema", "A key or value the configuration schema does not allow.", CONFIG, "See `imagetrust lint --help` for the keys."),
  IT9042: page("error", "Lint configuration: unknown rule or code", "`rules:` names a rule or code that does not exist.", CONFIG, "Fix the name (the message suggests the nearest)."),
  IT9043: page("error", "Lint configuration: cannot be read", "The configuration file cannot be read.", CONFIG, "Check the path and permissions."),
  IT9044: page("error", "Lint configuration: a code that cannot be changed", "`rules:`, --rule or an inline ignore names an error code that cannot be turned off or changed.",
    "Error codes of the loaders, the .trust language and the emitters mean containers/image refuses the input; hiding them would not make the runtime accept it. Only warning and info codes (and lint rules) are configurable.",
    "Fix what the error reports instead."),
  IT9050: page("error", "Key files: no such directory or file", "`--keys DIR` or `keys:` in .imagetrust.yaml names a directory that does not exist (or is a file), or a key file that does not exist.",
    "Key files are named by their install path (/etc/pki/…), which the machine checking the policy usually lacks; --keys says where the real files are. A location that is not there would silently check nothing, so the run stops (exit 2).",
    "Fix the path: a directory holding the key files by file name, or (in `keys:`) a map from install path to an existing file."),
  IT9900: page("error", "Internal error", "imagetrust failed unexpectedly.", "This is a bug in imagetrust.", "Report it with the input that triggers it."),
} as const;
