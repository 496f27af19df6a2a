#!/usr/bin/env python3
"""Checks what SAM turns template.yaml into, as CloudFormation will receive it: each function that an API invokes
runs SnapStart on published versions, behind an alias, and every API integration and invoke permission of that
function names the alias, so that no request reaches $LATEST (which has no snapshot). cfn-lint and
`sam validate --lint` see the template, not this.

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
    for line in summary:
        print(f"check_template: {line}")
    for problem in problems:
        print(f"check_template: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(check(sys.argv[1] if len(sys.argv) > 1 else ROOT / "template.yaml"))
