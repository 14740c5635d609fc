package main

import (
	"encoding/json"
	"fmt"
	"strings"
	_ "unsafe" // for go:linkname

	"github.com/containers/image/v5/docker"
	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/types"
)

// Mirrors of docker/registries_d.go's unexported types (5.23.1), identical in
// layout, so that the library's own unexported useSigstoreAttachments can be
// called: 5.23.1 exports no API for "use-sigstore-attachments".
type registryNamespace struct {
	Lookaside              string
	LookasideStaging       string
	SigStore               string
	SigStoreStaging        string
	UseSigstoreAttachments *bool
}

type registryConfiguration struct {
	DefaultDocker *registryNamespace
	Docker        map[string]registryNamespace
}

// dockerReferenceMirror mirrors docker.dockerReference (one reference.Named).
type dockerReferenceMirror struct {
	ref reference.Named
}

//go:linkname loadRegistryConfiguration github.com/containers/image/docker.loadRegistryConfiguration
func loadRegistryConfiguration(sys *types.SystemContext) (*registryConfiguration, error)

//go:linkname useSigstoreAttachments github.com/containers/image/docker.(*registryConfiguration).useSigstoreAttachments
func useSigstoreAttachments(config *registryConfiguration, ref dockerReferenceMirror) bool

type lookasideRequest struct {
	RegistriesDDir string   `json:"registriesDDir"`
	References     []string `json:"references"`
}

type lookasideResult struct {
	Reference string `json:"reference"`
	// ParseError: docker.ParseReference refused the reference.
	ParseError *string `json:"parseError,omitempty"`
	// Read / Write: docker.SignatureStorageBaseURL(sys, ref, false/true).String().
	Read       *string `json:"read,omitempty"`
	ReadError  *string `json:"readError,omitempty"`
	Write      *string `json:"write,omitempty"`
	WriteError *string `json:"writeError,omitempty"`
	// UseSigstoreAttachments: the library's (unexported) useSigstoreAttachments.
	UseSigstoreAttachments      *bool    `json:"useSigstoreAttachments,omitempty"`
	UseSigstoreAttachmentsError *string  `json:"useSigstoreAttachmentsError,omitempty"`
	Log                         []string `json:"log,omitempty"`
}

func strp(s string) *string { return &s }

// protect runs f, turning a panic into an error (5.23.1 panics on a
// scheme-less lookaside value).
func protect(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// handleLookaside reports registries.d lookaside configuration per docker
// reference (docker.SignatureStorageBaseURL), as the docker transport uses it.
func handleLookaside(raw json.RawMessage) (interface{}, error) {
	var req lookasideRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	if req.RegistriesDDir == "" {
		return nil, fmt.Errorf("registriesDDir is required (else the machine's own registries.d is read)")
	}
	sys := &types.SystemContext{RegistriesDirPath: req.RegistriesDDir}
	out := make([]lookasideResult, 0, len(req.References))
	for _, s := range req.References {
		r := lookasideResult{Reference: s}
		ref, err := docker.ParseReference("//" + strings.TrimPrefix(strings.TrimPrefix(s, "docker:"), "//"))
		if err != nil {
			r.ParseError = strp(err.Error())
			out = append(out, r)
			continue
		}
		capture.reset()
		for _, write := range []bool{false, true} {
			var u string
			err := protect(func() error {
				url, err := docker.SignatureStorageBaseURL(sys, ref, write)
				if err == nil {
					u = url.String()
				}
				return err
			})
			switch {
			case err != nil && write:
				r.WriteError = strp(err.Error())
			case err != nil:
				r.ReadError = strp(err.Error())
			case write:
				r.Write = strp(u)
			default:
				r.Read = strp(u)
			}
		}
		err = protect(func() error {
			config, err := loadRegistryConfiguration(sys)
			if err != nil {
				return err
			}
			use := useSigstoreAttachments(config, dockerReferenceMirror{ref: ref.DockerReference()})
			r.UseSigstoreAttachments = &use
			return nil
		})
		if err != nil {
			r.UseSigstoreAttachmentsError = strp(err.Error())
		}
		r.Log = capture.take()
		out = append(out, r)
	}
	return out, nil
}
