// json-oracle answers questions about Go's encoding/json, encoding/base64 and fmt for the differential
// tests of src/load/json-*.ts and policy-base64.ts. Input: one JSON object per line,
// {"mode": "json"|"b64"|"float"|"token", "data": "<base64 of the bytes>"}; output: one JSON object per line.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
)

type request struct {
	Mode string `json:"mode"`
	Data []byte `json:"data"`
}

type answer struct {
	OK     bool   `json:"ok"`
	Err    string `json:"err,omitempty"`
	Offset int64  `json:"offset,omitempty"`
	Out    string `json:"out,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<30)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			panic(err)
		}
		var a answer
		switch req.Mode {
		case "json":
			// Syntax only (json.RawMessage does no conversion), then the value with numbers kept literal.
			var raw json.RawMessage
			err := json.Unmarshal(req.Data, &raw)
			if err == nil {
				a.OK = true
				dec := json.NewDecoder(bytes.NewReader(req.Data))
				dec.UseNumber()
				var v interface{}
				if err := dec.Decode(&v); err != nil {
					panic(err)
				}
				var buf bytes.Buffer
				e := json.NewEncoder(&buf)
				e.SetEscapeHTML(false)
				if err := e.Encode(v); err != nil {
					panic(err)
				}
				a.Out = buf.String()
			} else {
				a.Err = err.Error()
				if se, ok := err.(*json.SyntaxError); ok {
					a.Offset = se.Offset
				}
			}
		case "b64":
			dst := make([]byte, base64.StdEncoding.DecodedLen(len(req.Data)))
			n, err := base64.StdEncoding.Decode(dst, req.Data)
			if err == nil {
				a.OK = true
				a.Out = base64.StdEncoding.EncodeToString(dst[:n])
			} else {
				a.Err = err.Error()
			}
		case "token":
			// The first token of a document as containers/image formats it (%#v and "%s").
			dec := json.NewDecoder(bytes.NewReader(req.Data))
			t, err := dec.Token()
			if err != nil {
				a.Err = err.Error()
			} else {
				a.OK = true
				a.Out = fmt.Sprintf("%#v|\"%s\"", t, t)
			}
		}
		if err := enc.Encode(a); err != nil {
			panic(err)
		}
	}
}
