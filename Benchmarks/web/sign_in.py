"""Signs in COUNT times and prints one session cookie per line (for cookies.lua)."""
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

base, name, password, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
for _ in range(count):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf": token, "name": name, "password": password}).encode()
    opener.open(base + "/login", body).read()
    session = [cookie for cookie in jar if cookie.name == "urltriage_session"]
    if not session:
        sys.exit("sign-in failed")
    print("urltriage_session=" + session[0].value)
