// Present only so that Go's "minimal module compatibility" maps the
// github.com/containers/image/v5/... imports onto Debian's GOPATH sources
// (/usr/share/gocode). The harness is built in GOPATH mode (GO111MODULE=off);
// this file is not used for resolution.
module imagetrust-harness

go 1.19
