"""The function exactly as `sam build` built it, run by the Lambda Runtime Interface Emulator (aws-lambda-rie) and the
Java runtime interface client, against the AWS emulator: what the smoke test (rie_smoke.py) and the cold-start
benchmark (rie_bench.py) share.

Everything about the function comes from the template (default template.yaml), read by SAM's own code, nothing is
repeated here:
  - the one AWS::Serverless::Function as `sam local invoke` sees it (samcli's SamFunctionProvider: Globals merged,
    SAM's defaults): its handler, runtime, memory size, timeout, log settings and layers;
  - its code: .aws-sam/build/<FunctionId> is the task root (Lambda's /var/task), which the runtime interface client
    loads as Lambda does (classes at the root, jars in lib/), from the working directory;
  - its layers: each is .aws-sam/build/<LayerId>, merged in order into a directory that stands for /opt;
    <that>/java/lib/*.jar go on the class path (Lambda's /opt/java/lib: the client looks there itself, but /opt is
    not ours to write on a shared machine, so the jars go on the runtime's class path instead);
  - its environment: Environment.Variables (Globals merged by SAM's translator plugins) resolved by SAM's intrinsic
    resolver (samcli.lib.intrinsic_resolver) as CloudFormation would: parameters to their defaults, the resources
    it refers to to what this module provisions in the emulator (the DynamoDB table and the KMS key and alias, with
    the fixed credential the sample events carry), pseudo parameters to an emulated stack. Lambda's own variables
    (AWS_REGION, AWS_LAMBDA_FUNCTION_MEMORY_SIZE, LAMBDA_TASK_ROOT, ...) are added, AWS_ENDPOINT_URL points at the
    emulator, and nothing else of this shell's environment reaches the function.

It needs AWS_ENDPOINT_URL (scripts/with-moto.sh sets it), `sam build` output, `mvn package` output (admin/target) and
aws-lambda-rie on PATH. The runtime interface client comes from Maven (lambda-runtime-client/pom.xml, pinned). Run it
with SAM's own python, which has samcli (the Makefile does: scripts/sam-python.sh).
"""
import argparse
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

try:
    from samcli.commands._utils.template import get_template_data
    from samcli.lib.intrinsic_resolver.intrinsic_property_resolver import IntrinsicResolver
    from samcli.lib.intrinsic_resolver.intrinsics_symbol_table import IntrinsicsSymbolTable
    from samcli.lib.providers.sam_function_provider import SamFunctionProvider
    from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider
    from samcli.lib.samlib.wrapper import SamTranslatorWrapper
except ImportError:  # pragma: no cover - a message, not a test
    sys.exit("lambda_rie: the SAM CLI's modules are missing from %s (run it with SAM's python, scripts/sam-python.sh, "
             "as the Makefile does)" % sys.executable)

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
# What each sample event must be answered, as it is: beside the events, and read by e2e's EventsIT too. A file in
# events/ without an entry fails the smoke test. A sample that carries the fixture's assertion placeholder is also
# posted with a fresh assertion in its place, and must then get a token.
EXPECTED_STATUS_FILE = EVENTS / "expected-statuses.json"
RUNTIME_CLIENT_POM = ROOT / "lambda-runtime-client/pom.xml"

RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
INVOKE_PATH = "/2015-03-31/functions/function/invocations"
FIXTURE_MAIN = "dev.tokenissuer.e2e.SampleEventsFixture"
ACCOUNT_ID = "123456789012"  # moto's default account

PROG = "lambda-rie"


class Failure(Exception):
    """A check failed: the message says which and why."""


def log(message):
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def expected_statuses(events_dir=EVENTS):
    statuses = json.loads((Path(events_dir) / EXPECTED_STATUS_FILE.name).read_text())
    return {name: status for name, status in statuses.items() if not name.startswith("_")}


def sample_events(events_dir=EVENTS):
    """The sample events (every events/*.json but the expected statuses), each with its expected status."""
    statuses = expected_statuses(events_dir)
    events = sorted(p for p in Path(events_dir).glob("*.json") if p.name != EXPECTED_STATUS_FILE.name)
    unexpected = [e.name for e in events if e.name not in statuses]
    if not events or unexpected:
        raise Failure(f"no expected status for {', '.join(unexpected) or 'events/*.json (none found)'}: "
                      f"add it to {EXPECTED_STATUS_FILE.relative_to(ROOT)}")
    return [(event, statuses[event.name]) for event in events]


