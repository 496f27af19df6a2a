#!/usr/bin/env python3
"""The deployment's smoke test and cold-start benchmark: the function exactly as `sam build` built it, run by the
Lambda Runtime Interface Emulator (aws-lambda-rie) and the Java runtime interface client, against the AWS emulator.

  lambda_rie.py smoke [--template FILE]   post every events/*.json to the function; check each answer
  lambda_rie.py bench [--runs N]          cold start (Init, first invoke) and warm invokes, median of N fresh runs

Everything about the function comes from the template (default template.yaml), nothing is repeated here:
  - the handler string, runtime, memory size, timeout and log settings of the one AWS::Serverless::Function
    (Globals merged);
  - its code: .aws-sam/build/<FunctionId> is the task root (Lambda's /var/task), which the runtime interface client
    loads as Lambda does (classes at the root, jars in lib/), from the working directory;
  - its layers: each `!Ref <LayerId>` of Layers is .aws-sam/build/<LayerId>, merged in order into a directory that
    stands for /opt; <that>/java/lib/*.jar go on the class path (Lambda's /opt/java/lib: the client looks there
    itself, but /opt is not ours to write on a shared machine, so the jars go on the runtime's class path instead);
  - its environment: Environment.Variables resolved as CloudFormation would: literals as they are, parameters to
    their defaults, resources to what this script provisions in the emulator (the DynamoDB table and the KMS key
    and alias, with the fixed credential the sample events carry), pseudo parameters to an emulated stack. Lambda's
    own variables (AWS_REGION, AWS_LAMBDA_FUNCTION_MEMORY_SIZE, LAMBDA_TASK_ROOT, ...) are added, AWS_ENDPOINT_URL
    points at the emulator, and nothing else of this shell's environment reaches the function.

It needs AWS_ENDPOINT_URL (scripts/with-moto.sh sets it), `sam build` output, `mvn package` output (admin/target) and
aws-lambda-rie on PATH. The runtime interface client comes from Maven (tools/pom.xml, pinned). Run it with a python
that has PyYAML (SAM's own has; the Makefile uses it).
"""
import argparse
import copy
import hashlib
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover - a message, not a test
    sys.exit("lambda_rie: PyYAML is missing from %s (run it with SAM's python, as the Makefile does)" % sys.executable)

ROOT = Path(__file__).resolve().parent.parent
PROG = "lambda-rie"

# What each sample event must be answered, as it is: beside the events, the list EventsIT reads too. A file in events/ without an entry
# fails the test. A sample that carries the fixture's assertion placeholder is also posted with a fresh assertion in
# its place, and must then get a token.
EXPECTED_STATUS_FILE = ROOT / "events/expected-statuses.json"
EXPECTED_STATUS = {name: status for name, status in json.loads(EXPECTED_STATUS_FILE.read_text()).items()
                   if not name.startswith("_")}

RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
INVOKE_PATH = "/2015-03-31/functions/function/invocations"
FIXTURE_MAIN = "dev.tokenissuer.e2e.SampleEventsFixture"
ACCOUNT_ID = "123456789012"  # moto's default account


class Failure(Exception):
    """A check failed: the message says which and why."""


def log(message):
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


# --- the template ------------------------------------------------------------------------------------------------

class CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !Sub, !GetAtt, !If, ...) read as their long forms."""


def _cfn_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    if suffix == "Condition":
        return {"Condition": value}
    return {"Fn::" + suffix: value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


def load_template(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=CfnLoader)


def merge_globals(globals_, props):
    """SAM's Globals: maps merge key by key, lists add up (globals first), other values are overridden."""
    if isinstance(globals_, dict) and isinstance(props, dict):
        merged = dict(globals_)
        for key, value in props.items():
            merged[key] = merge_globals(globals_[key], value) if key in globals_ else value
        return merged
    if isinstance(globals_, list) and isinstance(props, list):
        return globals_ + props
    return props


