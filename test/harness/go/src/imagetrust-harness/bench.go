package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/containers/image/v5/image"
	"github.com/containers/image/v5/signature"
	"github.com/containers/image/v5/transports/alltransports"
	"github.com/sirupsen/logrus"
)

type benchRequest struct {
	Policy     string   `json:"policy"`
	References []string `json:"references"`
	// Iterations over all references (default 1).
	Iterations int `json:"iterations,omitempty"`
}

type benchResult struct {
	Decisions       int     `json:"decisions"`
	Allowed         int     `json:"allowed"`
	ParseErrors     int     `json:"parseErrors"`
	PolicySeconds   float64 `json:"policySeconds"`
	Seconds         float64 `json:"seconds"`
	DecisionsPerSec float64 `json:"decisionsPerSecond"`
}

// handleBench times ParseImageName + IsRunningImageAllowed (unsigned, default
// manifest) over the references, with debug logging off, for throughput
// comparisons; policy parsing and PolicyContext creation are timed apart.
func handleBench(raw json.RawMessage) (interface{}, error) {
	var req benchRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	if req.Iterations <= 0 {
		req.Iterations = 1
	}
	level := logrus.GetLevel()
	logrus.SetLevel(logrus.InfoLevel)
	defer logrus.SetLevel(level)

	t0 := time.Now()
	policy, err := signature.NewPolicyFromBytes([]byte(req.Policy))
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	pc, err := signature.NewPolicyContext(policy)
	if err != nil {
		return nil, err
	}
	defer func() { _ = pc.Destroy() }()
	res := benchResult{PolicySeconds: time.Since(t0).Seconds()}

	man := []byte(defaultManifest)
	ctx := context.Background()
	start := time.Now()
	for i := 0; i < req.Iterations; i++ {
		for _, s := range req.References {
			ref, err := alltransports.ParseImageName(s)
			if err != nil {
				res.ParseErrors++
				continue
			}
			src := &memorySource{ref: ref, manifest: man, mimeType: "application/vnd.docker.distribution.manifest.v2+json"}
			allowed, _ := pc.IsRunningImageAllowed(ctx, image.UnparsedInstance(src, nil))
			res.Decisions++
			if allowed {
				res.Allowed++
			}
		}
	}
	res.Seconds = time.Since(start).Seconds()
	if res.Seconds > 0 {
		res.DecisionsPerSec = float64(res.Decisions) / res.Seconds
	}
	return res, nil
}
