"""Token exchange with an AWS identity (RFC 8693, docs/federation.md), the subject token made by botocore's own
SigV4Auth, unchanged, as Google's STS client libraries make theirs: the emulator's role (COMPAT_AWS_ROLE_ARN) is
assumed with boto3, its session's credentials sign STS GetCallerIdentity with the x-token-issuer-audience header,
and the token endpoint exchanges it. The token is verified with PyJWT against the served JWKS. Runs with the Python
that has moto (boto3, botocore, PyJWT pinned by scripts/install-tools.sh), not authlib's venv.
Prints "PASS name" or "FAIL name: reason" per check.

  aws_exchange.py            the checks
  aws_exchange.py --session  prints the role session's credentials as shell assignments (for tokenctl's check)
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

import boto3
import jwt
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

BASE = os.environ["COMPAT_BASE"]
STS = os.environ["COMPAT_AWS_ENDPOINT"]
REGION = os.environ.get("AWS_REGION", "us-east-1")
ALG = os.environ.get("COMPAT_ALG", "")


def metadata():
    with urllib.request.urlopen(BASE + "/.well-known/openid-configuration", timeout=10) as response:
        return json.load(response)


def session():
    sts = boto3.client("sts", endpoint_url=STS, region_name=REGION)
    return sts.assume_role(RoleArn=os.environ["COMPAT_AWS_ROLE_ARN"], RoleSessionName="compat-botocore")["Credentials"]


def subject_token(credentials, audience, extra_headers=None):
    """The URL-encoded JSON of a signed GetCallerIdentity, as google-auth's AwsCredentials builds it."""
    request = AWSRequest(method="POST", url=STS + "/?Action=GetCallerIdentity&Version=2011-06-15",
                         headers={"x-token-issuer-audience": audience, **(extra_headers or {})})
    frozen = boto3.Session(aws_access_key_id=credentials["AccessKeyId"],
                           aws_secret_access_key=credentials["SecretAccessKey"],
                           aws_session_token=credentials["SessionToken"]).get_credentials().get_frozen_credentials()
    SigV4Auth(frozen, "sts", REGION).add_auth(request)
    return urllib.parse.quote(json.dumps({
        "url": request.url, "method": request.method,
        "headers": [{"key": key, "value": value} for key, value in request.headers.items()]}))


def exchange(token_endpoint, subject):
    form = urllib.parse.urlencode({"grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
                                   "subject_token_type": "urn:ietf:params:aws:token-type:aws4_request",
                                   "subject_token": subject}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(token_endpoint, data=form), timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def check(name, run):
    try:
        run()
        print(f"PASS {name}", flush=True)
    except Exception as e:  # noqa: BLE001 - any failure is the check's result
        print(f"FAIL {name}: {' '.join(f'{type(e).__name__}: {e}'.split())[:300]}", flush=True)


def main():
    meta = metadata()
    credentials = session()
    if "--session" in sys.argv:
        print(f"AWS_ACCESS_KEY_ID={credentials['AccessKeyId']} AWS_SECRET_ACCESS_KEY={credentials['SecretAccessKey']}"
              f" AWS_SESSION_TOKEN={credentials['SessionToken']}")
        return
    endpoint = meta["token_endpoint"]

    def botocore_signer():
        assert "urn:ietf:params:oauth:grant-type:token-exchange" in meta["grant_types_supported"]
        status, body = exchange(endpoint, subject_token(credentials, endpoint))
        assert status == 200, (status, body)
        assert body["issued_token_type"] == "urn:ietf:params:oauth:token-type:access_token", body
        key = jwt.PyJWKClient(meta["jwks_uri"]).get_signing_key_from_jwt(body["access_token"])
        claims = jwt.decode(body["access_token"], key.key, algorithms=[ALG or "RS256", "ES256"],
                            issuer=meta["issuer"], options={"verify_aud": False})
        assert claims["auth_via"] == "token_exchange_aws", claims
        assert claims["client_id"].endswith(":assumed-role/" + os.environ["COMPAT_AWS_ROLE_ARN"].rsplit("/", 1)[1]
                                            + "/compat-botocore"), claims
        if ALG:
            assert jwt.get_unverified_header(body["access_token"])["alg"] == ALG

    def replay_refused():
        # A request signed in the same second with the same headers has the same signature as the first check's:
        # a header of its own makes it another request.
        subject = subject_token(credentials, endpoint, {"x-request-id": os.urandom(8).hex()})
        assert exchange(endpoint, subject)[0] == 200
        status, body = exchange(endpoint, subject)
        assert (status, body["error"]) == (400, "invalid_request"), (status, body)

    def other_audience_refused():
        status, body = exchange(endpoint, subject_token(credentials, "https://vault.example.com"))
        assert (status, body["error"]) == (400, "invalid_request"), (status, body)

    check("token exchange: botocore SigV4Auth subject token", botocore_signer)
    check("token exchange: the same signed request twice is refused", replay_refused)
    check("token exchange: a request signed for another audience is refused", other_audience_refused)


if __name__ == "__main__":
    main()
