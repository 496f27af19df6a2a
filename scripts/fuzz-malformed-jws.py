#!/usr/bin/env python3
"""Sends each malformed JWS that openapi.yaml lists as a DPoP example (issue 17: a header or payload that is not a
JSON object, deep nesting, members of odd types) to a running API in every place a JWS is read: the DPoP header, a
jwt-bearer assertion in the body and in an Authorization: Bearer header, and a private_key_jwt client assertion.
Each must be refused as a malformed credential of that place, never with a 5xx.

    fuzz-malformed-jws.py OPENAPI_YAML BASE_URL CLIENT_ID CLIENT_SECRET
"""
import base64
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

TOKEN_PATH = "/v1beta1/auth/token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def examples(openapi):
    """The DPoP parameter's named examples: one line each, `name: {summary: "...", value: "..."}`."""
    found = re.findall(r'^\s+(\w+): \{summary: "([^"]*)", value: "([A-Za-z0-9_.-]+)"\}$', openapi, re.MULTILINE)
    if len(found) < 10:
        sys.exit("fuzz-malformed-jws: fewer than 10 malformed JWS examples found in openapi.yaml")
    return found


def post(base, form, headers):
    request = urllib.request.Request(base + TOKEN_PATH, data=urllib.parse.urlencode(form).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body)
        except ValueError:
            return error.code, {"unparsed": body[:200].decode(errors="replace")}


def main():
    openapi_path, base, client_id, client_secret = sys.argv[1:5]
    basic = "Basic " + base64.b64encode(
        f"{urllib.parse.quote(client_id)}:{urllib.parse.quote(client_secret)}".encode()).decode()
    failures = []
    cases = examples(open(openapi_path, encoding="utf-8").read())
    for name, summary, jws in cases:
        places = [
            ("DPoP header", {"grant_type": "client_credentials"}, {"Authorization": basic, "DPoP": jws},
             400, "invalid_dpop_proof"),
            ("assertion", {"grant_type": JWT_BEARER, "assertion": jws}, {}, 401, "invalid_grant"),
            ("Bearer assertion", {"grant_type": JWT_BEARER}, {"Authorization": "Bearer " + jws},
             401, "invalid_grant"),
            ("client_assertion", {"grant_type": "client_credentials", "client_assertion_type": CLIENT_ASSERTION_TYPE,
                                  "client_assertion": jws}, {}, 401, "invalid_client"),
        ]
        for place, form, headers, status, error in places:
            got_status, body = post(base, form, headers)
            if got_status != status or body.get("error") != error:
                failures.append(f"{summary} as {place}: {got_status} {body.get('error')} "
                                f"(expected {status} {error})")
    for failure in failures:
        print("fuzz-malformed-jws: " + failure, file=sys.stderr)
    if failures:
        sys.exit(1)
    print(f"fuzz-malformed-jws: {len(cases)} malformed JWSs refused in each of 4 places as malformed credentials")


if __name__ == "__main__":
    main()
