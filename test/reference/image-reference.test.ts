import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseImageReference, type ImageReference, type ParseImageReferenceOptions } from "../../src/reference/image-reference.js";
import { referenceString } from "../../src/reference/docker-reference.js";
import { nodeHost } from "../../src/host/node-host.js";

/** Path transports resolve against the real file system of this machine. */
const host = nodeHost();

const HEX64 = "0123456789abcdef".repeat(4);

function parse(input: string, options?: ParseImageReferenceOptions): ImageReference {
  const r = parseImageReference(input, { host, ...options });
  if (!r.ok) throw new Error(`${input}: ${r.error}`);
  return r.ref;
}
function err(input: string, options?: ParseImageReferenceOptions): string {
  const r = parseImageReference(input, { host, ...options });
  if (r.ok) throw new Error(`${input}: unexpectedly parsed`);
  return r.error;
}
function scopes(input: string, options?: ParseImageReferenceOptions): { identity: string; namespaces: string[] } {
  const r = parse(input, options);
  return { identity: r.identity, namespaces: r.namespaces };
}

describe("§3.4 worked examples: docker", () => {
  it.each([
    ["docker://busybox", "docker.io/library/busybox:latest", ["docker.io/library/busybox", "docker.io/library", "docker.io", "*.io"]],
    ["docker://docker.io/library/busybox:latest", "docker.io/library/busybox:latest", ["docker.io/library/busybox", "docker.io/library", "docker.io", "*.io"]],
    [`docker://localhost:5000/a/b@sha256:${HEX64}`, `localhost:5000/a/b@sha256:${HEX64}`, ["localhost:5000/a/b", "localhost:5000/a", "localhost:5000"]],
    ["docker://quay.io/org/repo", "quay.io/org/repo:latest", ["quay.io/org/repo", "quay.io/org", "quay.io", "*.io"]],
    ["docker://a.b.quay.io:443/org/repo:v1", "a.b.quay.io:443/org/repo:v1",
      ["a.b.quay.io:443/org/repo", "a.b.quay.io:443/org", "a.b.quay.io:443", "*.b.quay.io", "*.quay.io", "*.io"]],
    ["docker://10.0.0.1:5000/x:y", "10.0.0.1:5000/x:y", ["10.0.0.1:5000/x", "10.0.0.1:5000", "*.0.0.1", "*.0.1", "*.1"]],
    ["docker://EXAMPLE.com/foo:tag", "EXAMPLE.com/foo:tag", ["EXAMPLE.com/foo", "EXAMPLE.com", "*.com"]],
  ])("%s", (input, identity, namespaces) => {
    expect(scopes(input)).toEqual({ identity, namespaces });
  });

  it("renders <ImageName> in familiar form", () => {
    expect(parse("docker://busybox").imageName).toBe("docker://busybox:latest");
    expect(parse("docker://docker.io/library/busybox:1").imageName).toBe("docker://busybox:1");
    expect(parse("docker://quay.io/x/y:t").imageName).toBe("docker://quay.io/x/y:t");
    expect(parse(`docker://busybox@sha256:${HEX64}`).digest).toBe(`sha256:${HEX64}`);
  });

  it("refuses tag+digest and missing //", () => {
    expect(err(`docker://busybox:v1@sha256:${HEX64}`)).toBe("Docker references with both a tag and digest are currently not supported");
    expect(err("docker:busybox")).toBe("docker: image reference busybox does not start with //");
    expect(err("docker://Busybox")).toBe("invalid reference format: repository name must be lowercase");
  });

  it("name@@unknown-digest@@ (v5.30+)", () => {
    const r = parse("docker://quay.io/a/b@@unknown-digest@@");
    expect(r.identity).toBe("quay.io/a/b");
    expect(r.namespaces).toEqual(["quay.io/a", "quay.io", "*.io"]);
    expect(r.withinTransport).toBe("//quay.io/a/b@@unknown-digest@@");
    expect(r.dockerReference && referenceString(r.dockerReference)).toBe("quay.io/a/b");
    expect(err("docker://quay.io/a/b:t@@unknown-digest@@")).toBe(
      'docker: image reference "quay.io/a/b:t@@unknown-digest@@" has unknown digest set but it contains either a tag or digest',
    );
    expect(err("docker://quay.io/a/b@@unknown-digest@@", { target: [5, 23, 1] })).toBe("invalid reference format");
  });
});

