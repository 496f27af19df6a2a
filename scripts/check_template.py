#!/usr/bin/env python3
"""Checks what SAM turns template.yaml into, as CloudFormation will receive it: each function that an API invokes
runs SnapStart on published versions, behind an alias, and every API integration and invoke permission of that
function names the alias, so that no request reaches $LATEST (which has no snapshot). And the KMS keys' policies do
what docs/operations.md says: every action named (no wildcard), nobody may kms:CreateGrant, only the function's role
may kms:Sign, and the function's role may do nothing with KMS but kms:Sign and kms:GetPublicKey (nor do its IAM
policies grant more). cfn-lint and `sam validate --lint` see the template, not this.

And the deployments docs/multi-region.md describes, region by region, with the parameters samconfig.toml gives each
region's stack (conditions, rules and intrinsic functions evaluated here): one region stays as it was (a table, a key);
with several, the primary's stack makes the global table with a replica in every region and a multi-Region key, each
replica region's stack a replica of that key and no table of its own, and every region a latency record tied to a
health check of its own /health; a certificate of another region fails the stack's rules.

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
# Imported Frontier secrets (store.DynamoLegacySecrets): UpdateItem of the legacy-check budgets, and of a secret's
# hash and nothing else of it. Each key prefix with the attributes its updates may name.
FUNCTION_DYNAMODB_UPDATES = {
    "legacy-checks#*": {"pk", "type", "checks", "window_ends", "expires_at"},
    "secret#*": {"pk", "type", "secret_hash"},
}
# AWS managed policies the function's role may carry: CloudWatch Logs only, no KMS.
# The rotation function (EnableSecretRotation): service users and client secrets only, secrets it rotates only.
ROTATION_DYNAMODB_READS = {"dynamodb:GetItem", "dynamodb:BatchGetItem"}
ROTATION_DYNAMODB_WRITES = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                            "dynamodb:ConditionCheckItem"}
ROTATION_KEYS = ["serviceuser#*", "secret#*"]
ROTATION_SECRETS_ACTIONS = {"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
                            "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"}
MANAGED_POLICIES = {"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}


class NoManagedPolicies:
    """The translator asks for AWS managed policy ARNs only when the template names some; ours names none."""

    def load(self):
        return {}


def translate(path):
    return translated(path)["Resources"]


def translated(path):
    template = yaml_parse(Path(path).read_text(encoding="utf-8"))
    for resource in template.get("Resources", {}).values():  # local paths are made S3 URIs by `sam deploy`
        properties = resource.get("Properties", {})
        for uri in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(uri), str) and not properties[uri].startswith("s3://"):
                properties[uri] = "s3://bucket/" + properties[uri].strip("/") + ".zip"
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # the translator wants one for ARNs
    return transform(template, {}, NoManagedPolicies())


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
    rotators = {p["FunctionName"].get("Ref") for p in (v["Properties"] for v in resources.values()
                if v["Type"] == "AWS::Lambda::Permission")
                if p.get("Principal") == "secretsmanager.amazonaws.com" and isinstance(p["FunctionName"], dict)}
    role_of = {f: resources[f]["Properties"].get("Role", {}).get("Fn::GetAtt", [None])[0] for f in functions}
    roles = {role_of[f] for f in functions if f not in rotators}
    rotation_roles = {role_of[f] for f in functions if f in rotators} - {None}
    check_kms(resources, roles - {None}, problems, summary)
    check_dynamodb(resources, roles - {None}, problems, summary)
    check_rotation(resources, rotation_roles, problems, summary)
    template = translated(path)
    check_single_region(template, problems, summary)
    check_multi_region(template, MULTI_REGION, problems, summary)
    from_samconfig = samconfig_deployment(ROOT / "samconfig.toml")
    if from_samconfig:
        check_multi_region(template, from_samconfig, problems, summary)
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
        if key["Type"] not in ("AWS::KMS::Key", "AWS::KMS::ReplicaKey"):
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
                unknown = sorted(actions - FUNCTION_DYNAMODB_READS - FUNCTION_DYNAMODB_WRITES - {"dynamodb:UpdateItem"})
                if unknown:
                    problems.append(f"{role}: its IAM policy allows {unknown} on DynamoDB")
                writes = actions & FUNCTION_DYNAMODB_WRITES
                leading = (statement.get("Condition", {}).get("ForAllValues:StringLike", {})
                           .get("dynamodb:LeadingKeys"))
                if writes and as_list(leading) != ["jti#*"]:
                    problems.append(f"{role}: {sorted(writes)} not limited to the replay records' keys (jti#*)")
                if "dynamodb:UpdateItem" in actions:
                    attributes = set(as_list(statement.get("Condition", {}).get("ForAllValues:StringEquals", {})
                                             .get("dynamodb:Attributes")))
                    prefixes = as_list(leading)
                    if (len(prefixes) != 1 or prefixes[0] not in FUNCTION_DYNAMODB_UPDATES or not attributes
                            or not attributes <= FUNCTION_DYNAMODB_UPDATES[prefixes[0]]):
                        problems.append(f"{role}: UpdateItem not limited to {sorted(FUNCTION_DYNAMODB_UPDATES)} "
                                        f"and their attributes")
        missing = sorted((FUNCTION_DYNAMODB_READS | FUNCTION_DYNAMODB_WRITES) - granted)
        if missing:
            problems.append(f"{role}: lacks {missing}, which the function calls (a replay record is given back "
                            f"with DeleteItem when a token cannot be made)")
        if len(problems) == before:
            summary.append(f"{role}: DynamoDB GetItem and BatchGetItem, PutItem and DeleteItem of jti# records only, UpdateItem of "
                           f"legacy-check budgets and of secrets' hashes only")


def check_rotation(resources, roles, problems, summary):
    """The rotation function's role: no KMS; DynamoDB on service users and client secrets only; Secrets Manager only
    on the secrets that name it as their rotation function."""
    for role in sorted(roles):
        before = len(problems)
        properties = resources.get(role, {}).get("Properties", {})
        for arn in properties.get("ManagedPolicyArns", []):
            if arn not in MANAGED_POLICIES:
                problems.append(f"{role}: managed policy {arn} is not known to be free of other permissions")
        granted = set()
        for policy in properties.get("Policies", []):
            for statement in statements(policy.get("PolicyDocument", {})):
                actions = set(as_list(statement.get("Action", [])))
                granted |= actions
                if statement.get("NotAction") or "*" in actions:
                    problems.append(f"{role}: its IAM policy uses NotAction or *")
                if any(a.lower().startswith("kms:") for a in actions):
                    problems.append(f"{role}: its IAM policy allows KMS {sorted(actions)}; the rotation never signs")
                dynamo = {a for a in actions if a.lower().startswith("dynamodb:")}
                unknown = sorted(dynamo - ROTATION_DYNAMODB_READS - ROTATION_DYNAMODB_WRITES)
                if unknown:
                    problems.append(f"{role}: its IAM policy allows {unknown} on DynamoDB")
                leading = (statement.get("Condition", {}).get("ForAllValues:StringLike", {})
                           .get("dynamodb:LeadingKeys"))
                if dynamo & ROTATION_DYNAMODB_WRITES and sorted(as_list(leading)) != sorted(ROTATION_KEYS):
                    problems.append(f"{role}: DynamoDB writes not limited to {ROTATION_KEYS}")
                secrets = {a for a in actions if a.lower().startswith("secretsmanager:")}
                if secrets - ROTATION_SECRETS_ACTIONS:
                    problems.append(f"{role}: its IAM policy allows {sorted(secrets - ROTATION_SECRETS_ACTIONS)}")
                condition = statement.get("Condition", {}).get("StringEquals", {})
                if secrets and "secretsmanager:resource/AllowRotationLambdaArn" not in condition:
                    problems.append(f"{role}: Secrets Manager actions not limited to the secrets it rotates "
                                    f"(secretsmanager:resource/AllowRotationLambdaArn)")
        missing = sorted((ROTATION_DYNAMODB_READS | ROTATION_DYNAMODB_WRITES | ROTATION_SECRETS_ACTIONS) - granted)
        if missing:
            problems.append(f"{role}: lacks {missing}, which the rotation calls")
        if len(problems) == before:
            summary.append(f"{role}: no KMS; DynamoDB writes to {ROTATION_KEYS} only; Secrets Manager on the secrets "
                           f"it rotates only")


# ---- Deployments, region by region --------------------------------------------------------------------------------

ACCOUNT = "123456789012"
PRIMARY_KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-0123456789abcdef0123456789abcdef"
# The multi-region deployment samconfig.toml's environments describe: us-east-1 first, then two replica regions.
MULTI_REGION = {
    "primary": "us-east-1",
    "replicas": ["eu-west-1", "ap-southeast-2"],
    "parameters": {"TableName": "token-issuer", "DomainName": "auth.example.com", "HostedZoneId": "Z0123456789ABC",
                   "DisableExecuteApiEndpoint": "true"},
}
NO_VALUE = object()


class Unresolved(str):
    """A value known only after deployment (a resource's Ref or attribute), named for comparisons."""


class Stack:
    """One region's stack: the template's parameters, conditions, rules and intrinsic functions evaluated."""

    def __init__(self, template, region, parameters):
        self.template, self.region = template, region
        self.parameters = {name: str(spec.get("Default", "")) for name, spec in template.get("Parameters", {}).items()}
        unknown = set(parameters) - set(self.parameters)
        if unknown:
            raise ValueError(f"no such parameters: {sorted(unknown)}")
        self.parameters.update(parameters)
        self.conditions = {}

    def condition(self, name):
        if name not in self.conditions:
            self.conditions[name] = bool(self.value(self.template["Conditions"][name]))
        return self.conditions[name]

    def resources(self):
        return {name: resource for name, resource in self.template["Resources"].items()
                if "Condition" not in resource or self.condition(resource["Condition"])}

    def of_type(self, kind):
        return {name: r for name, r in self.resources().items() if r["Type"] == kind}

    def failed_rules(self):
        failed = []
        for name, rule in self.template.get("Rules", {}).items():
            if "RuleCondition" in rule and not self.value(rule["RuleCondition"]):
                continue
            failed += [f"{name}: {a.get('AssertDescription', '').strip()}" for a in rule["Assertions"]
                       if not self.value(a["Assert"])]
        return failed

    def ref(self, name):
        pseudo = {"AWS::Region": self.region, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws",
                  "AWS::StackName": "token-issuer", "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": NO_VALUE}
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        return Unresolved("{Ref:%s}" % name)

    def value(self, node):
        if isinstance(node, list):
            return [v for v in (self.value(item) for item in node) if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, arg), = node.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Condition":
                return self.condition(arg)
            if key == "Fn::If":
                return self.value(arg[1] if self.condition(arg[0]) else arg[2])
            if key == "Fn::Equals":
                return self.value(arg[0]) == self.value(arg[1])
            if key == "Fn::Not":
                return not self.value(arg[0])
            if key == "Fn::And":
                return all(self.value(a) for a in arg)
            if key == "Fn::Or":
                return any(self.value(a) for a in arg)
            if key == "Fn::Select":
                return self.value(arg[1])[int(self.value(arg[0]))]
            if key == "Fn::Split":
                return self.value(arg[1]).split(arg[0])
            if key == "Fn::Join":
                return arg[0].join(self.value(arg[1]))
            if key == "Fn::GetAtt":
                target = arg if isinstance(arg, list) else arg.split(".", 1)
                return Unresolved("{GetAtt:%s}" % ".".join(target))
            if key == "Fn::Sub":
                text, names = (arg, {}) if isinstance(arg, str) else (arg[0], self.value(arg[1]))
                import re
                return re.sub(r"\$\{([^}!]+)\}", lambda m: str(names[m.group(1)] if m.group(1) in names
                                                             else self.sub_ref(m.group(1))), text)
        return {k: v for k, v in ((k, self.value(v)) for k, v in node.items()) if v is not NO_VALUE}

    def sub_ref(self, name):
        if "." in name and not name.startswith("AWS::"):
            return Unresolved("{GetAtt:%s}" % name)
        return self.ref(name)

    def environment(self):
        functions = self.of_type("AWS::Lambda::Function")
        return {name: self.value(f["Properties"].get("Environment", {}).get("Variables", {}))
                for name, f in functions.items()}


def samconfig_deployment(path):
    """The multi-region deployment samconfig.toml's per-region environments describe, or None."""
    import shlex
    import tomllib
    stacks, names = {}, set()
    for env, config in tomllib.loads(Path(path).read_text(encoding="utf-8")).items():
        if not isinstance(config, dict):
            continue
        overrides = config.get("deploy", {}).get("parameters", {}).get("parameter_overrides", "")
        parameters = dict(item.split("=", 1) for item in shlex.split(overrides))
        if parameters.get("PrimaryRegion"):
            region = config.get("global", {}).get("parameters", {}).get("region")
            stacks[region] = parameters
            names.add(config.get("global", {}).get("parameters", {}).get("stack_name"))
    if not stacks:
        return None
    shared = {k: {p.get(k) for p in stacks.values()} for k in ("PrimaryRegion", "ReplicaRegions", "TableName",
                                                              "DomainName", "HostedZoneId")}
    disagree = sorted(k for k, values in shared.items() if len(values) != 1) + (["stack_name"] if len(names) != 1 else [])
    primary = next(iter(shared["PrimaryRegion"]))
    replicas = next(iter(shared["ReplicaRegions"])).split(",")
    return {"primary": primary, "replicas": replicas, "stacks": stacks, "disagree": disagree,
            "parameters": {"TableName": next(iter(shared["TableName"])), "DomainName": next(iter(shared["DomainName"]))}}


def region_parameters(deployment, region):
    """The parameters the stack in `region` is deployed with."""
    if "stacks" in deployment:
        return deployment["stacks"].get(region, {})
    parameters = dict(deployment["parameters"], PrimaryRegion=deployment["primary"],
                      ReplicaRegions=",".join(deployment["replicas"]),
                      CertificateArn=f"arn:aws:acm:{region}:{ACCOUNT}:certificate/0000-1111")
    if region != deployment["primary"]:
        parameters["PrimarySigningKeyArn"] = PRIMARY_KEY_ARN.replace("us-east-1", deployment["primary"])
    return parameters


def check_single_region(template, problems, summary):
    stack = Stack(template, "us-east-1", {})
    before = len(problems)
    if stack.failed_rules():
        problems.append(f"one region: the rules fail: {stack.failed_rules()}")
    if len(stack.of_type("AWS::DynamoDB::Table")) != 1 or stack.of_type("AWS::DynamoDB::GlobalTable"):
        problems.append("one region: not exactly one table, or a global table")
    keys = stack.of_type("AWS::KMS::Key")
    if len(keys) != 1 or stack.of_type("AWS::KMS::ReplicaKey"):
        problems.append("one region: not exactly one KMS key, or a replica key")
    elif stack.value(next(iter(keys.values()))["Properties"]).get("MultiRegion"):
        problems.append("one region: the template's key became multi-Region (replacing a deployed one)")
    for kind in ("AWS::Route53::RecordSet", "AWS::Route53::HealthCheck", "AWS::ApiGatewayV2::DomainName"):
        if stack.of_type(kind):
            problems.append(f"one region without a domain: has {kind}")
    env = stack.environment()
    if any("REPLAY_REGION" in e or "PUBLIC_BASE_URL" in e for e in env.values()):
        problems.append("one region without a domain: the function is given REPLAY_REGION or PUBLIC_BASE_URL")
    if len(problems) == before:
        summary.append("one region: one table, one single-region key, no domain or Route 53 resources (as before)")


def check_multi_region(template, deployment, problems, summary):
    before = len(problems)
    primary, replicas = deployment["primary"], deployment["replicas"]
    regions = [primary] + replicas
    table = deployment["parameters"]["TableName"]
    domain = deployment["parameters"]["DomainName"]
    if deployment.get("disagree"):
        problems.append(f"samconfig.toml: the regions' environments differ in {deployment['disagree']}")
    for region in regions:
        if not region_parameters(deployment, region):
            problems.append(f"{region}: no environment deploys it (samconfig.toml)")
            continue
        stack = Stack(template, region, region_parameters(deployment, region))
        where = f"{region} ({'primary' if region == primary else 'replica'})"
        if stack.failed_rules():
            problems.append(f"{where}: the rules fail: {stack.failed_rules()}")
        if stack.of_type("AWS::DynamoDB::Table"):
            problems.append(f"{where}: a regional table besides the global table")
        global_tables = stack.of_type("AWS::DynamoDB::GlobalTable")
        if region == primary:
            if len(global_tables) != 1:
                problems.append(f"{where}: {len(global_tables)} global tables, not one")
            for name, resource in global_tables.items():
                properties = stack.value(resource["Properties"])
                replica_regions = [r["Region"] for r in properties.get("Replicas", [])]
                if sorted(replica_regions) != sorted(regions):
                    problems.append(f"{where}: {name} has replicas in {replica_regions}, not in {regions}")
                if properties.get("TableName") != table:
                    problems.append(f"{where}: {name} is named {properties.get('TableName')}, not {table}")
        elif global_tables:
            problems.append(f"{where}: makes a global table (only the primary's stack may)")
        keys, replica_keys = stack.of_type("AWS::KMS::Key"), stack.of_type("AWS::KMS::ReplicaKey")
        local_key = None
        if region == primary:
            if len(keys) != 1 or replica_keys:
                problems.append(f"{where}: not exactly one KMS key and no replica key")
            for name, key in keys.items():
                local_key = name
                if stack.value(key["Properties"]).get("MultiRegion") is not True:
                    problems.append(f"{where}: {name} is not a multi-Region key")
        else:
            if keys or len(replica_keys) != 1:
                problems.append(f"{where}: {len(replica_keys)} replica keys and {len(keys)} keys, not one replica")
            for name, key in replica_keys.items():
                local_key = name
                arn = stack.value(key["Properties"]).get("PrimaryKeyArn")
                if not arn or arn != region_parameters(deployment, region).get("PrimarySigningKeyArn"):
                    problems.append(f"{where}: {name} replicates {arn}, not the primary's key")
        for name, alias in stack.of_type("AWS::KMS::Alias").items():
            properties = stack.value(alias["Properties"])
            target = properties.get("TargetKeyId")
            # A replica has the primary's key id; the alias must also wait for the replica (a reference to it).
            expected = "{Ref:%s}" % local_key if region == primary else \
                region_parameters(deployment, region).get("PrimarySigningKeyArn", "").split("key/")[-1]
            if target != expected:
                problems.append(f"{where}: {name} names {target}, not this region's key {local_key}")
            if region != primary and "{Ref:%s}" % local_key not in json.dumps(alias["Properties"]) \
                    .replace('{"Ref": "%s"}' % local_key, "{Ref:%s}" % local_key):
                problems.append(f"{where}: {name} does not wait for {local_key} (no reference to it)")
            if not str(properties.get("AliasName", "")).endswith("-signing"):
                problems.append(f"{where}: {name} is named {properties.get('AliasName')}")
        for name, env in stack.environment().items():
            if env.get("TABLE_NAME") != table:
                problems.append(f"{where}: {name} reads table {env.get('TABLE_NAME')}, not the global table {table}")
            if "SIGNING_KEY_ID" not in env:
                continue  # not a token function (the secret rotation's): it signs nothing and names no issuer
            if env.get("REPLAY_REGION") != primary:
                problems.append(f"{where}: {name} records replays in {env.get('REPLAY_REGION')}, not in {primary}")
            if env.get("PUBLIC_BASE_URL") != f"https://{domain}":
                problems.append(f"{where}: {name} is not named by https://{domain}: {env.get('PUBLIC_BASE_URL')}")
        checks = stack.of_type("AWS::Route53::HealthCheck")
        latency = [stack.value(r["Properties"]) for r in stack.of_type("AWS::Route53::RecordSet").values()
                   if stack.value(r["Properties"]).get("Region")]
        if len(latency) != 1:
            problems.append(f"{where}: {len(latency)} latency records, not one")
        for record in latency:
            if record.get("Region") != region or record.get("SetIdentifier") != region or record.get("Name") != domain:
                problems.append(f"{where}: the latency record is {record.get('Name')} for {record.get('Region')}")
            check_ref = record.get("HealthCheckId", "")
            check_name = check_ref[5:-1] if check_ref.startswith("{Ref:") else None
            if check_name not in checks:
                problems.append(f"{where}: the latency record has no health check of this stack ({check_ref})")
                continue
            config = stack.value(checks[check_name]["Properties"])["HealthCheckConfig"]
            if config.get("ResourcePath") != "/health" or config.get("FullyQualifiedDomainName") != f"{region}.{domain}":
                problems.append(f"{where}: {check_name} calls {config.get('FullyQualifiedDomainName')}"
                                f"{config.get('ResourcePath')}, not {region}.{domain}/health")
        apis = json.dumps([r["Properties"].get("Body") for r in stack.of_type("AWS::ApiGatewayV2::Api").values()])
        if '"/health"' not in apis:
            problems.append(f"{where}: the API has no /health route for the health check")
        # SAM writes HttpApi's DisableExecuteApiEndpoint into the OpenAPI body.
        endpoints = [stack.value(server.get("x-amazon-apigateway-endpoint-configuration", {}))
                     for api in stack.of_type("AWS::ApiGatewayV2::Api").values()
                     for server in api["Properties"].get("Body", {}).get("servers", [])]
        if not endpoints or any(e.get("disableExecuteApiEndpoint") is not True for e in endpoints):
            problems.append(f"{where}: the execute-api endpoint stays on with DisableExecuteApiEndpoint true")
    wrong_certificate = dict(region_parameters(deployment, replicas[0]),
                             CertificateArn=region_parameters(deployment, primary).get("CertificateArn", ""))
    if not any(r.startswith("CertificateInThisRegion") for r in
               Stack(template, replicas[0], wrong_certificate).failed_rules()):
        problems.append(f"{replicas[0]}: a certificate of {primary} does not fail the stack's rules")
    if len(problems) == before:
        summary.append(f"{'samconfig.toml: ' if 'stacks' in deployment else ''}{len(regions)} regions ({primary} primary, {', '.join(replicas)}): the primary makes the "
                       f"global table with a replica in each and a multi-Region key, each replica region a replica "
                       f"key; one latency record per region tied to its /health check; a certificate of another "
                       f"region fails the rules")


if __name__ == "__main__":
    sys.exit(check(sys.argv[1] if len(sys.argv) > 1 else ROOT / "template.yaml"))
