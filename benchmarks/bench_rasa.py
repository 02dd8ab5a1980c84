"""Benchmark: the LANS configuration against the stock `rasa init` configuration.

    make bench        (or: .venv/bin/python -m benchmarks.bench_rasa --out reports/benchmark.md)

For each configuration, in the same run and on the same training data: training time,
model load time (server start until it answers), then realistic conversations sent to the
REST endpoint (with the action server up) at 1, 10 and 50 concurrent conversations:
p50/p95 latency per message, throughput, the CPU time per message of the Rasa server, the
action server and the load client, bot messages per user message, and the Rasa server's peak
memory. The held-out intent accuracy of both models is reported next to it, so speed is not
bought with accuracy.
The LANS model is also measured with its engine speedups (bot/engine) turned off, so the
report shows what the configuration alone gives and what the speedups add.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import statistics
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from benchmarks.conversations import CONVERSATIONS
from bot.engine_process import ENGINE_BIN, PROJECT_ROOT, engine_env, running_engine

CONFIGS = {
    "lans": PROJECT_ROOT / "config.yml",
    "stock": PROJECT_ROOT / "benchmarks" / "stock_config.yml",
}
NO_SPEEDUPS = {"LANS_ENGINE_SPEEDUPS": "0"}
ENV = engine_env()


@dataclass
class LoadResult:
    concurrency: int
    latencies_ms: list[float]
    seconds: float
    errors: int
    # Bot messages received: both bots must do the same work per message for a fair ratio.
    replies: int
    # CPU seconds each process spent during the load test (see cpu_seconds()).
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, q: int) -> float:
        return statistics.quantiles(self.latencies_ms, n=100)[q - 1]

    def cpu_ms_per_message(self, process: str) -> float:
        return 1000 * self.cpu_seconds[process] / len(self.latencies_ms)

    @property
    def cpu_busy(self) -> float:
        """Share of the machine's cores that the three processes kept busy."""
        return sum(self.cpu_seconds.values()) / (self.seconds * (os.cpu_count() or 1))


@dataclass
class ConfigResult:
    name: str
    train_seconds: float = 0.0
    model_load_seconds: float = 0.0
    start_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    load_average: float = 0.0
    accuracy: float = 0.0
    macro_f1: float = 0.0
    loads: list[LoadResult] = field(default_factory=list)

    @property
    def replies_per_message(self) -> float:
        return sum(r.replies for r in self.loads) / sum(len(r.latencies_ms) for r in self.loads)


