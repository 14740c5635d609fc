/**
 * Key-file access for compiling where the keys are not installed at their final paths (CI, a laptop):
 * `--keys DIR` reads every key file named in a .trust source from DIR by its file name, e.g.
 * "/etc/pki/containers/acme-ci.pub" from "DIR/acme-ci.pub". The compiled policy still names the install path.
 */
import type { Host } from "../host/host.js";
import { basename, join } from "../host/path.js";

/** fileExists/readFile functions that look for key files by name in `dir`, through `host.files`. */
export function keyFilesFrom(dir: string, host: Host): { fileExists: (p: string) => boolean; readFile: (p: string) => Uint8Array | undefined } {
  const local = (p: string) => join(dir, basename(p));
  return {
    fileExists: (p) => {
      try {
        return host.files.stat(local(p)).kind === "file";
      } catch {
        return false;
      }
    },
    readFile: (p) => {
      try {
        return host.files.readFile(local(p));
      } catch {
        return undefined;
      }
    },
  };
}

/** The same functions over the key files at their own paths (what the checker reads when `--keys` is not given). */
export function keyFilesAt(host: Host): { fileExists: (p: string) => boolean; readFile: (p: string) => Uint8Array | undefined } {
  return {
    fileExists: (p) => {
      try {
        return host.files.stat(p).kind === "file";
      } catch {
        return false;
      }
    },
    readFile: (p) => {
      try {
        return host.files.readFile(p);
      } catch {
        return undefined;
      }
    },
  };
}
