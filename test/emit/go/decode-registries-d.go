// decode-registries-d reads registries.d files named on the command line with both YAML readers
// containers/image has used, into the shape of docker/registries_d.go's registryConfiguration:
// ghodss/yaml (yaml.v2 → JSON, json tags; up to 5.24) and yaml.v3 (yaml tags; 5.25+). It prints one JSON
// object per file: {"file", "ghodss": config|null, "ghodssError", "v3": config|null, "v3Error"}.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	ghodss "github.com/ghodss/yaml"
	yamlv3 "gopkg.in/yaml.v3"
)

type namespace struct {
	Lookaside              string `json:"lookaside" yaml:"lookaside"`
	LookasideStaging       string `json:"lookaside-staging" yaml:"lookaside-staging"`
	SigStore               string `json:"sigstore" yaml:"sigstore"`
	SigStoreStaging        string `json:"sigstore-staging" yaml:"sigstore-staging"`
	UseSigstoreAttachments *bool  `json:"use-sigstore-attachments,omitempty" yaml:"use-sigstore-attachments,omitempty"`
}

type configuration struct {
	DefaultDocker *namespace            `json:"default-docker" yaml:"default-docker"`
	Docker        map[string]namespace `json:"docker" yaml:"docker"`
}

func main() {
	var out []map[string]interface{}
	for _, f := range os.Args[1:] {
		data, err := os.ReadFile(f)
		if err != nil {
			panic(err)
		}
		row := map[string]interface{}{"file": f}
		var a configuration
		if err := ghodss.Unmarshal(data, &a); err != nil {
			row["ghodssError"] = err.Error()
		} else {
			row["ghodss"] = a
		}
		var b configuration
		if err := yamlv3.Unmarshal(data, &b); err != nil {
			row["v3Error"] = err.Error()
		} else {
			row["v3"] = b
		}
		out = append(out, row)
	}
	enc, _ := json.Marshal(out)
	fmt.Println(string(enc))
}
