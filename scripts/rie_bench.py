#!/usr/bin/env python3
"""The cold-start benchmark (`make bench`): the function exactly as `sam build` built it, under the Lambda Runtime
Interface Emulator (see lambda_rie.py), against the floor (scripts/bench/floor: the same runtime, layer, memory and
environment, a handler that does the least a token needs), in fresh containers, interleaved. Cold start (Init, first
invoke), warm latency, the JVM's CPU per token (over all warm requests and over their second half), the AWS calls per
token counted on the wire, the artifacts' sizes and the cost per million tokens: printed, and as JSON in
target/bench/bench.json. docs/performance.md says what each figure means.

  rie_bench.py [--runs N] [--warm N] [--java-tool-options OPTIONS] [--compare-build-dir DIR] ...

Run it with SAM's python under scripts/with-moto.sh, as the Makefile does.
"""
import copy
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

import lambda_rie
from lambda_rie import ROOT, Emulated, Failure, check_answer, log

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


def bench_once(variant, event, expected, warm):
    payload = event.read_bytes()
    with variant.container() as container:
        started = time.monotonic()
        check_answer(event.name, container.invoke(event.name, payload, timeout=120), expected)
        first_wall = (time.monotonic() - started) * 1000
        jvm = java_child(container.process.pid)
        cpu_first = cpu_ms(jvm)
        time.sleep(0.1)  # the first REPORT line
        log_first = function_log_bytes(container.log())
        cpu_half = cpu_first
        for i in range(warm):
            if i == warm // 2:
                cpu_half = cpu_ms(jvm)
            check_answer(event.name, container.invoke(event.name, payload, timeout=30), expected)
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
    statuses = lambda_rie.expected_statuses(args.events)
    if args.event not in statuses:
        raise Failure(f"{args.event} is not a sample event with an expected status")
    expected = statuses[args.event]
    started = time.monotonic()
    build_dir = Path(args.build_dir)
    with tempfile.TemporaryDirectory(prefix="lambda-rie-") as work_dir:
        work = Path(work_dir)
        compare = args.compare_build_dir or []
        function, deployed, provisioned = lambda_rie.setup(args, assertions=3 * (1 + len(compare)))
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
            bench_once(variant, event, expected, 0)
        for run in range(args.runs):
            # Interleaved, so that machine load drifts into each alike, in an order that turns each run, so that
            # none always follows another.
            turn = run % len(variants)
            for variant in variants[turn:] + variants[:turn]:
                r = bench_once(variant, event, expected, args.warm)
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
    print(f"\n{lambda_rie.PROG}: the table as JSON in {out} ({report['elapsed_s']} s)")
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
    warm_invokes = report["warm_invokes"]
    width = 28
    columns = [n if len(n) <= 24 else n[:21] + "..." for n in names]
    header = f"{'':{width}}" + "".join(f"{c:>24}" for c in columns) + ("   function/floor" if "ratios" in report else "")
    print(header)
    rows = [("init", "init_ms", "ms", 0), ("first invoke", "first_invoke_ms", "ms", 0),
            ("init + first invoke", "cold_ms", "ms", 0), ("warm p50", "warm_p50_ms", "ms", 1),
            ("warm p99", "warm_p99_ms", "ms", 1),
            # CPU per token over every warm request, and over the second half alone, once the JIT compiler has
            # mostly done its work on the warm path: the first is what a container that lives that long costs.
            (f"JVM CPU/token, {warm_invokes} warm", "cpu_per_warm_ms", "ms", 2),
            (f"... the last {warm_invokes - warm_invokes // 2} alone", "cpu_per_warm_second_half_ms", "ms", 2),
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
    parser = lambda_rie.arguments(__doc__)
    parser.add_argument("--runs", type=int, default=5, help="fresh containers per variant (5)")
    parser.add_argument("--warm", type=int, default=100, help="warm invokes after the first (100)")
    parser.add_argument("--no-floor", action="store_true",
                        help="do not build and run the floor function (scripts/bench/floor)")
    parser.add_argument("--output", default=str(ROOT / "target/bench/bench.json"),
                        help="where the table goes as JSON (target/bench/bench.json)")
    parser.add_argument("--event", default="token-client-credentials-form.json", help="the event to send")
    parser.add_argument("--java-tool-options", metavar="OPTIONS",
                        help="also run with JAVA_TOOL_OPTIONS=OPTIONS instead of the template's ('' for none), "
                             "interleaved, and compare")
    parser.add_argument("--compare-build-dir", metavar="DIR", action="append",
                        help="also run another `sam build` output (another commit's), interleaved, and compare "
                             "(repeatable)")
    args = parser.parse_args(argv)
    try:
        return bench(args)
    except Failure as e:
        log(f"FAILED: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
