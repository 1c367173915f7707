// verify-license checks a License Desk license file (license-desk/v1) with Go's standard
// library alone, and prints what it grants. The format is described in docs/license-file.md.
//
//	go run verify-license.go license-V8WJNEE89Q6A.lic public-keys.json
//
// public-keys.json is the answer of GET /api/public-keys, saved. Exit status: 0 genuine,
// 1 not genuine, 2 the files could not be read.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
)

type licenseFile struct {
	Format string `json:"format"`
	Kid    string `json:"kid"`
	Alg    string `json:"alg"`
	Data   string `json:"data"`
	Sig    string `json:"sig"`
}

type publicKey struct {
	Kid          string `json:"kid"`
	PublicKeyPem string `json:"publicKeyPem"`
	Status       string `json:"status"`
}

func main() {
	if len(os.Args) != 3 {
		stop(2, "usage: go run verify-license.go <license.lic> <public-keys.json>")
	}
	var file licenseFile
	if json.Unmarshal(read(os.Args[1]), &file) != nil {
		stop(1, "INVALID: %s is not a JSON license file", os.Args[1])
	}
	var keys []publicKey
	if err := json.Unmarshal(read(os.Args[2]), &keys); err != nil {
		stop(2, "%s is not the JSON list of GET /api/public-keys: %v", os.Args[2], err)
	}

	if file.Format != "license-desk/v1" || file.Alg != "Ed25519" {
		stop(1, "INVALID: not a license-desk/v1 file signed with Ed25519 (format %q, alg %q)", file.Format, file.Alg)
	}
	// The key id only picks the key; a retired key still verifies the files it signed.
	var key ed25519.PublicKey
	for _, k := range keys {
		if k.Kid == file.Kid {
			key = parseKey(k)
		}
	}
	if key == nil {
		stop(1, "INVALID: key %s is not among the published public keys", file.Kid)
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(file.Sig)
	if err != nil || len(sig) != ed25519.SignatureSize {
		stop(1, "INVALID: sig is not a padded base64 Ed25519 signature of 64 bytes")
	}
	// The signed message is the data string itself (its ASCII bytes), not the JSON it encodes.
	if !ed25519.Verify(key, []byte(file.Data), sig) {
		stop(1, "INVALID: the signature does not match the data for key %s; the file was changed after signing", file.Kid)
	}
	grants, err := base64.RawURLEncoding.Strict().DecodeString(file.Data)
	if err != nil {
		stop(1, "INVALID: data is not base64url without padding")
	}
	var shown bytes.Buffer
	if json.Indent(&shown, grants, "", "  ") != nil {
		stop(1, "INVALID: data does not decode to JSON")
	}
	fmt.Printf("VALID: signed by key %s\n%s\n", file.Kid, shown.String())
}

func parseKey(k publicKey) ed25519.PublicKey {
	block, _ := pem.Decode([]byte(k.PublicKeyPem))
	if block == nil {
		stop(2, "key %s: publicKeyPem is not PEM", k.Kid)
	}
	parsed, err := x509.ParsePKIXPublicKey(block.Bytes)
	key, isEd25519 := parsed.(ed25519.PublicKey)
	if err != nil || !isEd25519 {
		stop(2, "key %s: publicKeyPem is not an Ed25519 public key", k.Kid)
	}
	return key
}

func read(path string) []byte {
	text, err := os.ReadFile(path)
	if err != nil {
		stop(2, "cannot read %s: %v", path, err)
	}
	return text
}

func stop(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(code)
}