class Function:
    """The template's one AWS::Serverless::Function, with what Lambda needs to run it."""

    def __init__(self, template, logical_id=None):
        resources = template.get("Resources", {})
        functions = [k for k, v in resources.items() if v.get("Type") == "AWS::Serverless::Function"]
        if logical_id is None:
            if len(functions) != 1:
                raise Failure(f"the template has {len(functions)} functions ({', '.join(functions)}): name one")
            logical_id = functions[0]
        if logical_id not in functions:
            raise Failure(f"no AWS::Serverless::Function {logical_id} in the template")
        globals_ = template.get("Globals", {}).get("Function", {})
        self.logical_id = logical_id
        self.props = merge_globals(globals_, resources[logical_id].get("Properties", {}))
        self.handler = self.props.get("Handler")
        self.runtime = str(self.props.get("Runtime", ""))
        if not self.handler:
            raise Failure(f"{logical_id} has no Handler")
        if not self.runtime.startswith("java"):
            raise Failure(f"{logical_id} runs {self.runtime!r}, not a Java runtime")
        self.memory = int(self.props.get("MemorySize", 128))
        self.timeout = int(self.props.get("Timeout", 3))
        self.layers = []
        for layer in self.props.get("Layers", []):
            if not (isinstance(layer, dict) and "Ref" in layer
                    and resources.get(layer["Ref"], {}).get("Type") == "AWS::Serverless::LayerVersion"):
                raise Failure(f"layer {layer!r}: only !Ref to an AWS::Serverless::LayerVersion of the template "
                              f"can be built and run here")
            self.layers.append(layer["Ref"])
        self.environment = self.props.get("Environment", {}).get("Variables", {}) or {}

    def lambda_variables(self, task_root):
        """The variables Lambda itself sets for the runtime (those that matter to a Java function)."""
        logging = self.props.get("LoggingConfig", {}) or {}
        variables = {
            "AWS_LAMBDA_FUNCTION_NAME": self.logical_id,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory),
            "AWS_LAMBDA_FUNCTION_TIMEOUT": str(self.timeout),
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_EXECUTION_ENV": "AWS_Lambda_" + self.runtime,
            "LAMBDA_TASK_ROOT": str(task_root),
            "_HANDLER": self.handler,
            "TZ": ":UTC",
            "LANG": "en_US.UTF-8",
        }
        if logging.get("LogFormat"):
            variables["AWS_LAMBDA_LOG_FORMAT"] = str(logging["LogFormat"])
        if logging.get("ApplicationLogLevel"):
            variables["AWS_LAMBDA_LOG_LEVEL"] = str(logging["ApplicationLogLevel"])
        return variables


NO_VALUE = object()


class Resolver:
    """Resolves the intrinsic functions a function's environment may use, as CloudFormation would on deploy."""

    PSEUDO = {"AWS::AccountId": ACCOUNT_ID, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}

    def __init__(self, template, stack_name, region):
        self.template = template
        self.resources = template.get("Resources", {})
        self.parameters = template.get("Parameters", {})
        self.conditions = template.get("Conditions", {})
        self.pseudo = dict(self.PSEUDO, **{"AWS::StackName": stack_name, "AWS::Region": region,
                                           "AWS::StackId": f"arn:aws:cloudformation:{region}:{ACCOUNT_ID}:stack/"
                                                           f"{stack_name}/rie"})
        self.physical = {}    # logical id -> what !Ref returns
        self.attributes = {}  # (logical id, attribute) -> what !GetAtt returns

    def referenced_resources(self, node):
        """The logical ids of the resources `node` refers to."""
        found = set()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "Ref" and value in self.resources:
                    found.add(value)
                elif key == "Fn::GetAtt":
                    found.add(value.split(".")[0] if isinstance(value, str) else value[0])
                elif key == "Fn::Sub":
                    text = value if isinstance(value, str) else value[0]
                    found |= {m.split(".")[0] for m in re.findall(r"\$\{([^!}][^}]*)\}", text)} & set(self.resources)
                found |= self.referenced_resources(value)
        elif isinstance(node, list):
            for item in node:
                found |= self.referenced_resources(item)
        return found

    def value(self, node):
        if isinstance(node, bool):
            return "true" if node else "false"
        if isinstance(node, (str, int, float)):
            return str(node)
        if isinstance(node, dict) and len(node) == 1:
            (function, argument), = node.items()
            if function == "Ref":
                return self.ref(argument)
            if function == "Fn::GetAtt":
                return self.get_att(*(argument.split(".", 1) if isinstance(argument, str) else argument))
            if function == "Fn::Sub":
                return self.sub(argument)
            if function == "Fn::If":
                name, when_true, when_false = argument
                return self.value(when_true if self.condition(name) else when_false)
            if function == "Fn::Join":
                separator, items = argument
                return separator.join(v for v in map(self.value, items) if v is not NO_VALUE)
        raise Failure(f"cannot resolve {node!r}: teach scripts/lambda_rie.py's Resolver about it")

    def ref(self, name):
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            parameter = self.parameters[name]
            if "Default" not in parameter:
                raise Failure(f"parameter {name} has no default")
            return self.value(parameter["Default"])
        if name in self.physical:
            return self.physical[name]
        raise Failure(f"!Ref {name}: this test provisions no such resource "
                      f"({self.resources.get(name, {}).get('Type', 'not in the template')}); "
                      f"teach scripts/lambda_rie.py about it")

    def get_att(self, name, attribute):
        if (name, attribute) in self.attributes:
            return self.attributes[(name, attribute)]
        raise Failure(f"!GetAtt {name}.{attribute}: not provided by this test; teach scripts/lambda_rie.py about it")

    def sub(self, argument):
        text, variables = (argument, {}) if isinstance(argument, str) else argument

        def replace(match):
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return self.value(variables[name])
            if "." in name and name.split(".")[0] in self.resources:
                return self.get_att(*name.split(".", 1))
            return self.ref(name)

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def condition(self, name):
        if name not in self.conditions:
            raise Failure(f"no condition {name} in the template")
        return self.boolean(self.conditions[name])

    def boolean(self, node):
        (function, argument), = node.items()
        if function == "Fn::Equals":
            return self.value(argument[0]) == self.value(argument[1])
        if function == "Fn::Not":
            return not self.boolean(argument[0])
        if function == "Fn::And":
            return all(self.boolean(c) for c in argument)
        if function == "Fn::Or":
            return any(self.boolean(c) for c in argument)
        if function == "Condition":
            return self.condition(argument)
        raise Failure(f"cannot evaluate the condition {node!r}")

    def environment(self, variables):
        resolved = {}
        for name, node in variables.items():
            value = self.value(node)
            if value is not NO_VALUE:
                resolved[name] = value
        return resolved


