// Generates a large, valid (containers/image 5.23-compatible) policy.json for the benchmarks.

/** A deterministic policy with `n` docker scopes mixing every 5.23 requirement and identity type. */
export function generatePolicy(n, { seed = 1 } = {}) {
  let x = seed >>> 0 || 1;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const identities = [
    undefined,
    { type: "matchExact" },
    { type: "matchRepository" },
    { type: "exactRepository", dockerRepository: "registry.example.com/base/app" },
    { type: "remapIdentity", prefix: "mirror.example.com", signedPrefix: "registry.example.com" },
  ];
  const docker = { "": [{ type: "reject" }] };
  for (let i = 0; i < n; i++) {
    const host = `registry${i % 97}.example${i % 13}.com`;
    const scope = i % 10 === 0 ? `*.zone${i}.example.net` : `${host}/team${i % 53}/app${i}`;
    const k = Math.floor(rnd() * 4);
    const id = identities[Math.floor(rnd() * identities.length)];
    let req;
    if (k === 0) req = [{ type: "insecureAcceptAnything" }];
    else if (k === 1) req = [{ type: "signedBy", keyType: "GPGKeys", keyPath: `/etc/pki/containers/key${i % 7}.gpg`, ...(id ? { signedIdentity: id } : {}) }];
    else if (k === 2) req = [{ type: "sigstoreSigned", keyPath: `/etc/pki/containers/cosign${i % 5}.pub`, ...(id ? { signedIdentity: id } : {}) }];
    else req = [{ type: "signedBy", keyType: "GPGKeys", keyPaths: ["/etc/pki/a.gpg", "/etc/pki/b.gpg"] }, { type: "reject" }];
    docker[scope] = req;
  }
  return {
    default: [{ type: "reject" }],
    transports: {
      docker,
      "docker-daemon": { "": [{ type: "insecureAcceptAnything" }] },
      dir: { "": [{ type: "insecureAcceptAnything" }], "/srv/images": [{ type: "insecureAcceptAnything" }] },
    },
  };
}
