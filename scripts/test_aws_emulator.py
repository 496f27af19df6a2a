#!/usr/bin/env python3
"""Checks that the AWS emulator (scripts/aws_emulator.py) answers KMS Sign and Verify as real KMS does, starts a
Secrets Manager rotation as the real service does, replicates multi-Region keys as KMS does, has DynamoDB global
tables (replicas, asynchronous replication, a regional outage), and answers STS GetCallerIdentity only to a correctly
SigV4-signed request, as real STS does.

Run against a running emulator: scripts/with-moto.sh python3 scripts/test_aws_emulator.py
Each signature is checked with the key's public half outside KMS, as a token's verifier would.
"""
import hashlib
import os
import sys
import unittest
import urllib.request
import json

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding

HASH = {"SHA_256": (hashes.SHA256, hashlib.sha256), "SHA_384": (hashes.SHA384, hashlib.sha384),
        "SHA_512": (hashes.SHA512, hashlib.sha512)}


def kms(region=None):
    return boto3.client("kms", endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                        region_name=region or os.environ.get("AWS_REGION", "us-east-1"),
                        config=Config(retries={"total_max_attempts": 1}))


def dynamodb(region):
    return boto3.client("dynamodb", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=region,
                        config=Config(retries={"total_max_attempts": 1}))


def regions_control(**settings):
    import json
    import urllib.request
    request = urllib.request.Request(os.environ["AWS_ENDPOINT_URL"].rstrip("/") + "/_emulator/regions",
                                     data=json.dumps(settings).encode(), method="POST")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def verify_outside_kms(public_der, algorithm, message, signature):
    """Raises InvalidSignature unless signature is algorithm's signature of message under the public key."""
    public_key = serialization.load_der_public_key(public_der)
    hash_algorithm = HASH[algorithm[-7:]][0]()
    if algorithm.startswith("ECDSA_"):
        public_key.verify(signature, message, ec.ECDSA(hash_algorithm))
    elif algorithm.startswith("RSASSA_PSS_"):
        public_key.verify(signature, message,
                          padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=hash_algorithm.digest_size),
                          hash_algorithm)
    else:
        public_key.verify(signature, message, padding.PKCS1v15(), hash_algorithm)