# --- the template, as SAM reads it --------------------------------------------------------------------------------

DEFAULT_FUNCTION = "TokenFunction"


class Function:
    """The template's one AWS::Serverless::Function as `sam local invoke` sees it, with its environment as written
    (Globals merged) and what Lambda needs to run it."""

    def __init__(self, template_path, logical_id=None):
        # SAM logs what it cannot resolve in the rest of the template (the API's access log ARN, say) at ERROR;
        # this module resolves the function's environment itself, strictly, below.
        logging.getLogger("samcli").setLevel(logging.CRITICAL)
        stacks, _ = SamLocalStackProvider.get_stacks(str(template_path))
        functions = {f.name: f for f in SamFunctionProvider(stacks, use_raw_codeuri=True,
                                                            ignore_code_extraction_warnings=True).get_all()}
        if logical_id is None and DEFAULT_FUNCTION in functions:
            # The token function; the others (the optional secret rotation) are not behind the API.
            logical_id = DEFAULT_FUNCTION
        if logical_id is None:
            if len(functions) != 1:
                raise Failure(f"the template has {len(functions)} functions ({', '.join(functions)}): name one")
            logical_id = next(iter(functions))
        if logical_id not in functions:
            raise Failure(f"no AWS::Serverless::Function {logical_id} in the template")
        function = functions[logical_id]
        # The template with SAM's plugins applied (Globals merged into each function), intrinsics as written.
        self.template = SamTranslatorWrapper(get_template_data(str(template_path))).run_plugins()
        self.logical_id = logical_id
        self.handler = function.handler
        self.runtime = str(function.runtime or "")
        if not self.handler:
            raise Failure(f"{logical_id} has no Handler")
        if not self.runtime.startswith("java"):
            raise Failure(f"{logical_id} runs {self.runtime!r}, not a Java runtime")
        self.memory = int(function.memory or 128)  # Lambda's defaults
        self.timeout = int(function.timeout or 3)
        self.logging = function.logging_config or {}
        self.layers = []
        for layer in function.layers:
            if not layer.is_defined_within_template:
                raise Failure(f"layer {layer.name}: only a layer of the template can be built and run here")
            self.layers.append(layer.name)
        properties = self.template["Resources"][logical_id].get("Properties", {})
        self.environment = (properties.get("Environment") or {}).get("Variables") or {}

    def lambda_variables(self, task_root):
        """The variables Lambda itself sets for the runtime (those that matter to a Java function)."""
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
        if self.logging.get("LogFormat"):
            variables["AWS_LAMBDA_LOG_FORMAT"] = str(self.logging["LogFormat"])
        if self.logging.get("ApplicationLogLevel"):
            variables["AWS_LAMBDA_LOG_LEVEL"] = str(self.logging["ApplicationLogLevel"])
        return variables


# SAM's resolver refuses the None that AWS::NoValue stands for inside Fn::If; it resolves to this marker instead,
# and a property or variable that resolves to it is left out, as CloudFormation leaves it out.
NO_VALUE = "\0AWS::NoValue"


