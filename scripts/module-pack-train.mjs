// The training run of scripts/module-pack.mjs, run under the executable's Node flags:
//   node <flags> scripts/module-pack-train.mjs COMMAND DIR record   prints the ids of the modules the command instantiates
//   node <flags> scripts/module-pack-train.mjs COMMAND DIR cache    writes DIR/pack.cjs.cache (V8's code cache of the pack)
// COMMAND is `validate`, `simulate`, `compile` or `lint`; it runs on what a user's run of it typically reads, generated here:
// - validate: a policy.json of every 5.23 requirement and identity type (bench/gen-policy.mjs), and for the pack's
//   contents also a minimal one and a broken one (the diagnostics and their rendering);
// - simulate: that policy with a dir: scope, and a few thousand references of every kind the benchmark uses
//   (docker:// tags, digests, wildcard hosts, docker.io short names, docker-daemon:, dir: images), as jsonl (the bulk
//   run); for the pack's contents also as text, json and jsonl with --explain;
// - compile: a .trust program of 150 scopes over keys and levels (bench/gen-trust.mjs), compiled to a directory; for the
//   pack's contents also with --check and a broken source (the diagnostics);
// - lint: validate's policy with a registries.d (a CI job's lint); for the pack's contents also as json, sarif and
//   github, and a .trust source.
// Each input is small enough that the executable's start-up does not switch V8's flags (validate's short run, simulate's
// load phase): a cache carries the flags it was made under, and V8 rejects it under others. So the training runs get
// no shortRun/setV8Flags either.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePolicy } from "../bench/gen-policy.mjs";
import { generateTrust } from "../bench/gen-trust.mjs";
import { loadModulePack } from "../dist/cli/module-pack.js";
import { programModule } from "../dist/cli/run-packed.js";

/** Per command: the inputs to write and the argv lists of each mode (the program is run-<command>.js's `run`). */
const TRAINING = {
  validate: {
    inputs: () => ({
      "policy.json": JSON.stringify(generatePolicy(150), null, 2) + "\n",
      "minimal.json": '{"default":[{"type":"reject"}]}\n',
      "broken.json": '{"default":[{"type":"signedBy","keyType":"GPGKeys"}],"transports":{"docker":{"a/b":[{"type":"rejected"}]}}}\n',
    }),
    // The pack holds the modules of all three; the cache only what a valid policy's validate compiles (measured on the
    // 10,000-scope policy: a cache of the broken one's diagnostics too was 10 % larger and no faster to start).
    cache: [["validate", "--target", "5.23", "policy.json"]],
    record: [
      ["validate", "minimal.json"],
      ["validate", "--target", "5.23", "broken.json"],
    ],
  },
  simulate: {
    inputs: (scratch) => {
      const images = join(scratch, "images");
      mkdirSync(join(images, "app0"), { recursive: true });
      const policy = generatePolicy(150);
      policy.transports.dir[images] = [{ type: "insecureAcceptAnything" }];
      return { "policy.json": JSON.stringify(policy, null, 1) + "\n", "refs.txt": simulateRefs(images, 3000).join("\n") + "\n" };
    },
    // The bulk run (the benchmark's shape) for the cache; the other formats only for the pack's contents.
    cache: [["simulate", "--policy", "policy.json", "--refs", "refs.txt", "--format", "jsonl", "--quiet"]],
    record: [
      ["simulate", "--policy", "policy.json", "docker://registry1.example1.com/team1/app1:v1", "docker://busybox"],
      ["simulate", "--policy", "policy.json", "--format", "json", "docker://registry1.example1.com/team1/app1:v1", "dir:images/app0"],
      ["simulate", "--policy", "policy.json", "--format", "jsonl", "--explain", "docker://registry2.example2.com/team2/app2@sha256:" + "a".repeat(64)],
    ],
  },
  compile: {
    inputs: () => ({
      "site.trust": generateTrust(150),
      "broken.trust": 'target "5.23"\nkey k gpg file "/etc/k.gpg"\nlevel l = signed by nokey\ndocker {\n  "quay.io/a" l\n  "quay.io/a" accept\n}\n',
    }),
    // The bench's shape (bench/compile.mjs) for the cache; --check and a broken source only for the pack's contents.
    cache: [["compile", "site.trust", "--out", "out"]],
    record: [
      ["compile", "site.trust", "--out", "out", "--check"],
      ["compile", "broken.trust", "--out", "out-broken"],
    ],
  },
  lint: {
    inputs: (scratch) => {
      mkdirSync(join(scratch, "registries.d"), { recursive: true });
      return {
        "policy.json": JSON.stringify(generatePolicy(150), null, 2) + "\n",
        "registries.d/registry1.yaml": "docker:\n  registry1.example1.com:\n    lookaside: https://sigs.example.com/sigs\n    use-sigstore-attachments: true\n",
        "site.trust": generateTrust(40),
      };
    },
    // A CI job's lint of a policy and its registries.d for the cache; the other formats and a .trust only for the pack.
    cache: [["lint", "policy.json", "--registries-d", "registries.d"]],
    record: [
      ["lint", "--format", "json", "policy.json"],
      ["lint", "--format", "sarif", "policy.json"],
      ["lint", "--format", "github", "policy.json"],
      ["lint", "site.trust"],
    ],
  },
};

