/** The output directory's guards (src/compile/output-dir.ts): the lock's holder, stale locks, pseudo file systems. */
import { describe, expect, it } from "vitest";
import { memoryHost } from "../../src/host/memory-host.js";
import { acquireOutputLock, OUTPUT_LOCK_NAME, specialOutputDiagnostic } from "../../src/compile/output-dir.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe("the output directory's lock", () => {
  it("is taken, refused to a second taker with the holder named, and released", async () => {
    const host = memoryHost({ files: { "/out/keep": { data: enc("") } }, now: () => new Date("2026-12-06T08:00:00Z") });
    const first = await acquireOutputLock(host, "/out");
    expect("lock" in first).toBe(true);
    expect(dec(host.files.readFile(`/out/${OUTPUT_LOCK_NAME}`))).toBe("pid 1\nstarted 2026-12-06T08:00:00.000Z\n");
    const second = await acquireOutputLock(host, "/out");
    expect("diagnostic" in second && second.diagnostic).toMatchObject({
      code: "IT9015",
      message: "another imagetrust compile (process 1, started 2026-12-06T08:00:00.000Z) is writing to /out; nothing was written.",
    });
    if ("lock" in first) await first.lock.release();
    expect(() => host.files.stat(`/out/${OUTPUT_LOCK_NAME}`)).toThrow();
    expect("lock" in (await acquireOutputLock(host, "/out"))).toBe(true);
  });

  it("takes over a lock whose process no longer runs", async () => {
    // The memory host's only live process is pid 1.
    const host = memoryHost({ files: { [`/out/${OUTPUT_LOCK_NAME}`]: { data: enc("pid 424242\nstarted 2026-12-01T00:00:00Z\n") } } });
    const r = await acquireOutputLock(host, "/out");
    expect("lock" in r).toBe(true);
    expect(dec(host.files.readFile(`/out/${OUTPUT_LOCK_NAME}`))).toMatch(/^pid 1\n/);
    expect(() => host.files.stat("/out/.imagetrust.lock.break")).toThrow();
  });

  it("treats a lock without a pid as held (a crash between create and write needs a human)", async () => {
    const host = memoryHost({ files: { [`/out/${OUTPUT_LOCK_NAME}`]: { data: enc("garbage") } } });
    const r = await acquireOutputLock(host, "/out");
    expect("diagnostic" in r && r.diagnostic.message).toContain("a process that left no pid");
  });
});

describe("output on a pseudo file system", () => {
  it("is IT9014 for /proc and /sys (by statfs type of the nearest existing ancestor), nothing for a real one", () => {
    const host = memoryHost({ files: { "/proc/1/status": { data: enc("") }, "/srv/x": { data: enc("") } } });
    host.files.fileSystemType = (p) => (p.startsWith("/proc") ? 0x9fa0 : 0xef53);
    expect(specialOutputDiagnostic(host, "/proc/new/out")).toMatchObject({ code: "IT9014" });
    expect(specialOutputDiagnostic(host, "/srv/out")).toBeUndefined();
  });
});