class PeakMemory:
    """Samples a process's resident memory in a background thread."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def train(name: str, out_dir: Path, reuse: bool = False) -> tuple[Path, float]:
    """Train (or, with `reuse`, take the model an earlier run trained) and its training time."""
    model, timing = out_dir / f"{name}.tar.gz", out_dir / f"{name}.train-seconds"
    if reuse and model.exists() and timing.exists():
        return model, float(timing.read_text())
    started = time.perf_counter()
    subprocess.run(
        [str(ENGINE_BIN / "rasa"), "train", "--config", str(CONFIGS[name]), "--out", str(out_dir),
         "--fixed-model-name", name, "--force"],
        cwd=PROJECT_ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    timing.write_text(f"{seconds:.1f}")
    return model, seconds


LOAD_MODEL = """
import sys, time
from rasa.core.agent import Agent
started = time.perf_counter()
Agent.load(sys.argv[1])
print(time.perf_counter() - started)
"""


def model_load_seconds(model: Path) -> float:
    """Time to load the trained model into an Agent (imports excluded)."""
    result = subprocess.run(
        [str(ENGINE_BIN / "python"), "-c", LOAD_MODEL, str(model)],
        cwd=PROJECT_ROOT, env=ENV, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return float(result.stdout.strip().splitlines()[-1])


def heldout_scores(model: Path, out_dir: Path) -> tuple[float, float]:
    report = out_dir / f"{model.name.removesuffix('.tar.gz')}-heldout.json"
    subprocess.run(
        [str(ENGINE_BIN / "python"), "-m", "bot.nlu.evaluation", "--model", str(model),
         "--out", str(report.with_suffix(".md")), "--json", str(report)],
        cwd=PROJECT_ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    scores = json.loads(report.read_text())
    return scores["accuracy"], scores["macro_f1"]


def cpu_seconds(processes: dict[str, psutil.Process]) -> dict[str, float]:
    """User + system CPU time of each process, all its threads included.

    Shows where the machine's cores go per message, so a ratio to stock that differs between
    machines can be traced to the Rasa server, the action server or the load client itself.
    """
    return {name: sum(process.cpu_times()[:2]) for name, process in processes.items()}


async def run_conversation(client: httpx.AsyncClient, url: str, turns: list[str],
                           latencies: list[float], tally: Counter[str]) -> None:  # fmt: skip
    sender = f"bench-{secrets.token_hex(6)}"
    for text in turns:
        started = time.perf_counter()
        response = await client.post(url, json={"sender": sender, "message": text})
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code == 200:
            tally["replies"] += len(response.json())
        else:
            tally["errors"] += 1


async def load(url: str, concurrency: int, processes: dict[str, psutil.Process]) -> LoadResult:
    """Send conversations at `concurrency`; CPU time of `processes` is counted after the warm-up."""
    conversations_per_worker = max(1, 40 // concurrency) if concurrency < 50 else 1
    latencies: list[float] = []
    tally: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def worker(offset: int) -> None:
            for i in range(conversations_per_worker):
                turns = CONVERSATIONS[(offset + i) % len(CONVERSATIONS)]
                await run_conversation(client, url, turns, latencies, tally)

        await run_conversation(client, url, CONVERSATIONS[0], [], Counter())  # warm-up
        cpu_before = cpu_seconds(processes)
        started = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(concurrency)))
        seconds = time.perf_counter() - started
        cpu_after = cpu_seconds(processes)
    result = LoadResult(concurrency, latencies, seconds, tally["errors"], tally["replies"])
    result.cpu_seconds = {name: cpu_after[name] - cpu_before[name] for name in processes}
    return result


def measure(
    name: str, model: Path, levels: list[int], port: int, env: dict[str, str] | None = None
) -> ConfigResult:
    # Other work on the machine skews the figures: the report shows how busy it was.
    result = ConfigResult(name, load_average=os.getloadavg()[0])
    started = time.perf_counter()
    with running_engine(model=model, rasa_port=port, actions_port=port + 50, env=env) as engine:
        result.start_seconds = time.perf_counter() - started
        processes = {
            "rasa": psutil.Process(engine.rasa.pid),
            "actions": psutil.Process(engine.actions.pid),
            "client": psutil.Process(),
        }
        with PeakMemory(engine.rasa.pid) as memory:
            for level in levels:
                result.loads.append(asyncio.run(load(engine.webhook_url, level, processes)))
        result.peak_rss_mb = memory.peak / 2**20
    return result


def host_description() -> str:
    """Cores, memory and processor: the ratio to stock differs between processors."""
    cpu: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            cpu.setdefault(key.strip(), value.strip())
    processor = "{} (family {}, model {}, {} MHz)".format(
        *(cpu.get(key, "?") for key in ("model name", "cpu family", "model", "cpu MHz"))
    )
    memory = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {processor}"


def to_markdown(results: list[ConfigResult]) -> str:
    lans, plain, stock = results
    rows = [
        ("training time", "{:.0f} s", lambda r: r.train_seconds),
        ("model load (Agent.load)", "{:.1f} s", lambda r: r.model_load_seconds),
        ("servers started and answering", "{:.1f} s", lambda r: r.start_seconds),
        ("peak memory, Rasa server (RSS)", "{:.0f} MiB", lambda r: r.peak_rss_mb),
        ("machine load average before the load test", "{:.1f}", lambda r: r.load_average),
        ("held-out intent accuracy", "{:.3f}", lambda r: r.accuracy),
        ("held-out macro F1", "{:.3f}", lambda r: r.macro_f1),
    ]
    lines = [
        "# Benchmark: LANS configuration vs. stock `rasa init` configuration",
        "",
        f"Machine: {host_description()}. "
        "Same training data, same conversations (benchmarks/conversations.py), "
        "Rasa REST endpoint with the action server up.",
        "",
        "| | LANS (config.yml) | LANS, engine speedups off | stock (rasa init) |",
        "|---|---|---|---|",
    ]
    lines += [f"| {label} | " + " | ".join(fmt.format(get(r)) for r in results) + " |"
              for label, fmt, get in rows]  # fmt: skip
    for loads in zip(lans.loads, plain.loads, stock.loads, strict=True):
        latency = " | ".join(f"{r.percentile(50):.0f} / {r.percentile(95):.0f} ms" for r in loads)
        speed = " | ".join(f"{r.throughput:.1f} msg/s" for r in loads)
        lines.append(f"| {loads[0].concurrency} conv.: p50 / p95 latency | {latency} |")
        cpu = " | ".join(
            " / ".join(f"{r.cpu_ms_per_message(p):.1f}" for p in ("rasa", "actions", "client"))
            + f" ms ({r.cpu_busy:.0%})"
            for r in loads
        )
        lines.append(f"| {loads[0].concurrency} conv.: throughput | {speed} |")
        lines.append(f"| {loads[0].concurrency} conv.: CPU per message (busy) | {cpu} |")

    def ratios(mine: ConfigResult) -> str:
        return ", ".join(
            f"{m.concurrency} conv. {m.throughput / t.throughput:.1f}x"
            for m, t in zip(mine.loads, stock.loads, strict=True)
        )

    errors = sum(r.errors for res in results for r in res.loads)
    replies = "; ".join(f"{res.name} {res.replies_per_message:.2f}" for res in results)
    lines += [
        "",
        f"Throughput ratio (LANS / stock): {ratios(lans)}.",
        f"Throughput ratio (LANS with engine speedups off / stock): {ratios(plain)}.",
        f"Failed requests: {errors}. Bot messages per user message: {replies}.",
        "",
        "CPU per message: milliseconds of CPU time (user + system, all threads) that the Rasa "
        "server / the action server / the load client spent per message; in brackets, the "
        "share of all cores the three kept busy. When throughput times the Rasa server's CPU "
        "per message nears 1000 ms per second, the Rasa server is the limit: its Python code "
        "runs on one thread.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports" / "benchmark.md")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument(
        "--reuse-models",
        action="store_true",
        help="load-test the models (and training times) of the last run in build/bench again; "
        "only valid while data/ and the configs are unchanged",
    )
    args = parser.parse_args()
    work = PROJECT_ROOT / "build" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    # All training first, then all load tests back to back, so the speed figures of the
    # configurations are measured close together under the same conditions.
    trained = {}
    for name in CONFIGS:
        print(f"[{name}] training ...", flush=True)
        model, train_seconds = train(name, work, reuse=args.reuse_models)
        print(f"[{name}] held-out evaluation ...", flush=True)
        trained[name] = (model, train_seconds, *heldout_scores(model, work))
    results = []
    variants = [("lans", "lans", None), ("lans, speedups off", "lans", NO_SPEEDUPS)]
    variants.append(("stock", "stock", None))
    for offset, (label, name, env) in enumerate(variants):
        model, train_seconds, accuracy, macro_f1 = trained[name]
        print(f"[{label}] load test at {args.levels} concurrent conversations ...", flush=True)
        result = measure(label, model, args.levels, port=5205 + 2 * offset, env=env)
        result.train_seconds, result.accuracy, result.macro_f1 = train_seconds, accuracy, macro_f1
        result.model_load_seconds = model_load_seconds(model)
        results.append(result)
    markdown = to_markdown(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown)
    print(markdown)


if __name__ == "__main__":
    main()
