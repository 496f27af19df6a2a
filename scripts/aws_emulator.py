#!/usr/bin/env python3
"""Serves moto's AWS API emulator on loopback, one request at a time.

`moto_server` handles requests on many threads without locking its in-memory backends, so two concurrent
DynamoDB transactions or conditional writes can interleave (a failed transaction even restores a stale copy of the
table). Real DynamoDB serializes them, and the tests rely on that (a disable racing a new secret, replay records).
This launcher runs the same moto application behind one lock: connections are still accepted concurrently, but
each AWS call runs alone, as it does against the real service.

KMS Sign and Verify are answered as real KMS answers them (see FaithfulKmsSigning): a RAW message over 4096 bytes is
refused, and MessageType DIGEST signs the digest without hashing it again.

STS GetCallerIdentity checks the request's SigV4 signature as real STS does (see FaithfulCallerIdentity): moto answers
it from the access key id alone, and with a made-up user for a key it never issued.

usage: aws_emulator.py [--host 127.0.0.1] [--port 4566]
"""
import argparse
import base64
import binascii
import datetime
import hashlib
import hmac
import io
import json
import os
import re
import threading
import urllib.parse
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
from werkzeug.serving import run_simple
from moto.iam.models import iam_backends
from moto.kms.models import kms_backends
from moto.sts.models import sts_backends
from moto.moto_server.threaded_moto_server import DomainDispatcherApplication, create_backend_app

RAW_MESSAGE_LIMIT = 4096
MESSAGE_TYPES = ("RAW", "DIGEST", "EXTERNAL_MU")
HASHES = {"SHA_256": hashes.SHA256, "SHA_384": hashes.SHA384, "SHA_512": hashes.SHA512}


def _json_error(start_response, error_type, message):
    body = json.dumps({"__type": error_type, "message": message}).encode()
    start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.1"),
                                       ("Content-Length", str(len(body)))])
    return [body]


def _json_ok(start_response, document):
    body = json.dumps(document).encode()
    start_response("200 OK", [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(body)))])
    return [body]


def _call(app, environ, body):
    """Runs the wrapped app on a request with the given body; returns (status, headers, body bytes)."""
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    inner = dict(environ)
    inner["wsgi.input"] = io.BytesIO(body)
    inner["CONTENT_LENGTH"] = str(len(body))
    result = app(inner, start_response)
    try:
        data = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close:
            close()
    return captured["status"], captured["headers"], data


def _sign_digest(private_key, algorithm, digest):
    hash_algorithm = HASHES[algorithm[-7:]]()
    prehashed = utils.Prehashed(hash_algorithm)
    if algorithm.startswith("ECDSA_"):
        return private_key.sign(digest, ec.ECDSA(prehashed))
    return private_key.sign(digest, _rsa_padding(algorithm, hash_algorithm), prehashed)


def _verify_digest(public_key, algorithm, digest, signature):
    hash_algorithm = HASHES[algorithm[-7:]]()
    prehashed = utils.Prehashed(hash_algorithm)
    try:
        if algorithm.startswith("ECDSA_"):
            public_key.verify(signature, digest, ec.ECDSA(prehashed))
        else:
            public_key.verify(signature, digest, _rsa_padding(algorithm, hash_algorithm), prehashed)
        return True
    except (InvalidSignature, ValueError):
        return False


def _rsa_padding(algorithm, hash_algorithm):
    if algorithm.startswith("RSASSA_PSS_"):
        # KMS's RSASSA-PSS uses MGF1 with the same hash and a salt as long as the digest (moto uses the maximum).
        return padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=hash_algorithm.digest_size)
    return padding.PKCS1v15()


