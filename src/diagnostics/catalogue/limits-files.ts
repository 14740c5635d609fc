/** Catalogue band IT9014–IT9039 and IT9045–IT9049: bounded reads of local files, safe writes, the lint configuration's limits (issue 17). */
import { page } from "./entry.js";

const OUTPUT = "compile writes policy.json and registries.d/ atomically; these refusals come before anything is written, so the directory keeps its previous files.";

/** Entries of this band (code → page). */
export const LIMITS_FILES_ENTRIES = {
  IT9014: page("error", "Output on a kernel pseudo file system", "`--out` names a directory on /proc, /sys or another kernel pseudo file system (devpts, cgroup, debugfs, …).",
    `Nothing there is a configuration file the runtime reads, and creating directories under /proc never completes (Node's recursive mkdir loops). ${OUTPUT}`,
    "Write to a directory on a real file system."),
  IT9015: page("error", "Another compile is writing the output directory", "Another imagetrust compile holds the output directory's lock file (`DIR/.imagetrust.lock`, with its pid and start time).",
    `Two compiles of different sources into one directory at once could leave registries.d files of both; containers/image then refuses the whole directory ("… defined both in …", docker.loadAndMergeConfig) and every pull fails. The lock is held from reading the old files to the last rename; a lock whose process no longer runs is taken over. ${OUTPUT}`,
    "Run the compiles one after the other; if no compile is running (the lock's pid is not an imagetrust process), remove the lock file.", "docker.loadAndMergeConfig"),
  IT9016: page("error", "Cannot write here", "A file or directory cannot be written: permission denied, a read-only file system, or no space left (lint --fix, fmt --write, compile).",
    "Files are replaced atomically: a temporary file is written beside the target and renamed over it, so the directory (not only the file) must be writable. The file itself is left unchanged.",
    "Run as a user who can write the directory, or write elsewhere."),
  IT9017: page("error", "Not rewritten: the file is not valid UTF-8", "fmt --write or lint --fix was asked to rewrite a file with bytes that are not UTF-8.",
    "Rewriting would replace the invalid bytes with U+FFFD everywhere (comments included), changing bytes no fix or format asked for. The file is left unchanged.",
    "Save the file as UTF-8 (the message gives the first bad byte's position), then run again."),
  IT9018: page("error", "Too many YAML aliases", "A YAML file (.imagetrust.yaml, a test file) uses more aliases than imagetrust expands (an alias bomb, \"billion laughs\").",
    "Each alias can repeat a whole subtree; nested aliases grow the document exponentially and would exhaust memory.",
    "Write the values out, or use fewer aliases."),
  IT9019: page("error", "The compiled policy would be too large", "Expanding the levels of a .trust source yields more requirements in total than imagetrust writes (levels that build on each other: `l2 = l1 plus reject`, …).",
    "Every scope gets a copy of its level's whole requirement list, so a chain of levels grows the output quadratically (2,000 chained levels turn 115 KB of source into a 96 MB policy.json that every pull parses). IT2104 bounds one level; this bounds the whole output. The limit is in README, Limits.",
    "Give the scopes fewer, flatter levels: a level that names another repeats all of its requirements."),
} as const;
