package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"

	"github.com/containers/image/v5/image"
	"github.com/containers/image/v5/manifest"
	"github.com/containers/image/v5/pkg/sysregistriesv2"
	"github.com/containers/image/v5/signature"
	"github.com/containers/image/v5/transports/alltransports"
	"github.com/containers/image/v5/types"
	digest "github.com/opencontainers/go-digest"
)

// defaultManifest is a small valid Docker schema2 manifest (config blob "{}",
// one layer) served when a case gives none.
const defaultManifest = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 2,
      "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
   },
   "layers": [
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 32,
         "digest": "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
      }
   ]
}`

// ---- parsePolicy ----

type parsePolicyRequest struct {
	Policy string `json:"policy"`
}

type parsePolicyResult struct {
	Ok    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	// Normalized is json.Marshal of the parsed *signature.Policy: what the
	// library understood, in its own serialisation.
	Normalized json.RawMessage `json:"normalized,omitempty"`
}

// handleParsePolicy runs signature.NewPolicyFromBytes.
func handleParsePolicy(raw json.RawMessage) (interface{}, error) {
	var req parsePolicyRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	policy, err := signature.NewPolicyFromBytes([]byte(req.Policy))
	if err != nil {
		return parsePolicyResult{Ok: false, Error: err.Error()}, nil
	}
	normalized, err := json.Marshal(policy)
	if err != nil {
		return nil, fmt.Errorf("marshaling the parsed policy: %w", err)
	}
	return parsePolicyResult{Ok: true, Normalized: normalized}, nil
}

// ---- references ----

type referenceInfo struct {
	Reference             string    `json:"reference"`
	ParseError            *string   `json:"parseError,omitempty"`
	Transport             string    `json:"transport,omitempty"`
	StringWithinTransport string    `json:"stringWithinTransport,omitempty"`
	Identity              *string   `json:"identity,omitempty"`
	Namespaces            *[]string `json:"namespaces,omitempty"` // present (maybe []) whenever parsed
	DockerReference       *string   `json:"dockerReference,omitempty"`
}

// describeReference parses "transport:ref" with alltransports.ParseImageName
// and reports what policy lookup uses.
func describeReference(s string) (types.ImageReference, referenceInfo) {
	info := referenceInfo{Reference: s}
	ref, err := alltransports.ParseImageName(s)
	if err != nil {
		msg := err.Error()
		info.ParseError = &msg
		return nil, info
	}
	return ref, fillReferenceInfo(ref, info)
}

func fillReferenceInfo(ref types.ImageReference, info referenceInfo) referenceInfo {
	info.Transport = ref.Transport().Name()
	info.StringWithinTransport = ref.StringWithinTransport()
	id := ref.PolicyConfigurationIdentity()
	info.Identity = &id
	ns := ref.PolicyConfigurationNamespaces()
	if ns == nil {
		ns = []string{}
	}
	info.Namespaces = &ns
	if dr := ref.DockerReference(); dr != nil {
		d := dr.String()
		info.DockerReference = &d
	}
	return info
}

// describeMockReference is describeReference for a mockReference.
func describeMockReference(transport, s string) (types.ImageReference, referenceInfo) {
	info := referenceInfo{Reference: s}
	ref, err := newMockReference(transport, s)
	if err != nil {
		msg := err.Error()
		info.ParseError = &msg
		return nil, info
	}
	return ref, fillReferenceInfo(ref, info)
}

func handleReferences(raw json.RawMessage) (interface{}, error) {
	var req struct {
		References []string `json:"references"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	out := make([]referenceInfo, 0, len(req.References))
	for _, s := range req.References {
		_, info := describeReference(s)
		out = append(out, info)
	}
	return out, nil
}

// ---- evaluate ----

