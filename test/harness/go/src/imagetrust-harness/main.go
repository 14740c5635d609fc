// Command imagetrust-harness asks the real containers/image library (Debian 12:
// 5.23.1, built from /usr/share/gocode in GOPATH mode) for its verdicts, so that
// imagetrust's TypeScript implementation can be compared with upstream.
//
// Protocol: stdin holds a stream of JSON requests {"op": "...", ...}; for each
// one, a single line of JSON {"ok": true, "result": ...} or
// {"ok": false, "error": "..."} (a harness-level failure, not a verdict) is
// written to stdout. See test/harness/README.md for the operations.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/sirupsen/logrus"
)

type request struct {
	Op string `json:"op"`
	json.RawMessage
}

type response struct {
	Ok     bool        `json:"ok"`
	Result interface{} `json:"result,omitempty"`
	Error  string      `json:"error,omitempty"`
}

type handler func(raw json.RawMessage) (interface{}, error)

var handlers = map[string]handler{
	"ping":        handlePing,
	"parsePolicy": handleParsePolicy,
	"evaluate":    handleEvaluate,
	"references":  handleReferences,
	"lookaside":   handleLookaside,
	"pullSources": handlePullSources,
	"shortNames":  handleShortNames,
	"bench":       handleBench,
}

func main() {
	// The library logs its decisions (which policy scope was used, which
	// registries.d entry matched) at debug level; capture them, print nothing.
	logrus.SetOutput(io.Discard)
	logrus.SetLevel(logrus.DebugLevel)
	logrus.AddHook(&capture)

	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	dec.UseNumber()
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if err == io.EOF {
				break
			}
			_ = enc.Encode(response{Ok: false, Error: "decoding request: " + err.Error()})
			break
		}
		_ = enc.Encode(dispatch(raw))
		_ = out.Flush()
	}
	_ = out.Flush()
}

func dispatch(raw json.RawMessage) (resp response) {
	defer func() {
		if r := recover(); r != nil {
			resp = response{Ok: false, Error: fmt.Sprintf("panic: %v", r)}
		}
	}()
	var head struct {
		Op string `json:"op"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return response{Ok: false, Error: "decoding request: " + err.Error()}
	}
	h, ok := handlers[head.Op]
	if !ok {
		return response{Ok: false, Error: fmt.Sprintf("unknown op %q", head.Op)}
	}
	res, err := h(raw)
	if err != nil {
		return response{Ok: false, Error: err.Error()}
	}
	return response{Ok: true, Result: res}
}

func handlePing(raw json.RawMessage) (interface{}, error) {
	return map[string]string{"pong": "containers/image 5.23.1 (Debian)"}, nil
}
