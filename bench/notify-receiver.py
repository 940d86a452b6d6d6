#!/usr/bin/env python3
"""A webhook receiver for bench/notifications.sh, on 127.0.0.1 only.

POST /<path>?validationToken=T  -> 200 text/plain T (Graph's handshake)
POST /hang...                   -> never answers (a dead receiver)
POST /<path>                    -> 202 and records each notification's run id with its arrival time (503 while failing)
POST /control/fail, /control/ok -> switch between failing and accepting
GET  /control/stats             -> {"posts":n,"notifications":n,"distinct":n}
GET  /control/arrivals          -> {"<run id>": first arrival (epoch seconds), ...}

usage: notify-receiver.py PORT [--print]   (--print writes each notification POST's body to stdout, for README's tour)
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

lock = threading.Lock()
PRINT = "--print" in sys.argv
state = {"failing": False, "posts": 0, "notifications": 0, "arrivals": {}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        with lock:
            if url.path == "/control/stats":
                body = {"posts": state["posts"], "notifications": state["notifications"], "distinct": len(state["arrivals"])}
            elif url.path == "/control/arrivals":
                body = state["arrivals"]
            else:
                return self.answer(404)
        self.answer(200, json.dumps(body).encode(), "application/json")

    def do_POST(self):
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        token = parse_qs(url.query).get("validationToken")
        if token:
            return self.answer(200, token[0].encode())
        if url.path.startswith("/control/"):
            with lock:
                state["failing"] = url.path == "/control/fail"
            return self.answer(204)
        if url.path.startswith("/hang"):
            time.sleep(3600)
            return
        now = time.time()
        if PRINT:
            print(payload.decode(), flush=True)
        with lock:
            state["posts"] += 1
            if state["failing"]:
                return self.answer(503)
            for item in json.loads(payload)["value"]:
                state["notifications"] += 1
                state["arrivals"].setdefault(item["resourceData"]["id"], now)
        self.answer(202)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