class StackResolver:
    """CloudFormation's intrinsic functions, resolved by SAM's IntrinsicResolver against an emulated stack: parameters
    at their defaults, pseudo parameters, and the resources this module provisions. A resource it was not told about
    is an error, not a guess (SAM's own default resolves !Ref to the logical id)."""

    def __init__(self, template, stack_name, region):
        self.template = template
        self.resources = template.get("Resources", {})
        self.translation = {
            "AWS::AccountId": ACCOUNT_ID, "AWS::Region": region, "AWS::StackName": stack_name,
            "AWS::StackId": f"arn:aws:cloudformation:{region}:{ACCOUNT_ID}:stack/{stack_name}/rie",
            "AWS::NoValue": NO_VALUE,
        }

    def provide(self, logical_id, ref, **attributes):
        """What !Ref and !GetAtt of a provisioned resource give."""
        self.translation[logical_id] = dict(attributes, Ref=ref)

    def _resolver(self, on_resource):
        def unknown(attribute):
            def fail(logical_id):
                if logical_id == "":
                    # SAM's Fn::Sub looks a variable whose value is "" up again, as a symbol named "".
                    return ""
                if not self.exists(logical_id):
                    # Its condition is false: only an !If branch CloudFormation never takes names it, and SAM's
                    # resolver evaluates both branches.
                    return f"{{not created: {logical_id}}}"
                kind = self.resources.get(logical_id, {}).get("Type", "not in the template")
                raise Failure(f"{attribute} of {logical_id} ({kind}): not provided by this test; teach "
                              f"scripts/lambda_rie.py about it")
            return fail

        resolver = self

        class Symbols(IntrinsicsSymbolTable):
            def resolve_symbols(self, logical_id, resource_attribute, ignore_errors=False):
                if on_resource and logical_id in resolver.resources:
                    return on_resource(logical_id, resource_attribute)
                # Strict, also inside Fn::Sub, where SAM asks to ignore errors and would leave "${...}" in place.
                return super().resolve_symbols(logical_id, resource_attribute, ignore_errors=False)

        symbols = Symbols(template=self.template, logical_id_translator=self.translation,
                          common_attribute_resolver={"Ref": unknown("Ref"), "Arn": unknown("Arn")})
        return IntrinsicResolver(template=self.template, symbol_resolver=symbols)

    def exists(self, logical_id):
        """Whether the stack has the resource: it has no Condition, or its Condition holds with these parameters."""
        condition = self.resources.get(logical_id, {}).get("Condition")
        if condition is None:
            return True
        definition = self.template.get("Conditions", {}).get(condition)
        return definition is not None and bool(
            self._resolver(None).intrinsic_property_resolver(definition, ignore_errors=False))

    def value(self, node):
        """A property's value as CloudFormation gives it to the resource (a string for a scalar), or NO_VALUE."""
        try:
            resolved = self._resolver(None).intrinsic_property_resolver(node, ignore_errors=False)
        except Failure:
            raise
        except Exception as e:  # SAM's InvalidIntrinsicException and friends
            raise Failure(f"cannot resolve {node!r}: {e}")
        if isinstance(resolved, bool):
            return "true" if resolved else "false"
        if isinstance(resolved, (int, float)):
            return str(resolved)
        return resolved

    def referenced_resources(self, node):
        """The logical ids of the template's resources that `node` refers to (by !Ref, !GetAtt or !Sub), found by
        running SAM's resolver over it and noting each resource it asks for."""
        found = set()

        def note(logical_id, _attribute):
            found.add(logical_id)
            return "x"

        try:
            self._resolver(note).intrinsic_property_resolver(node, ignore_errors=False)
        except Exception as e:
            raise Failure(f"cannot resolve {node!r}: {e}")
        return found

    def environment(self, variables):
        resolved = {name: self.value(node) for name, node in variables.items()}
        return {name: value for name, value in resolved.items() if value != NO_VALUE}


# --- the emulated AWS resources ----------------------------------------------------------------------------------

