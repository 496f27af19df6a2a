#!/usr/bin/env python3
"""Drives the local server (what `make run` starts) with a bounded number of concurrent clients for a bounded time:
client_credentials with the secret in Basic auth and in the body, and jwt-bearer with a fresh assertion each time,
in turn. Then verifies every token it got against the served JWKS with PyJWT, and prints tokens/s, p50/p99 latency
and the errors. Exits 1 on any error or any token that does not verify.

Stdlib threads, one keep-alive connection per client; PyJWT (scripts/install-tools.sh installs it) signs the
assertions and verifies the tokens. The server and the key file are given as arguments, the client credential in
LOAD_CLIENT_ID and LOAD_CLIENT_SECRET (not on the command line, where any local user could read it); scripts/load.sh
sets them up.
"""
import argparse
import base64
import http.client
import json
import os
import threading
import time
import urllib.parse
import uuid

import jwt

TOKEN_PATH = "/v1beta1/auth/token"
JWKS_PATH = "/.well-known/jwks.json"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
KINDS = ("client_secret_basic", "client_secret_post", "jwt_bearer")
TIMEOUT_SECONDS = 10


class Client(threading.Thread):
    """One client: requests in turn of each kind until the deadline, one at a time."""

    def __init__(self, index, args, key_file, deadline):
        super().__init__(daemon=True)
        self.index, self.args, self.key_file, self.deadline = index, args, key_file, deadline
        self.results = []  # (kind, seconds, token or None, error or None)
        self.connection = None

    def request(self, kind):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        form = {"grant_type": "client_credentials"}
        if kind == "client_secret_basic":
            pair = f"{self.args.client_id}:{self.args.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        elif kind == "client_secret_post":
            form.update(client_id=self.args.client_id, client_secret=self.args.client_secret)
        else:
            now = int(time.time())
            key = self.key_file
            assertion = jwt.encode({"iss": key["principal_id"], "sub": key["principal_id"], "iat": now,
                                    "exp": now + 300, "jti": str(uuid.uuid4()), "kid": key["kid"]},
                                   key["private_key"], algorithm="RS256", headers={"kid": key["kid"]})
            form = {"grant_type": JWT_BEARER, "assertion": assertion}
        return urllib.parse.urlencode(form), headers

    def run(self):
        turn = self.index
        while time.monotonic() < self.deadline:
            kind = KINDS[turn % len(KINDS)]
            turn += 1
            body, headers = self.request(kind)  # assertions are signed before the clock starts
            started = time.monotonic()
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.args.host, self.args.port,
                                                                 timeout=TIMEOUT_SECONDS)
                self.connection.request("POST", TOKEN_PATH, body=body, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                elapsed = time.monotonic() - started
                if response.status == 200:
                    self.results.append((kind, elapsed, json.loads(payload)["access_token"], None))
                else:
                    self.results.append((kind, elapsed, None, f"HTTP {response.status}"))
            except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
                self.results.append((kind, time.monotonic() - started, None, type(e).__name__))
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
        if self.connection is not None:
            self.connection.close()


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def fetch_jwks(args):
    connection = http.client.HTTPConnection(args.host, args.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("GET", JWKS_PATH)
        return {key["kid"]: key for key in json.loads(connection.getresponse().read())["keys"]}
    finally:
        connection.close()


def unverified(tokens, args, service_user):
    """How many tokens do not verify against the served JWKS, as a resource server checks them."""
    keys = fetch_jwks(args)
    failures = 0
    for kind, token in tokens:
        try:
            kid = jwt.get_unverified_header(token)["kid"]
            key = keys[kid]
            claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=[key["alg"]],
                                options={"require": ["exp", "iat", "sub", "jti"], "verify_aud": False})
            if claims["sub"] != service_user:
                raise ValueError("sub")
        except (jwt.PyJWTError, KeyError, ValueError) as e:
            failures += 1
            if failures <= 5:
                print(f"load: a {kind} token does not verify: {type(e).__name__}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key-file", required=True, help="tokenctl key create's output, for the same service user")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    args.client_id, args.client_secret = os.environ["LOAD_CLIENT_ID"], os.environ["LOAD_CLIENT_SECRET"]
    if not (1 <= args.clients <= 256 and 0 < args.seconds <= 3600):
        parser.error("--clients 1..256 and --seconds up to 3600")
    with open(args.key_file, encoding="utf-8") as file:
        key_file = json.load(file)

    started = time.monotonic()
    clients = [Client(i, args, key_file, started + args.seconds) for i in range(args.clients)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(args.seconds + 2 * TIMEOUT_SECONDS)
    elapsed = time.monotonic() - started
    stuck = sum(client.is_alive() for client in clients)
    results = [result for client in clients for result in list(client.results)]

    tokens = [(kind, token) for kind, _, token, _ in results if token]
    errors = {}
    for kind, _, _, error in results:
        if error:
            errors[f"{kind}: {error}"] = errors.get(f"{kind}: {error}", 0) + 1
    failures = unverified(tokens, args, key_file["principal_id"])

    print(f"load: {args.clients} clients for {args.seconds:g} s against http://{args.host}:{args.port}")
    print(f"{'':22}{'requests':>9}{'tokens/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for kind in KINDS + ("all",):
        rows = [r for r in results if kind in ("all", r[0])]
        latencies = sorted(seconds * 1000 for _, seconds, token, _ in rows if token)
        print(f"{kind:22}{len(rows):>9}{len(latencies) / elapsed:>10.1f}{percentile(latencies, 0.5):>9.1f}"
              f"{percentile(latencies, 0.99):>9.1f}{sum(1 for r in rows if r[3]):>8}")
    for error, count in sorted(errors.items()):
        print(f"load: error {error} x{count}")
    print(f"load: {len(tokens)} tokens, {len(tokens) - failures} verify against the JWKS, "
          f"{sum(errors.values())} errors" + (f", {stuck} clients still running" if stuck else ""))
    return 0 if tokens and not errors and not failures and not stuck else 1


if __name__ == "__main__":
    raise SystemExit(main())
