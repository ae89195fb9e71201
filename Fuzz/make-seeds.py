#!/usr/bin/env python3
"""Rebuilds the seed corpora in Fuzz/Corpus/ from the project's own tests and
rules: the string literals of the test files that exercise each target, the
rule files, and a few hand-written answers for the verdict judge.

Run from anywhere: python3 Fuzz/make-seeds.py. Seeds are named by the SHA-1
of their bytes, as libFuzzer names what it adds, so rerunning adds nothing twice.
"""
import glob
import hashlib
import os
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")
TESTS = os.path.join(ROOT, "Tests", "TriageKitTests")
MAX_SEED = 4096


def swift_literals(path):
    """The string literals of a Swift file, unescaped; literals with interpolation are skipped."""
    text = open(path, encoding="utf-8").read()
    out = []
    # Multi-line literals first: indentation is that of the closing delimiter.
    for match in re.finditer(r'"""\n(.*?)\n([ \t]*)"""', text, re.S):
        body, indent = match.group(1), match.group(2)
        if "\\(" in body:
            continue
        lines = [line[len(indent):] if line.startswith(indent) else line for line in body.split("\n")]
        out.append(unescape("\n".join(lines)))
    text = re.sub(r'"""\n.*?\n[ \t]*"""', "", text, flags=re.S)
    # Raw literals (#"..."#) are taken as written.
    for match in re.finditer(r'#"(.*?)"#', text):
        out.append(match.group(1))
    text = re.sub(r'#".*?"#', "", text)
    for match in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', text):
        body = match.group(1)
        if "\\(" in body:
            continue
        out.append(unescape(body))
    return out


def unescape(body):
    def replace(match):
        escape = match.group(1)
        simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "'": "'", "\\": "\\"}
        if escape in simple:
            return simple[escape]
        if escape.startswith("u{"):
            return chr(int(escape[2:-1], 16))
        return "\\" + escape
    return re.sub(r'\\(u\{[0-9A-Fa-f]+\}|.)', replace, body)


def tests(*patterns):
    literals = []
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(TESTS, pattern))):
            literals += swift_literals(path)
    return literals


def write(target, seeds):
    directory = os.path.join(CORPUS, target)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    seen = set()
    for seed in seeds:
        data = seed.encode("utf-8") if isinstance(seed, str) else seed
        if len(data) > MAX_SEED or data in seen:
            continue
        seen.add(data)
        with open(os.path.join(directory, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
    print(f"{target}: {len(seen)} seeds")


def with_selector(selectors, literals):
    return [bytes([s]) + lit.encode("utf-8") for s in selectors for lit in literals]


def looks_like_url(text):
    return re.search(r"[a-zA-Z][a-zA-Z0-9+.-]*:|www\.|\[\.\]|\(\.\)", text) is not None


extract = [t for t in tests("URLExtractorTests.swift", "Pipeline/*.swift") if t.strip()]
write("FuzzExtract", with_selector([0, 1], extract))

urls = [t for t in tests("WebURLTests.swift", "Normalize/*.swift", "Rules/ClassifierTests.swift", "RedirectWrapperTests.swift")
        if looks_like_url(t)]
write("FuzzURL", urls)

hosts = set()
for url in urls:
    match = re.match(r"[a-zA-Z]+://(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)", url)
    if match and match.group(1):
        hosts.add(match.group(1))
write("FuzzIDNA", sorted(hosts))

wrappers = [t for t in tests("RedirectWrapperTests.swift") if looks_like_url(t)]
write("FuzzUnwrap", with_selector([3], wrappers) + with_selector([0, 1, 2], wrappers[:20]))

reports = [t for t in tests("ReportReaderTests.swift", "Store/StoreIngestReadingTests.swift", "Store/StoreIngestTests.swift")
           if "\n" in t or "," in t or "{" in t]
write("FuzzReports", with_selector([0, 1, 2, 3, 5, 6], reports))

rules = []
for path in sorted(glob.glob(os.path.join(ROOT, "rules", "platforms", "*.yaml"))
                   + glob.glob(os.path.join(TESTS, "Fixtures", "**", "*.yaml"), recursive=True)):
    rules.append(b"\x01" + open(path, "rb").read())
rules += with_selector([1], [t for t in tests("Rules/RuleLoaderTests.swift", "Rules/RuleTestCasesTests.swift",
                                               "Rules/RuleLinterTests.swift") if "platform:" in t])
patterns = []
for path in sorted(glob.glob(os.path.join(ROOT, "rules", "platforms", "*.yaml"))):
    for match in re.finditer(r"^\s*(?:path|query|body|final_url):\s*'(.*)'\s*$", open(path, encoding="utf-8").read(), re.M):
        patterns.append(match.group(1).replace("''", "'"))
patterns += tests("Rules/PatternTests.swift", "Rules/BacktrackingProbeTests.swift")
subjects = ["/@user/video/7234567890123456789", "/watch", "v=dQw4w9WgXcQ", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"]
rules += [bytes([sel]) + p.encode() + b"\0" + subjects[i % len(subjects)].encode()
          for i, p in enumerate(patterns) for sel in (0, 6)]
write("FuzzRules", rules)


def answer(option, status, headers, body):
    return bytes([option, status >> 8, status & 0xFF]) + "".join(h + "\r\n" for h in headers).encode() + b"\0" + body


bodies = [b"<html><title>Page not found</title></html>", b"This account doesn't exist", b"{\"statusCode\":10221}",
          b"Sorry, this page isn't available.", b"<html><body>ok</body></html>", b"x" * 5000]
verdicts = []
for option in range(0, 16):
    for status in (200, 301, 403, 404, 410, 429, 451, 503, 999):
        verdicts.append(answer(option, status, ["HTTP/1.1 %d X" % status, "Retry-After: 120", "Location: https://example.com/login"],
                               bodies[(option + status) % len(bodies)]))
verdicts += [answer(0x20 | o, 0, ["HTTP/1.1 200 OK"], b"") for o in range(10)]
verdicts += [answer(1, 429, ["X-RateLimit-Reset: 1795262460"], b""), answer(2, 503, ["Retry-After: Wed, 21 Oct 2015 07:28:00 GMT"], b"")]
write("FuzzVerdict", verdicts)

dates = [t for t in tests("Store/StoreIngestReadingTests.swift", "Store/StoreLifecycleTests.swift") if re.search(r"\d", t) and len(t) < 40]
retry = [t for t in tests("Liveness/LivenessRetryPolicyTests.swift") if len(t) < 40]
durations = [t for t in tests("Store/StoreLifecycleRuleTests.swift", "Store/StoreLifecycleTests.swift") if re.fullmatch(r"\s*[\d.]+\s*[smhd]\s*", t)]
durations += ["30m", "1h", "24h", "2d", "1.5h", "366d"]
write("FuzzDates", with_selector([0], dates) + with_selector([1, 5], retry + ["99999999999", "Wed, 21 Oct 2015 07:28:00 GMT"])
      + with_selector([2], durations))

lines = [t for t in tests("Pipeline/*.swift", "URLExtractorTests.swift", "Rules/ClassifierTests.swift", "RedirectWrapperTests.swift")
         if looks_like_url(t)]
write("FuzzNormalize", lines)
