package main

import (
	"context"
	"errors"

	"github.com/containers/image/v5/docker/policyconfiguration"
	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/types"
)

// mockTransport is a types.ImageTransport that only has a name, for policy
// lookups on transports this build does not register (e.g. "atomic", which
// Debian disabled), as upstream's pcImageReferenceMock does in
// signature/policy_eval_test.go.
type mockTransport struct{ name string }

func (t mockTransport) Name() string { return t.name }
func (t mockTransport) ParseReference(reference string) (types.ImageReference, error) {
	return nil, errors.New("mockTransport: ParseReference not supported")
}
func (t mockTransport) ValidatePolicyConfigurationScope(scope string) error { return nil }

// mockReference is a types.ImageReference with a docker reference and docker
// identity/namespaces (policyconfiguration.DockerReference*), under any
// transport name.
type mockReference struct {
	transport mockTransport
	ref       reference.Named
}

// newMockReference parses a docker reference for transport name t.
func newMockReference(t, s string) (types.ImageReference, error) {
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		return nil, err
	}
	// As the docker transport does, a name without tag or digest gets ":latest".
	return mockReference{transport: mockTransport{name: t}, ref: reference.TagNameOnly(named)}, nil
}

func (r mockReference) Transport() types.ImageTransport { return r.transport }
func (r mockReference) StringWithinTransport() string   { return r.ref.String() }
func (r mockReference) DockerReference() reference.Named {
	return r.ref
}
func (r mockReference) PolicyConfigurationIdentity() string {
	res, err := policyconfiguration.DockerReferenceIdentity(r.ref)
	if res == "" || err != nil {
		panic("mockReference: DockerReferenceIdentity failed: " + errString(err))
	}
	return res
}
func (r mockReference) PolicyConfigurationNamespaces() []string {
	return policyconfiguration.DockerReferenceNamespaces(r.ref)
}
func (r mockReference) NewImage(ctx context.Context, sys *types.SystemContext) (types.ImageCloser, error) {
	return nil, errors.New("mockReference: NewImage not supported")
}
func (r mockReference) NewImageSource(ctx context.Context, sys *types.SystemContext) (types.ImageSource, error) {
	return nil, errors.New("mockReference: NewImageSource not supported")
}
func (r mockReference) NewImageDestination(ctx context.Context, sys *types.SystemContext) (types.ImageDestination, error) {
	return nil, errors.New("mockReference: NewImageDestination not supported")
}
func (r mockReference) DeleteImage(ctx context.Context, sys *types.SystemContext) error {
	return errors.New("mockReference: DeleteImage not supported")
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
