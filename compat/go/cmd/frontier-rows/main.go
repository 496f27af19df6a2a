// Command frontier-rows makes a Frontier database's service users and credentials the way Frontier makes them
// (raystack/frontier, core/serviceuser): secrets are 32 random bytes in standard base64 without padding, stored as
// golang.org/x/crypto/bcrypt at cost 14 ("$2a$14$..."); keys are RSA-2048, the public half stored as a JWK Set whose
// kid is the credential's id, the private half handed out once as Frontier's key file.
//
// It writes, into the directory given: rows.sql (INSERTs for serviceusers and serviceuser_credentials), and one
// secret-<client id>.txt or key-<kid>.json per credential (what the service user's owner holds). With -hashes N it
// only prints N secret/hash pairs as JSON lines, for test fixtures; -reuse FILE takes the pairs from such a file
// instead of spending a second of CPU on each (the benchmark's rows).
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

type pair struct {
	Secret string `json:"secret"`
	Hash   string `json:"hash"`
}

func main() {
	hashes := flag.Int("hashes", 0, "print this many secret/hash pairs as JSON lines and exit")
	out := flag.String("out", "", "directory for rows.sql and the credential files")
	users := flag.Int("users", 3, "service users")
	org := flag.String("org", "", "their org id (random when empty)")
	typed := flag.Bool("typed", true, "fill the type column (Frontier v0.9.1+); false for the older schema")
	reuse := flag.String("reuse", "", "take secret/hash pairs from this file (JSON lines) instead of hashing")
	files := flag.Bool("files", true, "write each credential's secret or key file")
	keyPool := flag.Int("keys", 0, "reuse this many RSA keys (each row still gets its own kid); 0: a new key per row")
	flag.Parse()
	if *hashes > 0 {
		enc := json.NewEncoder(os.Stdout)
		for i := 0; i < *hashes; i++ {
			must(enc.Encode(newPair()))
		}
		return
	}
	if *out == "" {
		fail("-out is required")
	}
	var pairs []pair
	if *reuse != "" {
		pairs = readPairs(*reuse)
	}
	orgID := *org
	if orgID == "" {
		orgID = uuid()
	}
	sql, err := os.Create(filepath.Join(*out, "rows.sql"))
	must(err)
	w := bufio.NewWriter(sql)
	var pool []*rsa.PrivateKey
	fmt.Fprintln(w, "BEGIN;")
	for i := 0; i < *users; i++ {
		user := uuid()
		fmt.Fprintf(w, "INSERT INTO serviceusers (id, org_id, title, metadata, state, created_at, updated_at) "+
			"VALUES ('%s', '%s', 'service user %d', '{}', 'enabled', now(), now());\n", user, orgID, i)
		// One secret and one key each, as Frontier's CreateServiceUserCredential and CreateServiceUserJWK do.
		secretID := uuid()
		var p pair
		if len(pairs) > 0 {
			p = pairs[i%len(pairs)]
		} else {
			p = newPair()
		}
		typ := "NULL"
		if *typed {
			typ = "'client_credential'"
		}
		columns := "id, serviceuser_id, title, secret_hash, metadata, created_at, updated_at"
		values := fmt.Sprintf("'%s', '%s', 'secret %d', '%s', '{}', now(), now()", secretID, user, i, p.Hash)
		if *typed {
			columns += ", type"
			values += ", " + typ
		}
		fmt.Fprintf(w, "INSERT INTO serviceuser_credentials (%s) VALUES (%s);\n", columns, values)
		kid := uuid()
		var key *rsa.PrivateKey
		if *keyPool > 0 && len(pool) >= *keyPool {
			key = pool[i%len(pool)]
		} else {
			key, err = rsa.GenerateKey(rand.Reader, 2048)
			must(err)
			pool = append(pool, key)
		}
		set, err := json.Marshal(map[string]any{"keys": []map[string]string{{
			"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid,
			"n": b64url(key.PublicKey.N), "e": b64url(big.NewInt(int64(key.PublicKey.E))),
		}}})
		must(err)
		columns = "id, serviceuser_id, title, public_key, metadata, created_at, updated_at"
		values = fmt.Sprintf("'%s', '%s', 'key %d', '%s', '{}', now(), now()", kid, user, i, set)
		if *typed {
			columns += ", type"
			values += ", 'jwt_bearer'"
		}
		fmt.Fprintf(w, "INSERT INTO serviceuser_credentials (%s) VALUES (%s);\n", columns, values)
		if *files {
			must(os.WriteFile(filepath.Join(*out, "secret-"+secretID+".txt"), []byte(p.Secret), 0o600))
			der, err := x509.MarshalPKCS8PrivateKey(key)
			must(err)
			file, err := json.Marshal(map[string]string{"type": "sv_rsa", "kid": kid, "principal_id": user,
				"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))})
			must(err)
			must(os.WriteFile(filepath.Join(*out, "key-"+kid+".json"), file, 0o600))
		}
	}
	fmt.Fprintln(w, "COMMIT;")
	must(w.Flush())
	must(sql.Close())
}

// newPair is Frontier's secret: 32 random bytes, standard base64 without padding, hashed at cost 14.
func newPair() pair {
	raw := make([]byte, 32)
	_, err := rand.Read(raw)
	must(err)
	secret := base64.RawStdEncoding.EncodeToString(raw)
	hash, err := bcrypt.GenerateFromPassword([]byte(secret), 14)
	must(err)
	return pair{Secret: secret, Hash: string(hash)}
}

func readPairs(path string) []pair {
	data, err := os.ReadFile(path)
	must(err)
	var pairs []pair
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var p pair
		must(json.Unmarshal([]byte(line), &p))
		pairs = append(pairs, p)
	}
	return pairs
}

func b64url(n *big.Int) string { return base64.RawURLEncoding.EncodeToString(n.Bytes()) }

func uuid() string {
	b := make([]byte, 16)
	_, err := rand.Read(b)
	must(err)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func must(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "frontier-rows:", message)
	os.Exit(1)
}
