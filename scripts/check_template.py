#!/usr/bin/env python3
"""Checks what SAM turns template.yaml into, as CloudFormation will receive it: each function that an API invokes
runs SnapStart on published versions, behind an alias, and every API integration and invoke permission of that
function names the alias, so that no request reaches $LATEST (which has no snapshot). And the KMS keys' policies do
what docs/operations.md says: every action named (no wildcard), nobody may kms:CreateGrant, only the function's role
may kms:Sign, and the function's role may do nothing with KMS but kms:Sign and kms:GetPublicKey (nor do its IAM
policies grant more). cfn-lint and `sam validate --lint` see the template, not this.

Needs SAM's translator: run it with SAM's own python (the Makefile does).
"""
import json
import os
import sys
from pathlib import Path

try:
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
except ImportError:  # pragma: no cover - a message, not a test
    sys.exit("check_template: SAM's translator is missing from %s (run it with SAM's python)" % sys.executable)

ROOT = Path(__file__).resolve().parent.parent

FUNCTION_KMS_ACTIONS = {"kms:Sign", "kms:GetPublicKey"}
# What the function does to its table: reads, and the replay records it writes and gives back (store.DynamoReplayGuard),
# the writes only under keys that start with jti#.
# BatchGetItem: a token exchange with an OIDC token reads its issuer and candidate rules in one call.
FUNCTION_DYNAMODB_READS = {"dynamodb:GetItem", "dynamodb:BatchGetItem"}
FUNCTION_DYNAMODB_WRITES = {"dynamodb:PutItem", "dynamodb:DeleteItem"}
# AWS managed policies the function's role may carry: CloudWatch Logs only, no KMS.
MANAGED_POLICIES = {"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}


class NoManagedPolicies:
    """The translator asks for AWS managed policy ARNs only when the template names some; ours names none."""

    def load(self):
        return {}


def translate(path):
    template = yaml_parse(Path(path).read_text(encoding="utf-8"))
    for resource in template.get("Resources", {}).values():  # local paths are made S3 URIs by `sam deploy`
        properties = resource.get("Properties", {})
        for uri in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(uri), str) and not properties[uri].startswith("s3://"):
                properties[uri] = "s3://bucket/" + properties[uri].strip("/") + ".zip"
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # the translator wants one for ARNs
    return transform(template, {}, NoManagedPolicies())["Resources"]


def check(path):
    resources = translate(path)
    functions = [k for k, v in resources.items() if v["Type"] == "AWS::Lambda::Function"]
    permissions = [v["Properties"] for v in resources.values() if v["Type"] == "AWS::Lambda::Permission"
                   and v["Properties"].get("Principal") == "apigateway.amazonaws.com"]
    apis = json.dumps([v["Properties"].get("Body") for v in resources.values()
                       if v["Type"] in ("AWS::ApiGatewayV2::Api", "AWS::ApiGateway::RestApi")])
    problems, summary = [], []
    for function in functions:
        aliases = [k for k, v in resources.items() if v["Type"] == "AWS::Lambda::Alias"
                   and v["Properties"]["FunctionName"] == {"Ref": function}]
        invoked = [p for p in permissions if p["FunctionName"] in [{"Ref": function}] + [{"Ref": a} for a in aliases]]
        if not invoked and f"${{{function}" not in apis:
            continue  # not behind an API
        snap_start = resources[function]["Properties"].get("SnapStart")
        if snap_start != {"ApplyOn": "PublishedVersions"}:
            problems.append(f"{function}: SnapStart is {snap_start}, not ApplyOn: PublishedVersions")
        if len(aliases) != 1:
            problems.append(f"{function}: {len(aliases)} aliases (AutoPublishAlias makes one)")
            continue
        alias = aliases[0]
        unaliased = [p for p in invoked if p["FunctionName"] != {"Ref": alias}]
        if unaliased:
            problems.append(f"{function}: {len(unaliased)} API invoke permissions name the function, not {alias}")
        if f"${{{function}.Arn}}" in apis or f"${{{function}}}" in apis:
            problems.append(f"{function}: an API integration invokes the function, not {alias}")
        routes = apis.count(f"${{{alias}}}")
        if not routes:
            problems.append(f"{function}: no API integration invokes {alias}")
        name = resources[alias]["Properties"]["Name"]
        summary.append(f"{function}: SnapStart on published versions; {routes} API routes and "
                       f"{len(invoked) - len(unaliased)} invoke permissions use the alias {name}")
    if not summary and not problems:
        problems.append("no function behind an API in the template")
    roles = {resources[f]["Properties"].get("Role", {}).get("Fn::GetAtt", [None])[0] for f in functions}
    check_kms(resources, roles - {None}, problems, summary)
    check_dynamodb(resources, roles - {None}, problems, summary)
    for line in summary:
        print(f"check_template: {line}")
    for problem in problems:
        print(f"check_template: {problem}", file=sys.stderr)
    return 1 if problems else 0