describe("§3.4 worked examples: docker-daemon, docker-archive, atomic, tarball", () => {
  it("docker-daemon", () => {
    expect(scopes(`docker-daemon:sha256:${HEX64}`)).toEqual({ identity: "", namespaces: [] });
    expect(scopes("docker-daemon:busybox:v1")).toEqual({
      identity: "docker.io/library/busybox:v1",
      namespaces: ["docker.io/library/busybox", "docker.io/library", "docker.io", "*.io"],
    });
    expect(err("docker-daemon:busybox")).toBe("docker-daemon: reference busybox has neither a tag nor a digest");
    expect(err(`docker-daemon:sha512:${"a".repeat(128)}`)).toBe(
      `Invalid docker-daemon: reference sha512:${"a".repeat(128)}: only digest algorithm sha256 accepted`,
    );
    expect(err("docker-daemon:sha256:abc")).toBe(
      "Invalid docker-daemon: reference sha256:abc: The sha256 repository name is reserved for (non-shortened) digest references",
    );
    expect(err(`docker-daemon:busybox:v1@sha256:${HEX64}`)).toBe(
      "docker-daemon: references with both a tag and digest are currently not supported",
    );
  });
  it("docker-archive", () => {
    const r = parse("docker-archive:/tmp/a.tar:busybox:v1");
    expect(r.identity).toBe("");
    expect(r.namespaces).toEqual([]);
    expect(r.dockerReference && referenceString(r.dockerReference)).toBe("docker.io/library/busybox:v1");
    expect(r.imageName).toBe("docker-archive:/tmp/a.tar:docker.io/library/busybox:v1");
    expect(parse("docker-archive:/tmp/a.tar:busybox").withinTransport).toBe("/tmp/a.tar:docker.io/library/busybox:latest");
    expect(parse("docker-archive:/tmp/a.tar:@007").withinTransport).toBe("/tmp/a.tar:@7");
    expect(parse("docker-archive:/tmp/a.tar").dockerReference).toBeUndefined();
    expect(err("docker-archive:")).toBe("docker-archive reference  isn't of the form <path>[:<reference>]");
    expect(err("docker-archive:/a:@x")).toBe('Invalid source index @x: strconv.Atoi: parsing "x": invalid syntax');
    expect(err("docker-archive:/a:@-1")).toBe("Invalid source index @-1: must not be negative");
    expect(err("docker-archive:/a:@99999999999999999999")).toBe(
      'Invalid source index @99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range',
    );
    expect(err(`docker-archive:/a:busybox@sha256:${HEX64}`)).toBe(
      `reference does not include a tag: docker.io/library/busybox@sha256:${HEX64}`,
    );
    expect(err(`docker-archive:/a:busybox:v@sha256:${HEX64}`)).toBe(
      `docker-archive doesn't support digest references: docker.io/library/busybox:v@sha256:${HEX64}`,
    );
    expect(err("docker-archive:/a:Busybox")).toBe(
      "docker-archive parsing reference: invalid reference format: repository name must be lowercase",
    );
  });
  it("atomic", () => {
    expect(scopes("atomic:host.example/ns/stream:tag")).toEqual({
      identity: "host.example/ns/stream:tag",
      namespaces: ["host.example/ns/stream", "host.example/ns", "host.example", "*.example"],
    });
    expect(err("atomic:host.example/ns/stream")).toBe(
      "invalid image reference host.example/ns/stream, expected format: 'hostname/namespace/stream:tag'",
    );
    expect(err("atomic:host.example/a/b/c:t")).toBe(
      "invalid image reference: host.example/a/b/c:t, expected format: 'hostname/namespace/stream:tag'",
    );
    expect(err("atomic:UP")).toBe('failed to parse image reference "UP": invalid reference format: repository name must be lowercase');
    expect(err("atomic:h.x/a/b:t", { debian: true })).toBe('Invalid image name "atomic:h.x/a/b:t", unknown transport "atomic"');
  });
  it("tarball", () => {
    const r = parse("tarball:/a.tar:/b.tar", { openFile: () => undefined });
    expect(r).toMatchObject({ identity: "", namespaces: [], imageName: "tarball:/a.tar:/b.tar" });
    expect(err("tarball:/nonexistent/x.tar")).toBe('error opening "/nonexistent/x.tar": open /nonexistent/x.tar: no such file or directory');
  });
  it("ostree is a stub; unknown transports and missing colons are refused", () => {
    expect(err("ostree:/x")).toBe('The transport "ostree:" is not supported in this build');
    expect(err("busybox")).toBe('Invalid image name "busybox", expected colon-separated transport:reference');
    expect(err("nope:x")).toBe('Invalid image name "nope:x", unknown transport "nope"');
    expect(err('a"b')).toBe('Invalid image name "a\\"b", expected colon-separated transport:reference');
    expect(err('a"b', { target: [5, 23, 1] })).toBe('Invalid image name "a"b", expected colon-separated transport:reference');
  });
});

