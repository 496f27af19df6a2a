#!/usr/bin/env python3
"""Checks how scripts/lambda_rie.py reads the template, with SAM's own code, before anything runs: the function's
settings and environment as CloudFormation would give them (Globals merged, parameters at their defaults, the
provisioned resources in place of !Ref and !GetAtt, AWS::NoValue dropping a variable), a refusal naming what it cannot
provide instead of a guess, and the sample events each with an expected status. No emulator needed.

Run with SAM's python (the Makefile's lint does): it needs samcli.
"""
import json
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lambda_rie  # noqa: E402

TEMPLATE = lambda_rie.ROOT / "template.yaml"

# The smallest template of this shape: one function with a layer, a table, a key and its alias, and Globals.
SMALL = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  TtlSeconds: {Type: Number, Default: 900}
  Issuer: {Type: String, Default: ""}
Conditions:
  HasIssuer: !Not [!Equals [!Ref Issuer, ""]]
Globals:
  Function:
    MemorySize: 512
    Environment:
      Variables:
        FROM_GLOBALS: "yes"
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: function/
      Handler: example.Handler::handleRequest
      Runtime: java21
      Layers: [!Ref Layer]
      Environment:
        Variables:
          TABLE: !Ref Table
          TABLE_ARN: !GetAtt Table.Arn
          KEY: !Ref KeyAlias
          TTL: !Ref TtlSeconds
          ISSUER: !If [HasIssuer, !Ref Issuer, !Ref AWS::NoValue]
          WHERE: !Sub "${AWS::StackName} in ${AWS::Region}"
          EXTRA: EXTRA_VALUE
  Layer:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: layers/}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
  Key:
    Type: AWS::KMS::Key
    Properties: {KeySpec: ECC_NIST_P256, KeyUsage: SIGN_VERIFY}
  KeyAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: !Sub alias/${AWS::StackName}-signing
      TargetKeyId: !Ref Key
  Logs:
    Type: AWS::Logs::LogGroup
"""


def provisioned(template_text):
    """The function of a template and its resources as Provisioned names them, provided as create() would."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "template.yaml"
        path.write_text(template_text)
        function = lambda_rie.Function(path)
    resources = lambda_rie.Provisioned(function, "eu-west-1")
    resources.resolver.provide(resources.table_id, resources.table, Arn="arn:aws:dynamodb:table/" + resources.table)
    resources.resolver.provide(resources.key_id_logical, "key-1", Arn="arn:aws:kms:key/key-1", KeyId="key-1")
    if resources.alias_id:
        resources.resolver.provide(resources.alias_id, resources.alias)
    return function, resources


class TemplateTest(unittest.TestCase):

    def test_reads_the_projects_function_as_sam_does(self):
        function, resources = provisioned(TEMPLATE.read_text())

        self.assertEqual(function.logical_id, "TokenFunction")
        self.assertTrue(function.handler.endswith("::handleRequest"))
        self.assertEqual(function.layers, ["DependencyLayer"])
        self.assertEqual((resources.table_id, resources.key_id_logical, resources.alias_id),
                         ("CredentialsTable", "SigningKey", "SigningKeyAlias"))
        environment = resources.resolver.environment(function.environment)
        self.assertEqual(environment["TABLE_NAME"], resources.table)
        self.assertEqual(environment["SIGNING_KEY_ID"], resources.alias)
        self.assertEqual(environment["METRICS_NAMESPACE"], "TokenIssuer/" + resources.stack)
        self.assertNotIn("TOKEN_ISSUER", environment)  # !If [..., !Ref AWS::NoValue] with the default parameter
        self.assertTrue(all(isinstance(v, str) for v in environment.values()), environment)

    def test_merges_globals_and_resolves_the_environment_as_cloudformation_would(self):
        function, resources = provisioned(SMALL)

        self.assertEqual(function.memory, 512)
        self.assertEqual(function.timeout, 3)  # Lambda's default
        self.assertEqual(resources.key_spec, "ECC_NIST_P256")
        self.assertEqual(resources.alias, f"alias/{resources.stack}-signing")
        self.assertEqual(resources.resolver.environment(function.environment), {
            "FROM_GLOBALS": "yes",
            "TABLE": resources.table,
            "TABLE_ARN": "arn:aws:dynamodb:table/" + resources.table,
            "KEY": resources.alias,
            "TTL": "900",
            "WHERE": f"{resources.stack} in eu-west-1",
            "EXTRA": "EXTRA_VALUE",
        })

    def test_refuses_a_resource_it_does_not_provide_naming_it(self):
        for reference in ("!Ref Logs", "!GetAtt Logs.Arn", '!Sub "group ${Logs}"'):
            with self.subTest(reference):
                with self.assertRaises(lambda_rie.Failure) as refused:
                    provisioned(SMALL.replace("EXTRA_VALUE", reference))
                self.assertIn("Logs (AWS::Logs::LogGroup)", str(refused.exception))

    def test_every_sample_event_has_an_expected_status(self):
        events = lambda_rie.sample_events()

        self.assertIn("token-client-credentials-form.json", [event.name for event, _ in events])
        self.assertNotIn(lambda_rie.EXPECTED_STATUS_FILE.name, [event.name for event, _ in events])

    def test_an_event_without_an_expected_status_fails(self):
        with tempfile.TemporaryDirectory() as directory:
            (Path(directory) / "expected-statuses.json").write_text(json.dumps({"_comment": "", "a.json": 200}))
            (Path(directory) / "a.json").write_text("{}")
            (Path(directory) / "b.json").write_text("{}")
            with self.assertRaises(lambda_rie.Failure) as refused:
                lambda_rie.sample_events(directory)
        self.assertIn("b.json", str(refused.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2, warnings="ignore")  # the SAM CLI's own deprecation notices are not ours
