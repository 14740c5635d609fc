package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/pkg/shortnames"
	"github.com/containers/image/v5/pkg/sysregistriesv2"
	"github.com/containers/image/v5/types"
)

// registriesRequest names the registries.conf files to use; nothing of the
// machine's own configuration is read.
type registriesRequest struct {
	RegistriesConf    string `json:"registriesConf"`
	RegistriesConfDir string `json:"registriesConfDir,omitempty"`
	// AliasCache is the short-name alias cache file (default: a path that does
	// not exist next to registriesConf).
	AliasCache string `json:"aliasCache,omitempty"`
	// ShortNameMode overrides registries.conf: "disabled", "permissive", "enforcing".
	ShortNameMode string   `json:"shortNameMode,omitempty"`
	Refs          []string `json:"refs"`
}

func (req *registriesRequest) systemContext() (*types.SystemContext, error) {
	if req.RegistriesConf == "" {
		return nil, fmt.Errorf("registriesConf is required")
	}
	sys := &types.SystemContext{
		SystemRegistriesConfPath:    req.RegistriesConf,
		SystemRegistriesConfDirPath: req.RegistriesConfDir,
		UserShortNameAliasConfPath:  req.AliasCache,
	}
	if sys.SystemRegistriesConfDirPath == "" {
		// Never the machine's /etc/containers/registries.conf.d.
		sys.SystemRegistriesConfDirPath = filepath.Join(filepath.Dir(req.RegistriesConf), "imagetrust-no-such-registries.conf.d")
	}
	if sys.UserShortNameAliasConfPath == "" {
		sys.UserShortNameAliasConfPath = filepath.Join(filepath.Dir(req.RegistriesConf), "imagetrust-no-such-shortnames.conf")
	}
	if req.ShortNameMode != "" {
		var m types.ShortNameMode
		switch req.ShortNameMode {
		case "disabled":
			m = types.ShortNameModeDisabled
		case "permissive":
			m = types.ShortNameModePermissive
		case "enforcing":
			m = types.ShortNameModeEnforcing
		default:
			return nil, fmt.Errorf("unknown shortNameMode %q", req.ShortNameMode)
		}
		sys.ShortNameMode = &m
	}
	// Files may have changed between requests under the same paths.
	sysregistriesv2.InvalidateCache()
	return sys, nil
}

type endpointInfo struct {
	Location       string `json:"location"`
	Insecure       bool   `json:"insecure"`
	PullFromMirror string `json:"pullFromMirror,omitempty"`
}

type registryInfo struct {
	Prefix             string         `json:"prefix"`
	Location           string         `json:"location"`
	Insecure           bool           `json:"insecure"`
	Blocked            bool           `json:"blocked"`
	MirrorByDigestOnly bool           `json:"mirrorByDigestOnly"`
	Mirrors            []endpointInfo `json:"mirrors"`
}

type pullSourceInfo struct {
	Reference string `json:"reference"`
	Location  string `json:"location"`
	Insecure  bool   `json:"insecure"`
	// Mirror: this source is one of the registry's mirrors.
	Mirror bool `json:"mirror"`
	// Blocked: FindRegistry(Reference.Name()) is a blocked registry; the docker
	// transport checks this per attempt (newDockerClient) and refuses it.
	Blocked      bool    `json:"blocked"`
	BlockedError *string `json:"blockedError,omitempty"`
}

type pullSourcesResult struct {
	Ref        string  `json:"ref"`
	ParseError *string `json:"parseError,omitempty"`
	// Error: FindRegistry or PullSourcesFromReference failed.
	Error *string `json:"error,omitempty"`
	// Registry: what FindRegistry(ref.Name()) returned; null when none matched.
	Registry *registryInfo `json:"registry"`
	// Sources: PullSourcesFromReference, or the reference itself when no
	// registry matched (as the docker transport does).
	Sources []pullSourceInfo `json:"sources"`
}