type evaluateCase struct {
	Reference string `json:"reference"`
	// MockTransport, if set, makes Reference a plain docker reference
	// evaluated under this transport name with docker identity/namespaces
	// (like upstream's pcImageReferenceMock), e.g. for "atomic".
	MockTransport    string   `json:"mockTransport,omitempty"`
	Manifest         *string  `json:"manifest,omitempty"` // base64
	ManifestMIMEType string   `json:"manifestMIMEType,omitempty"`
	Signatures       []string `json:"signatures,omitempty"` // base64 blobs, stored format
	// Instance, if set, evaluates one instance of a manifest list, as copy does
	// per platform: Manifest is then the list, served for no instance digest.
	Instance *evaluateInstance `json:"instance,omitempty"`
	// RealSource opens the reference's own ImageSource (ref.NewImageSource)
	// instead of the in-memory one: dir:/oci: layouts on disk (including
	// sigstore-format signature files), docker:// registries with lookaside
	// from registriesDDir. Manifest/Signatures/Instance are then ignored.
	RealSource bool `json:"realSource,omitempty"`
}

// evaluateInstance is one instance of a manifest list.
type evaluateInstance struct {
	Manifest         string   `json:"manifest"` // base64
	ManifestMIMEType string   `json:"manifestMIMEType,omitempty"`
	Signatures       []string `json:"signatures,omitempty"` // base64
	// Digest under which it is requested (default: digest of Manifest).
	Digest string `json:"digest,omitempty"`
}

type evaluateRequest struct {
	Policy string `json:"policy"`
	// For realSource cases: registries.d, registries.conf (default: none is
	// read) and whether docker:// registries need TLS (default true).
	RegistriesDDir string         `json:"registriesDDir,omitempty"`
	RegistriesConf string         `json:"registriesConf,omitempty"`
	TLSVerify      *bool          `json:"tlsVerify,omitempty"`
	Cases          []evaluateCase `json:"cases"`
}

// systemContext is what realSource cases open their sources with; nothing of
// the machine's own configuration is read.
func (req *evaluateRequest) systemContext() *types.SystemContext {
	sys := &types.SystemContext{
		RegistriesDirPath:           req.RegistriesDDir,
		SystemRegistriesConfPath:    req.RegistriesConf,
		SystemRegistriesConfDirPath: "/nonexistent/imagetrust-harness/registries.conf.d",
		AuthFilePath:                "/nonexistent/imagetrust-harness/auth.json",
	}
	if sys.RegistriesDirPath == "" {
		sys.RegistriesDirPath = "/nonexistent/imagetrust-harness/registries.d"
	}
	if sys.SystemRegistriesConfPath == "" {
		sys.SystemRegistriesConfPath = "/dev/null" // an empty file: no registries configured
	}
	if req.TLSVerify != nil && !*req.TLSVerify {
		sys.DockerInsecureSkipTLSVerify = types.OptionalBoolTrue
	}
	return sys
}

type decidingScope struct {
	Transport string `json:"transport"`
	Scope     string `json:"scope"`
	// Match is "identity", "namespace" or "transport-default".
	Match string `json:"match"`
}

type evaluateCaseResult struct {
	referenceInfo
	Allowed bool   `json:"allowed"`
	Error   string `json:"error,omitempty"`
	// ErrorKind is "requirement" for a signature.PolicyRequirementError, else "other".
	ErrorKind string `json:"errorKind,omitempty"`
	// Scope is the policy section used; null means the global default.
	Scope          *decidingScope `json:"scope"`
	ManifestDigest string         `json:"manifestDigest,omitempty"`
	InstanceDigest string         `json:"instanceDigest,omitempty"`
	// SourceError: ref.NewImageSource failed (realSource only); no decision.
	SourceError *string  `json:"sourceError,omitempty"`
	Log         []string `json:"log,omitempty"`
}

type evaluateResult struct {
	PolicyError *string              `json:"policyError,omitempty"`
	Cases       []evaluateCaseResult `json:"cases"`
}

