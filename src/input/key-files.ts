/**
 * Key-file access for compiling where the keys are not installed at their final paths (CI, a laptop):
 * `--keys DIR` reads every key file named in a .trust source from DIR by its file name, e.g.
 * "/etc/pki/containers/acme-ci.pub" from "DIR/acme-ci.pub". The compiled policy still names the install path.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

/** fileExists/readFile functions that look for key files by name in `dir`. */
export function keyFilesFrom(dir: string): { fileExists: (p: string) => boolean; readFile: (p: string) => Uint8Array | undefined } {
  const local = (p: string) => join(dir, basename(p));
  return {
    fileExists: (p) => {
      try {
        return statSync(local(p)).isFile();
      } catch {
        return false;
      }
    },
    readFile: (p) => {
      try {
        return existsSync(local(p)) ? readFileSync(local(p)) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
