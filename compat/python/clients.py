"""authlib's OAuth 2 clients, unchanged, against make run's server: client_secret_basic, client_secret_post,
AssertionSession with its defaults (aud = the token endpoint) and private_key_jwt (PrivateKeyJWT). Each token is verified with authlib's own JOSE
(authlib.jose) against the served JWKS. Prints "PASS name" or "FAIL name: reason" per check."""
import base64
import json
import os
import time
import uuid

import requests
from authlib.integrations.requests_client import AssertionSession, OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken
from authlib.oauth2.rfc7523 import PrivateKeyJWT

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


def key_file():
    with open(os.environ["COMPAT_KEY_FILE"]) as f:
        return json.load(f)


def assertion_session():
    key = key_file()
    # Defaults: aud = the token endpoint, exp = iat + 1 h. authlib sets no jti, which single use needs: a claim.
    with AssertionSession(TOKEN_ENDPOINT, issuer=key["principal_id"], subject=key["principal_id"],
                          claims={"jti": str(uuid.uuid4())}, key=key["private_key"], alg="RS256",
                          header={"kid": key["kid"]}) as session:
        token = session.refresh_token()
    verify(token["access_token"])


def private_key_jwt(claims):
    key = key_file()
    # authlib adds a fresh jti per assertion unless the claims name one; it writes that jti into the dict it was given,
    # so a PrivateKeyJWT given claims is good for one token request.
    auth = PrivateKeyJWT(TOKEN_ENDPOINT, claims=claims, headers={"kid": key["kid"]})
    with OAuth2Session(key["principal_id"], key["private_key"], token_endpoint_auth_method=auth) as session:
        return session.fetch_token(TOKEN_ENDPOINT, grant_type="client_credentials")


def private_key_jwt_short_exp():
    # authlib's default exp is iat + 1 h; the server takes at most 5 minutes for a client assertion.
    token = private_key_jwt({"exp": int(time.time()) + 300})
    verify(token["access_token"])


def private_key_jwt_default_exp_refused():
    try:
        private_key_jwt(None)
    except Exception as e:  # noqa: BLE001 - authlib raises its OAuthError with the server's error code
        if getattr(e, "error", None) == "invalid_client":
            return
        raise
    raise AssertionError("an assertion living 1 h was accepted")


check("python/authlib-client_secret_basic", secret("client_secret_basic"))
check("python/authlib-client_secret_post", secret("client_secret_post"))
check("python/authlib-AssertionSession", assertion_session)
check("python/authlib-PrivateKeyJWT-client_credentials", private_key_jwt_short_exp)
check("python/authlib-PrivateKeyJWT-default-exp-refused", private_key_jwt_default_exp_refused)