class Provisioned:
    """The table, key and alias the function's environment refers to, created in the AWS emulator."""

    API_TYPES = ("AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api")

    def __init__(self, function, region):
        self.stack = "rie-" + secrets.token_hex(4)
        self.resolver = StackResolver(function.template, self.stack, region)
        self.region = region
        resources = self.resolver.resources
        referenced = self.resolver.referenced_resources(function.environment)
        tables = [r for r in referenced if resources[r]["Type"] == "AWS::DynamoDB::Table"]
        aliases = [r for r in referenced if resources[r]["Type"] == "AWS::KMS::Alias"]
        keys = {r for r in referenced if resources[r]["Type"] == "AWS::KMS::Key"}
        for alias in aliases:
            keys |= self.resolver.referenced_resources(resources[alias]["Properties"]["TargetKeyId"])
        others = referenced - set(tables) - set(aliases) - keys
        if len(tables) != 1 or len(keys) != 1 or len(aliases) > 1:
            raise Failure(f"the environment refers to tables {tables}, keys {sorted(keys)}, aliases {aliases}: "
                          f"this test provisions one table and one KMS key (with at most one alias)")
        self.table_id, self.key_id_logical = tables[0], keys.pop()
        self.alias_id = aliases[0] if aliases else None
        for other in others:
            kind = resources[other]["Type"]
            if kind not in self.API_TYPES:
                raise Failure(f"the environment refers to {other} ({kind}): teach scripts/lambda_rie.py about it")
            self.resolver.provide(other, "rie" + secrets.token_hex(3))  # an API id, as !Ref returns one

        table_name = self._property(self.table_id, "TableName")
        self.table = table_name if table_name is not None else f"{self.stack}-{self.table_id}-{secrets.token_hex(6)}"
        alias_name = self._property(self.alias_id, "AliasName") if self.alias_id else None
        self.alias = alias_name if alias_name is not None else f"alias/{self.stack}-signing"
        key_spec = self._property(self.key_id_logical, "KeySpec")
        self.key_spec = key_spec if key_spec is not None else "SYMMETRIC_DEFAULT"
        self.key_id = None
        self.fixture = None

    def _property(self, logical_id, name):
        node = self.resolver.resources[logical_id].get("Properties", {}).get(name)
        if node is None:
            return None
        value = self.resolver.value(node)
        return None if value == NO_VALUE else value

    def create(self, aws_environment, assertions=1):
        classpath = [ROOT / "e2e/target/test-classes", ROOT / "admin/target/test-classes",
                     ROOT / "function/target/test-classes", ROOT / "admin/target/tokenctl.jar"]
        missing = [str(p) for p in classpath if not p.exists()]
        if missing:
            raise Failure(f"missing {', '.join(missing)}: run `make build` (mvn package) first")
        # The set-up, not the function under test: moto's first call to a service imports it, which takes longer than
        # the function's 3 s bound on a loaded machine.
        env = dict(aws_environment, TABLE_NAME=self.table, SIGNING_KEY_ID=self.alias, PATH=os.environ["PATH"],
                   AWS_CALL_TIMEOUT_MILLIS="30000")
        done = subprocess.run(["java", "-cp", os.pathsep.join(map(str, classpath)), FIXTURE_MAIN, self.key_spec,
                               str(assertions)],
                              env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise Failure(f"provisioning the emulator failed:\n{done.stderr}")
        self.fixture = json.loads(done.stdout)
        self.key_id = self.fixture["signing_key_id"]
        self.resolver.provide(self.table_id, self.table,
                              Arn=f"arn:aws:dynamodb:{self.region}:{ACCOUNT_ID}:table/{self.table}")
        self.resolver.provide(self.key_id_logical, self.key_id, KeyId=self.key_id,
                              Arn=f"arn:aws:kms:{self.region}:{ACCOUNT_ID}:key/{self.key_id}")
        if self.alias_id:
            self.resolver.provide(self.alias_id, self.alias)
        log(f"emulator: table {self.table}, key {self.key_id} ({self.key_spec}) as {self.alias}, "
            f"and the sample events' credential")


# --- the runtime -------------------------------------------------------------------------------------------------

def runtime_interface_client():
    """The client's jars, fetched by Maven into target/ (again only when its pom changes)."""
    directory = ROOT / "target/lambda-runtime-interface-client"
    stamp = directory / ".pom.sha256"
    digest = hashlib.sha256(RUNTIME_CLIENT_POM.read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == digest):
        shutil.rmtree(directory, ignore_errors=True)
        log(f"fetching the runtime interface client ({RUNTIME_CLIENT_POM.relative_to(ROOT)}) ...")
        mvn = os.environ.get("MVN", "mvn -B -ntp").split()
        fetched = subprocess.run(mvn + ["-q", "-f", str(RUNTIME_CLIENT_POM), "dependency:copy-dependencies",
                                        "-DincludeScope=runtime", f"-DoutputDirectory={directory}"],
                                 capture_output=True, text=True)
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


# --- what both commands do first ---------------------------------------------------------------------------------

def arguments(description):
    """The options both commands take; each adds its own."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--template", default=str(ROOT / "template.yaml"), help="the SAM template (template.yaml)")
    parser.add_argument("--build-dir", default=str(ROOT / ".aws-sam/build"), help="sam build's output")
    parser.add_argument("--function", help="the function's logical id (needed only if the template has several)")
    parser.add_argument("--events", default=str(EVENTS), help="the sample events (events/)")
    return parser


def setup(args, assertions=1):
    """The function as the template describes it, and its environment once its resources are provisioned in the
    emulator."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        raise Failure("AWS_ENDPOINT_URL is not set: run under scripts/with-moto.sh (the Makefile does)")
    region = os.environ.get("AWS_REGION", "us-east-1")
    function = Function(args.template, args.function)
    aws = {"AWS_REGION": region, "AWS_DEFAULT_REGION": region, "AWS_ENDPOINT_URL": endpoint,
           "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "test"),
           "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "test")}
    provisioned = Provisioned(function, region)
    provisioned.create(aws, assertions)
    resolved = provisioned.resolver.environment(function.environment)
    log(f"{function.logical_id}: handler {function.handler}, {function.runtime}, layers {function.layers}, "
        f"environment {sorted(resolved)}")
    return function, dict(resolved, **aws), provisioned
