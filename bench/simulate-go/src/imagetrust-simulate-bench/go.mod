// Present only so that Go's "minimal module compatibility" maps the github.com/containers/image/v5/...
// imports onto Debian's GOPATH sources (/usr/share/gocode). Built in GOPATH mode (GO111MODULE=off).
module imagetrust-simulate-bench

go 1.19
