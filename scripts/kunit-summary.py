#!/usr/bin/env python3
"""Read kunit.py's results: its JSON (KernelCI format) and its parsed output.

Usage: scripts/kunit-summary.py RESULTS.json [--cases]
       scripts/kunit-summary.py --failures PARSED.txt
       scripts/kunit-summary.py --junit OUT.xml RESULTS.json [PARSED.txt]

RESULTS.json [--cases]: prints "suites=N tests=N passed=N failed=N skipped=N
  crashed=N"; with --cases, first one "<status> <suite>.<case>" line per case.
--failures PARSED.txt: from the output of 'kunit.py parse' (its per-suite
  tree), prints the whole block of every suite that did not pass, with the
  failure lines and their expected and actual values, then kunit.py's
  "Testing complete" line (only that line when everything passed).
--junit OUT.xml RESULTS.json [PARSED.txt]: writes JUnit XML, one testsuite per
  suite and one testcase per case, for a kunit.py without --junit (6.12);
  the failure lines of each case come from PARSED.txt.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

STAMP = re.compile(r"^\[[0-9:]+\] ")
SUITE_START = re.compile(r"^=+ (\S+) \(\d+ subtests?\) =+$")
SUITE_END = re.compile(r"^=+ \[(\w+)\] (\S+) =+$")
CASE_RESULT = re.compile(r"^\[(PASSED|FAILED|SKIPPED|CRASHED)\] (.*)$")


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


def read_parsed(path):
    """kunit.py's parsed output, timestamps dropped."""
    with open(path, encoding="utf-8", errors="replace") as f:
        return [STAMP.sub("", line.rstrip("\n")) for line in f]


def failures(path):
    """Print the block of every suite that did not pass."""
    block, suite = [], None
    for line in read_parsed(path):
        start = SUITE_START.match(line)
        end = SUITE_END.match(line)
        if start and suite is None:
            block, suite = [line], start.group(1)
        elif suite is not None:
            block.append(line)
            if end and end.group(2) == suite:
                if end.group(1) not in ("PASSED", "SKIPPED"):
                    print("\n".join(block))
                block, suite = [], None
        elif line.startswith("Testing complete") or "[ERROR]" in line or "[CRASHED]" in line:
            print(line)
    if suite is not None:
        # the run stopped inside this suite (crash, timeout)
        print("\n".join(block))
        print(f"(kunit.py's output ends inside suite {suite})")


def case_logs(path):
    """{(suite, case): [lines]} for every case that did not pass."""
    logs, pending, suite = {}, [], None
    for line in read_parsed(path):
        start = SUITE_START.match(line)
        if start:
            suite, pending = start.group(1), []
            continue
        result = CASE_RESULT.match(line)
        if result:
            if result.group(1) != "PASSED":
                logs[(suite, result.group(2))] = pending
            pending = []
        elif not line.startswith("="):
            pending.append(line)
    return logs


def junit(out, results, parsed):
    with open(results, encoding="utf-8") as f:
        data = json.load(f)
    logs = case_logs(parsed) if parsed else {}
    root = ET.Element("testsuites", {"name": "KUnit"})

    def suite(node, parent, top):
        el = ET.SubElement(parent, "testsuite", {"name": node.get("name", "")})
        counts = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
        for case in node.get("test_cases") or []:
            counts["tests"] += 1
            tc = ET.SubElement(el, "testcase", {"name": case.get("name", ""), "classname": top})
            status = case.get("status", "")
            text = "\n".join(logs.get((top, case.get("name", "")), []))
            if status == "FAIL":
                counts["failures"] += 1
                ET.SubElement(tc, "failure", {"message": "Test Failed"}).text = text
            elif status == "SKIP":
                counts["skipped"] += 1
                ET.SubElement(tc, "skipped")
            elif status != "PASS":
                counts["errors"] += 1
                ET.SubElement(tc, "error", {"message": "Test Crashed"}).text = text
        for sub in node.get("sub_groups") or []:
            for k, v in suite(sub, el, top).items():
                counts[k] += v
        for k, v in counts.items():
            el.set(k, str(v))
        return counts

    for sub in data.get("sub_groups") or []:
        suite(sub, root, sub.get("name", ""))
    ET.indent(root)
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)


def summary(results, show_cases):
    with open(results, encoding="utf-8") as f:
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
    if show_cases:
        for name, status in cases:
            print(f"{status} {name}")
    print(f"suites={suites} tests={len(cases)} passed={count['PASS']} "
          f"failed={count['FAIL']} skipped={count['SKIP']} crashed={count['ERROR']}")


def main(argv):
    if len(argv) >= 1 and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if len(argv) == 2 and argv[0] == "--failures":
        failures(argv[1])
        return 0
    if len(argv) in (3, 4) and argv[0] == "--junit":
        junit(argv[1], argv[2], argv[3] if len(argv) == 4 else None)
        return 0
    if len(argv) == 1 or (len(argv) == 2 and argv[1] == "--cases"):
        if not argv[0].startswith("-"):
            summary(argv[0], len(argv) == 2)
            return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
