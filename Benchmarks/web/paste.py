"""Pastes LINES lines of new reports through the new-batch page; prints the time taken."""
import http.cookiejar
import random
import re
import sys
import time
import urllib.parse
import urllib.request

base, name, password, lines, keep = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = opener.open(base + "/login").read().decode()
token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
opener.open(base + "/login", urllib.parse.urlencode({"csrf": token, "name": name, "password": password}).encode()).read()
csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', opener.open(base + "/batch/new").read().decode()).group(1)
rng = random.Random(20261204 + int(time.time()))
text = "\n".join(f"parent report {i}: https://www.tiktok.com/@web{rng.randrange(10**9)}/video/7{rng.randrange(10**17, 10**18)}"
                 for i in range(lines))
with open(keep, "w") as handle:
    handle.write(text)
started = time.perf_counter()
answer = opener.open(base + "/batch", urllib.parse.urlencode({"csrf": csrf, "text": text}).encode()).read().decode()
elapsed = time.perf_counter() - started
new = re.search(r'id="new-count">(\d+)<', answer)
print(f"{lines} lines pasted, stored and answered in {elapsed:.2f} s ({new.group(1) if new else '?'} new items)")