/** References of every kind bench/simulate.mjs generates, over generatePolicy's hosts (deterministic). */
function simulateRefs(images, n) {
  const refs = [];
  for (let k = 0; k < n; k++) {
    const i = (k * 7919) % 150;
    const host = `registry${i % 97}.example${i % 13}.com`;
    const hex = ((k * 2654435761) >>> 0).toString(16).padStart(8, "0").repeat(8);
    switch (k % 10) {
      case 0:
      case 1:
      case 2:
        refs.push(`docker://${host}/team${i % 53}/app${i}:v${k % 5}`);
        break;
      case 3:
        refs.push(`docker://${host}/team${i % 53}/app${i}/sub${k % 7}:1`);
        break;
      case 4:
        refs.push(`docker://${host}/team${i % 53}/app${i}@sha256:${hex}`);
        break;
      case 5:
        refs.push(`docker://x${k % 11}.zone${i - (i % 10)}.example.net:5000/a/b:c`);
        break;
      case 6:
        refs.push(k % 20 === 6 ? `docker://busybox:1.${k % 40}` : `docker://quay.io/org${k % 50}/repo`);
        break;
      case 7:
        refs.push(`docker-daemon:${host}/img:v${k % 3}`);
        break;
      case 8:
        refs.push(`dir:${images}/app${k % 100}`);
        break;
      default:
        refs.push(`docker://${host}/other${k % 100}/img:1`);
    }
  }
  return refs;
}

const [command, dir, mode] = process.argv.slice(2);
const training = TRAINING[command];
if (training === undefined || (mode !== "record" && mode !== "cache")) {
  throw new Error(`usage: ${fileURLToPath(import.meta.url)} ${Object.keys(TRAINING).join("|")} DIR record|cache`);
}
const pack = loadModulePack({ dir, useCache: false });
const scratch = mkdtempSync(join(tmpdir(), "imagetrust-pack-train-"));
try {
  for (const [name, text] of Object.entries(training.inputs(scratch))) writeFileSync(join(scratch, name), text);
  // What the executable's FdSink offers (bytes, text), so that the same output paths run.
  const sink = { write: () => true, writeBytes: () => true };
  const { run } = pack.require(programModule(command));
  const runs = mode === "record" ? [...training.cache, ...training.record] : training.cache;
  for (const argv of runs) {
    await run(argv, { stdout: sink, stderr: sink, env: {}, isTTY: false, stderrIsTTY: false, cwd: scratch, euid: 0 });
  }
  if (mode === "record") {
    process.stdout.write(JSON.stringify(pack.loaded) + "\n");
  } else {
    const data = pack.createCachedData();
    if (data === undefined) throw new Error(`no pack in ${dir}`);
    writeFileSync(join(dir, "pack.cjs.cache"), data);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