class KmsSigning(unittest.TestCase):
    client = None
    keys = {}

    @classmethod
    def setUpClass(cls):
        cls.client = kms()
        for spec in ("RSA_2048", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"):
            key_id = cls.client.create_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
            cls.keys[spec] = (key_id, cls.client.get_public_key(KeyId=key_id)["PublicKey"])

    def cases(self):
        return [("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_256"), ("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_384"),
                ("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_512"), ("RSA_2048", "RSASSA_PSS_SHA_256"),
                ("RSA_2048", "RSASSA_PSS_SHA_512"), ("ECC_NIST_P256", "ECDSA_SHA_256"),
                ("ECC_NIST_P384", "ECDSA_SHA_384"), ("ECC_NIST_P521", "ECDSA_SHA_512")]

    def sign(self, spec, algorithm, message, message_type):
        key_id, _ = self.keys[spec]
        return self.client.sign(KeyId=key_id, Message=message, MessageType=message_type,
                                SigningAlgorithm=algorithm)["Signature"]

    def assert_validation_error(self, call, text):
        with self.assertRaises(ClientError) as caught:
            call()
        error = caught.exception.response["Error"]
        self.assertEqual("ValidationException", error["Code"])
        self.assertIn(text, error["Message"])
        self.assertEqual(400, caught.exception.response["ResponseMetadata"]["HTTPStatusCode"])

    def test_a_raw_message_of_4096_bytes_signs_and_verifies_with_the_public_key(self):
        message = b"m" * 4096
        for spec, algorithm in self.cases():
            with self.subTest(algorithm=algorithm):
                signature = self.sign(spec, algorithm, message, "RAW")
                verify_outside_kms(self.keys[spec][1], algorithm, message, signature)

    def test_a_raw_message_over_4096_bytes_is_refused_like_real_kms(self):
        for spec, algorithm in self.cases():
            with self.subTest(algorithm=algorithm):
                self.assert_validation_error(lambda: self.sign(spec, algorithm, b"m" * 4097, "RAW"),
                                             "Member must have length less than or equal to 4096")

    def test_the_default_message_type_is_raw_and_keeps_the_limit(self):
        key_id, _ = self.keys["ECC_NIST_P256"]
        self.assert_validation_error(
            lambda: self.client.sign(KeyId=key_id, Message=b"m" * 4097, SigningAlgorithm="ECDSA_SHA_256"),
            "less than or equal to 4096")

    def test_a_digest_signs_without_being_hashed_again(self):
        message = b"a token's signing input, longer than KMS takes raw: " + b"x" * 10000
        for spec, algorithm in self.cases():
            with self.subTest(algorithm=algorithm):
                digest = HASH[algorithm[-7:]][1](message).digest()
                signature = self.sign(spec, algorithm, digest, "DIGEST")
                verify_outside_kms(self.keys[spec][1], algorithm, message, signature)

    def test_a_digest_of_the_wrong_length_is_refused(self):
        for spec, algorithm in self.cases():
            size = HASH[algorithm[-7:]][1]().digest_size
            for wrong in (size - 1, size + 1, 20):
                with self.subTest(algorithm=algorithm, length=wrong):
                    self.assert_validation_error(lambda: self.sign(spec, algorithm, b"d" * wrong, "DIGEST"),
                                                 "Digest is invalid length for algorithm " + algorithm)

    def test_verify_accepts_a_raw_signature_given_its_digest_and_the_reverse(self):
        message = b"hello"
        for spec, algorithm in self.cases():
            with self.subTest(algorithm=algorithm):
                key_id, _ = self.keys[spec]
                digest = HASH[algorithm[-7:]][1](message).digest()
                raw_signature = self.sign(spec, algorithm, message, "RAW")
                digest_signature = self.sign(spec, algorithm, digest, "DIGEST")
                for signature, msg, message_type in ((raw_signature, digest, "DIGEST"),
                                                     (digest_signature, message, "RAW")):
                    answer = self.client.verify(KeyId=key_id, Message=msg, MessageType=message_type,
                                                Signature=signature, SigningAlgorithm=algorithm)
                    self.assertTrue(answer["SignatureValid"])

    def test_verify_of_a_wrong_signature_fails_the_call_like_real_kms(self):
        key_id, _ = self.keys["ECC_NIST_P256"]
        signature = self.sign("ECC_NIST_P256", "ECDSA_SHA_256", b"one message", "RAW")
        with self.assertRaises(ClientError) as caught:
            self.client.verify(KeyId=key_id, Message=b"another message", Signature=signature,
                               SigningAlgorithm="ECDSA_SHA_256")
        self.assertEqual("KMSInvalidSignatureException", caught.exception.response["Error"]["Code"])

    def test_moto_still_answers_for_an_unknown_key_and_a_wrong_algorithm(self):
        with self.assertRaises(ClientError) as caught:
            self.client.sign(KeyId="alias/nobody", Message=b"m", SigningAlgorithm="ECDSA_SHA_256")
        self.assertEqual("NotFoundException", caught.exception.response["Error"]["Code"])
        key_id, _ = self.keys["ECC_NIST_P256"]
        with self.assertRaises(ClientError) as caught:
            self.client.sign(KeyId=key_id, Message=b"m" * 32, MessageType="DIGEST",
                             SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256")
        self.assertEqual("ValidationException", caught.exception.response["Error"]["Code"])



class SecretRotationStart(unittest.TestCase):
    """RotateSecret as Secrets Manager starts a rotation (FaithfulSecretRotation)."""

    FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:rotation"

    @classmethod
    def setUpClass(cls):
        cls.client = boto3.client("secretsmanager", endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                                  region_name=os.environ.get("AWS_REGION", "us-east-1"),
                                  config=Config(retries={"total_max_attempts": 1}))

    def new_secret(self):
        name = "rotation-" + os.urandom(6).hex()
        return self.client.create_secret(Name=name, SecretString='{"v": 1}')["ARN"]

    def stages(self, arn):
        return self.client.describe_secret(SecretId=arn)["VersionIdsToStages"]

    def events(self, arn):
        url = os.environ["AWS_ENDPOINT_URL"] + "/_emulator/secretsmanager/rotation-events"
        with urllib.request.urlopen(url) as response:
            return [e["Event"] for e in json.load(response) if e["Event"]["SecretId"] == arn]

    def test_without_a_rotation_function_it_is_refused_and_the_secret_stays_as_it_was(self):
        arn = self.new_secret()
        before = self.stages(arn)
        with self.assertRaises(ClientError) as refused:
            self.client.rotate_secret(SecretId=arn)
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidRequestException")
        self.assertEqual(self.stages(arn), before)
        self.assertEqual(self.client.get_secret_value(SecretId=arn)["SecretString"], '{"v": 1}')

    def test_with_one_a_pending_version_without_a_value_and_the_four_events(self):
        arn = self.new_secret()
        version = self.client.rotate_secret(SecretId=arn, RotationLambdaARN=self.FUNCTION,
                                            RotationRules={"AutomaticallyAfterDays": 30})["VersionId"]
        self.assertEqual(self.stages(arn)[version], ["AWSPENDING"])
        with self.assertRaises(ClientError) as no_value:
            self.client.get_secret_value(SecretId=arn, VersionId=version, VersionStage="AWSPENDING")
        self.assertEqual(no_value.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual([e["Step"] for e in self.events(arn)],
                         ["createSecret", "setSecret", "testSecret", "finishSecret"])
        self.assertTrue(all(e["ClientRequestToken"] == version for e in self.events(arn)))
        self.assertEqual(self.client.get_secret_value(SecretId=arn)["SecretString"], '{"v": 1}')
        described = self.client.describe_secret(SecretId=arn)
        self.assertTrue(described["RotationEnabled"])
        self.assertEqual(described["RotationLambdaARN"], self.FUNCTION)

    def test_a_rotation_in_progress_refuses_another(self):
        arn = self.new_secret()
        self.client.rotate_secret(SecretId=arn, RotationLambdaARN=self.FUNCTION)
        with self.assertRaises(ClientError) as refused:
            self.client.rotate_secret(SecretId=arn)
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidRequestException")


class MultiRegionKeys(unittest.TestCase):

    def test_a_replica_signs_with_the_same_key_material_under_the_same_key_id(self):
        primary = kms("us-east-1")
        key = primary.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY", MultiRegion=True)["KeyMetadata"]
        self.assertTrue(key["KeyId"].startswith("mrk-"))
        replica = primary.replicate_key(KeyId=key["KeyId"], ReplicaRegion="eu-west-1",
                                        Policy='{"Version": "2012-10-17", "Statement": []}')
        self.assertEqual(replica["ReplicaKeyMetadata"]["Arn"], key["Arn"].replace("us-east-1", "eu-west-1"))
        self.assertIn('"Statement": []', replica["ReplicaPolicy"])
        europe = kms("eu-west-1")
        self.assertEqual(europe.get_public_key(KeyId=key["KeyId"])["PublicKey"],
                         primary.get_public_key(KeyId=key["KeyId"])["PublicKey"])
        digest = hashlib.sha256(b"token").digest()
        signature = europe.sign(KeyId=key["KeyId"], Message=digest, MessageType="DIGEST",
                                SigningAlgorithm="ECDSA_SHA_256")["Signature"]
        verify_outside_kms(primary.get_public_key(KeyId=key["KeyId"])["PublicKey"], "ECDSA_SHA_256", b"token",
                           signature)
        described = primary.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["MultiRegionConfiguration"]
        in_europe = europe.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["MultiRegionConfiguration"]
        self.assertEqual(described["MultiRegionKeyType"], "PRIMARY", "describing the replica leaves the primary one")
        self.assertEqual(in_europe["MultiRegionKeyType"], "REPLICA")
        self.assertEqual([r["Region"] for r in described["ReplicaKeys"]], ["eu-west-1"])
        self.assertEqual(in_europe["ReplicaKeys"], described["ReplicaKeys"])

    def test_disabling_a_replica_leaves_the_primary_enabled(self):
        primary = kms("us-east-1")
        key_id = primary.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY", MultiRegion=True)[
            "KeyMetadata"]["KeyId"]
        primary.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-2")
        kms("eu-west-2").disable_key(KeyId=key_id)
        self.assertTrue(primary.describe_key(KeyId=key_id)["KeyMetadata"]["Enabled"])

    def test_a_single_region_key_does_not_replicate(self):
        primary = kms("us-east-1")
        key_id = primary.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
        with self.assertRaises(ClientError) as refused:
            primary.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1")
        self.assertEqual(refused.exception.response["Error"]["Code"], "UnsupportedOperationException")

    def test_a_second_replica_in_one_region_is_refused(self):
        primary = kms("us-east-1")
        key_id = primary.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY", MultiRegion=True)[
            "KeyMetadata"]["KeyId"]
        primary.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1")
        with self.assertRaises(ClientError) as refused:
            primary.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1")
        self.assertEqual(refused.exception.response["Error"]["Code"], "AlreadyExistsException")


class GlobalTables(unittest.TestCase):

    def setUp(self):
        import uuid
        self.name = "global-" + uuid.uuid4().hex[:8]
        self.east, self.west = dynamodb("us-east-1"), dynamodb("us-west-2")
        self.east.create_table(TableName=self.name, BillingMode="PAY_PER_REQUEST",
                               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                               KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        self.east.put_item(TableName=self.name, Item={"pk": {"S": "before"}})
        self.east.update_table(TableName=self.name, ReplicaUpdates=[{"Create": {"RegionName": "us-west-2"}}])

    def tearDown(self):
        regions_control(replication_lag_millis=0, unavailable_regions=[])

    def wait_for(self, client, key, present=True, seconds=5):
        import time
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if ("Item" in client.get_item(TableName=self.name, Key={"pk": {"S": key}})) == present:
                return time.monotonic()
            time.sleep(0.01)
        self.fail(f"{key} {'never arrived' if present else 'never left'}")

    def test_a_replica_has_the_items_and_describe_table_lists_the_replicas(self):
        self.assertIn("Item", self.west.get_item(TableName=self.name, Key={"pk": {"S": "before"}}))
        table = self.east.describe_table(TableName=self.name)["Table"]
        self.assertEqual(table["Replicas"], [{"RegionName": "us-west-2", "ReplicaStatus": "ACTIVE"}])
        self.assertEqual(table["GlobalTableVersion"], "2019.11.21")
        self.assertEqual(self.west.describe_table(TableName=self.name)["Table"]["Replicas"][0]["RegionName"],
                         "us-east-1")

    def test_writes_reach_the_other_region_after_the_lag_both_ways(self):
        import time
        regions_control(replication_lag_millis=300)
        written = time.monotonic()
        self.east.put_item(TableName=self.name, Item={"pk": {"S": "east"}})
        self.assertNotIn("Item", self.west.get_item(TableName=self.name, Key={"pk": {"S": "east"}}))
        self.assertGreaterEqual(self.wait_for(self.west, "east") - written, 0.3)
        self.west.delete_item(TableName=self.name, Key={"pk": {"S": "before"}})
        self.wait_for(self.east, "before", present=False)

    def test_a_conditional_write_sees_only_its_own_region_within_the_lag(self):
        regions_control(replication_lag_millis=1000)
        condition = {"ConditionExpression": "attribute_not_exists(pk)"}
        self.east.put_item(TableName=self.name, Item={"pk": {"S": "jti"}}, **condition)
        self.west.put_item(TableName=self.name, Item={"pk": {"S": "jti"}}, **condition)  # accepted: MREC

    def test_an_unavailable_region_answers_503_and_holds_its_replication(self):
        regions_control(replication_lag_millis=100)
        self.east.put_item(TableName=self.name, Item={"pk": {"S": "held"}})
        regions_control(unavailable_regions=["us-east-1"])
        with self.assertRaises(ClientError) as refused:
            self.east.get_item(TableName=self.name, Key={"pk": {"S": "held"}})
        self.assertEqual(refused.exception.response["ResponseMetadata"]["HTTPStatusCode"], 503)
        import time
        time.sleep(0.3)
        self.assertNotIn("Item", self.west.get_item(TableName=self.name, Key={"pk": {"S": "held"}}))
        regions_control(unavailable_regions=[])
        self.wait_for(self.west, "held")


def client(service, **credentials):
    return boto3.client(service, endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                        region_name=os.environ.get("AWS_REGION", "us-east-1"),
                        config=Config(retries={"total_max_attempts": 1}), **credentials)


class CallerIdentity(unittest.TestCase):
    """GetCallerIdentity answers a role session or an IAM user only when the signature is right."""

    @classmethod
    def setUpClass(cls):
        name = "emulator-check-" + os.urandom(4).hex()
        iam = client("iam")
        role = iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        cls.session = client("sts").assume_role(RoleArn=role, RoleSessionName="check")["Credentials"]
        iam.create_user(UserName=name)
        cls.user_key = iam.create_access_key(UserName=name)["AccessKey"]
        cls.user_arn = "arn:aws:iam::123456789012:user/" + name

    def session_client(self, secret=None, token=None):
        return client("sts", aws_access_key_id=self.session["AccessKeyId"],
                      aws_secret_access_key=secret or self.session["SecretAccessKey"],
                      aws_session_token=token or self.session["SessionToken"])

    def test_a_role_session_is_answered_with_its_assumed_role_arn(self):
        arn = self.session_client().get_caller_identity()["Arn"]
        self.assertRegex(arn, r"^arn:aws:sts::123456789012:assumed-role/emulator-check-[0-9a-f]+/check$")

    def test_an_iam_user_is_answered_with_its_arn(self):
        sts = client("sts", aws_access_key_id=self.user_key["AccessKeyId"],
                     aws_secret_access_key=self.user_key["SecretAccessKey"])
        self.assertEqual(sts.get_caller_identity()["Arn"], self.user_arn)

    def test_a_wrong_secret_is_signature_does_not_match(self):
        with self.assertRaises(ClientError) as refused:
            self.session_client(secret="x" * 40).get_caller_identity()
        self.assertEqual(refused.exception.response["Error"]["Code"], "SignatureDoesNotMatch")

    def test_a_wrong_session_token_is_invalid_client_token_id(self):
        with self.assertRaises(ClientError) as refused:
            self.session_client(token="not-the-token").get_caller_identity()
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidClientTokenId")

    def test_a_key_never_issued_is_invalid_client_token_id(self):
        with self.assertRaises(ClientError) as refused:
            client("sts", aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                   aws_secret_access_key="x" * 40).get_caller_identity()
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidClientTokenId")

    def test_a_signed_header_changed_after_signing_is_refused(self):
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        import urllib.request
        url = os.environ["AWS_ENDPOINT_URL"] + "/?Action=GetCallerIdentity&Version=2011-06-15"
        request = AWSRequest(method="POST", url=url, headers={"x-token-issuer-audience": "https://a.example"})
        SigV4Auth(Credentials(self.session["AccessKeyId"], self.session["SecretAccessKey"],
                              self.session["SessionToken"]), "sts", "us-east-1").add_auth(request)
        headers = dict(request.headers.items())
        headers["x-token-issuer-audience"] = "https://b.example"
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(url, data=b"", headers=headers, method="POST"))
        self.assertEqual(refused.exception.code, 403)
        self.assertIn(b"SignatureDoesNotMatch", refused.exception.read())


if __name__ == "__main__":
    sys.exit(unittest.main(verbosity=1))
