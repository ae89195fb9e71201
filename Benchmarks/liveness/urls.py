#!/usr/bin/env python3
"""Writes the benchmark's URL list: N URLs over H host names, interleaved
(h01.bench.example … h20.bench.example), one per line; with --curl, a curl
config file (url/output pairs) instead."""
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--count", type=int, default=10000)
parser.add_argument("--hosts", type=int, default=20)
parser.add_argument("--scheme", default="http")
parser.add_argument("--curl", action="store_true")
options = parser.parse_args()

for index in range(options.count):
    host = f"h{index % options.hosts + 1:02d}.bench.example"
    url = f"{options.scheme}://{host}/item/{index}"
    if options.curl:
        print(f'url = "{url}"\noutput = "/dev/null"')
    else:
        print(url)