class FaithfulKmsSigning:
    """WSGI middleware: KMS Sign and Verify as the real service does them, where moto does not.

    Real KMS refuses a RAW message over 4096 bytes, and with MessageType DIGEST signs the given digest (which must be
    exactly the signing algorithm's hash length) without hashing it again. moto does neither, so code that would fail
    on real KMS (a long token signed RAW) or sign the wrong bytes (DIGEST hashed twice) passes against it. moto still
    resolves the key and checks its state, usage and algorithm: a probe call with a one-byte message answers every
    such error exactly as moto does, and names the key whose private half then signs the digest here.
    """

    TARGETS = ("TrentService.Sign", "TrentService.Verify")

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target not in self.TARGETS:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        try:
            params = json.loads(body)
            message = base64.b64decode(params["Message"], validate=True)
            algorithm = params["SigningAlgorithm"]
            hash_name = algorithm[-7:]
            if hash_name not in HASHES or not message:
                raise ValueError(algorithm)
        except (ValueError, KeyError, TypeError, binascii.Error):
            # Malformed or unknown: moto's own validation answers.
            status, headers, data = _call(self.app, environ, body)
            start_response(status, headers)
            return [data]
        message_type = params.get("MessageType") or "RAW"
        if message_type not in MESSAGE_TYPES:
            return _json_error(start_response, "ValidationException",
                               f"1 validation error detected: Value '{message_type}' at 'messageType' failed to "
                               f"satisfy constraint: Member must satisfy enum value set: [{', '.join(MESSAGE_TYPES)}]")
        if message_type == "EXTERNAL_MU":
            return _json_error(start_response, "ValidationException",
                               "EXTERNAL_MU is only valid for ML-DSA keys, which this emulator does not have")
        if message_type == "RAW" and len(message) > RAW_MESSAGE_LIMIT:
            return _json_error(start_response, "ValidationException",
                               "1 validation error detected: Value at 'message' failed to satisfy constraint: "
                               f"Member must have length less than or equal to {RAW_MESSAGE_LIMIT}")
        hash_algorithm = HASHES[hash_name]()
        if message_type == "DIGEST" and len(message) != hash_algorithm.digest_size:
            return _json_error(start_response, "ValidationException",
                               f"Digest is invalid length for algorithm {algorithm}.")
        if message_type == "DIGEST":
            digest = message
        else:
            hasher = hashes.Hash(hash_algorithm)
            hasher.update(message)
            digest = hasher.finalize()

        probe = dict(params, Message=base64.b64encode(b"x").decode(), MessageType="RAW")
        if target.endswith(".Verify"):
            probe["Signature"] = base64.b64encode(b"x").decode()
        status, headers, data = _call(self.app, environ, json.dumps(probe).encode())
        if not status.startswith("200"):
            start_response(status, headers)
            return [data]
        key_arn = json.loads(data)["KeyId"]
        private_key = self._private_key(key_arn)

        if target.endswith(".Sign"):
            signature = _sign_digest(private_key, algorithm, digest)
            return _json_ok(start_response, {"KeyId": key_arn, "Signature": base64.b64encode(signature).decode(),
                                             "SigningAlgorithm": algorithm})
        try:
            signature = base64.b64decode(params.get("Signature", ""), validate=True)
        except (ValueError, binascii.Error):
            signature = b""
        if not _verify_digest(private_key.public_key(), algorithm, digest, signature):
            # Real KMS fails the call rather than answering SignatureValid false.
            return _json_error(start_response, "KMSInvalidSignatureException", "")
        return _json_ok(start_response, {"KeyId": key_arn, "SignatureValid": True, "SigningAlgorithm": algorithm})

    @staticmethod
    def _private_key(key_arn):
        # arn:aws:kms:REGION:ACCOUNT:key/KEY_ID, as moto's probe answered it
        _, _, _, region, account, resource = key_arn.split(":", 5)
        key = kms_backends[account][region].keys[resource.split("/", 1)[1]]
        return key.private_key.private_key


