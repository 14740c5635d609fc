import * as nodePath from "node:path";
import { describe, expect, it } from "vitest";
import * as hostPath from "../../src/host/path.js";
import { prng } from "../support/prng.js";

const SAMPLES = [
  "", ".", "..", "/", "//", "///a", "a", "a/", "a//b", "/a/b/", "./a", "../a", "a/../..", "/a/../../b", "a/./b/.",
  "foo.txt", ".bashrc", "a.b.c", "/x/y.tar.gz", "dir/.hidden", "..a", "a..", "/..", "./", "a/b/../../../c/",
];

describe("host/path agrees with node:path.posix", () => {
  it("on fixed samples", () => {
    for (const p of SAMPLES) {
      expect(hostPath.normalize(p), p).toBe(nodePath.posix.normalize(p));
      expect(hostPath.dirname(p), p).toBe(nodePath.posix.dirname(p));
      expect(hostPath.basename(p), p).toBe(nodePath.posix.basename(p));
      expect(hostPath.extname(p), p).toBe(nodePath.posix.extname(p));
      expect(hostPath.isAbsolute(p), p).toBe(nodePath.posix.isAbsolute(p));
      for (const q of SAMPLES) {
        expect(hostPath.join(p, q), `${p} + ${q}`).toBe(nodePath.posix.join(p, q));
        expect(hostPath.resolve("/home/user/project", p, q), `${p} + ${q}`).toBe(nodePath.posix.resolve("/home/user/project", p, q));
        expect(hostPath.relative("/home/user/project", p, q), `${p} -> ${q}`).toBe(nodePath.posix.relative(nodePath.posix.resolve("/home/user/project", p), nodePath.posix.resolve("/home/user/project", q)));
        expect(hostPath.basename(p, q), `${p} - ${q}`).toBe(nodePath.posix.basename(p, q));
      }
    }
  });
  it("on random paths", () => {
    const rnd = prng(7);
    const pieces = ["a", "b", ".", "..", "", "x.y", ".z"];
    for (let n = 0; n < 2000; n++) {
      const len = Math.floor(rnd() * 6);
      let p = rnd() < 0.5 ? "/" : "";
      for (let i = 0; i < len; i++) p += pieces[Math.floor(rnd() * pieces.length)] + (rnd() < 0.9 ? "/" : "//");
      if (rnd() < 0.5) p = p.replace(/\/+$/, "");
      expect(hostPath.normalize(p), p).toBe(nodePath.posix.normalize(p));
      expect(hostPath.resolve("/c", p), p).toBe(nodePath.posix.resolve("/c", p));
      expect(hostPath.dirname(p), p).toBe(nodePath.posix.dirname(p));
      expect(hostPath.basename(p), p).toBe(nodePath.posix.basename(p));
      expect(hostPath.extname(p), p).toBe(nodePath.posix.extname(p));
      expect(hostPath.join("q", p), p).toBe(nodePath.posix.join("q", p));
    }
  });
});
