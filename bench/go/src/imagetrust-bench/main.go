// Command imagetrust-bench: the containers/image side of imagetrust's benchmarks.
//
//	imagetrust-bench parse FILE...            parse each policy.json with signature.NewPolicyFromFile
//	imagetrust-bench evaluate POLICY REFSFILE  decide every reference (one per line), unsigned image
//
// It prints one JSON line with counts and timings measured inside the process.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/containers/image/v5/signature"
	"github.com/containers/image/v5/transports/alltransports"
	"github.com/containers/image/v5/types"
	"github.com/opencontainers/go-digest"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: imagetrust-bench parse FILE... | evaluate POLICY REFS")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "parse":
		start := time.Now()
		ok, bad := 0, 0
		for _, f := range os.Args[2:] {
			if _, err := signature.NewPolicyFromFile(f); err != nil {
				bad++
				fmt.Fprintln(os.Stderr, err)
			} else {
				ok++
			}
		}
		out(map[string]any{"ok": ok, "rejected": bad, "seconds": time.Since(start).Seconds()})
		if bad > 0 {
			os.Exit(1)
		}
	case "evaluate":
		evaluate(os.Args[2], os.Args[3])
	default:
		os.Exit(2)
	}
}

func out(v any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

// fakeSource serves one fixed manifest and no signatures.
type fakeSource struct {
	ref types.ImageReference
}

var manifest = []byte(`{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[]}`)

func (s *fakeSource) Reference() types.ImageReference { return s.ref }
func (s *fakeSource) Close() error                    { return nil }
func (s *fakeSource) GetManifest(ctx context.Context, d *digest.Digest) ([]byte, string, error) {
	return manifest, "application/vnd.docker.distribution.manifest.v2+json", nil
}
func (s *fakeSource) GetBlob(context.Context, types.BlobInfo, types.BlobInfoCache) (ioReadCloser, int64, error) {
	return nil, 0, fmt.Errorf("no blobs")
}
func (s *fakeSource) HasThreadSafeGetBlob() bool { return true }
func (s *fakeSource) GetSignatures(context.Context, *digest.Digest) ([][]byte, error) {
	return nil, nil
}
func (s *fakeSource) LayerInfosForCopy(context.Context, *digest.Digest) ([]types.BlobInfo, error) {
	return nil, nil
}

func evaluate(policyPath, refsPath string) {
	policy, err := signature.NewPolicyFromFile(policyPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pc, err := signature.NewPolicyContext(policy)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f, err := os.Open(refsPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var refs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() != "" {
			refs = append(refs, sc.Text())
		}
	}
	start := time.Now()
	allowed, denied, bad := 0, 0, 0
	ctx := context.Background()
	for _, r := range refs {
		ref, err := alltransports.ParseImageName(r)
		if err != nil {
			bad++
			continue
		}
		ok, _ := pc.IsRunningImageAllowed(ctx, unparsed(&fakeSource{ref: ref}))
		if ok {
			allowed++
		} else {
			denied++
		}
	}
	out(map[string]any{"references": len(refs), "allowed": allowed, "denied": denied, "unparsable": bad, "seconds": time.Since(start).Seconds()})
}
