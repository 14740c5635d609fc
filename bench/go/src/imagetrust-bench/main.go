// Command imagetrust-bench: the containers/image side of imagetrust's validate and compile benchmarks.
//
//	imagetrust-bench parse FILE...    parse each policy.json with signature.NewPolicyFromFile
//
// It prints one JSON line with counts and the time measured inside the process. (The simulate benchmark's
// Go side is bench/simulate-go.)
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/containers/image/v5/signature"
)

func main() {
	if len(os.Args) < 3 || os.Args[1] != "parse" {
		fmt.Fprintln(os.Stderr, "usage: imagetrust-bench parse FILE...")
		os.Exit(2)
	}
	start := time.Now()
	ok, bad := 0, 0
	for _, f := range os.Args[2:] {
		if _, err := signature.NewPolicyFromFile(f); err != nil {
			bad++
			fmt.Fprintln(os.Stderr, err)
		} else {
			ok++
		}
	}
	b, _ := json.Marshal(map[string]any{"ok": ok, "rejected": bad, "seconds": time.Since(start).Seconds()})
	fmt.Println(string(b))
	if bad > 0 {
		os.Exit(1)
	}
}
