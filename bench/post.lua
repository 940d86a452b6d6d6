-- wrk script for scenario s1 (POST /runs): one realistic outgoingFlowRun, the body a client of the service sends.
-- bench/run.sh adds "Authorization: Bearer $BENCH_TOKEN" with -H when BENCH_TOKEN is set (wrk applies -H headers
-- before this script runs, so both end up on every request).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = [[{"@odata.type":"#microsoft.graph.industryData.outgoingFlowRun","displayName":"Nightly roster export: district 42 (full sync)","startDateTime":"2024-05-01T02:00:00Z","endDateTime":"2024-05-01T02:17:43.512Z","status":"completed","statistics":{"recordsRead":48213,"recordsWritten":48190,"recordsSkipped":23,"errorCount":0,"warningCount":23,"durationSeconds":1063.512,"bytesTransferred":73400320,"batchCount":97,"retryCount":2,"sourceSystem":"sis-prod-eu","targetSystem":"graph-education","completedPhases":["extract","transform","load"],"entityCounts":{"students":45120,"teachers":2870,"classes":223}}}]]
