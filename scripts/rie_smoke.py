#!/usr/bin/env python3
"""The deployment's smoke test (`make rie-test`): the function exactly as `sam build` built it, under the Lambda
Runtime Interface Emulator (see lambda_rie.py), answers every sample event in events/ with the status
events/expected-statuses.json gives it; a sample that carries the assertion placeholder is posted once more with a
fresh assertion in its place and must then get a token.

  rie_smoke.py [--template FILE] [--build-dir DIR] [--events DIR]

Run it with SAM's python under scripts/with-moto.sh, as the Makefile does.
"""
import sys
import tempfile
from pathlib import Path

import lambda_rie
from lambda_rie import Emulated, Failure, check_answer, log


def smoke(args):
    events = lambda_rie.sample_events(args.events)
    with tempfile.TemporaryDirectory(prefix="lambda-rie-") as work:
        function, environment, provisioned = lambda_rie.setup(args)
        fixture = provisioned.fixture
        container = Emulated(function, Path(args.build_dir), environment, Path(work))
        placeholder = fixture["assertion_placeholder"].encode()
        posts = []  # (name, payload, expected status)
        for event, status in events:
            payload = event.read_bytes()
            posts.append((event.name, payload, status))
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
        print(f"{lambda_rie.PROG}: {passed} passed, {len(failures)} failed", flush=True)
        return 1 if failures else 0


def main(argv=None):
    args = lambda_rie.arguments(__doc__).parse_args(argv)
    try:
        return smoke(args)
    except Failure as e:
        log(f"FAILED: {e}")
        print(f"{lambda_rie.PROG}: 0 passed, 1 failed", flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