def as_list(value):
    return value if isinstance(value, list) else [value]


def statements(document):
    return [st for st in as_list(document.get("Statement", [])) if st.get("Effect") == "Allow"]


def names_role(statement, roles):
    principal = statement.get("Principal")
    principals = as_list(principal.get("AWS", [])) if isinstance(principal, dict) else [principal]
    return any(p == {"Fn::GetAtt": [role, "Arn"]} for p in principals for role in roles)


def check_kms(resources, roles, problems, summary):
    """Every KMS key's policy, and the KMS actions of the functions' roles."""
    for name, key in resources.items():
        if key["Type"] != "AWS::KMS::Key":
            continue
        before = len(problems)
        sign_granted = False
        for statement in statements(key["Properties"].get("KeyPolicy", {})):
            actions = as_list(statement.get("Action", []))
            sid = statement.get("Sid", "a statement")
            wildcards = [a for a in actions if "*" in a or "?" in a]
            if wildcards or statement.get("NotAction"):
                problems.append(f"{name}: {sid} uses wildcard actions {wildcards or 'NotAction'}; name each action")
            if "kms:CreateGrant" in actions:
                problems.append(f"{name}: {sid} allows kms:CreateGrant, with which its principal can grant itself Sign")
            if names_role(statement, roles):
                extra = sorted(set(actions) - FUNCTION_KMS_ACTIONS)
                if extra:
                    problems.append(f"{name}: {sid} gives the function's role {extra} "
                                    f"beyond {sorted(FUNCTION_KMS_ACTIONS)}")
                sign_granted |= "kms:Sign" in actions
            elif "kms:Sign" in actions:
                problems.append(f"{name}: {sid} lets a principal other than the function's role sign")
        if not sign_granted:
            problems.append(f"{name}: the key policy does not let the function's role sign")
        if len(problems) == before:
            summary.append(f"{name}: the key policy names every action, grants no kms:CreateGrant, and lets only "
                           f"the function's role sign")
    for role in sorted(roles):
        before = len(problems)
        properties = resources.get(role, {}).get("Properties", {})
        for arn in properties.get("ManagedPolicyArns", []):
            if arn not in MANAGED_POLICIES:
                problems.append(f"{role}: managed policy {arn} is not known to be free of KMS permissions")
        for policy in properties.get("Policies", []):
            for statement in statements(policy.get("PolicyDocument", {})):
                for action in as_list(statement.get("Action", [])):
                    if action.lower().startswith("kms:") or action == "*":
                        if action not in FUNCTION_KMS_ACTIONS:
                            problems.append(f"{role}: its IAM policy allows {action}")
                if statement.get("NotAction"):
                    problems.append(f"{role}: its IAM policy uses NotAction")
        if len(problems) == before:
            summary.append(f"{role}: KMS permissions at most {sorted(FUNCTION_KMS_ACTIONS)}")


def check_dynamodb(resources, roles, problems, summary):
    """The functions' roles may read their table, and write and delete only replay records (jti#...), all of them."""
    for role in sorted(roles):
        before = len(problems)
        granted = set()
        for policy in resources.get(role, {}).get("Properties", {}).get("Policies", []):
            for statement in statements(policy.get("PolicyDocument", {})):
                actions = {a for a in as_list(statement.get("Action", [])) if a.lower().startswith("dynamodb:")}
                granted |= actions
                unknown = sorted(actions - FUNCTION_DYNAMODB_READS - FUNCTION_DYNAMODB_WRITES)
                if unknown:
                    problems.append(f"{role}: its IAM policy allows {unknown} on DynamoDB")
                writes = actions & FUNCTION_DYNAMODB_WRITES
                leading = (statement.get("Condition", {}).get("ForAllValues:StringLike", {})
                           .get("dynamodb:LeadingKeys"))
                if writes and as_list(leading) != ["jti#*"]:
                    problems.append(f"{role}: {sorted(writes)} not limited to the replay records' keys (jti#*)")
        missing = sorted((FUNCTION_DYNAMODB_READS | FUNCTION_DYNAMODB_WRITES) - granted)
        if missing:
            problems.append(f"{role}: lacks {missing}, which the function calls (a replay record is given back "
                            f"with DeleteItem when a token cannot be made)")
        if len(problems) == before:
            summary.append(f"{role}: DynamoDB GetItem and BatchGetItem, and PutItem and DeleteItem of jti# records only")


if __name__ == "__main__":
    sys.exit(check(sys.argv[1] if len(sys.argv) > 1 else ROOT / "template.yaml"))
