#!/usr/bin/env python3
"""Summarise a kunit.py JSON result file (KernelCI format) in one line.

Usage: scripts/kunit-summary.py RESULTS.json [--cases]

Prints "suites=N tests=N passed=N failed=N skipped=N crashed=N"; with
--cases, first prints one "<status> <suite>.<case>" line per test case.
"""
import json
import sys


def walk(node, prefix, out):
    """Collect (name, status) for every leaf test case."""
    name = node.get("name", "")
    full = f"{prefix}.{name}" if prefix else name
    subs = node.get("sub_groups") or []
    cases = node.get("test_cases") or []
    for sub in subs:
        walk(sub, full, out)
    for case in cases:
        out.append((f"{full}.{case.get('name', '')}", case.get("status", "")))


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) >= 2 else 2
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    cases = []
    suites = 0
    for sub in data.get("sub_groups") or []:
        suites += 1
        walk(sub, "", cases)
    for case in data.get("test_cases") or []:
        cases.append((case.get("name", ""), case.get("status", "")))
    count = {"PASS": 0, "FAIL": 0, "SKIP": 0, "ERROR": 0}
    for _, status in cases:
        count[status if status in count else "ERROR"] += 1
    if "--cases" in sys.argv[2:]:
        for name, status in cases:
            print(f"{status} {name}")
    print(f"suites={suites} tests={len(cases)} passed={count['PASS']} "
          f"failed={count['FAIL']} skipped={count['SKIP']} crashed={count['ERROR']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
