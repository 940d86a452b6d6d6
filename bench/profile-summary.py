#!/usr/bin/env python3
"""Summarise dotnet-trace thread-time samples (speedscope, evented) into CPU µs per request per layer.

Arguments: one "scenario|path|cpu_us_per_request|req_per_s|cpu_ms_while_traced|file.speedscope.json" per scenario (bench/profile.sh).

Each busy sample (a CPU_TIME leaf, or native code that is not a wait) is charged to the deepest frame on its stack
that belongs to a known layer, so time inside System.* helpers (collections, LINQ, async plumbing) goes to whoever
called them. The shares of busy time are then scaled to the CPU per request measured without the tracer.
"""
import collections
import json
import re
import sys

# (layer, pattern on "module!namespace.type.method"), first match wins for a frame.
LAYERS = [
    ("SQLite engine and Microsoft.Data.Sqlite", r"^(SQLitePCLRaw[^!]*|Microsoft\.Data\.Sqlite)!"),
    ("bench/Baseline's own code (APP=baseline: reading rows, writing JSON)", r"^Baseline!"),
    ("EF Core: query pipeline (LINQ → cached query, parameters, compilation)", r"^Microsoft\.EntityFrameworkCore[^!]*!Microsoft\.EntityFrameworkCore\.(Query|Internal\.EntityFrameworkQueryableExtensions|Extensions\.Internal)"),
    ("EF Core: execution, materialisation, context", r"^Microsoft\.EntityFrameworkCore"),
    ("JSON writing (OData writer, System.Text.Json, our serializers)", r"^(Microsoft\.OData\.Core!Microsoft\.OData\.(Json|OData\w*Writer|ODataMessageWriter|ODataWriterCore|ODataJson)|Microsoft\.AspNetCore\.OData!Microsoft\.AspNetCore\.OData\.Formatter|System\.Text\.Json!|IndustryData\.OData\.Service!IndustryData\.OData\.Service\.Serialization)"),
    ("OData URL and query-option parsing", r"^(Microsoft\.OData\.Core!Microsoft\.OData\.UriParser|Microsoft\.AspNetCore\.OData!Microsoft\.AspNetCore\.OData\.(Query|Extensions))"),
    ("Routing (endpoints, OData path templates)", r"^(Microsoft\.AspNetCore\.Routing|Microsoft\.AspNetCore\.OData!Microsoft\.AspNetCore\.OData\.Routing)"),
    ("MVC (controller invocation, filters, results)", r"^Microsoft\.AspNetCore\.Mvc"),
    ("Authentication (JWT bearer)", r"^(Microsoft\.AspNetCore\.Authentication|Microsoft\.IdentityModel|System\.IdentityModel)"),
    ("Authorization", r"^Microsoft\.AspNetCore\.Authorization"),
    ("Telemetry (Activity, metrics, OpenTelemetry)", r"^(OpenTelemetry|System\.Diagnostics\.DiagnosticSource)"),
    ("Logging", r"^Microsoft\.Extensions\.Logging"),
    ("Dependency injection", r"^Microsoft\.Extensions\.DependencyInjection"),
    ("Other OData library code (model, annotations)", r"^(Microsoft\.OData|Microsoft\.AspNetCore\.OData|Microsoft\.Spatial)"),
    ("Kestrel, HTTP parsing, sockets, pipelines", r"^(Microsoft\.AspNetCore\.Server|Microsoft\.AspNetCore\.Http|Microsoft\.AspNetCore\.Hosting|Microsoft\.AspNetCore\.WebUtilities|System\.Net\.|System\.IO\.Pipelines|Microsoft\.Net\.Http)"),
    ("Other ASP.NET Core middleware", r"^Microsoft\.AspNetCore"),
    ("Runtime: thread-pool dispatch and spinning", r"^System\.Private\.CoreLib!System\.Threading\.(PortableThreadPool|ThreadPoolWorkQueue|LowLevel)"),
    ("Runtime: timers", r"^System\.Private\.CoreLib!System\.Threading\.TimerQueue"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in LAYERS]
OURS = re.compile(r"^IndustryData\.OData\.(Service|Model)!IndustryData\.OData\.(?:Service\.)?(\w+)")
WAITS = ("Wait", "Sleep", "EventLoop", "SocketAsyncEngine", "Semaphore", "Blocking", "WaitHandle", "Monitor.Enter", "FileSystemWatcher")
OTHER = "Runtime: thread pool, async plumbing, GC, JIT"


def layer_of(name, cache={}):
    if name in cache:
        return cache[name]
    found = None
    ours = OURS.match(name)
    if ours:
        found = f"Service/{ours.group(2)} (ours)" if ours.group(1) == "Service" else "Model (ours)"
    else:
        for layer, pattern in COMPILED:
            if pattern.match(name):
                found = layer
                break
    cache[name] = found
    return found


def busy_layers(path):
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    by_layer = collections.Counter()
    for profile in data["profiles"]:
        stack, last = [], None
        for event in profile["events"]:
            at = event["at"]
            if stack and last is not None and at > last:
                leaf = frames[stack[-1]]
                names = [frames[f] for f in stack]
                waiting = leaf != "CPU_TIME" and (leaf != "UNMANAGED_CODE_TIME" or any(w in n for n in names for w in WAITS))
                if not waiting:
                    layer = next((l for l in (layer_of(n) for n in reversed(names)) if l), OTHER)
                    by_layer[layer] += at - last
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                stack.pop()
    return by_layer


def main(args):
    scenarios = []
    for arg in args:
        scenario, path, cpu, rps, traced_ms, file = arg.split("|")
        scenarios.append((scenario, path, float(cpu), float(rps), busy_layers(file), float(traced_ms)))
    layers = sorted({l for *_, by, _ in scenarios for l in by}, key=lambda l: -sum(s[4][l] / sum(s[4].values()) * s[2] for s in scenarios))
    print("| Layer (µs of CPU per request; share) | " + " | ".join(f"{s} `{p}`" for s, p, *_ in scenarios) + " |")
    print("|---|" + "---:|" * len(scenarios))
    for layer in layers:
        cells = []
        for _, _, cpu, _, by, _ in scenarios:
            share = by[layer] / sum(by.values())
            cells.append(f"{share * cpu:.1f} ({share * 100:.0f}%)" if by[layer] else "–")
        print(f"| {layer} | " + " | ".join(cells) + " |")
    print("| **Total, measured without the tracer** | " + " | ".join(f"**{cpu:.0f}** ({rps:,.0f} req/s)" for _, _, cpu, rps, _, _ in scenarios) + " |")
    print("| Samples ÷ CPU the process used while traced (coverage) | " + " | ".join(f"{sum(by.values()) / traced:.0%}" for *_, by, traced in scenarios) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
