"""One Markdown table row from wrk --latency output."""
import re
import sys

name, path, file = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(file).read()
rate = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
latency = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", text, re.M))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
note = f" ({errors.group(1)} non-2xx)" if errors else ""
print(f"| `{path}`{note} | {float(rate):.0f} | {latency.get('50')} | {latency.get('90')} | {latency.get('99')} |")