var (
	// Log texts of requirementsForImageRef in signature/policy_eval.go (5.23.1).
	reSectionExact   = regexp.MustCompile(`(?s)^ Using transport "([^"]*)" policy section (.*)$`)
	reSectionNS      = regexp.MustCompile(`(?s)^ Using transport "([^"]*)" specific policy section (.*)$`)
	reSectionDefault = " Using default policy section"
)

// handleEvaluate runs signature.PolicyContext.IsRunningImageAllowed for each
// case on an in-memory image source, as copy.Image does before copying.
func handleEvaluate(raw json.RawMessage) (interface{}, error) {
	var req evaluateRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	res := evaluateResult{Cases: []evaluateCaseResult{}}
	policy, err := signature.NewPolicyFromBytes([]byte(req.Policy))
	if err != nil {
		msg := err.Error()
		res.PolicyError = &msg
		return res, nil
	}
	pc, err := signature.NewPolicyContext(policy)
	if err != nil {
		return nil, err
	}
	defer func() { _ = pc.Destroy() }()

	sys := req.systemContext()
	sysregistriesv2.InvalidateCache()
	for _, c := range req.Cases {
		r, err := evaluateOne(pc, sys, c)
		if err != nil {
			return nil, fmt.Errorf("case %q: %w", c.Reference, err)
		}
		res.Cases = append(res.Cases, r)
	}
	return res, nil
}

func evaluateOne(pc *signature.PolicyContext, sys *types.SystemContext, c evaluateCase) (evaluateCaseResult, error) {
	var ref types.ImageReference
	var info referenceInfo
	if c.MockTransport != "" {
		ref, info = describeMockReference(c.MockTransport, c.Reference)
	} else {
		ref, info = describeReference(c.Reference)
	}
	out := evaluateCaseResult{referenceInfo: info}
	if ref == nil {
		return out, nil
	}
	if c.RealSource {
		return evaluateReal(pc, sys, ref, out), nil
	}
	man := []byte(defaultManifest)
	if c.Manifest != nil {
		b, err := base64.StdEncoding.DecodeString(*c.Manifest)
		if err != nil {
			return out, fmt.Errorf("manifest: %w", err)
		}
		man = b
	}
	mime := c.ManifestMIMEType
	if mime == "" {
		mime = manifest.GuessMIMEType(man)
	}
	sigs := make([][]byte, 0, len(c.Signatures))
	for i, s := range c.Signatures {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return out, fmt.Errorf("signature %d: %w", i, err)
		}
		sigs = append(sigs, b)
	}
	out.ManifestDigest = digest.FromBytes(man).String()
	src := &memorySource{ref: ref, manifest: man, mimeType: mime, signatures: sigs}
	var instanceDigest *digest.Digest
	if c.Instance != nil {
		im, err := base64.StdEncoding.DecodeString(c.Instance.Manifest)
		if err != nil {
			return out, fmt.Errorf("instance manifest: %w", err)
		}
		isigs := make([][]byte, 0, len(c.Instance.Signatures))
		for i, s := range c.Instance.Signatures {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return out, fmt.Errorf("instance signature %d: %w", i, err)
			}
			isigs = append(isigs, b)
		}
		d := digest.FromBytes(im)
		if c.Instance.Digest != "" {
			d = digest.Digest(c.Instance.Digest)
		}
		imime := c.Instance.ManifestMIMEType
		if imime == "" {
			imime = manifest.GuessMIMEType(im)
		}
		src.instanceDigest, src.instanceManifest, src.instanceMIMEType, src.instanceSignatures = d, im, imime, isigs
		instanceDigest = &d
		out.InstanceDigest = d.String()
	}

	capture.reset()
	allowed, err := pc.IsRunningImageAllowed(context.Background(), image.UnparsedInstance(src, instanceDigest))
	logs := capture.take()
	out.Allowed = allowed
	if err != nil {
		out.Error = err.Error()
		var pre signature.PolicyRequirementError
		if errors.As(err, &pre) {
			out.ErrorKind = "requirement"
		} else {
			out.ErrorKind = "other"
		}
	}
	out.Log = logs
	out.Scope = scopeFromLog(logs, info)
	return out, nil
}