func toRegistryInfo(r *sysregistriesv2.Registry) *registryInfo {
	info := &registryInfo{
		Prefix: r.Prefix, Location: r.Location, Insecure: r.Insecure, Blocked: r.Blocked,
		MirrorByDigestOnly: r.MirrorByDigestOnly, Mirrors: []endpointInfo{},
	}
	for _, m := range r.Mirrors {
		info.Mirrors = append(info.Mirrors, endpointInfo{Location: m.Location, Insecure: m.Insecure, PullFromMirror: m.PullFromMirror})
	}
	return info
}

// handlePullSources follows docker_image_src.go newImageSource: FindRegistry on
// the requested name, PullSourcesFromReference, then per attempt the blocked
// check newDockerClient does on the rewritten name.
func handlePullSources(raw json.RawMessage) (interface{}, error) {
	var req registriesRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	sys, err := req.systemContext()
	if err != nil {
		return nil, err
	}
	out := make([]pullSourcesResult, 0, len(req.Refs))
	for _, s := range req.Refs {
		r := pullSourcesResult{Ref: s, Sources: []pullSourceInfo{}}
		named, err := reference.ParseNormalizedNamed(s)
		if err != nil {
			r.ParseError = strp(err.Error())
			out = append(out, r)
			continue
		}
		// The docker transport always has a tag or digest.
		named = reference.TagNameOnly(named)
		registry, err := sysregistriesv2.FindRegistry(sys, named.Name())
		if err != nil {
			r.Error = strp(err.Error())
			out = append(out, r)
			continue
		}
		var sources []sysregistriesv2.PullSource
		if registry == nil {
			sources = []sysregistriesv2.PullSource{{Endpoint: sysregistriesv2.Endpoint{Location: reference.Domain(named)}, Reference: named}}
		} else {
			r.Registry = toRegistryInfo(registry)
			sources, err = registry.PullSourcesFromReference(named)
			if err != nil {
				r.Error = strp(err.Error())
				out = append(out, r)
				continue
			}
		}
		mirrors := 0
		if registry != nil {
			mirrors = len(sources) - 1
		}
		for i, src := range sources {
			p := pullSourceInfo{
				Reference: src.Reference.String(), Location: src.Endpoint.Location,
				Insecure: src.Endpoint.Insecure, Mirror: i < mirrors,
			}
			reg, err := sysregistriesv2.FindRegistry(sys, src.Reference.Name())
			if err != nil {
				p.BlockedError = strp(err.Error())
			} else if reg != nil && reg.Blocked {
				p.Blocked = true
			}
			r.Sources = append(r.Sources, p)
		}
		out = append(out, r)
	}
	return out, nil
}

type shortNameResult struct {
	Name string `json:"name"`
	// Candidates: shortnames.Resolve's PullCandidates (values).
	Candidates  []string `json:"candidates"`
	Description string   `json:"description"`
	Error       *string  `json:"error,omitempty"`
	// Local: shortnames.ResolveLocally.
	Local      []string `json:"local"`
	LocalError *string  `json:"localError,omitempty"`
	IsShort    bool     `json:"isShortName"`
}

// handleShortNames runs shortnames.Resolve (with no terminal: stdin is a pipe)
// and shortnames.ResolveLocally for each name.
func handleShortNames(raw json.RawMessage) (interface{}, error) {
	var req registriesRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	sys, err := req.systemContext()
	if err != nil {
		return nil, err
	}
	out := make([]shortNameResult, 0, len(req.Refs))
	for _, name := range req.Refs {
		r := shortNameResult{Name: name, Candidates: []string{}, Local: []string{}, IsShort: shortnames.IsShortName(name)}
		resolved, err := shortnames.Resolve(sys, name)
		if err != nil {
			r.Error = strp(err.Error())
		} else {
			for _, c := range resolved.PullCandidates {
				r.Candidates = append(r.Candidates, c.Value.String())
			}
			r.Description = resolved.Description()
		}
		local, err := shortnames.ResolveLocally(sys, name)
		if err != nil {
			r.LocalError = strp(err.Error())
		} else {
			for _, l := range local {
				r.Local = append(r.Local, l.String())
			}
		}
		out = append(out, r)
	}
	return out, nil
}
