#!/usr/bin/env python3
"""Serves moto's AWS API emulator on loopback, one request at a time.

`moto_server` handles requests on many threads without locking its in-memory backends, so two concurrent
DynamoDB transactions or conditional writes can interleave (a failed transaction even restores a stale copy of the
table). Real DynamoDB serializes them, and the tests rely on that (a disable racing a new secret, replay records).
This launcher runs the same moto application behind one lock: connections are still accepted concurrently, but
each AWS call runs alone, as it does against the real service.

KMS Sign and Verify are answered as real KMS answers them (see FaithfulKmsSigning): a RAW message over 4096 bytes is
refused, and MessageType DIGEST signs the digest without hashing it again.

Secrets Manager's RotateSecret is answered as the real one starts a rotation (see FaithfulSecretRotation): refused
without a rotation function, and otherwise a new AWSPENDING version without a value and the four events the rotation
function would get, which tests read at /_emulator/secretsmanager/rotation-events and hand to the function.

STS GetCallerIdentity checks the request's SigV4 signature as real STS does (see FaithfulCallerIdentity): moto answers
it from the access key id alone, and with a made-up user for a key it never issued.

Several regions, as docs/multi-region.md deploys them (moto keeps each region's data apart, by the region of each
request's signature): KMS ReplicateKey as KMS does it (FaithfulKeyReplication), and DynamoDB global tables, version
2019.11.21 (GlobalTables): UpdateTable's ReplicaUpdates, DescribeTable's Replicas, and asynchronous replication of
every write with a lag a test sets. A test also takes a region down. Both through the control endpoint:

  GET  /_emulator/regions  -> {"replication_lag_millis": N, "pending": N, "unavailable_regions": [...]}
  POST /_emulator/regions  {"replication_lag_millis": N, "unavailable_regions": ["us-east-1"]} (either or both)

usage: aws_emulator.py [--host 127.0.0.1] [--port 4566]
"""
import argparse
import base64
import binascii
import io
import json
import os
import copy
import heapq
import re
import threading
import urllib.parse
import hmac
import hashlib
import datetime
import time
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
from werkzeug.serving import run_simple
from moto.dynamodb.models import dynamodb_backends
from moto.kms.models import kms_backends
from moto.sts.models import sts_backends
from moto.iam.models import iam_backends
from moto.secretsmanager.models import secretsmanager_backends
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


class FaithfulSecretRotation:
    """WSGI middleware: RotateSecret as Secrets Manager starts a rotation, without invoking a function.

    moto's RotateSecret, without a rotation function, labels an empty new version AWSCURRENT (real Secrets Manager
    refuses: there is nothing to rotate with); with one, it looks the function up in moto's Lambda and runs the four
    steps at once, in the request; and it reports a rotation in progress when AWSPENDING and AWSCURRENT share a version
    (the state a finished rotation may leave), where the real service reports it when they do not. Here: without a
    function, InvalidRequestException; with one (given now or before), the rotation rules are kept, an AWSPENDING
    version without a value is added under ClientRequestToken (a repeated call with the same token changes nothing),
    and the events Secrets Manager would send the function (createSecret, setSecret, testSecret, finishSecret) are
    recorded for GET /_emulator/secretsmanager/rotation-events, where a test picks them up and runs the function with
    them. A pending version on another version than the current one is a rotation in progress, as on AWS.
    """

    EVENTS_PATH = "/_emulator/secretsmanager/rotation-events"
    STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")

    def __init__(self, app):
        self.app = app
        self.events = []

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == self.EVENTS_PATH and environ.get("REQUEST_METHOD") == "GET":
            body = json.dumps(self.events).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if environ.get("HTTP_X_AMZ_TARGET", "") != "secretsmanager.RotateSecret":
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        try:
            params = json.loads(body)
            secret_id = params["SecretId"]
        except (ValueError, KeyError, TypeError):
            status, headers, data = _call(self.app, environ, body)
            start_response(status, headers)
            return [data]
        # moto resolves the id (name, ARN, partial ARN) and answers a missing or deleted secret exactly as it does.
        status, headers, data = _call(self.app, dict(environ, HTTP_X_AMZ_TARGET="secretsmanager.DescribeSecret"),
                                      json.dumps({"SecretId": secret_id}).encode())
        if not status.startswith("200"):
            start_response(status, headers)
            return [data]
        arn = json.loads(data)["ARN"]
        _, _, _, region, account, _ = arn.split(":", 5)
        secret = secretsmanager_backends[account][region].secrets[json.loads(data)["Name"]]
        function_arn = params.get("RotationLambdaARN") or getattr(secret, "rotation_lambda_arn", "")
        if not function_arn:
            return _json_error(start_response, "InvalidRequestException",
                               "No Lambda rotation function ARN is associated with this secret.")
        rules = params.get("RotationRules") or {}
        days = rules.get("AutomaticallyAfterDays")
        if days is not None and not 1 <= int(days) <= 1000:
            return _json_error(start_response, "InvalidParameterException",
                               "RotationRules.AutomaticallyAfterDays must be within 1-1000.")
        token = params.get("ClientRequestToken") or str(uuid.uuid4())
        if token in secret.versions:
            return _json_ok(start_response, {"ARN": arn, "Name": secret.name, "VersionId": token})
        for version in secret.versions.values():
            stages = version["version_stages"]
            if "AWSPENDING" in stages and "AWSCURRENT" not in stages:
                return _json_error(start_response, "InvalidRequestException",
                                   "A previous rotation isn't complete. That rotation will be reattempted.")
        secret.rotation_requested = True
        secret.rotation_lambda_arn = function_arn
        secret.rotation_enabled = True
        if days is not None:
            secret.auto_rotate_after_days = int(days)
        if params.get("RotateImmediately", True):
            secret.remove_version_stages_from_old_versions(["AWSPENDING"])
            secret.versions[token] = {"createdate": int(time.time()), "version_id": token,
                                      "version_stages": ["AWSPENDING"]}
            steps = self.STEPS
        else:
            steps = ("testSecret",)
        for step in steps:
            self.events.append({"FunctionArn": function_arn, "Event": {
                "Step": step, "SecretId": arn, "ClientRequestToken": token}})
        secret.last_rotation_date = int(time.time())
        return _json_ok(start_response, {"ARN": arn, "Name": secret.name, "VersionId": token})


