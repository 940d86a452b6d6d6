#!/usr/bin/env python3
"""A local OTLP/HTTP listener for benchmarks: accepts what an OTLP exporter sends (POST /v1/traces, /v1/metrics,
/v1/logs, protobuf or JSON), answers 200 with an empty export response, and counts requests and bytes per signal.
It keeps nothing: it stands in for a collector so that the exporting side's cost can be measured.

    python3 bench/otlp-sink.py PORT SUMMARY_FILE     # runs until SIGTERM/SIGINT, then writes the counts
"""
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counts = {}
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 16))
            if not chunk:
                break
            remaining -= len(chunk)
        with lock:
            requests, size = counts.get(self.path, (0, 0))
            counts[self.path] = (requests + 1, size + length)
        json = "json" in (self.headers.get("Content-Type") or "")
        body = b"{}" if json else b""
        self.send_response(200)
        self.send_header("Content-Type", "application/json" if json else "application/x-protobuf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    port, summary = int(sys.argv[1]), sys.argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", port), Sink)
    server.daemon_threads = True

    def stop(*_):
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()
    with open(summary, "w") as out:
        for path, (requests, size) in sorted(counts.items()):
            out.write(f"{path}\t{requests} requests\t{size} bytes\n")


if __name__ == "__main__":
    main()
