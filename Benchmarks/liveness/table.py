#!/usr/bin/env python3
"""Turns run.sh's results.jsonl into the Markdown report for BENCHMARKS.md."""
import argparse
import json
import statistics

parser = argparse.ArgumentParser()
parser.add_argument("results")
parser.add_argument("--urls", type=int)
parser.add_argument("--hosts", type=int)
parser.add_argument("--per-host", type=int)
parser.add_argument("--delay", type=int)
parser.add_argument("--inflight", type=int)
parser.add_argument("--inflight-delay", type=int)
parser.add_argument("--machine")
options = parser.parse_args()

entries = [json.loads(line) for line in open(options.results) if line.strip()]
ideal = options.hosts * options.per_host / (options.delay / 1000)


def median(name, kind, field):
    values = [entry[field] for entry in entries if entry["name"] == name and entry["kind"] == kind]
    return statistics.median(values) if values else None


names = []
for entry in entries:
    if entry["kind"] == "throughput" and entry["name"] not in names:
        names.append(entry["name"])

print(open(options.machine).read().strip().replace("\n", "  \n"))
print()
print(f"Throughput: {options.urls:,} URLs over {options.hosts} hosts, server answers after {options.delay} ms, "
      f"{options.per_host} per host; ideal = {options.hosts} x {options.per_host} / {options.delay / 1000:g} s "
      f"= {ideal:,.0f} checks/s. Medians of {len([e for e in entries if e['name'] == names[0] and e['kind'] == 'throughput'])} runs each.")
print()
print("| checker | wall s | checks/s | % of ideal | CPU s | CPU µs/check | peak RSS MiB | answered 200 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
base_rate = None
for name in names:
    wall = median(name, "throughput", "wall")
    cpu = statistics.median([e["user"] + e["sys"] for e in entries if e["name"] == name and e["kind"] == "throughput"])
    rss = median(name, "throughput", "max_rss_kib") / 1024
    ok = median(name, "throughput", "ok")
    rate = options.urls / wall
    base_rate = base_rate or rate
    print(f"| {name} | {wall:.2f} | {rate:,.0f} | {100 * rate / ideal:.1f}% | {cpu:.2f} | "
          f"{1e6 * cpu / options.urls:.0f} | {rss:.0f} | {ok:,.0f} |")
print()
inflight = [entry for entry in entries if entry["kind"] == "inflight"]
if inflight:
    baseline = median(names[0], "throughput", "max_rss_kib")
    print(f"In flight: {options.inflight:,} URLs, concurrency {options.inflight:,}, server answers after "
          f"{options.inflight_delay} ms. Memory per transfer = (peak RSS − the throughput run's peak RSS) / "
          f"(peak in flight − {options.hosts * options.per_host}).")
    print()
    print("| checker | peak in flight | wall s | CPU s | peak RSS MiB | KiB per in-flight transfer | live |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for entry in inflight:
        extra = entry["peak"] - options.hosts * options.per_host
        per = (entry["max_rss_kib"] - baseline) / extra if extra > 0 else float("nan")
        print(f"| {entry['name']} | {entry['peak']:,} | {entry['wall']:.2f} | {entry['user'] + entry['sys']:.2f} | "
              f"{entry['max_rss_kib'] / 1024:.0f} | {per:.1f} | {entry['ok']:,} |")
