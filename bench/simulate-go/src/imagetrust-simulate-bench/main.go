// Command imagetrust-simulate-bench measures containers/image 5.23.1 deciding pulls: for every reference
// in a file, alltransports.ParseImageName + PolicyContext.IsRunningImageAllowed on an in-memory unsigned
// image (no registry contacted), as copy.Image does before copying. Prints one JSON line:
// {"references": N, "allowed": A, "seconds": in-process time of the decision loop}.
//
// Usage: imagetrust-simulate-bench POLICY.json REFS.txt
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/containers/image/v5/image"
	"github.com/containers/image/v5/manifest"
	"github.com/containers/image/v5/signature"
	"github.com/containers/image/v5/transports/alltransports"
	"github.com/containers/image/v5/types"
	digest "github.com/opencontainers/go-digest"
)

const schema2 = `{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[]}`

type memorySource struct{ ref types.ImageReference }

func (s *memorySource) Reference() types.ImageReference { return s.ref }
func (s *memorySource) Close() error                    { return nil }
func (s *memorySource) GetManifest(ctx context.Context, d *digest.Digest) ([]byte, string, error) {
	return []byte(schema2), manifest.DockerV2Schema2MediaType, nil
}
func (s *memorySource) GetBlob(context.Context, types.BlobInfo, types.BlobInfoCache) (io.ReadCloser, int64, error) {
	return nil, 0, errors.New("no blobs")
}
func (s *memorySource) HasThreadSafeGetBlob() bool { return false }
func (s *memorySource) GetSignatures(ctx context.Context, d *digest.Digest) ([][]byte, error) {
	return nil, nil
}
func (s *memorySource) LayerInfosForCopy(ctx context.Context, d *digest.Digest) ([]types.BlobInfo, error) {
	return nil, nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: imagetrust-simulate-bench POLICY.json REFS.txt")
		os.Exit(2)
	}
	policy, err := signature.NewPolicyFromFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	pc, err := signature.NewPolicyContext(policy)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	f, err := os.Open(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var refs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		refs = append(refs, sc.Text())
	}
	ctx := context.Background()
	allowed, failed := 0, 0
	start := time.Now()
	for _, s := range refs {
		ref, err := alltransports.ParseImageName(s)
		if err != nil {
			failed++
			continue
		}
		ok, _ := pc.IsRunningImageAllowed(ctx, image.UnparsedInstance(&memorySource{ref: ref}, nil))
		if ok {
			allowed++
		}
	}
	elapsed := time.Since(start).Seconds()
	out, _ := json.Marshal(map[string]interface{}{"references": len(refs), "allowed": allowed, "parseErrors": failed, "seconds": elapsed})
	fmt.Println(string(out))
}
