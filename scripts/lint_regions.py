#!/usr/bin/env python3
"""cfn-lint template.yaml once per region samconfig.toml deploys, with that region's parameters (the plain
`cfn-lint template.yaml` of `make lint` lints with the defaults: one region, no domain).

Run with SAM's python (it shares check_template.py's reading of samconfig.toml).
"""
import subprocess
import sys

from check_template import ROOT, samconfig_deployment


def main():
    deployment = samconfig_deployment(ROOT / "samconfig.toml")
    if deployment is None:
        print("lint_regions: samconfig.toml deploys no region of a multi-region deployment")
        return 0
    failed = 0
    for region, parameters in sorted(deployment["stacks"].items()):
        command = ["cfn-lint", str(ROOT / "template.yaml"), "--regions", region,
                   "--parameters", *(f"{k}={v}" for k, v in parameters.items())]
        result = subprocess.run(command)
        print(f"lint_regions: cfn-lint for {region}: {'passes' if result.returncode == 0 else 'fails'}")
        failed |= result.returncode
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
