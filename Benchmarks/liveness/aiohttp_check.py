#!/usr/bin/env python3
"""A liveness checker in Python with aiohttp, the peer in the liveness benchmark.

    aiohttp_check.py URLS --port PORT [--concurrency N] [--per-host N] [--max-body BYTES]

GETs every URL with at most --concurrency requests in flight and --per-host
per host (aiohttp's TCPConnector limits, and a semaphore per host in front), reads at most --max-body bytes of
each body, and prints `url<TAB>status` per URL. Every host name resolves to
127.0.0.1:PORT, as `urltriage check --connect-to ::127.0.0.1:PORT` does.
"""
import argparse
import asyncio
import socket
import sys
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver


class LoopbackResolver(AbstractResolver):
    """Every name is 127.0.0.1 on the test server's port."""

    def __init__(self, port: int) -> None:
        self.port = port

    async def resolve(self, host, port=0, family=socket.AF_INET):
        return [{"hostname": host, "host": "127.0.0.1", "port": self.port,
                 "family": socket.AF_INET, "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        pass


async def check(session: aiohttp.ClientSession, url: str, max_body: int, gate: asyncio.Semaphore) -> str:
    # Waiting here rather than in the connector's queue: with thousands of
    # waiters aiohttp's own per-host queue lets far fewer than limit_per_host
    # run at once (measured: under a quarter of the ideal rate).
    async with gate:
        return await fetch(session, url, max_body)


async def fetch(session: aiohttp.ClientSession, url: str, max_body: int) -> str:
    try:
        async with session.get(url, allow_redirects=True, max_redirects=10) as response:
            await response.content.read(max_body)
            return f"{url}\t{response.status}"
    except Exception as error:  # the checker reports, it does not stop
        return f"{url}\terror {type(error).__name__}"


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("urls")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--max-body", type=int, default=256 * 1024)
    options = parser.parse_args()
    with open(options.urls) as handle:
        urls = [line.strip() for line in handle if line.strip()]
    connector = aiohttp.TCPConnector(limit=options.concurrency, limit_per_host=options.per_host,
                                     resolver=LoopbackResolver(options.port))
    # Not `total` or `connect`: aiohttp counts the wait for a free pooled
    # connection in both, so queued requests would time out (the same pitfall
    # as libcurl's CURLMOPT_MAX_HOST_CONNECTIONS). These two start at the socket.
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        gates = {}
        for url in urls:
            gates.setdefault(urlsplit(url).hostname, asyncio.Semaphore(options.per_host))
        lines = await asyncio.gather(*(check(session, url, options.max_body, gates[urlsplit(url).hostname])
                                       for url in urls))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