describe("§3.4 worked examples: path transports", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "nsdemo-")));
    fs.mkdirSync(path.join(tmp, "real/sub/img"), { recursive: true });
    fs.symlinkSync(path.join(tmp, "real"), path.join(tmp, "link"));
    fs.writeFileSync(path.join(tmp, "real/a.tar"), "");
    fs.writeFileSync(path.join(tmp, "real/a.sif"), "");
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const parents = (p: string): string[] => {
    const out: string[] = [];
    for (let d = path.dirname(p); d !== "/"; d = path.dirname(d)) out.push(d);
    return out;
  };

  it("dir resolves symlinks; namespaces are the parents", () => {
    const r = parse(`dir:${tmp}/link/sub/img`);
    expect(r.identity).toBe(`${tmp}/real/sub/img`);
    expect(r.namespaces).toEqual(parents(`${tmp}/real/sub/img`));
    expect(r.imageName).toBe(`dir:${tmp}/link/sub/img`);
  });
  it("oci: identity is the directory; namespaces include it", () => {
    const r = parse(`oci:${tmp}/link/sub/img:myref`);
    expect(r.identity).toBe(`${tmp}/real/sub/img`);
    expect(r.namespaces).toEqual([`${tmp}/real/sub/img`, ...parents(`${tmp}/real/sub/img`)]);
    expect(r.withinTransport).toBe(`${tmp}/link/sub/img:myref`);
    expect(parse(`oci:${tmp}/real`).imageName).toBe(`oci:${tmp}/real:`);
    expect(parse(`oci:${tmp}/real:@3`).withinTransport).toBe(`${tmp}/real:@3`);
    expect(err(`oci:${tmp}/real:@x`)).toBe('Invalid source index @x: not an integer: strconv.Atoi: parsing "x": invalid syntax');
    expect(err(`oci:${tmp}/real:@3`, { target: [5, 23, 1] })).toBe("Invalid image @3");
    expect(err(`oci:${tmp}/real:bad image`)).toBe("Invalid image bad image");
  });
  it("oci-archive and sif", () => {
    const a = parse(`oci-archive:${tmp}/real/a.tar:ref`);
    expect(a.identity).toBe(`${tmp}/real/a.tar`);
    expect(a.namespaces).toEqual([`${tmp}/real/a.tar`, ...parents(`${tmp}/real/a.tar`)]);
    const s = parse(`sif:${tmp}/real/a.sif`);
    expect(s.identity).toBe(`${tmp}/real/a.sif`);
    expect(s.namespaces).toEqual(parents(`${tmp}/real/a.sif`));
  });
  it("dir:/tmp and oci:/tmp", () => {
    expect(scopes("dir:/tmp", { resolvePath: (p) => p })).toEqual({ identity: "/tmp", namespaces: [] });
    expect(scopes("oci:/tmp", { resolvePath: (p) => p })).toEqual({ identity: "/tmp", namespaces: ["/tmp"] });
  });
  it("lenient vs strict resolution of missing parents", () => {
    expect(parse(`dir:${tmp}/link/missing/deeper/x`).identity).toBe(`${tmp}/real/missing/deeper/x`);
    expect(parse(`dir:${tmp}/link/newimg`, { strictPaths: true }).identity).toBe(`${tmp}/real/newimg`);
    expect(err(`dir:${tmp}/link/missing/x`, { strictPaths: true })).toBe(`lstat ${tmp}/real/missing: no such file or directory`);
    expect(err("dir:/x", { resolvePath: () => { throw new Error("boom"); } })).toBe("boom");
  });
  it("relative paths are absolutised against the working directory", () => {
    expect(parse("dir:.").identity).toBe(fs.realpathSync(process.cwd()));
  });
});

