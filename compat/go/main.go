// Go clients of token-issuer, unchanged third-party code run against make run's server: golang.org/x/oauth2's
// client-credentials and JWT flows, lestrrat-go/jwx v2 verification the way Frontier's middleware does it, an
// assertion built and sent exactly as Frontier's Go SDK and docs do, and go-oidc's verifier built from discovery. Prints "PASS name" or "FAIL name: reason", one
// line per check; scripts/compat.sh counts them.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"
	"github.com/lestrrat-go/jwx/v2/jwt"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	oauthjwt "golang.org/x/oauth2/jwt"
)

type keyFile struct {
	Type        string `json:"type"`
	Kid         string `json:"kid"`
	PrincipalID string `json:"principal_id"`
	PrivateKey  string `json:"private_key"`
}

type env struct {
	base, issuer, clientID, secret, alg string
	key                                 keyFile
	jwks                                jwk.Set
}

func main() {
	e := env{
		base:     os.Getenv("COMPAT_BASE"),
		clientID: os.Getenv("COMPAT_CLIENT_ID"),
		secret:   os.Getenv("COMPAT_CLIENT_SECRET"),
		alg:      os.Getenv("COMPAT_ALG"),
	}
	raw, err := os.ReadFile(os.Getenv("COMPAT_KEY_FILE"))
	if err == nil {
		err = json.Unmarshal(raw, &e.key)
	}
	if err != nil {
		fmt.Printf("FAIL go/setup: key file: %v\n", err)
		os.Exit(0)
	}
	e.issuer, err = discoveredIssuer(e.base)
	if err != nil {
		fmt.Printf("FAIL go/setup: discovery: %v\n", err)
		os.Exit(0)
	}

	tokenURL := e.base + "/v1beta1/auth/token"
	for _, style := range []struct {
		name  string
		style oauth2.AuthStyle
	}{{"InParams", oauth2.AuthStyleInParams}, {"InHeader", oauth2.AuthStyleInHeader}, {"AutoDetect", oauth2.AuthStyleAutoDetect}} {
		check("go/x-oauth2-clientcredentials-"+style.name, func() error {
			config := clientcredentials.Config{ClientID: e.clientID, ClientSecret: e.secret, TokenURL: tokenURL, AuthStyle: style.style}
			token, err := config.Token(context.Background())
			if err != nil {
				return err
			}
			// Newer Frontier's auth_via claim, for a secret.
			return e.verify(token.AccessToken, "client_credentials")
		})
	}

	// Frontier's middleware: jwk.Cache on <host>/ + /.well-known/jwks.json, the doubled slash included.
	check("go/jwx-jwk-cache-frontier-url", func() error {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		cache := jwk.NewCache(ctx)
		jwksURL := e.base + "/" + "/.well-known/jwks.json"
		if err := cache.Register(jwksURL); err != nil {
			return err
		}
		set, err := cache.Refresh(ctx, jwksURL)
		if err != nil {
			return err
		}
		e.jwks = set
		token, err := clientCredentials(tokenURL, e.clientID, e.secret)
		if err != nil {
			return err
		}
		_, err = jwt.Parse([]byte(token), jwt.WithKeySet(set), jwt.WithIssuer(e.issuer), jwt.WithValidate(true))
		return err
	})

	// x/oauth2/jwt puts the token endpoint in aud; it sets no jti, which RFC 7523 single use needs: PrivateClaims.
	check("go/x-oauth2-jwt", func() error {
		config := oauthjwt.Config{
			Email: e.key.PrincipalID, Subject: e.key.PrincipalID, PrivateKey: []byte(e.key.PrivateKey),
			PrivateKeyID: e.key.Kid, TokenURL: tokenURL, PrivateClaims: map[string]any{"jti": uuid()},
		}
		token, err := config.TokenSource(context.Background()).Token()
		if err != nil {
			return err
		}
		return e.verify(token.AccessToken, "")
	})

	// go-oidc as a resource server builds it from the issuer alone: NewProvider reads discovery (the issuer must be the
	// URL), and the verifier accepts only the algorithms id_token_signing_alg_values_supported names, so after a
	// rotation to ES256 the document must name ES256. Access tokens carry no aud unless asked: no client id check.
	check("go/go-oidc-NewProvider-Verifier", func() error {
		ctx := context.Background()
		provider, err := oidc.NewProvider(ctx, e.issuer)
		if err != nil {
			return err
		}
		var metadata struct {
			Algorithms []string `json:"id_token_signing_alg_values_supported"`
		}
		if err := provider.Claims(&metadata); err != nil {
			return err
		}
		if e.alg != "" && (len(metadata.Algorithms) == 0 || metadata.Algorithms[0] != e.alg) {
			return fmt.Errorf("discovery names %v, expected the signing key's %s first", metadata.Algorithms, e.alg)
		}
		token, err := clientCredentials(tokenURL, e.clientID, e.secret)
		if err != nil {
			return err
		}
		verified, err := provider.Verifier(&oidc.Config{SkipClientIDCheck: true}).Verify(ctx, token)
		if err != nil {
			return err
		}
		if verified.Issuer != e.issuer {
			return fmt.Errorf("iss %s, expected %s", verified.Issuer, e.issuer)
		}
		return e.verify(token, "client_credentials")
	})

	// Frontier's Go SDK assertion (12 hours), in the body as the assertion parameter; auth_via says jwt_grant.
	check("go/frontier-sdk-assertion-in-body", func() error {
		assertion, err := frontierAssertion(e.key)
		if err != nil {
			return err
		}
		token, err := postForm(tokenURL, url.Values{"grant_type": {jwtBearer}, "assertion": {assertion}}, "")
		if err != nil {
			return err
		}
		return e.verify(token, "jwt_grant")
	})

	// Frontier's docs send the assertion as Authorization: Bearer, with the grant type in the form body.
	check("go/frontier-sdk-assertion-as-bearer", func() error {
		assertion, err := frontierAssertion(e.key)
		if err != nil {
			return err
		}
		token, err := postForm(tokenURL, url.Values{"grant_type": {jwtBearer}}, "Bearer "+assertion)
		if err != nil {
			return err
		}
		return e.verify(token, "jwt_grant")
	})
}

const jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

func check(name string, run func() error) {
	if err := run(); err != nil {
		fmt.Printf("FAIL %s: %s\n", name, oneLine(err.Error()))
		return
	}
	fmt.Printf("PASS %s\n", name)
}

// verify checks the token against the served JWKS (jwx: key by kid, alg from the key), its iss against discovery,
// the alg the phase expects, and auth_via when wanted.
func (e *env) verify(token, authVia string) error {
	set := e.jwks
	if set == nil {
		var err error
		if set, err = jwk.Fetch(context.Background(), e.base+"/.well-known/jwks.json"); err != nil {
			return err
		}
	}
	parsed, err := jwt.Parse([]byte(token), jwt.WithKeySet(set), jwt.WithIssuer(e.issuer), jwt.WithValidate(true))
	if err != nil {
		return err
	}
	message, err := jws.Parse([]byte(token))
	if err != nil {
		return err
	}
	if got := message.Signatures()[0].ProtectedHeaders().Algorithm().String(); e.alg != "" && got != e.alg {
		return fmt.Errorf("token signed with %s, expected %s", got, e.alg)
	}
	if authVia != "" {
		got, _ := parsed.Get("auth_via")
		if got != authVia {
			return fmt.Errorf("auth_via is %v, expected %s", got, authVia)
		}
	}
	return nil
}

// frontierAssertion is what Frontier's Go SDK signs: header {alg RS256, kid, typ JWT}; iss "//frontier-go-sdk", sub,
// iat, nbf, exp 12 hours on, jti, and a kid claim.
func frontierAssertion(key keyFile) (string, error) {
	private, err := jwk.ParseKey([]byte(key.PrivateKey), jwk.WithPEM(true))
	if err != nil {
		return "", err
	}
	now := time.Now()
	token, err := jwt.NewBuilder().Issuer("//frontier-go-sdk").Subject(key.PrincipalID).IssuedAt(now).
		NotBefore(now).Expiration(now.Add(12*time.Hour)).JwtID(uuid()).Claim("kid", key.Kid).Build()
	if err != nil {
		return "", err
	}
	headers := jws.NewHeaders()
	_ = headers.Set(jws.KeyIDKey, key.Kid)
	_ = headers.Set(jws.TypeKey, "JWT")
	signed, err := jwt.Sign(token, jwt.WithKey(jwa.RS256, private, jws.WithProtectedHeaders(headers)))
	return string(signed), err
}

func discoveredIssuer(base string) (string, error) {
	response, err := http.Get(base + "/.well-known/openid-configuration")
	if err != nil {
		return "", err
	}
	defer response.Body.Close()
	var metadata struct {
		Issuer string `json:"issuer"`
	}
	if err := json.NewDecoder(response.Body).Decode(&metadata); err != nil {
		return "", err
	}
	return metadata.Issuer, nil
}

func clientCredentials(tokenURL, id, secret string) (string, error) {
	config := clientcredentials.Config{ClientID: id, ClientSecret: secret, TokenURL: tokenURL}
	token, err := config.Token(context.Background())
	if err != nil {
		return "", err
	}
	return token.AccessToken, nil
}

func postForm(tokenURL string, form url.Values, authorization string) (string, error) {
	request, err := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if authorization != "" {
		request.Header.Set("Authorization", authorization)
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		return "", err
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(response.Body, 1<<16))
	if response.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d: %s", response.StatusCode, body)
	}
	var parsed struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &parsed); err != nil {
		return "", err
	}
	return parsed.AccessToken, nil
}

func uuid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