def _sts_error(start_response, code, message):
    body = (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
            f'<Code>{code}</Code><Message>{message}</Message></Error><RequestId>{uuid.uuid4()}</RequestId>'
            f'</ErrorResponse>').encode()
    start_response("403 Forbidden", [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
    return [body]


def _uri_encode(text):
    return urllib.parse.quote(text, safe="-_.~")


class FaithfulCallerIdentity:
    """WSGI middleware: STS GetCallerIdentity verifies the request's SigV4 signature, as real STS does.

    moto answers GetCallerIdentity from the access key id in the Authorization header, whatever the signature, and
    with arn:aws:sts::ACCOUNT:user/moto for a key it never issued. Here the signature is computed again (SigV4: the
    canonical request of method, path, query, the signed headers and the payload's SHA-256; the key derived from the
    secret that moto issued with the key id, to an IAM user or to a role session) and compared; x-amz-date must be
    within 15 minutes of now, and a session's x-amz-security-token must be the one issued with it. A mismatch answers
    403 as STS does (SignatureDoesNotMatch, InvalidClientTokenId); a match goes on to moto, which answers the ARN.
    Query-string (presigned) authentication is not handled here and goes to moto unchecked.
    """

    AUTHORIZATION = re.compile(r"AWS4-HMAC-SHA256 Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/sts/aws4_request,\s*"
                               r"SignedHeaders=([a-z0-9;\-]+),\s*Signature=([0-9a-f]{64})$")
    WINDOW = datetime.timedelta(minutes=15)

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        if "/sts/aws4_request" not in authorization:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        query = environ.get("QUERY_STRING", "")
        action = dict(urllib.parse.parse_qsl(query)).get("Action") or dict(
            urllib.parse.parse_qsl(body.decode("utf-8", "replace"))).get("Action")
        if action != "GetCallerIdentity":
            status, headers, data = _call(self.app, environ, body)
            start_response(status, headers)
            return [data]
        refusal = self._refusal(environ, authorization, query, body)
        if refusal:
            return _sts_error(start_response, *refusal)
        status, headers, data = _call(self.app, environ, body)
        start_response(status, headers)
        return [data]

    def _refusal(self, environ, authorization, query, body):
        match = self.AUTHORIZATION.match(authorization)
        if not match:
            return ("IncompleteSignature", "The request signature does not conform to AWS standards.")
        key_id, date, region, signed_headers, signature = match.groups()
        secret, session_token = self._secret(key_id)
        if secret is None:
            return ("InvalidClientTokenId", "The security token included in the request is invalid.")
        if session_token is not None and environ.get("HTTP_X_AMZ_SECURITY_TOKEN") != session_token:
            return ("InvalidClientTokenId", "The security token included in the request is invalid.")
        amz_date = environ.get("HTTP_X_AMZ_DATE", "")
        try:
            signed_at = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            return ("IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or "
                                           "a 'Date' header.")
        now = datetime.datetime.now(datetime.timezone.utc)
        if abs(now - signed_at) > self.WINDOW:
            return ("SignatureDoesNotMatch", f"Signature expired: {amz_date} is now earlier than "
                                             f"{(now - self.WINDOW).strftime('%Y%m%dT%H%M%SZ')}")
        names = signed_headers.split(";")
        if "host" not in names or not amz_date.startswith(date):
            return ("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you "
                                             "provided.")
        canonical_headers = ""
        for name in names:
            value = environ.get("HTTP_HOST") if name == "host" else environ.get(
                "CONTENT_TYPE" if name == "content-type" else "CONTENT_LENGTH" if name == "content-length"
                else "HTTP_" + name.upper().replace("-", "_"))
            if value is None:
                return ("SignatureDoesNotMatch", "The request signature we calculated does not match the signature "
                                                 "you provided.")
            canonical_headers += name + ":" + " ".join(value.strip().split()) + "\n"
        pairs = sorted((_uri_encode(k), _uri_encode(v))
                       for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True))
        canonical_query = "&".join(f"{k}={v}" for k, v in pairs)
        path = _uri_encode(urllib.parse.unquote(environ.get("PATH_INFO") or "/")).replace("%2F", "/") or "/"
        payload_hash = environ.get("HTTP_X_AMZ_CONTENT_SHA256") or hashlib.sha256(body).hexdigest()
        canonical_request = "\n".join([environ["REQUEST_METHOD"], path, canonical_query, canonical_headers,
                                       signed_headers, payload_hash])
        scope = f"{date}/{region}/sts/aws4_request"
        string_to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                                    hashlib.sha256(canonical_request.encode()).hexdigest()])
        key = ("AWS4" + secret).encode()
        for part in (date, region, "sts", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            return ("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you "
                                             "provided.")
        return None

    @staticmethod
    def _secret(key_id):
        """The secret moto issued with key_id, and the session token for a role session's key (None for a user's)."""
        for account in list(sts_backends.keys()):
            for partition in list(sts_backends[account].keys()):
                role = sts_backends[account][partition].get_assumed_role_from_access_key(key_id)
                if role:
                    return role.secret_access_key, role.session_token
        for account in list(iam_backends.keys()):
            for partition in list(iam_backends[account].keys()):
                backend = iam_backends[account][partition]
                user = backend.get_user_from_access_key_id(key_id)
                if user:
                    for access_key in backend.list_access_keys(user.name):
                        if access_key.access_key_id == key_id and access_key.status == "Active":
                            return access_key.secret_access_key, None
        return None, None


class Serialized:
    """WSGI middleware: one call into the wrapped app at a time, body included."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            body = self.app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                close = getattr(body, "close", None)
                if close:
                    close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, Serialized(FaithfulCallerIdentity(FaithfulKmsSigning(app))), threaded=True)


if __name__ == "__main__":
    main()
