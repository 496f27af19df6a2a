"""authlib's OAuth 2 clients, unchanged, against make run's server: client_secret_basic, client_secret_post and
AssertionSession with its defaults (aud = the token endpoint). Each token is verified with authlib's own JOSE
(authlib.jose) against the served JWKS. Prints "PASS name" or "FAIL name: reason" per check."""
import base64
import json
import os
import uuid

import requests
from authlib.integrations.requests_client import AssertionSession, OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken

BASE = os.environ["COMPAT_BASE"]
ALG = os.environ.get("COMPAT_ALG", "")
METADATA = requests.get(BASE + "/.well-known/openid-configuration", timeout=10).json()
TOKEN_ENDPOINT = METADATA["token_endpoint"]


def verify(access_token):
    jwks = requests.get(METADATA["jwks_uri"], timeout=10).json()
    keys = JsonWebKey.import_key_set(jwks)
    # authlib.jose verifies only the algorithms it is given: those the JWKS names.
    algorithms = sorted({key["alg"] for key in jwks["keys"]})
    claims = JsonWebToken(algorithms).decode(
        access_token, keys, claims_options={"iss": {"essential": True, "value": METADATA["issuer"]}})
    claims.validate()
    header = json.loads(_header(access_token))
    if ALG and header["alg"] != ALG:
        raise AssertionError(f"token signed with {header['alg']}, expected {ALG}")


def _header(token):
    part = token.split(".")[0]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()


def check(name, run):
    try:
        run()
        print(f"PASS {name}", flush=True)
    except Exception as e:  # noqa: BLE001 - any failure is the check's result
        text = " ".join(f"{type(e).__name__}: {e}".split())[:300]
        print(f"FAIL {name}: {text}", flush=True)


def secret(method):
    def run():
        with OAuth2Session(os.environ["COMPAT_CLIENT_ID"], os.environ["COMPAT_CLIENT_SECRET"],
                           token_endpoint_auth_method=method) as session:
            token = session.fetch_token(TOKEN_ENDPOINT, grant_type="client_credentials")
        verify(token["access_token"])
    return run


def assertion_session():
    with open(os.environ["COMPAT_KEY_FILE"]) as f:
        key = json.load(f)
    # Defaults: aud = the token endpoint, exp = iat + 1 h. authlib sets no jti, which single use needs: a claim.
    with AssertionSession(TOKEN_ENDPOINT, issuer=key["principal_id"], subject=key["principal_id"],
                          claims={"jti": str(uuid.uuid4())}, key=key["private_key"], alg="RS256",
                          header={"kid": key["kid"]}) as session:
        token = session.refresh_token()
    verify(token["access_token"])


check("python/authlib-client_secret_basic", secret("client_secret_basic"))
check("python/authlib-client_secret_post", secret("client_secret_post"))
check("python/authlib-AssertionSession", assertion_session)
