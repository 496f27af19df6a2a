#!/usr/bin/env python3
"""Tokens from a running token-issuer against the example's authorizer rules (authorizer.py): a token for the API's
resource with a route's scope passes, every other token is denied. check.sh starts the server and provisions
SCOPED_USER (scopes orders:read orders:write, audiences the orders API and billing) with a secret and a key, and
gives the demo user's secret (no scopes, no audiences)."""
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import jwt

from authorizer import Authorizer

base = os.environ["ISSUER_URL"]
ORDERS = "https://orders.example.com"
BILLING = "https://billing.example.com"
authorizer = Authorizer(Path(__file__).with_name("template.yaml"), {"IssuerUrl": base})
assert authorizer.audiences == [ORDERS], authorizer.audiences


def token(params):
    body = urllib.parse.urlencode(params, doseq=True).encode()
    request = urllib.request.Request(base + "/v1beta1/auth/token", data=body,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["access_token"]
    except urllib.error.HTTPError as e:
        raise AssertionError(f"token request refused: {e.code} {e.read().decode()}")


def with_secret(client_id, secret, **extra):
    return token({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, **extra})


def with_assertion(key_file, **extra):
    now = int(time.time())
    assertion = jwt.encode({"iss": key_file["principal_id"], "sub": key_file["principal_id"], "iat": now,
                            "exp": now + 300, "jti": str(uuid.uuid4()), "kid": key_file["kid"]},
                           key_file["private_key"], algorithm="RS256", headers={"kid": key_file["kid"]})
    return token({"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion, **extra})


failures = []


def expect(route, tok, allowed, what, bearer=True, auth=authorizer, now=None):
    reason = auth.decide(route, ("Bearer " if bearer else "") + tok, now=now)
    if (reason is None) != allowed:
        failures.append(f"{what} on {route}: expected {'allow' if allowed else 'deny'}, got {reason or 'allow'}")
    else:
        print(f"  {'allow' if allowed else 'deny '} {route:<20} {what}" + (f" ({reason})" if reason else ""))


scoped = (os.environ["SCOPED_CLIENT_ID"], os.environ["SCOPED_CLIENT_SECRET"])
key_file = json.loads(Path(os.environ["SCOPED_KEY_FILE"]).read_text())
demo = (os.environ["DEMO_CLIENT_ID"], os.environ["DEMO_CLIENT_SECRET"])

read_orders = with_secret(*scoped, resource=ORDERS, scope="orders:read")
expect("GET /orders", read_orders, True, "resource=orders scope=orders:read")
expect("GET /orders", read_orders, True, "the token without the Bearer prefix", bearer=False)
expect("GET /orders/report", read_orders, True, "one of the route's scopes is enough")
expect("POST /orders", read_orders, False, "orders:read only, on a route that needs orders:write")

all_scopes = with_assertion(key_file, resource=ORDERS)
expect("POST /orders", all_scopes, True, "jwt-bearer, resource=orders, no scope asked: all allowed scopes")
expect("GET /orders", all_scopes, True, "jwt-bearer, resource=orders, no scope asked: all allowed scopes")

expect("GET /orders", with_secret(*scoped, resource=BILLING, scope="orders:read"), False,
       "a token for another resource (aud billing)")
expect("GET /orders", with_secret(*scoped, scope="orders:read"), False,
       "no resource: no aud, and client_id is no audience")
expect("GET /orders", with_secret(*demo), False, "the demo user's Frontier token (no scope, no aud)")

header, payload, signature = read_orders.split(".")
claims = json.loads(jwt.utils.base64url_decode(payload))
claims["scope"] = "orders:read orders:write"
forged = ".".join([header, jwt.utils.base64url_encode(json.dumps(claims).encode()).decode(), signature])
expect("POST /orders", forged, False, "a scope added to a signed token")
expires = claims["exp"]
expect("GET /orders", read_orders, False, "the same token once expired", now=expires + 1)
expect("GET /orders", read_orders, False, "the same token before its nbf", now=claims["nbf"] - 1)

other = Authorizer(Path(__file__).with_name("template.yaml"),
                   {"IssuerUrl": "https://auth.example.com", "Audience": ORDERS})
other._jwks = authorizer.jwks()
expect("GET /orders", read_orders, False, "an authorizer trusting another issuer", auth=other)

if failures:
    print("protected-api: " + "\n  ".join(["the authorizer's rules did not hold:"] + failures), file=sys.stderr)
    sys.exit(1)
print("protected-api: tokens for the API's resource with a route's scope pass the authorizer's rules; others fail")