describe("§3.4 worked examples: containers-storage", () => {
  it.each([
    ["containers-storage:[vfs@/r+/run]busybox", "[vfs@/r]docker.io/library/busybox:latest",
      ["[vfs@/r]docker.io/library/busybox", "[vfs@/r]docker.io/library", "[vfs@/r]docker.io", "[vfs@/r]", "[/r]"]],
    [`containers-storage:[vfs@/r]quay.io/org/repo:v1@${HEX64}`, `[vfs@/r]quay.io/org/repo:v1@${HEX64}`,
      ["[vfs@/r]quay.io/org/repo:v1", "[vfs@/r]quay.io/org/repo", "[vfs@/r]quay.io/org", "[vfs@/r]quay.io", "[vfs@/r]", "[/r]"]],
    [`containers-storage:[vfs@/r]busybox:v1@sha256:${HEX64}`, `[vfs@/r]docker.io/library/busybox:v1@sha256:${HEX64}`,
      [`[vfs@/r]docker.io/library/busybox:v1`, "[vfs@/r]docker.io/library/busybox", "[vfs@/r]docker.io/library", "[vfs@/r]docker.io", "[vfs@/r]", "[/r]"]],
    [`containers-storage:[vfs@/r]@${HEX64}`, `[vfs@/r]@${HEX64}`, ["[vfs@/r]", "[/r]"]],
  ])("%s", (input, identity, namespaces) => {
    expect(scopes(input)).toEqual({ identity, namespaces });
  });
  it("renders runroot and options only in the image name; uses defaults without brackets", () => {
    expect(parse("containers-storage:[vfs@/r/+/run/x:a=b,c]busybox").imageName).toBe(
      "containers-storage:[vfs@/r+/run/x:a=b,c]docker.io/library/busybox:latest",
    );
    expect(parse("containers-storage:busybox").identity).toBe("[overlay@/var/lib/containers/storage]docker.io/library/busybox:latest");
    expect(parse("containers-storage:busybox", { storage: { driver: "vfs", graphRoot: "/g" } }).imageName).toBe(
      "containers-storage:[vfs@/g+/run/containers/storage]docker.io/library/busybox:latest",
    );
  });
  it.each([
    ["containers-storage:[", "invalid reference"],
    ["containers-storage:[]x", "invalid reference"],
    ["containers-storage:[@/r]x", "invalid reference"],
    ["containers-storage:[vfs@]x", "invalid reference"],
    ["containers-storage:[vfs@rel]x", "path name is not absolute"],
    ["containers-storage:[vfs@/r+rel]x", "path name is not absolute"],
    ["containers-storage:[vfs@/r]", '"" is an empty reference: invalid reference'],
    ["containers-storage:[vfs@/r]x@", 'empty trailing digest or ID in "x@": invalid reference'],
    ["containers-storage:[vfs@/r]x@abc", '"abc" does not look like an image ID or digest: invalid reference'],
    ["containers-storage:[vfs@/r]X", 'parsing named reference "X": invalid reference format: repository name must be lowercase'],
  ])("%s → %s", (input, message) => {
    expect(err(input)).toBe(message);
  });
});
