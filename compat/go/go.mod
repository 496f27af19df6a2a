module tokenissuer.dev/compat

go 1.26.0

require (
	github.com/coreos/go-oidc/v3 v3.21.0
	github.com/lestrrat-go/jwx/v2 v2.1.7
	golang.org/x/crypto v0.53.0
	golang.org/x/oauth2 v0.38.0
)

require (
	github.com/decred/dcrd/dcrec/secp256k1/v4 v4.4.1 // indirect
	github.com/go-jose/go-jose/v4 v4.1.4 // indirect
	github.com/goccy/go-json v0.10.6 // indirect
	github.com/lestrrat-go/blackmagic v1.0.4 // indirect
	github.com/lestrrat-go/httpcc v1.0.1 // indirect
	github.com/lestrrat-go/httprc v1.0.6 // indirect
	github.com/lestrrat-go/iter v1.0.2 // indirect
	github.com/lestrrat-go/option v1.0.1 // indirect
	github.com/segmentio/asm v1.2.1 // indirect
	golang.org/x/sys v0.46.0 // indirect
)
