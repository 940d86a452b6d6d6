#!/usr/bin/env python3
"""Creates runs one at a time at a steady pace and prints, per run, when its 201 came back (epoch seconds).

usage: notify-latency.py SERVICE_PORT TOKEN COUNT RATE_PER_SECOND  -> JSON {"<run id>": 201 time}
"""
import http.client
import json
import sys
import time

port, token, count, rate = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
body = json.dumps({"@odata.type": "#microsoft.graph.industryData.outgoingFlowRun", "displayName": "latency probe",
                   "startDateTime": "2026-01-01T00:00:00Z", "status": "running", "statistics": {}})
headers = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
connection = http.client.HTTPConnection("127.0.0.1", port)
committed = {}
start = time.time()
for i in range(count):
    connection.request("POST", "/runs", body, headers)
    response = connection.getresponse()
    answer = response.read()
    if response.status != 201:
        sys.exit(f"POST /runs answered {response.status}: {answer[:300]!r}")
    committed[json.loads(answer)["id"]] = time.time()
    pause = start + (i + 1) / rate - time.time()
    if pause > 0:
        time.sleep(pause)
print(json.dumps(committed))
