#!/usr/bin/env python3
"""What API Gateway's HTTP API JWT authorizer decides for a token, from the example's template.

Applies the rules AWS documents for HTTP API JWT authorizers ("Control access to HTTP APIs with JWT authorizers",
API Gateway developer guide), in their order, to a token presented on a route of template.yaml:

  1. the identity source (the Authorization header) holds the token alone or prefixed with "Bearer ";
  2. the token decodes;
  3. its kid names a key of the JWKS at the jwks_uri of {issuer}/.well-known/openid-configuration, its alg is RSA-based
     (the only kind HTTP API authorizers accept) and the signature verifies;
  4. iss is the configured issuer; aud, or client_id when there is no aud, is one of the configured audiences;
     exp is after now, nbf and iat before now; scope (space-delimited) or scp holds at least one of the route's
     AuthorizationScopes, when the route has any.

The issuer and audience come from the template's parameters (their defaults, or --param NAME=VALUE), the routes
from its HttpApi events. The issuer must be https, as API Gateway requires, except on loopback for local runs.
Used as a library by check.py, and from the command line:

  authorizer.py --param IssuerUrl=http://127.0.0.1:7400 "GET /orders" "Bearer eyJ..."   (exit 0 allow, 1 deny)
"""
import argparse
import json
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import jwt
# SAM's translator (cfn-lint's dependency, so in the python `make test` installs them into) reads the template:
# CloudFormation's short tags as their long forms, and parameter references resolved as SAM resolves them.
from samtranslator.intrinsics.resolver import IntrinsicsResolver
from samtranslator.yaml_helper import yaml_parse

RSA_ALGORITHMS = ["RS256", "RS384", "RS512"]


class Authorizer:
    """The template's one JWT authorizer and its routes, with parameters resolved."""

    def __init__(self, template_path, params=None):
        template = yaml_parse(Path(template_path).read_text())
        values = {name: spec.get("Default") for name, spec in template.get("Parameters", {}).items()}
        values.update(params or {})
        resolve = IntrinsicsResolver(values).resolve_parameter_refs
        apis = {name: r for name, r in template["Resources"].items() if r["Type"] == "AWS::Serverless::HttpApi"}
        (api_name, api), = apis.items()
        (self.name, config), = api["Properties"]["Auth"]["Authorizers"].items()
        jwt_config = config["JwtConfiguration"]
        self.issuer = resolve(jwt_config["issuer"])
        self.audiences = [resolve(a) for a in jwt_config["audience"]]
        self.routes = {}
        for resource in template["Resources"].values():
            for event in resource.get("Properties", {}).get("Events", {}).values():
                props = event["Properties"]
                if event["Type"] == "HttpApi" and props.get("ApiId") in ({"Ref": api_name}, None):
                    auth = props.get("Auth", {})
                    self.routes[f"{props['Method'].upper()} {props['Path']}"] = auth.get("AuthorizationScopes", [])
        host = urllib.parse.urlsplit(self.issuer)
        if host.scheme != "https" and host.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError(f"the issuer must be an https URL: {self.issuer}")
        self._jwks = None

    def jwks(self):
        # API Gateway caches the keys (up to two hours); one fetch per run is the same.
        if self._jwks is None:
            discovery = _get_json(self.issuer.rstrip("/") + "/.well-known/openid-configuration")
            self._jwks = _get_json(discovery["jwks_uri"])
        return self._jwks

    def decide(self, route, authorization, now=None):
        """None when the request is allowed, else why it is denied (401 or 403 from API Gateway)."""
        now = time.time() if now is None else now
        if route not in self.routes:
            return f"no route {route}"
        token = authorization[len("Bearer "):] if authorization.startswith("Bearer ") else authorization
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            return "the token does not decode"
        key = next((k for k in self.jwks()["keys"] if k.get("kid") == header.get("kid")), None)
        if key is None:
            return "no key in the JWKS has the token's kid"
        if header.get("alg") not in RSA_ALGORITHMS:
            return f"alg {header.get('alg')} is not RSA-based"
        try:
            claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=[header["alg"]],
                                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                                         "verify_aud": False, "verify_iss": False})
        except jwt.PyJWTError:
            return "the signature does not verify"
        if claims.get("iss") != self.issuer:
            return "iss is not the configured issuer"
        if "aud" in claims:
            aud = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
            if not set(aud) & set(self.audiences):
                return "aud names none of the configured audiences"
        elif claims.get("client_id") not in self.audiences:
            return "no aud, and client_id is none of the configured audiences"
        if not claims.get("exp", 0) > now:
            return "expired"
        if "nbf" in claims and not claims["nbf"] <= now:
            return "not yet valid (nbf)"
        if "iat" in claims and not claims["iat"] <= now:
            return "issued in the future (iat)"
        required = self.routes[route]
        if required:
            granted = set(claims.get("scope", "").split()) if isinstance(claims.get("scope"), str) else set()
            scp = claims.get("scp", [])
            granted |= set(scp.split() if isinstance(scp, str) else scp)
            if not granted & set(required):
                return f"the token has none of the route's scopes {required}"
        return None


def _get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--template", default=str(Path(__file__).with_name("template.yaml")))
    parser.add_argument("--param", action="append", default=[], help="NAME=VALUE, a template parameter")
    parser.add_argument("route", help='e.g. "GET /orders"')
    parser.add_argument("authorization", help="the Authorization header's value")
    args = parser.parse_args()
    authorizer = Authorizer(args.template, dict(p.split("=", 1) for p in args.param))
    reason = authorizer.decide(args.route, args.authorization)
    print("allow" if reason is None else f"deny: {reason}")
    return 0 if reason is None else 1


if __name__ == "__main__":
    sys.exit(main())
