#!/usr/bin/env python3
"""How long `acta serve` takes to answer on an existing register (issue 23's start-up
target), against a baseline in the same script: a one-query command on the same register.

    ACTA=target/release/acta scripts/bench_startup.py DATABASE INDEX [RUNS]

Ready means: the first `GET /api/deliberations?limit=1` answered 200. Prints each run and the
median. Only the Python standard library is used.
"""

import os
import socket
import statistics
import subprocess
import sys
import time

ACTA = os.environ.get("ACTA", "target/release/acta")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
            c.sendall(b"GET /api/deliberations?limit=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return c.recv(100).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def serve_ready(database, index):
    port = free_port()
    started = time.monotonic()
    server = subprocess.Popen(
        [ACTA, "--database", database, "--index", index, "serve", "--addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        while not answers(port):
            if server.poll() is not None:
                sys.exit(f"acta serve stopped (exit {server.returncode})")
            time.sleep(0.002)
        return time.monotonic() - started
    finally:
        server.terminate()
        server.wait()


def one_query(database, index):
    started = time.monotonic()
    subprocess.run([ACTA, "--database", database, "--index", index, "collectivity", "list"],
                   stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - started


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    database, index = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    for name, measure in (("acta serve, ready", serve_ready), ("baseline: acta collectivity list", one_query)):
        times = [measure(database, index) for _ in range(runs)]
        shown = " / ".join(f"{t * 1000:.0f}" for t in times)
        print(f"{name}: median {statistics.median(times) * 1000:.0f} ms ({shown})")


if __name__ == "__main__":
    main()
