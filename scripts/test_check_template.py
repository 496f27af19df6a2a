#!/usr/bin/env python3
"""Checks scripts/check_template.py's KMS and DynamoDB rules: template.yaml passes, and each way a key policy or the
function's role could let someone other than the function sign, the function do more than sign, or the function
write more than its replay records (or lack a call it makes), fails.

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
ROLE_FIRST_STATEMENT = ("            - Effect: Allow\n              Action:\n                - dynamodb:GetItem\n"
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


def replaced(old, new):
    assert TEMPLATE.count(old) == 1, f"template.yaml no longer has exactly one {old!r}"
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
        self.assert_refused(replaced(ADMIN_FIRST_ACTION, WILDCARD_ADMIN + ADMIN_FIRST_ACTION), "wildcard actions")

    def test_an_administrator_allowed_to_create_grants_is_refused(self):
        self.assert_refused(replaced(ADMIN_FIRST_ACTION, "              - kms:CreateGrant\n" + ADMIN_FIRST_ACTION),
                            "kms:CreateGrant")

    def test_an_administrator_allowed_to_sign_is_refused(self):
        self.assert_refused(replaced(ADMIN_FIRST_ACTION, "              - kms:Sign\n" + ADMIN_FIRST_ACTION),
                            "other than the function's role sign")

    def test_the_function_allowed_more_than_sign_and_get_public_key_is_refused(self):
        self.assert_refused(replaced(FUNCTION_ACTIONS, FUNCTION_ACTIONS + "              - kms:Decrypt\n"),
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


if __name__ == "__main__":
    unittest.main()
