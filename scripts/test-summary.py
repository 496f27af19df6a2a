#!/usr/bin/env python3
"""Prints one closing line for `make test`: every JUnit test Maven ran (surefire and failsafe reports of every
module), as `tests: N passed, N failed, N skipped`. Exits non-zero if any failed or none ran."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
passed = failed = skipped = 0
for report in glob.glob(os.path.join(root, "*", "target", "*-reports", "TEST-*.xml")):
    # Count test cases, not the suite's totals: JUnit 5 @Nested classes are reported inside the outer suite's file
    # while its `tests` attribute counts only the outer class's own methods.
    for case in ET.parse(report).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or not passed else 0)
