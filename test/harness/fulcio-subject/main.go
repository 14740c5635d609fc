// Command fulcio-subject decides the identity part of a Fulcio certificate check as containers/image's
// signature/fulcio_cert.go (*fulcioTrustRoot).verifyFulcioCertificateAtTime does (upstream v5.24+, not in Debian's
// 5.23.1): the OIDC issuer from the v1 (1.3.6.1.4.1.57264.1.1, raw) or v2 (…1.8, DER UTF8String) extension must
// equal oidcIssuer, then subjectEmail must be one of the certificate's e-mail SANs as Go's crypto/x509 parses them.
// The chain, time and Rekor checks are not part of this program. Written for the imagetrust tests (stdlib only).
//
// Input: one JSON object per line {"cert": PEM, "oidcIssuer": "…", "subjectEmail": "…"}.
// Output: one JSON object per line {"ok": bool, "error": "…", "emails": […], "uris": […]}.
package main

import (
	"bufio"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
)

type request struct {
	Cert         string `json:"cert"`
	OIDCIssuer   string `json:"oidcIssuer"`
	SubjectEmail string `json:"subjectEmail"`
}

type response struct {
	OK     bool     `json:"ok"`
	Error  string   `json:"error,omitempty"`
	Emails []string `json:"emails"`
	URIs   []string `json:"uris"`
}

var oidIssuerV1 = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 1}
var oidIssuerV2 = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 8}

func decide(r request) response {
	block, _ := pem.Decode([]byte(r.Cert))
	if block == nil {
		return response{Error: "no PEM certificate"}
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return response{Error: err.Error()}
	}
	out := response{Emails: cert.EmailAddresses, URIs: []string{}}
	if out.Emails == nil {
		out.Emails = []string{}
	}
	for _, u := range cert.URIs {
		out.URIs = append(out.URIs, u.String())
	}
	var v1, v2 string
	var got1, got2 bool
	for _, ext := range cert.Extensions {
		if ext.Id.Equal(oidIssuerV1) {
			v1, got1 = string(ext.Value), true
		} else if ext.Id.Equal(oidIssuerV2) {
			if _, err := asn1.Unmarshal(ext.Value, &v2); err != nil {
				out.Error = fmt.Sprintf("invalid ASN.1 in OIDC issuer v2 extension: %v", err)
				return out
			}
			got2 = true
		}
	}
	issuer := ""
	switch {
	case got1 && got2 && v1 != v2:
		out.Error = fmt.Sprintf("inconsistent OIDC issuer extension values: v1 %#v, v2 %#v", v1, v2)
		return out
	case got1:
		issuer = v1
	case got2:
		issuer = v2
	default:
		out.Error = "Fulcio certificate is missing the issuer extension"
		return out
	}
	if issuer != r.OIDCIssuer {
		out.Error = fmt.Sprintf("Unexpected Fulcio OIDC issuer %q", issuer)
		return out
	}
	for _, e := range cert.EmailAddresses {
		if e == r.SubjectEmail {
			out.OK = true
			return out
		}
	}
	out.Error = fmt.Sprintf("Required email %q not found (got %q)", r.SubjectEmail, cert.EmailAddresses)
	return out
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	enc := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var r request
		if err := json.Unmarshal(in.Bytes(), &r); err != nil {
			_ = enc.Encode(response{Error: err.Error()})
			continue
		}
		_ = enc.Encode(decide(r))
	}
}
