/** src/simulate/reference-reads.ts: a missing file is asked for once per reference; nothing else is remembered. */
import { describe, expect, it } from "vitest";
import { HostError, type HostFiles } from "../../src/host/host.js";
import { referenceReads } from "../../src/simulate/reference-reads.js";

function files(): { files: HostFiles; opened: string[]; content: Map<string, string> } {
  const opened: string[] = [];
  const content = new Map<string, string>([["/img/manifest.json", "{}"]]);
  const f = {
    readFile(p: string) {
      opened.push(p);
      const c = content.get(p);
      if (c === undefined) throw new HostError(p.startsWith("/file/") ? "ENOTDIR" : p.startsWith("/denied/") ? "EACCES" : "ENOENT", p);
      return new TextEncoder().encode(c);
    },
  } as unknown as HostFiles;
  return { files: f, opened, content };
}

describe("reads of one reference", () => {
  it("a missing file (ENOENT, ENOTDIR) is opened once until cleared, with the same error", () => {
    const { files: f, opened } = files();
    const r = referenceReads(f);
    for (const p of ["/missing/manifest.json", "/file/x/manifest.json"]) {
      let first: unknown;
      let second: unknown;
      try {
        r.files.readFile(p);
      } catch (e) {
        first = e;
      }
      try {
        r.files.readFile(p, { maxBytes: 10 });
      } catch (e) {
        second = e;
      }
      expect(first).toBeInstanceOf(HostError);
      expect(second).toBe(first);
    }
    expect(opened).toEqual(["/missing/manifest.json", "/file/x/manifest.json"]);
    r.clear();
    expect(() => r.files.readFile("/missing/manifest.json")).toThrow(HostError);
    expect(opened).toHaveLength(3);
  });

  it("files that exist and other errors are read every time (their contents may change)", () => {
    const { files: f, opened, content } = files();
    const r = referenceReads(f);
    expect(new TextDecoder().decode(r.files.readFile("/img/manifest.json"))).toBe("{}");
    content.set("/img/manifest.json", "[]");
    expect(new TextDecoder().decode(r.files.readFile("/img/manifest.json"))).toBe("[]");
    expect(() => r.files.readFile("/denied/m")).toThrow(HostError);
    expect(() => r.files.readFile("/denied/m")).toThrow(HostError);
    expect(opened).toEqual(["/img/manifest.json", "/img/manifest.json", "/denied/m", "/denied/m"]);
  });
});