CREDENTIAL_REGION = re.compile(r"Credential=[^/]+/[0-9]{8}/([a-z0-9-]+)/")


def request_region(environ):
    """The region a request is signed for, which is where moto (and AWS) serve it."""
    match = CREDENTIAL_REGION.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else "us-east-1"


def request_account(environ):
    from moto.core import DEFAULT_ACCOUNT_ID
    return DEFAULT_ACCOUNT_ID


def _read_body(environ):
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    return body


class FaithfulKeyReplication:
    """WSGI middleware: KMS ReplicateKey as KMS does it, where moto does not.

    moto copies the key object shallowly (the replica and the primary then share one MultiRegionConfiguration, and a
    DescribeKey of the replica turns the primary into a REPLICA too), replicates a single-region key, replaces an
    existing replica silently, and ignores the Policy given. Here: only a multi-Region primary replicates
    (UnsupportedOperationException otherwise), not into its own region or one that has a replica
    (AlreadyExistsException); the replica has the same key id and key material, a configuration of its own listing the
    primary and every replica, as the primary's and every other replica's now do, its own enabled state, aliases and
    grants, and the given policy (else KMS's default).
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "") != "TrentService.ReplicateKey":
            return self.app(environ, start_response)
        params = json.loads(_read_body(environ) or b"{}")
        region, account = request_region(environ), request_account(environ)
        backend = kms_backends[account][region]
        try:
            key = backend.keys[backend.any_id_to_key_id(params.get("KeyId", ""))]
        except (KeyError, Exception):  # moto's own lookup errors: answer as KMS does
            return _json_error(start_response, "NotFoundException", f"Key '{params.get('KeyId')}' does not exist")
        target = params.get("ReplicaRegion", "")
        if not key.multi_region:
            return _json_error(start_response, "UnsupportedOperationException",
                               f"{key.arn} is not a multi-Region key; only a multi-Region primary key replicates")
        config = key.multi_region_configuration
        if config["PrimaryKey"]["Arn"] != key.arn:
            return _json_error(start_response, "UnsupportedOperationException",
                               f"{key.arn} is a replica key; replicate its primary key")
        if target == region or key.id in kms_backends[account][target].keys:
            return _json_error(start_response, "AlreadyExistsException",
                               f"A key with id {key.id} already exists in {target}")
        replica = copy.copy(key)
        replica.region = target
        replica.arn = key.arn.replace(f":{region}:", f":{target}:")
        replica.policy = params.get("Policy") or key.generate_default_policy()
        replica.description = params.get("Description", key.description)
        replica.grants, replica.aliases = {}, {}
        replica.enabled, replica.key_state = True, "Enabled"
        replica.multi_region_configuration = copy.deepcopy(config)
        kms_backends[account][target].keys[key.id] = replica
        replicas = [r for r in config["ReplicaKeys"] if r["Region"] != target] + [
            {"Arn": replica.arn, "Region": target}]
        for holder in [key] + [kms_backends[account][r["Region"]].keys[key.id] for r in replicas]:
            holder.multi_region_configuration = {
                "MultiRegionKeyType": "PRIMARY" if holder is key else "REPLICA",
                "PrimaryKey": copy.deepcopy(config["PrimaryKey"]), "ReplicaKeys": copy.deepcopy(replicas)}
        if params.get("Tags"):
            kms_backends[account][target].tag_resource(key.id, params["Tags"])
        return _json_ok(start_response, {"ReplicaKeyMetadata": replica.to_dict()["KeyMetadata"],
                                         "ReplicaPolicy": replica.policy})


class GlobalTables:
    """WSGI middleware: DynamoDB global tables (version 2019.11.21), which moto does not have.

    UpdateTable with ReplicaUpdates (Create, Delete) makes or drops a replica in another region (the same key schema,
    the items copied); DescribeTable lists the table's other regions as Replicas, ACTIVE. Every write to a replicated
    table (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems) reaches the other replicas after the
    replication lag, as the item then stands in the region written to (a later write in between wins, as the last
    writer does in AWS); a conditional write is evaluated against the region it is written to only. A region named
    unavailable answers every call with 503, as a regional outage would; its pending replication waits.
    """

    WRITES = ("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems")

    def __init__(self, app, lock):
        self.app = app
        self.lock = lock  # the Serialized lock: replication applies between calls, as a call would
        self.replicas = {}  # (account, table name) -> set of regions
        self.lag = 0.0
        self.unavailable = set()
        self.pending = []  # heap of (due, sequence, account, source region, table, key)
        self.sequence = 0
        self.wake = threading.Condition(threading.Lock())
        threading.Thread(target=self._replicate_forever, name="global-tables", daemon=True).start()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/_emulator/regions"):
            return self._control(environ, start_response)
        region = request_region(environ)
        if region in self.unavailable:
            body = json.dumps({"__type": "ServiceUnavailableException",
                               "message": f"{region} is unavailable (the emulator's outage)"}).encode()
            start_response("503 Service Unavailable", [("Content-Type", "application/x-amz-json-1.0"),
                                                        ("Content-Length", str(len(body)))])
            return [body]
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith("DynamoDB_20120810."):
            return self.app(environ, start_response)
        operation = target.split(".", 1)[1]
        body = _read_body(environ)
        params = json.loads(body or b"{}")
        account = request_account(environ)
        if operation == "UpdateTable" and params.get("ReplicaUpdates"):
            return self._update_replicas(account, region, params, start_response)
        status, headers, data = _call(self.app, environ, body)
        if status.startswith("200"):
            if operation == "DescribeTable":
                data = self._with_replicas(account, region, params.get("TableName"), data)
                import zlib
                fresh = {"content-length": str(len(data)), "x-amz-crc32": str(zlib.crc32(data))}
                headers = [(k, fresh.get(k.lower(), v)) for k, v in headers]
            elif operation in self.WRITES:
                for table, key in self._written(operation, params):
                    if len(self.replicas.get((account, table), ())) > 1:
                        self._schedule(account, region, table, key)
        start_response(status, headers)
        return [data]

    def _control(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST":
            params = json.loads(_read_body(environ) or b"{}")
            with self.lock:
                if "replication_lag_millis" in params:
                    self.lag = max(0, int(params["replication_lag_millis"])) / 1000
                if "unavailable_regions" in params:
                    self.unavailable = set(params["unavailable_regions"])
            with self.wake:
                self.wake.notify()
        return _json_ok(start_response, {"replication_lag_millis": int(self.lag * 1000), "pending": len(self.pending),
                                         "unavailable_regions": sorted(self.unavailable)})

    def _update_replicas(self, account, region, params, start_response):
        name = params["TableName"]
        try:
            source = dynamodb_backends[account][region].get_table(name)
        except Exception:
            return _json_error(start_response, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                               f"Requested resource not found: Table: {name} not found")
        regions = self.replicas.setdefault((account, name), {region})
        for update in params["ReplicaUpdates"]:
            if "Create" in update:
                target = update["Create"]["RegionName"]
                if target in regions:
                    return _json_error(start_response, "ValidationException",
                                       f"Failed to create a the new replica of table with name: '{name}' because "
                                       f"one or more replicas already existed as tables.")
                backend = dynamodb_backends[account][target]
                # moto's UpdateTable replaces the attribute definitions with the update's (an index added later, as
                # tokenctl bootstrap adds org-index): the key attributes come from the key schema, as DynamoDB keeps
                # them.
                attributes = {a["AttributeName"]: a for a in source.attr}
                for key, kind in ((source.hash_key_attr, source.hash_key_type),
                                  (source.range_key_attr, source.range_key_type)):
                    if key and key not in attributes:
                        attributes[key] = {"AttributeName": key, "AttributeType": kind}
                backend.create_table(name, schema=source.schema, throughput=None, attr=list(attributes.values()),
                                     global_indexes=None, indexes=None, streams=None, billing_mode="PAY_PER_REQUEST",
                                     sse_specification=None, tags=[], deletion_protection_enabled=False,
                                     warm_throughput=None)
                for item in list(source.all_items()):
                    backend.put_item(name, item.to_json()["Attributes"])
                regions.add(target)
            elif "Delete" in update:
                target = update["Delete"]["RegionName"]
                if target in regions and target != region:
                    dynamodb_backends[account][target].delete_table(name)
                    regions.discard(target)
        return _json_ok(start_response, {"TableDescription": self._described(account, region, name)})

    def _described(self, account, region, name):
        description = dynamodb_backends[account][region].get_table(name).describe()["TableDescription"]
        description = json.loads(json.dumps(description, default=lambda value: value.timestamp()))
        return self._add_replicas(account, region, name, description)

    def _add_replicas(self, account, region, name, description):
        others = sorted(self.replicas.get((account, name), {region}) - {region})
        if others:
            description["Replicas"] = [{"RegionName": r, "ReplicaStatus": "ACTIVE"} for r in others]
            description["GlobalTableVersion"] = "2019.11.21"
        return description

    def _with_replicas(self, account, region, name, data):
        document = json.loads(data)
        document["Table"] = self._add_replicas(account, region, name, document["Table"])
        return json.dumps(document).encode()

    @staticmethod
    def _written(operation, params):
        if operation in ("PutItem",):
            yield params["TableName"], params["Item"]
        elif operation in ("UpdateItem", "DeleteItem"):
            yield params["TableName"], params["Key"]
        elif operation == "BatchWriteItem":
            for table, requests in params.get("RequestItems", {}).items():
                for request in requests:
                    if "PutRequest" in request:
                        yield table, request["PutRequest"]["Item"]
                    elif "DeleteRequest" in request:
                        yield table, request["DeleteRequest"]["Key"]
        elif operation == "TransactWriteItems":
            for item in params.get("TransactItems", []):
                for kind, action in item.items():
                    if kind == "Put":
                        yield action["TableName"], action["Item"]
                    elif kind in ("Update", "Delete"):
                        yield action["TableName"], action["Key"]

    def _schedule(self, account, region, table, item_or_key):
        schema = dynamodb_backends[account][region].get_table(table).schema
        key = {k["AttributeName"]: item_or_key[k["AttributeName"]] for k in schema}
        with self.wake:
            self.sequence += 1
            heapq.heappush(self.pending, (time.monotonic() + self.lag, self.sequence, account, region, table, key))
            self.wake.notify()

    def _replicate_forever(self):
        while True:
            with self.wake:
                while not self.pending or self.pending[0][0] > time.monotonic():
                    self.wake.wait(None if not self.pending else self.pending[0][0] - time.monotonic())
                due = heapq.heappop(self.pending)
            _, _, account, region, table, key = due
            with self.lock:
                if region in self.unavailable:
                    with self.wake:  # an outage holds what it has not sent yet
                        heapq.heappush(self.pending, (time.monotonic() + 0.1,) + due[1:])
                    continue
                self._apply(account, region, table, key)

    def _apply(self, account, region, table, key):
        source = dynamodb_backends[account][region]
        item = source.get_item(table, key)
        for target in self.replicas.get((account, table), set()) - {region}:
            backend = dynamodb_backends[account][target]
            if item is None:
                if backend.get_item(table, key) is not None:
                    backend.delete_item(table, key)
            else:
                backend.put_item(table, item.to_json()["Attributes"])


class Serialized:
    """WSGI middleware: one call into the wrapped app at a time, body included."""

    def __init__(self, app, lock=None):
        self.app = app
        self.lock = lock or threading.Lock()

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
    lock = threading.RLock()
    run_simple(args.host, args.port,
               Serialized(GlobalTables(FaithfulCallerIdentity(FaithfulSecretRotation(FaithfulKeyReplication(FaithfulKmsSigning(app)))), lock), lock), threaded=True)


if __name__ == "__main__":
    main()