// evaluateReal decides about the image the reference's own transport serves.
func evaluateReal(pc *signature.PolicyContext, sys *types.SystemContext, ref types.ImageReference, out evaluateCaseResult) evaluateCaseResult {
	ctx := context.Background()
	capture.reset()
	src, err := ref.NewImageSource(ctx, sys)
	if err != nil {
		msg := err.Error()
		out.SourceError = &msg
		out.Log = capture.take()
		return out
	}
	defer src.Close()
	allowed, err := pc.IsRunningImageAllowed(ctx, image.UnparsedInstance(src, nil))
	logs := capture.take()
	out.Allowed = allowed
	if err != nil {
		out.Error = err.Error()
		var pre signature.PolicyRequirementError
		if errors.As(err, &pre) {
			out.ErrorKind = "requirement"
		} else {
			out.ErrorKind = "other"
		}
	}
	if man, _, err := src.GetManifest(ctx, nil); err == nil {
		out.ManifestDigest = digest.FromBytes(man).String()
	}
	out.Log = logs
	out.Scope = scopeFromLog(logs, out.referenceInfo)
	return out
}

// scopeFromLog recovers the policy section requirementsForImageRef chose.
func scopeFromLog(logs []string, info referenceInfo) *decidingScope {
	for _, m := range logs {
		if m == reSectionDefault {
			return nil
		}
		if g := reSectionNS.FindStringSubmatch(m); g != nil {
			return &decidingScope{Transport: g[1], Scope: g[2], Match: "namespace"}
		}
		if g := reSectionExact.FindStringSubmatch(m); g != nil {
			// The identity match and the "" fallback share one format: the
			// fallback prints `""`, the identity match prints it unquoted.
			if g[2] == `""` && (info.Identity == nil || *info.Identity != `""`) {
				return &decidingScope{Transport: g[1], Scope: "", Match: "transport-default"}
			}
			return &decidingScope{Transport: g[1], Scope: g[2], Match: "identity"}
		}
	}
	return nil
}

// memorySource is a types.ImageSource serving a fixed manifest and signatures,
// and optionally one instance (of a manifest list) under instanceDigest.
type memorySource struct {
	ref        types.ImageReference
	manifest   []byte
	mimeType   string
	signatures [][]byte

	instanceDigest     digest.Digest
	instanceManifest   []byte
	instanceMIMEType   string
	instanceSignatures [][]byte
}

func (s *memorySource) Reference() types.ImageReference { return s.ref }
func (s *memorySource) Close() error                    { return nil }
func (s *memorySource) GetManifest(ctx context.Context, instanceDigest *digest.Digest) ([]byte, string, error) {
	if instanceDigest != nil {
		if s.instanceManifest == nil || *instanceDigest != s.instanceDigest {
			return nil, "", fmt.Errorf("memorySource: no instance %s", instanceDigest.String())
		}
		return s.instanceManifest, s.instanceMIMEType, nil
	}
	return s.manifest, s.mimeType, nil
}
func (s *memorySource) GetBlob(context.Context, types.BlobInfo, types.BlobInfoCache) (io.ReadCloser, int64, error) {
	return nil, 0, errors.New("memorySource: GetBlob is not supported")
}
func (s *memorySource) HasThreadSafeGetBlob() bool { return false }
func (s *memorySource) GetSignatures(ctx context.Context, instanceDigest *digest.Digest) ([][]byte, error) {
	if instanceDigest != nil {
		if s.instanceManifest == nil || *instanceDigest != s.instanceDigest {
			return nil, fmt.Errorf("memorySource: no instance %s", instanceDigest.String())
		}
		return s.instanceSignatures, nil
	}
	return s.signatures, nil
}
func (s *memorySource) LayerInfosForCopy(ctx context.Context, instanceDigest *digest.Digest) ([]types.BlobInfo, error) {
	return nil, nil
}
