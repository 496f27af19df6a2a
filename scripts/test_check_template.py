#!/usr/bin/env python3
"""Checks scripts/check_template.py's KMS and DynamoDB rules: template.yaml passes, and each way a key policy or the
function's role could let someone other than the function sign, the function do more than sign, or the function
write more than its replay records (or lack a call it makes), fails. And its multi-region checks: a replica region
without its replica key, a global table without a region's replica, a latency record without a health check, a health
check of another path, and a certificate rule that lets another region's certificate through, each fail.

Run with SAM's python (the Makefile's lint does): it needs SAM's translator.
"""
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = (ROOT / "template.yaml").read_text(encoding="utf-8")
ADMIN_FIRST_ACTION = "              - kms:DescribeKey\n"
FUNCTION_ACTIONS = "              - kms:Sign\n              - kms:GetPublicKey\n"
# The token function role's first statement (the rotation role's reads look alike, after another comment).
ROLE_FIRST_STATEMENT = ("            # key's key policy, not here (see SigningKey).\n"
                        "            - Effect: Allow\n              Action:\n                - dynamodb:GetItem\n"
                        "                - dynamodb:BatchGetItem\n")
REPLAY_WRITES = "                - dynamodb:PutItem\n                - dynamodb:DeleteItem\n"
REPLAY_KEYS = "                    - \"jti#*\"\n"
# The admin statement as it was before its actions were named.
WILDCARD_ADMIN = "".join(f"              - kms:{verb}*\n" for verb in
                         ("Create", "Describe", "Enable", "List", "Put", "Update", "Revoke", "Disable", "Get", "Delete"))


def check(template):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as file:
        file.write(template)
    try:
        return subprocess.run([sys.executable, str(ROOT / "scripts" / "check_template.py"), file.name],
                              capture_output=True, text=True)
    finally:
        Path(file.name).unlink()


def replaced(old, new, count=1):
    """The template with each of the `count` occurrences of `old` (the key policy is written out for the key and
    for its replica, so a policy's lines occur twice) replaced."""
    assert TEMPLATE.count(old) == count, f"template.yaml no longer has exactly {count} of {old!r}"
    return TEMPLATE.replace(old, new)


class KmsPolicyCheckTest(unittest.TestCase):

    def assert_refused(self, template, message):
        result = check(template)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(message, result.stderr)

    def test_the_template_passes(self):
        result = check(TEMPLATE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("lets only the function's role sign", result.stdout)

    def test_wildcard_admin_actions_are_refused(self):
        self.assert_refused(replaced(ADMIN_FIRST_ACTION, WILDCARD_ADMIN + ADMIN_FIRST_ACTION, count=2), "wildcard actions")

    def test_an_administrator_allowed_to_create_grants_is_refused(self):
        self.assert_refused(replaced(ADMIN_FIRST_ACTION, "              - kms:CreateGrant\n" + ADMIN_FIRST_ACTION, count=2),
                            "kms:CreateGrant")

    def test_an_administrator_allowed_to_sign_is_refused(self):
        self.assert_refused(replaced(ADMIN_FIRST_ACTION, "              - kms:Sign\n" + ADMIN_FIRST_ACTION, count=2),
                            "other than the function's role sign")

    def test_the_function_allowed_more_than_sign_and_get_public_key_is_refused(self):
        self.assert_refused(replaced(FUNCTION_ACTIONS, FUNCTION_ACTIONS + "              - kms:Decrypt\n", count=2),
                            "kms:Decrypt")

    def test_kms_granted_to_the_function_by_its_iam_policy_is_refused(self):
        self.assert_refused(replaced(ROLE_FIRST_STATEMENT, "            - Effect: Allow\n              Action: kms:*\n"
                                     "              Resource: \"*\"\n" + ROLE_FIRST_STATEMENT),
                            "its IAM policy allows kms:*")

    def test_a_role_that_cannot_give_a_replay_record_back_is_refused(self):
        self.assert_refused(replaced(REPLAY_WRITES, "                - dynamodb:PutItem\n"),
                            "lacks ['dynamodb:DeleteItem']")

    def test_writes_beyond_the_replay_records_are_refused(self):
        self.assert_refused(replaced(REPLAY_KEYS, "                    - \"*\"\n"), "not limited to the replay")

    def test_other_dynamodb_actions_are_refused(self):
        self.assert_refused(replaced(REPLAY_WRITES, REPLAY_WRITES + "                - dynamodb:Scan\n"),
                            "dynamodb:Scan")



class RotationRole(unittest.TestCase):
    """The rotation function's role (SAM's translation keeps it, behind its condition, whatever the parameter)."""

    def test_the_template_with_rotation_passes(self):
        result = check(TEMPLATE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("SecretRotationFunctionRole: no KMS", result.stdout)

    def test_rotation_writes_beyond_service_users_and_secrets_are_refused(self):
        result = check(replaced('                    - "serviceuser#*"\n                    - "secret#*"\n',
                                '                    - "serviceuser#*"\n                    - "secret#*"\n'
                                '                    - "key#*"\n'))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DynamoDB writes not limited", result.stderr)

    def test_rotation_on_any_secret_is_refused(self):
        result = check(replaced("              Condition:\n                StringEquals:\n"
                                "                  secretsmanager:resource/AllowRotationLambdaArn",
                                "              Condition:\n                StringEquals:\n"
                                "                  aws:ResourceTag/anything"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("AllowRotationLambdaArn", result.stderr)


class MultiRegionCheckTest(unittest.TestCase):

    def assert_refused(self, template, message):
        result = check(template)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(message, result.stderr)

    def test_the_template_passes_for_one_region_and_for_three(self):
        result = check(TEMPLATE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("one region: one table, one single-region key", result.stdout)
        self.assertIn("3 regions (us-east-1 primary, eu-west-1, ap-southeast-2)", result.stdout)

    def test_a_replica_region_without_its_replica_key_is_refused(self):
        self.assert_refused(replaced("    Type: AWS::KMS::ReplicaKey\n    Condition: ReplicatesSigningKey\n",
                                     "    Type: AWS::KMS::ReplicaKey\n    Condition: IsPrimaryRegion\n"),
                            "eu-west-1 (replica): 0 replica keys")

    def test_a_global_table_without_a_regions_replica_is_refused(self):
        self.assert_refused(replaced("          - HasReplica2\n", "          - HasDomainOneRegion\n"),
                            "not in ['us-east-1', 'eu-west-1', 'ap-southeast-2']")

    def test_a_replica_region_with_a_table_of_its_own_is_refused(self):
        self.assert_refused(replaced("    Type: AWS::DynamoDB::Table\n    Condition: IsSingleRegion\n",
                                     "    Type: AWS::DynamoDB::Table\n    Condition: IsReplicaRegion\n"),
                            "a regional table besides the global table")

    def test_a_latency_record_without_a_health_check_is_refused(self):
        self.assert_refused(replaced("      HealthCheckId: !Ref RegionHealthCheck\n", ""),
                            "the latency record has no health check")

    def test_a_health_check_of_another_path_is_refused(self):
        self.assert_refused(replaced("        ResourcePath: /health\n", "        ResourcePath: /.well-known/jwks.json\n"),
                            "not us-east-1.auth.example.com/health")

    def test_a_certificate_of_another_region_must_fail_the_rules(self):
        self.assert_refused(replaced('      - Assert: !Equals [!Select [3, !Split [":", !Ref CertificateArn]], !Ref "AWS::Region"]\n',
                                     '      - Assert: !Not [!Equals [!Ref CertificateArn, ""]]\n'),
                            "does not fail the stack's rules")


if __name__ == "__main__":
    unittest.main()
