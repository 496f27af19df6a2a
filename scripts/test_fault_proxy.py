#!/usr/bin/env python3
"""Checks scripts/fault_proxy.py in front of the running emulator, with boto3 as the client and no SDK retries.

Run: scripts/with-moto.sh python3 scripts/test_fault_proxy.py
"""
import json
import os
import subprocess
import sys
import unittest
import urllib.request
import uuid
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError

PUT_ITEM = "DynamoDB_20120810.PutItem"


class FaultProxyTest(unittest.TestCase):
    proxy = None
    url = None

    @classmethod
    def setUpClass(cls):
        script = Path(__file__).with_name("fault_proxy.py")
        cls.proxy = subprocess.Popen([sys.executable, str(script), "--upstream", os.environ["AWS_ENDPOINT_URL"]],
                                     stdout=subprocess.PIPE, text=True)
        cls.url = cls.proxy.stdout.readline().strip()
        config = Config(retries={"total_max_attempts": 1, "mode": "standard"}, read_timeout=0.5, connect_timeout=2)
        region = os.environ.get("AWS_REGION", "us-east-1")
        cls.dynamo = boto3.client("dynamodb", endpoint_url=cls.url, region_name=region, config=config)
        cls.kms = boto3.client("kms", endpoint_url=cls.url, region_name=region, config=config)
        cls.direct = boto3.client("dynamodb", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=region)
        cls.table = "fault-" + uuid.uuid4().hex
        cls.direct.create_table(TableName=cls.table, BillingMode="PAY_PER_REQUEST",
                                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])

    @classmethod
    def tearDownClass(cls):
        cls.proxy.terminate()
        cls.proxy.wait(5)

    def setUp(self):
        self.control("DELETE", "/__fault__")

    def control(self, method, path, fault=None):
        data = json.dumps(fault).encode() if fault is not None else None
        with urllib.request.urlopen(urllib.request.Request(self.url + path, data=data, method=method)) as r:
            return r.read().decode()

    def fault(self, **fault):
        self.control("POST", "/__fault__", fault)

    def put(self, pk):
        return self.dynamo.put_item(TableName=self.table, Item={"pk": {"S": pk}})

    def stored(self, pk):
        return "Item" in self.direct.get_item(TableName=self.table, Key={"pk": {"S": pk}}, ConsistentRead=True)

    def test_calls_without_a_matching_fault_pass_through(self):
        self.fault(target="TrentService.Sign", action="throttle")
        self.put("plain")
        self.assertTrue(self.stored("plain"))
        self.assertEqual(f"{PUT_ITEM} forwarded (200)\n", self.control("GET", "/__fault__/log"))

    def test_throttle_answers_dynamodb_and_kms_wire_errors_without_forwarding(self):
        self.fault(target=PUT_ITEM, action="throttle")
        self.fault(target=PUT_ITEM, action="throttle",
                   error_type="com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException")
        self.fault(target="*", action="throttle")
        for expected in ("ThrottlingException", "ProvisionedThroughputExceededException"):
            with self.assertRaises(ClientError) as caught:
                self.put("throttled")
            self.assertEqual(expected, caught.exception.response["Error"]["Code"])
            self.assertEqual(400, caught.exception.response["ResponseMetadata"]["HTTPStatusCode"])
        with self.assertRaises(ClientError) as caught:
            self.kms.sign(KeyId="alias/any", Message=b"m", SigningAlgorithm="ECDSA_SHA_256")
        self.assertEqual("ThrottlingException", caught.exception.response["Error"]["Code"])
        self.assertFalse(self.stored("throttled"))

    def test_error500_answers_an_internal_error(self):
        self.fault(target=PUT_ITEM, action="error500")
        with self.assertRaises(ClientError) as caught:
            self.put("failed")
        self.assertEqual(500, caught.exception.response["ResponseMetadata"]["HTTPStatusCode"])
        self.assertEqual("InternalServerError", caught.exception.response["Error"]["Code"])

    def test_a_delay_after_forwarding_times_the_client_out_after_the_write_happened(self):
        self.fault(target=PUT_ITEM, action="delay", seconds=1.5, after_forward=True)
        with self.assertRaises(ReadTimeoutError):
            self.put("late")
        self.assertTrue(self.stored("late"))
        self.put("on-time")  # spent after one call
        self.assertTrue(self.stored("on-time"))

    def test_a_reset_before_forwarding_drops_the_call_and_after_forwarding_the_answer(self):
        self.fault(target=PUT_ITEM, action="reset", after_forward=False)
        self.fault(target=PUT_ITEM, action="reset", after_forward=True)
        for pk, expected in (("reset-before", False), ("reset-after", True)):
            with self.assertRaises(ConnectionClosedError):
                self.put(pk)
            self.assertEqual(expected, self.stored(pk))
        self.assertEqual([f"{PUT_ITEM} reset before forwarding", f"{PUT_ITEM} reset after forwarding (200)"],
                         self.control("GET", "/__fault__/log").splitlines())

    def test_times_minus_one_hits_every_call(self):
        self.fault(target=PUT_ITEM, action="throttle", times=-1)
        for _ in range(3):
            with self.assertRaises(ClientError):
                self.put("never")

    def test_a_bad_fault_is_refused(self):
        with self.assertRaises(urllib.error.HTTPError) as caught:
            self.fault(target=PUT_ITEM, action="explode")
        self.assertEqual(400, caught.exception.code)


if __name__ == "__main__":
    sys.exit(unittest.main(verbosity=1))