# --- the emulated AWS resources ----------------------------------------------------------------------------------

class Provisioned:
    """The table, key and alias the function's environment refers to, created in the AWS emulator."""

    def __init__(self, template, function, region, endpoint):
        self.stack = "rie-" + secrets.token_hex(4)
        self.resolver = Resolver(template, self.stack, region)
        self.region = region
        self.endpoint = endpoint
        resources = self.resolver.resources
        referenced = self.resolver.referenced_resources(function.environment)
        tables = [r for r in referenced if resources[r]["Type"] == "AWS::DynamoDB::Table"]
        aliases = [r for r in referenced if resources[r]["Type"] == "AWS::KMS::Alias"]
        keys = {r for r in referenced if resources[r]["Type"] == "AWS::KMS::Key"}
        keys |= {self.resolver.referenced_resources(resources[a]["Properties"]["TargetKeyId"]).pop() for a in aliases}
        others = referenced - set(tables) - set(aliases) - keys
        if len(tables) != 1 or len(keys) != 1 or len(aliases) > 1:
            raise Failure(f"the environment refers to tables {tables}, keys {sorted(keys)}, aliases {aliases}: "
                          f"this test provisions one table and one KMS key (with at most one alias)")
        self.table_id, self.key_id_logical = tables[0], keys.pop()
        self.alias_id = aliases[0] if aliases else None
        for other in others:
            kind = resources[other]["Type"]
            if kind not in ("AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api"):
                raise Failure(f"the environment refers to {other} ({kind}): teach scripts/lambda_rie.py about it")
            self.resolver.physical[other] = "rie" + secrets.token_hex(3)  # an API id, as !Ref returns one

        table_name = self._property(self.table_id, "TableName")
        self.table = table_name if table_name is not None else f"{self.stack}-{self.table_id}-{secrets.token_hex(6)}"
        alias_name = self._property(self.alias_id, "AliasName") if self.alias_id else None
        self.alias = alias_name if alias_name is not None else f"alias/{self.stack}-signing"
        key_spec = self._property(self.key_id_logical, "KeySpec")
        self.key_spec = key_spec if key_spec is not None else "SYMMETRIC_DEFAULT"
        self.key_id = None

    def _property(self, logical_id, name):
        node = self.resolver.resources[logical_id].get("Properties", {}).get(name)
        if node is None:
            return None
        value = self.resolver.value(node)
        return None if value is NO_VALUE else value

    def create(self, aws_environment, assertions=1):
        classpath = [ROOT / "e2e/target/test-classes", ROOT / "admin/target/test-classes",
                     ROOT / "function/target/test-classes", ROOT / "admin/target/tokenctl.jar"]
        missing = [str(p) for p in classpath if not p.exists()]
        if missing:
            raise Failure(f"missing {', '.join(missing)}: run `make build` (mvn package) first")
        env = dict(aws_environment, TABLE_NAME=self.table, SIGNING_KEY_ID=self.alias, PATH=os.environ["PATH"])
        done = subprocess.run(["java", "-cp", os.pathsep.join(map(str, classpath)), FIXTURE_MAIN, self.key_spec,
                               str(assertions)],
                              env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise Failure(f"provisioning the emulator failed:\n{done.stderr}")
        self.fixture = json.loads(done.stdout)
        self.key_id = self.fixture["signing_key_id"]
        key_arn = f"arn:aws:kms:{self.region}:{ACCOUNT_ID}:key/{self.key_id}"
        physical, attributes = self.resolver.physical, self.resolver.attributes
        physical[self.table_id] = self.table
        attributes[(self.table_id, "Arn")] = f"arn:aws:dynamodb:{self.region}:{ACCOUNT_ID}:table/{self.table}"
        physical[self.key_id_logical] = self.key_id
        attributes[(self.key_id_logical, "Arn")] = key_arn
        attributes[(self.key_id_logical, "KeyId")] = self.key_id
        if self.alias_id:
            physical[self.alias_id] = self.alias
        log(f"emulator: table {self.table}, key {self.key_id} ({self.key_spec}) as {self.alias}, "
            f"and the sample events' credential")


# --- the runtime -------------------------------------------------------------------------------------------------

def runtime_interface_client():
    """The client's jars, fetched by Maven into target/ (again only when tools/pom.xml changes)."""
    pom = ROOT / "tools/pom.xml"
    directory = ROOT / "target/lambda-runtime-interface-client"
    stamp = directory / ".pom.sha256"
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == digest):
        shutil.rmtree(directory, ignore_errors=True)
        log(f"fetching the runtime interface client ({pom.relative_to(ROOT)}) ...")
        mvn = os.environ.get("MVN", "mvn -B -ntp").split()
        fetched = subprocess.run(mvn + ["-q", "-f", str(pom), "dependency:copy-dependencies", "-DincludeScope=runtime",
                                        f"-DoutputDirectory={directory}"], capture_output=True, text=True)
        if fetched.returncode != 0:  # quiet otherwise: Maven 3.8 prints stray terminal resets even with -B
            raise Failure(f"fetching the runtime interface client failed:\n{fetched.stdout}{fetched.stderr}")
        stamp.write_text(digest)
    jars = sorted(directory.glob("*.jar"))
    if not any(j.name.startswith("aws-lambda-java-runtime-interface-client-") for j in jars):
        raise Failure(f"no runtime interface client in {directory}")
    return jars


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulated:
    """One container: aws-lambda-rie running the runtime interface client on the built function."""

    def __init__(self, function, build_dir, environment, work_dir):
        self.task_root = (build_dir / function.logical_id).resolve()
        if not self.task_root.is_dir():
            raise Failure(f"{self.task_root} is missing: run `sam build` first")
        opt = work_dir / "opt"
        if not opt.exists():
            for layer in function.layers:  # Lambda extracts the layers into /opt, in order
                layer_dir = build_dir / layer
                if not layer_dir.is_dir():
                    raise Failure(f"{layer_dir} is missing: run `sam build` first")
                shutil.copytree(layer_dir, opt, dirs_exist_ok=True)
            opt.mkdir(exist_ok=True)
        self.classpath = [str(j) for j in runtime_interface_client()] + [str(opt / "java/lib/*")]
        self.port = free_port()
        self.environment = dict(environment, **function.lambda_variables(self.task_root))
        java = shutil.which("java")
        self.environment["PATH"] = os.pathsep.join([str(Path(java).parent), "/usr/local/bin", "/usr/bin", "/bin"])
        self.handler = function.handler
        self.log_path = work_dir / f"rie-{self.port}.log"
        self.process = None

    def start(self):
        rie = shutil.which("aws-lambda-rie")
        if rie is None:
            raise Failure("aws-lambda-rie is not on PATH (scripts/install-tools.sh installs it)")
        command = [rie, "--runtime-interface-emulator-address", f"127.0.0.1:{self.port}",
                   "--runtime-api-address", f"127.0.0.1:{free_port()}",
                   "java", "-cp", os.pathsep.join(self.classpath), RIC_MAIN, self.handler]
        self._log = open(self.log_path, "w")
        # Its own session, so that stop() ends the emulator and the JVM it started, and nothing else.
        self.process = subprocess.Popen(command, cwd=self.task_root, env=self.environment, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failure(f"aws-lambda-rie exited ({self.process.returncode}):\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise Failure(f"aws-lambda-rie did not listen on 127.0.0.1:{self.port}:\n{self.log()}")

    def invoke(self, name, payload, timeout):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{INVOKE_PATH}", data=payload, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read()
        except urllib.error.HTTPError as e:
            raise Failure(f"{name}: the emulator answered HTTP {e.code}, the runtime failed (its log follows): "
                          f"{e.read()[:300].decode(errors='replace')}")
        except OSError as e:
            raise Failure(f"{name}: no answer from the emulator: {e}")

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process:
            self._log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *_):
        self.stop()


def check_answer(name, raw, expected):
    """The function's answer to an event must be an API Gateway proxy response with the expected status and, for a
    200 from the token endpoint, a token."""
    try:
        answer = json.loads(raw)
    except ValueError:
        raise Failure(f"{name}: the answer is not JSON: {raw[:300]!r}")
    if not isinstance(answer, dict) or not isinstance(answer.get("statusCode"), int):
        raise Failure(f"{name}: not an API Gateway response (a function error?): {raw[:600].decode(errors='replace')}")
    if answer["statusCode"] != expected:
        raise Failure(f"{name}: status {answer['statusCode']}, expected {expected}: {answer.get('body')}")
    headers = {k.lower(): v for k, v in (answer.get("headers") or {}).items()}
    if headers.get("content-type") != "application/json":
        raise Failure(f"{name}: Content-Type {headers.get('content-type')!r}, expected application/json")
    body = json.loads(answer.get("body") or "null")
    if name.startswith("token-") and expected == 200 and not re.fullmatch(
            r"[\w-]+\.[\w-]+\.[\w-]+", str((body or {}).get("access_token", ""))):
        raise Failure(f"{name}: no access token in {answer.get('body')}")
    return answer["statusCode"]


# --- commands ----------------------------------------------------------------------------------------------------

def setup(args, work_dir, assertions=1):
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        raise Failure("AWS_ENDPOINT_URL is not set: run under scripts/with-moto.sh (the Makefile does)")
    region = os.environ.get("AWS_REGION", "us-east-1")
    template = load_template(args.template)
    function = Function(template, args.function)
    aws = {"AWS_REGION": region, "AWS_DEFAULT_REGION": region, "AWS_ENDPOINT_URL": endpoint,
           "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "test"),
           "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "test")}
    provisioned = Provisioned(template, function, region, endpoint)
    provisioned.create(aws, assertions)
    environment = dict(provisioned.resolver.environment(function.environment), **aws)
    log(f"{function.logical_id}: handler {function.handler}, {function.runtime}, layers {function.layers}, "
        f"environment {sorted(provisioned.resolver.environment(function.environment))}")
    return function, environment, provisioned


def smoke(args):
    events = sorted(p for p in Path(args.events).glob("*.json") if p.name != EXPECTED_STATUS_FILE.name)
    unexpected = [e.name for e in events if e.name not in EXPECTED_STATUS]
    if not events or unexpected:
        raise Failure(f"no expected status for {', '.join(unexpected) or 'events/*.json (none found)'}: "
                      f"add it to {EXPECTED_STATUS_FILE.relative_to(ROOT)}")
    with tempfile.TemporaryDirectory(prefix="lambda-rie-") as work:
        function, environment, provisioned = setup(args, Path(work))
        fixture = provisioned.fixture
        container = Emulated(function, Path(args.build_dir), environment, Path(work))
        placeholder = fixture["assertion_placeholder"].encode()
        posts = []  # (name, payload, expected status)
        for event in events:
            payload = event.read_bytes()
            posts.append((event.name, payload, EXPECTED_STATUS[event.name]))
            if placeholder in payload:
                fresh = payload.replace(placeholder, fixture["assertion"].encode())
                posts.append((f"{event.name} with a fresh assertion", fresh, 200))
        passed, failures = 0, []
        with container:
            for name, payload, expected in posts:
                try:
                    status = check_answer(name, container.invoke(name, payload, timeout=60), expected)
                    passed += 1
                    log(f"ok   {name} -> {status}")
                except Failure as e:
                    failures.append(str(e))
                    log(f"FAIL {e}")
        if failures:
            tail = "\n".join(container.log().splitlines()[-60:])
            log(f"the emulator's log (last lines):\n{tail}")
        print(f"{PROG}: {passed} passed, {len(failures)} failed", flush=True)
        return 1 if failures else 0


REPORT = re.compile(r"^REPORT RequestId: \S+\s+(?:Init Duration: ([\d.]+) ms\s+)?Duration: ([\d.]+) ms", re.M)
INIT = re.compile(r"INIT REPORT\(durationMs: ([\d.]+)")
INVOKE_DONE = re.compile(r"INVOKE RTDONE\(status: \w+, produced bytes: \d+, duration: ([\d.]+)ms\)")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
FLOOR_SOURCES = ROOT / "scripts/bench/floor"
FLOOR_HANDLER = "floor.FloorHandler::handleRequest"
BENCH_OUT = ROOT / "target/bench"
JWT_BEARER_EVENT = "token-jwt-bearer.json"


class Variant:
    """One thing the benchmark runs: a function (as built in build_dir) with an environment."""

    def __init__(self, name, function, environment, build_dir, work_dir):
        self.name, self.function, self.environment, self.build_dir = name, function, environment, Path(build_dir)
        self.work_dir = work_dir  # its own /opt, copied once
        work_dir.mkdir(parents=True, exist_ok=True)

    def container(self):
        return Emulated(self.function, self.build_dir, self.environment, self.work_dir)


def build_floor(function, build_dir, work_dir):
    """The floor function (scripts/bench/floor), compiled against the built layer into a build directory of its
    own: its classes as <FunctionId>, the function's layers linked beside them. The same runtime, memory and
    environment as the function; only the handler differs."""
    floor_build = work_dir / "floor-build"
    task_root = floor_build / function.logical_id
    task_root.mkdir(parents=True)
    for layer in function.layers:
        (floor_build / layer).symlink_to((build_dir / layer).resolve())
    javac = shutil.which("javac")
    if javac is None:
        raise Failure("javac is not on PATH: the floor function is compiled from source")
    sources = [str(p) for p in sorted(FLOOR_SOURCES.rglob("*.java"))]
    classpath = os.pathsep.join(str(build_dir / layer / "java/lib/*") for layer in function.layers)
    done = subprocess.run([javac, "-nowarn", "--release", "17", "-cp", classpath, "-d", str(task_root), *sources],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise Failure(f"compiling the floor function failed:\n{done.stdout}{done.stderr}")
    floor = copy.copy(function)
    floor.handler = FLOOR_HANDLER
    return floor, floor_build


def java_child(pid):
    """The JVM the emulator started: the java process below pid."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        fields = text[text.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append((int(stat.parent.name), text[text.find("(") + 1:text.rfind(")")]))
    todo = [pid]
    while todo:
        for child, name in children.get(todo.pop(), []):
            if name == "java":
                return child
            todo.append(child)
    raise Failure(f"no java process under the emulator (pid {pid})")


def cpu_ms(pid):
    """A process's CPU time so far: user and system, every thread's, ended ones included."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rfind(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / CLOCK_TICKS


# What the emulator itself writes to the log; everything else is the function's (and its runtime's) output.
EMULATOR_LINE = re.compile(r"^(START|END|REPORT) RequestId: |^\d\d \w{3} \d{4} [\d:,]+ \[\w+\] |^(INIT|INVOKE) ")


def function_log_bytes(text):
    return sum(len(line.encode()) + 1 for line in text.splitlines() if line and not EMULATOR_LINE.match(line))


def bench_once(variant, event, warm):
    payload = event.read_bytes()
    with variant.container() as container:
        started = time.monotonic()
        check_answer(event.name, container.invoke(event.name, payload, timeout=120), EXPECTED_STATUS[event.name])
        first_wall = (time.monotonic() - started) * 1000
        jvm = java_child(container.process.pid)
        cpu_first = cpu_ms(jvm)
        time.sleep(0.1)  # the first REPORT line
        log_first = function_log_bytes(container.log())
        cpu_half = cpu_first
        for i in range(warm):
            if i == warm // 2:
                cpu_half = cpu_ms(jvm)
            check_answer(event.name, container.invoke(event.name, payload, timeout=30), EXPECTED_STATUS[event.name])
        cpu_end = cpu_ms(jvm)
        cpu_warm = cpu_end - cpu_first
        time.sleep(0.2)  # the REPORT line follows the answer
        text = container.log()
    init, invokes, reports = INIT.findall(text), INVOKE_DONE.findall(text), REPORT.findall(text)
    if not init or len(invokes) < 1 + warm or len(reports) < 1 + warm:
        raise Failure(f"the emulator's log lacks INIT/INVOKE/REPORT lines:\n{text[-3000:]}")
    BENCH_OUT.mkdir(parents=True, exist_ok=True)
    (BENCH_OUT / (re.sub(r"\W+", "_", variant.name).strip("_")[:60] + "-last.log")).write_text(text)
    warm_durations = [float(r[1]) for r in reports[1:1 + warm]]
    return {"init": float(init[0]), "first_invoke": float(invokes[0]), "first_wall": first_wall,
            "report_first": float(reports[0][1]), "warm": warm_durations,
            "warm_billed_mean": statistics.fmean(math.ceil(d) for d in warm_durations) if warm else None,
            "cpu_to_first_token": cpu_first, "cpu_per_warm": cpu_warm / warm if warm else None,
            # The second half alone: the compiler's work on the warm path is mostly done by then.
            "cpu_per_warm_second_half": (cpu_end - cpu_half) / (warm - warm // 2) if warm else None,
            "log_bytes_per_warm": (function_log_bytes(text) - log_first) / warm if warm else None}


class CountingProxy:
    """scripts/fault_proxy.py in front of the AWS emulator, with no faults: it forwards every call and logs it."""

    def __init__(self, upstream):
        self.process = subprocess.Popen([sys.executable, str(ROOT / "scripts/fault_proxy.py"), "--upstream", upstream],
                                        stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.stop()
            raise Failure("the counting proxy (scripts/fault_proxy.py) did not start")

    def _call(self, method, path):
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode()

    def take(self):
        """The calls forwarded since the last take, by service and operation, and forgets them."""
        lines = self._call("GET", "/__fault__/log").splitlines()
        self._call("DELETE", "/__fault__")
        calls = {}
        for line in lines:
            target = line.split(" ", 1)[0]
            service, _, operation = target.partition(".")
            name = {"TrentService": "KMS"}.get(service, service.split("_")[0]) + " " + operation
            calls[name] = calls.get(name, 0) + 1
        return dict(sorted(calls.items()))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def count_calls(variants, events_dir, assertions):
    """The AWS calls each variant makes per token, counted on the wire: per grant, a fresh container, its first
    request (the runtime's init included: the emulator starts the function at its first invoke) and the next two."""
    proxy = CountingProxy(os.environ["AWS_ENDPOINT_URL"])
    counted = {}
    try:
        for variant in variants:
            grants = {"client_credentials": [(events_dir / "token-client-credentials-form.json").read_bytes()] * 3}
            if variant.name != "floor":
                sample = (events_dir / JWT_BEARER_EVENT).read_bytes()
                grants["jwt-bearer"] = [sample.replace(b"ASSERTION_PLACEHOLDER", assertions.pop().encode())
                                        for _ in range(3)]
            counted[variant.name] = {}
            for grant, payloads in grants.items():
                environment = dict(variant.environment, AWS_ENDPOINT_URL=proxy.url)
                counting = Variant(variant.name, variant.function, environment, variant.build_dir, variant.work_dir)
                proxy.take()
                requests = []
                with counting.container() as container:
                    for payload in payloads:
                        check_answer(grant, container.invoke(grant, payload, timeout=120), 200)
                        requests.append(proxy.take())
                counted[variant.name][grant] = {"first": requests[0], "warm": requests[1:]}
                log(f"calls {variant.name} {grant}: first {requests[0]}, then {requests[1]}, {requests[2]}")
    finally:
        proxy.stop()
    return counted


def zipped_size(directory):
    """What a directory weighs zipped, as `sam deploy` uploads it (deflate)."""
    with tempfile.TemporaryFile() as f:
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(Path(directory).rglob("*")):
                if path.is_file():
                    z.write(path, path.relative_to(directory))
        return f.tell()


def spread(values):
    values = sorted(values)
    return {"median": statistics.median(values), "min": values[0], "max": values[-1], "runs": values}


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, math.ceil(p / 100 * len(values)) - 1)]


def summarize(runs):
    return {
        "init_ms": spread([r["init"] for r in runs]),
        "first_invoke_ms": spread([r["first_invoke"] for r in runs]),
        "cold_ms": spread([r["init"] + r["first_invoke"] for r in runs]),
        "warm_p50_ms": spread([statistics.median(r["warm"]) for r in runs]),
        "warm_p99_ms": spread([percentile(r["warm"], 99) for r in runs]),
        "warm_p99_pooled_ms": percentile([w for r in runs for w in r["warm"]], 99),
        "cpu_per_warm_ms": spread([r["cpu_per_warm"] for r in runs]),
        "cpu_per_warm_second_half_ms": spread([r["cpu_per_warm_second_half"] for r in runs]),
        "cpu_to_first_token_ms": spread([r["cpu_to_first_token"] for r in runs]),
        "billed_ms_per_warm": spread([r["warm_billed_mean"] for r in runs]),
        "log_bytes_per_warm": spread([r["log_bytes_per_warm"] for r in runs]),
    }


def describe(label, environment):
    options = environment.get("JAVA_TOOL_OPTIONS")
    return f"{label}, JAVA_TOOL_OPTIONS={options}" if options else f"{label}, no JAVA_TOOL_OPTIONS"


def bench(args):
    event = Path(args.events) / args.event
    if args.event not in EXPECTED_STATUS:
        raise Failure(f"{args.event} is not a sample event with an expected status")
    started = time.monotonic()
    build_dir = Path(args.build_dir)
    with tempfile.TemporaryDirectory(prefix="lambda-rie-") as work_dir:
        work = Path(work_dir)
        compare = args.compare_build_dir or []
        function, deployed, provisioned = setup(args, work, assertions=3 * (1 + len(compare)))
        variants = [Variant("function", function, deployed, build_dir, work / "function")]
        if not args.no_floor:
            floor, floor_build = build_floor(function, build_dir, work)
            variants.append(Variant("floor", floor, dict(deployed, FLOOR_KEY_SPEC=provisioned.key_spec),
                                    floor_build, work / "floor"))
        for i, other_build in enumerate(compare):  # other builds of the function (other commits'), as deployed
            variants.append(Variant(f"build {other_build}", function, deployed, other_build, work / f"build-{i}"))
        calls = count_calls(variants, Path(args.events), list(provisioned.fixture["assertions"]))
        if args.java_tool_options is not None:  # the same function but for JAVA_TOOL_OPTIONS ("" for none)
            other = {k: v for k, v in deployed.items() if k != "JAVA_TOOL_OPTIONS"}
            if args.java_tool_options:
                other["JAVA_TOOL_OPTIONS"] = args.java_tool_options
            variants.append(Variant(describe("function", other), function, other, build_dir, work / "options"))
        results = {v.name: [] for v in variants}
        for variant in variants:  # a throwaway run each: disk caches, the emulator
            bench_once(variant, event, 0)
        for run in range(args.runs):
            # Interleaved, so that machine load drifts into each alike, in an order that turns each run, so that
            # none always follows another.
            turn = run % len(variants)
            for variant in variants[turn:] + variants[:turn]:
                r = bench_once(variant, event, args.warm)
                results[variant.name].append(r)
                log(f"run {run + 1}/{args.runs} {variant.name}: init {r['init']:.0f} ms, first invoke "
                    f"{r['first_invoke']:.0f} ms, warm p50 {statistics.median(r['warm']):.1f} ms, "
                    f"CPU {r['cpu_per_warm']:.2f} ms/request")
        sizes = {"function_zip": zipped_size(build_dir / function.logical_id),
                 "layer_zip": sum(zipped_size(build_dir / layer) for layer in function.layers)}
        if not args.no_floor:
            sizes["floor_zip"] = zipped_size(floor_build / function.logical_id)
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"java": java, "cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "event": args.event, "runs": args.runs, "warm_invokes": args.warm,
        "function": {"logical_id": function.logical_id, "memory_mb": function.memory,
                     "java_tool_options": deployed.get("JAVA_TOOL_OPTIONS"), "key_spec": provisioned.key_spec},
        "variants": {name: dict(summarize(runs), calls=calls.get(name)) for name, runs in results.items()},
        "artifact_bytes": sizes,
    }
    if "floor" in report["variants"]:
        report["ratios"] = ratios(report["variants"]["function"], report["variants"]["floor"])
    sys.path.insert(0, str(ROOT / "scripts/bench"))
    import cost  # scripts/bench/cost.py: the prices and the arithmetic
    report["cost"] = cost.per_million_tokens(report)
    report["elapsed_s"] = round(time.monotonic() - started)
    print_report(report)
    print(cost.table(report["cost"]))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{PROG}: the table as JSON in {out} ({report['elapsed_s']} s)")
    return 0


RATIO_FIGURES = ["init_ms", "first_invoke_ms", "cold_ms", "warm_p50_ms", "warm_p99_ms", "cpu_per_warm_ms",
                 "cpu_per_warm_second_half_ms", "cpu_to_first_token_ms", "billed_ms_per_warm"]


def ratios(function, floor):
    """function / floor of each figure's median, and the CPU's difference in ms (the target is stated so)."""
    result = {k: function[k]["median"] / floor[k]["median"] for k in RATIO_FIGURES if floor[k]["median"]}
    for key in ("cpu_per_warm_ms", "cpu_per_warm_second_half_ms"):
        result[key + "_minus_floor"] = function[key]["median"] - floor[key]["median"]
    return result


def print_report(report):
    variants = report["variants"]
    names = list(variants)
    print(f"\n{report['function']['logical_id']} against the floor under aws-lambda-rie: {report['event']}, "
          f"{report['runs']} fresh containers each, interleaved, {report['warm_invokes']} warm invokes each\n"
          f"({report['machine']['java']}, {report['machine']['cpus']} CPUs, load average "
          f"{report['machine']['load_average'][0]:.1f}; JAVA_TOOL_OPTIONS={report['function']['java_tool_options']}; "
          f"moto answers the AWS calls). Median (min..max) over the containers.")
    width = 26
    columns = [n if len(n) <= 24 else n[:21] + "..." for n in names]
    header = f"{'':{width}}" + "".join(f"{c:>24}" for c in columns) + ("   function/floor" if "ratios" in report else "")
    print(header)
    rows = [("init", "init_ms", "ms", 0), ("first invoke", "first_invoke_ms", "ms", 0),
            ("init + first invoke", "cold_ms", "ms", 0), ("warm p50", "warm_p50_ms", "ms", 1),
            ("warm p99", "warm_p99_ms", "ms", 1), ("JVM CPU per warm request", "cpu_per_warm_ms", "ms", 2),
            ("... its second half", "cpu_per_warm_second_half_ms", "ms", 2),
            ("JVM CPU to first token", "cpu_to_first_token_ms", "ms", 0),
            ("billed per warm request", "billed_ms_per_warm", "ms", 2),
            ("log per warm request", "log_bytes_per_warm", "B", 0)]
    for label, key, unit, digits in rows:
        line = f"{label:{width}}"
        for name in names:
            s = variants[name][key]
            line += f"{s['median']:.{digits}f} ({s['min']:.{digits}f}..{s['max']:.{digits}f}) {unit}".rjust(24)
        if "ratios" in report and key in report["ratios"]:
            line += f"   {report['ratios'][key]:.2f}x"
            if key + "_minus_floor" in report["ratios"]:
                line += f" ({report['ratios'][key + '_minus_floor']:+.2f} ms)"
        print(line)
    print("AWS calls per token (counted on the wire; first = a fresh container's first request, init included):")
    for name in names:
        for grant, counted in (variants[name]["calls"] or {}).items():
            first = ", ".join(f"{n} {c}" for n, c in counted["first"].items())
            warm = "; ".join(", ".join(f"{n} {c}" for n, c in w.items()) for w in counted["warm"])
            print(f"  {name} {grant}: first {sum(counted['first'].values())} ({first}); then {warm}")
    sizes = report["artifact_bytes"]
    print("artifacts, zipped: " + ", ".join(f"{k.replace('_zip', '')} {v / 1024:.1f} KiB" for k, v in sizes.items()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--template", default=str(ROOT / "template.yaml"), help="the SAM template (template.yaml)")
    parser.add_argument("--build-dir", default=str(ROOT / ".aws-sam/build"), help="sam build's output")
    parser.add_argument("--function", help="the function's logical id (needed only if the template has several)")
    parser.add_argument("--events", default=str(ROOT / "events"), help="the sample events (events/)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("smoke", help="post every events/*.json and check each answer")
    bench_parser = commands.add_parser("bench", help="cold-start and warm figures, median of fresh containers")
    bench_parser.add_argument("--runs", type=int, default=5, help="fresh containers per variant (5)")
    bench_parser.add_argument("--warm", type=int, default=100, help="warm invokes after the first (100)")
    bench_parser.add_argument("--no-floor", action="store_true",
                              help="do not build and run the floor function (scripts/bench/floor)")
    bench_parser.add_argument("--output", default=str(ROOT / "target/bench/bench.json"),
                              help="where the table goes as JSON (target/bench/bench.json)")
    bench_parser.add_argument("--event", default="token-client-credentials-form.json", help="the event to send")
    bench_parser.add_argument("--java-tool-options", metavar="OPTIONS",
                              help="also run with JAVA_TOOL_OPTIONS=OPTIONS instead of the template's ('' for "
                                   "none), interleaved, and compare")
    bench_parser.add_argument("--compare-build-dir", metavar="DIR", action="append",
                              help="also run another `sam build` output (another commit's), interleaved, and "
                                   "compare (repeatable)")
    args = parser.parse_args(argv)
    try:
        return smoke(args) if args.command == "smoke" else bench(args)
    except Failure as e:
        log(f"FAILED: {e}")
        if args.command == "smoke":
            print(f"{PROG}: 0 passed, 1 failed", flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
