// decode-strings reads a JSON array of strings (as imagetrust's emitter escaped them) with Go's
// encoding/json, the decoder containers/image uses, and prints the hex of each decoded string's bytes.
package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	var in []string
	if err := json.Unmarshal(data, &in); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = hex.EncodeToString([]byte(s))
	}
	enc, _ := json.Marshal(out)
	os.Stdout.Write(enc)
}
