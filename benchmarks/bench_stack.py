"""Full-stack benchmark: Telegram (webhook) -> bridge -> nginx -> Rasa -> action servers -> intake.

    make bench-stack                                   (everything: about 20 minutes, below)
    .venv/bin/python -m benchmarks.bench_stack --levels 1 2 --replicas 1     (a short trial)

The production set-up of tests/service/production on loopback: PostgreSQL (tracker store and
intake database), Redis (lock store), nginx from deploy/nginx.conf, Rasa replicas on
deploy/endpoints.production.yml, one action server per replica, the intake service, and the
Telegram bridge (`python -m bot.telegram`) in webhook mode against the fake Bot API of
tests/service/telegram. The benchmark posts Telegram updates (with the secret-token header) to
the bridge; the fake records the bot's sendMessage calls.

Latency per message: from posting the update until the LAST reply to it reached the fake. The
last one is known by counting: each conversation is first played alone, waiting after every
turn until its chat is quiet for 0.8 s, which gives the number of replies each turn gets (Rasa
answers deterministically for the same model and turns). Under load a turn is done when that
many new replies arrived; missing replies (5 min) count as failed turns, replies beyond the
count as extra replies. A quiet period alone would be wrong under load, where the gap between
two replies of one answer can exceed any fixed quiet time.

Conversations: benchmarks/conversations.py (typed as on Telegram) and a parent's referral with
button presses, which reaches the intake service. A level of N concurrent conversations has N
users talking at once until max(N, --min-conversations) conversations were played (default 12:
level 1 plays 12 conversations one after the other, level 200 plays 200).

For each model (LANS, and the stock `rasa init` configuration trained on the same data,
build/bench/stock.tar.gz from `make bench`, trained here when missing: about 20 minutes more)
and each replica count: p50/p95/p99 latency and throughput per level; peak RSS of every
process; CPU seconds per process (where the machine's time goes); and where a message's time
goes, from nginx's access log ($request_time of the Rasa, action and intake hops):
channel = latency - Rasa request, Rasa = Rasa request - its action calls, actions = action
calls - their intake calls, intake = intake calls.

Time (2 cores): with the Bot API limit on (production), the bridge sends at most 30 calls a
second (a typing action and about 1.1 messages per user message), so loaded levels run at
about 13 messages a second: per model and replica count about 3.5 minutes (calibration 40 s,
level 200 about 110 s), plus 1-1.5 minutes to load each Rasa replica: about 20 minutes in all.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import statistics
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from benchmarks.stack import (
    Infrastructure,
    ProcessWatch,
    infrastructure,
    replicas_for,
    running_nginx,
    running_webhook_bridge,
    start_servers,
)
from benchmarks.telegram_load import (
    LevelRun,
    Replies,
    calibrate,
    conversations,
    run_level,
)
from bot.engine_process import DEFAULT_MODEL, PROJECT_ROOT

STOCK_MODEL = PROJECT_ROOT / "build" / "bench" / "stock.tar.gz"
HOPS = ("rasa_lb", "actions_lb", "intake_lb")


@dataclass
class LevelResult:
    run: LevelRun
    cpu: dict[str, float]  # CPU seconds per process during the level
    hops: dict[str, tuple[int, float]]  # role -> (requests, seconds) from nginx's access log
    referrals_stored: int

    def percentile(self, q: int) -> float:
        values = self.run.latencies
        if len(values) < 2:
            return values[0] * 1000 if values else float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000

    @property
    def throughput(self) -> float:
        return len(self.run.latencies) / self.run.seconds


@dataclass
class SetupResult:
    model: str
    replicas: int
    calibration_ms: float = 0.0  # median latency, conversations alone
    replies_per_turn: float = 0.0
    levels: list[LevelResult] = field(default_factory=list)
    peak_rss: dict[str, float] = field(default_factory=dict)


def access_log_hops(log: Path, offset: int, ports: dict[str, int]) -> dict[str, tuple[int, float]]:
    """Requests and summed $request_time per internal hop, from `offset` on (format `lans`)."""
    by_port = {str(ports[role]): role for role in HOPS}
    totals = {role: (0, 0.0) for role in HOPS}
    with log.open() as handle:
        handle.seek(offset)
        for line in handle:
            fields = line.split()
            if len(fields) >= 7 and fields[1] in by_port:
                role = by_port[fields[1]]
                count, seconds = totals[role]
                totals[role] = (count + 1, seconds + float(fields[6]))
    return totals


def delta(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}


async def measure_setup(
    result: SetupResult,
    infra: Infrastructure,
    watch: ProcessWatch,
    webhook_url: str,
    access_log: Path,
    ports: dict[str, int],
    levels: list[int],
    min_conversations: int,
    expected: list[list[int]] | None,
) -> list[list[int]]:
    scripts = conversations()
    replies = Replies(infra.api)
    replies.seen = len(infra.api.calls)
    collector = asyncio.create_task(replies.run())
    try:
        calibration = await calibrate(webhook_url, replies, scripts)
        if expected is None:  # the reply counts depend on the model only
            expected = [outcome.counts for outcome in calibration]
        unloaded = [x for outcome in calibration for x in outcome.latencies]
        result.calibration_ms = statistics.median(unloaded) * 1000 if unloaded else float("nan")
        turns = sum(len(counts) for counts in expected)
        result.replies_per_turn = sum(map(sum, expected)) / turns
        for level in levels:
            total = max(level, min_conversations)
            print(f"  {level} concurrent, {total} conversations ...", flush=True)
            cpu_before = watch.cpu_seconds()
            offset = access_log.stat().st_size if access_log.exists() else 0
            stored_before = infra.referral_count()
            run = await run_level(webhook_url, replies, scripts, expected, level, total)
            level_result = LevelResult(
                run,
                delta(watch.cpu_seconds(), cpu_before),
                access_log_hops(access_log, offset, ports),
                infra.referral_count() - stored_before,
            )
            result.levels.append(level_result)
            print(
                f"    p50 {level_result.percentile(50):.0f} ms, p95 "
                f"{level_result.percentile(95):.0f} ms, {level_result.throughput:.1f} msg/s, "
                f"errors {run.errors}",
                flush=True,
            )
    finally:
        collector.cancel()
    return expected


def run(args: argparse.Namespace) -> list[SetupResult]:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    log_dir = PROJECT_ROOT / "build" / "bench-stack" / stamp
    log_dir.mkdir(parents=True, exist_ok=True)
    models = {"lans": args.lans_model, "stock": args.stock_model}
    results: list[SetupResult] = []
    with infrastructure(log_dir) as infra, ProcessWatch() as watch:
        watch.track("PostgreSQL", infra.postgres.postmaster_pid())
        watch.track("Redis", infra.redis.process.pid)
        watch.track("intake service", infra.intake.process.pid)
        # Itself only: its children are the servers, tracked on their own.
        watch.track("benchmark (load + fake Bot API)", os.getpid(), children=False)
        for name in args.models:
            model = models[name]
            if name == "stock" and not model.exists():
                from benchmarks.bench_rasa import train

                print(f"[stock] {model} is missing: training it (about 20 minutes) ...", flush=True)
                model, _ = train("stock", model.parent)
            replicas = replicas_for(infra, model)
            expected = None
            try:
                for count in sorted(args.replicas):
                    print(f"[{name}] {count} replica(s): starting ...", flush=True)
                    start_servers([*infra.actions[:count], *replicas[:count]])
                    for i, letter in enumerate("AB"[:count]):
                        watch.track(f"Rasa replica {letter}", replicas[i].process.pid)
                        watch.track(f"action server {letter}", infra.actions[i].process.pid)
                    result = SetupResult(name, count)
                    with ExitStack() as stack:
                        nginx = stack.enter_context(running_nginx(infra, count))
                        bridge = stack.enter_context(
                            running_webhook_bridge(
                                infra, nginx.internal("rasa_lb"), not args.no_bot_api_limit
                            )
                        )
                        watch.track("nginx", nginx.process.pid)
                        watch.track("Telegram bridge", bridge.process.pid)
                        watch.peak.clear()
                        expected = asyncio.run(
                            measure_setup(
                                result,
                                infra,
                                watch,
                                bridge.webhook_url,
                                nginx.prefix / "lans-access.log",
                                nginx.ports,
                                args.levels,
                                args.min_conversations,
                                expected,
                            )
                        )
                        time.sleep(0.5)
                        result.peak_rss = dict(watch.peak)
                    results.append(result)
            finally:
                for server in replicas:
                    server.stop()
                watch.forget("Rasa replica")
    return results


# ---------------------------------------------------------------- the report


def _ms(value: float) -> str:
    return f"{value:.0f}"


def latency_table(results: list[SetupResult]) -> list[str]:
    lines = [
        "| model | replicas | concurrent conv. | conversations | messages | p50 ms | p95 ms "
        "| p99 ms | msg/s | failed turns / extra replies | referrals completed / stored |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for setup in results:
        for level in setup.levels:
            r = level.run
            lines.append(
                f"| {setup.model} | {setup.replicas} | {r.concurrency} | {r.conversations} "
                f"| {len(r.latencies)} | {_ms(level.percentile(50))} | {_ms(level.percentile(95))} "
                f"| {_ms(level.percentile(99))} | {level.throughput:.1f} "
                f"| {r.errors} / {r.unexpected} "
                f"| {r.referrals_completed} / {level.referrals_stored} |"
            )
    return lines


def hop_table(results: list[SetupResult]) -> list[str]:
    lines = [
        "| model | replicas | concurrent conv. | mean latency ms | channel (bridge, Bot API) "
        "| Rasa (NLU, policies, tracker store, lock) | action servers | intake service "
        "| requests per message: Rasa / actions / intake |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for setup in results:
        for level in setup.levels:
            turns = len(level.run.latencies) or 1
            mean = sum(level.run.latencies) / turns * 1000
            rasa, actions, intake = (level.hops[role][1] / turns * 1000 for role in HOPS)
            parts = [mean - rasa, rasa - actions, actions - intake, intake]
            cells = " | ".join(f"{p:.1f} ms ({p / mean:.0%})" for p in parts)
            calls = " / ".join(f"{level.hops[role][0] / turns:.2f}" for role in HOPS)
            lines.append(
                f"| {setup.model} | {setup.replicas} | {level.run.concurrency} | {mean:.0f} "
                f"| {cells} | {calls} |"
            )
    return lines


def cpu_table(results: list[SetupResult]) -> list[str]:
    names = sorted({n for s in results for lv in s.levels for n in lv.cpu})
    lines = [
        "| model | replicas | concurrent conv. | " + " | ".join(names) + " |",
        "|---|---|---|" + "---|" * len(names),
    ]
    for setup in results:
        for level in setup.levels:
            total = sum(level.cpu.values()) or 1.0
            cells = " | ".join(
                f"{level.cpu[n]:.1f} s ({level.cpu[n] / total:.0%})" if n in level.cpu else "-"
                for n in names
            )
            row = f"| {setup.model} | {setup.replicas} | {level.run.concurrency}"
            lines.append(f"{row} | {cells} |")
    return lines


def memory_table(results: list[SetupResult]) -> list[str]:
    names = sorted({n for s in results for n in s.peak_rss})
    lines = [
        "| model | replicas | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for setup in results:
        cells = " | ".join(
            f"{setup.peak_rss[n]:.0f}" if n in setup.peak_rss else "-" for n in names
        )
        lines.append(f"| {setup.model} | {setup.replicas} | {cells} |")
    return lines


def comparison(results: list[SetupResult]) -> list[str]:
    by_key = {(s.model, s.replicas): s for s in results}
    lines = []
    for (model, replicas), lans in by_key.items():
        stock = by_key.get(("stock", replicas))
        if model != "lans" or stock is None:
            continue
        ratios = ", ".join(
            f"{a.run.concurrency} conv. {a.throughput / b.throughput:.2f}x"
            for a, b in zip(lans.levels, stock.levels, strict=True)
        )
        lines.append(f"* {replicas} replica(s), throughput LANS / stock: {ratios}.")
    return lines


def to_markdown(results: list[SetupResult], args: argparse.Namespace, seconds: float) -> str:
    machine = (
        f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
        f"load average before the run {args.load_before:.1f}"
    )
    scripts = ", ".join(name for name, _ in conversations())
    lines = [
        "# Full-stack benchmark: Telegram → bridge → Rasa → action servers → intake",
        "",
        f"Written by `benchmarks/bench_stack.py` on "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC in {seconds / 60:.0f} min; "
        f"{machine}. Command: `{args.command}`.",
        "",
        "Set-up (all on loopback, as tests/service/production starts it): PostgreSQL (Rasa's "
        "tracker store, the intake database), Redis (Rasa's lock store), nginx from "
        "`deploy/nginx.conf` in front of Rasa, the action servers and the intake service, Rasa "
        "on `deploy/endpoints.production.yml`, one action server per Rasa replica, one intake "
        "process, and the Telegram bridge (`python -m bot.telegram`, webhook mode, production "
        "settings) against a fake Bot API. With one replica both `server` lines of each "
        "upstream point at the one process.",
        "",
        f"Conversations ({scripts}) are played as new Telegram users: text messages, and "
        "button presses (callback queries) in the referral. At each level N users talk at "
        f"the same time until max(N, {args.min_conversations}) conversations were played. "
        "Latency per message: from posting the update to the bridge's webhook until the bot's "
        "last reply to it reached the fake Bot API (the number of replies per turn is taken "
        "from playing each conversation alone first). Throughput: messages answered per "
        "second over the level. *Failed turns*: fewer replies than calibrated within "
        "5 minutes, or an update the webhook refused; *extra replies*: more than calibrated "
        "(both should be 0).",
        "",
        "## Latency and throughput",
        "",
        *latency_table(results),
        "",
        "Unloaded (each conversation alone, before the levels): "
        + "; ".join(
            f"{s.model} on {s.replicas} replica(s) median {s.calibration_ms:.0f} ms, "
            f"{s.replies_per_turn:.2f} replies per message"
            for s in results
        )
        + ".",
        "",
        *comparison(results),
        "",
        "## Where a message's time goes",
        "",
        "From nginx's access log (`$request_time` per hop) and the measured latencies, per "
        "message on average. *Channel* is everything outside Rasa's HTTP request: the webhook, "
        "python-telegram-bot's update queue (32 updates at once), the bridge's Bot API calls "
        "through its rate limiter (30 calls a second overall, Telegram's limit) and the fake. "
        "*Rasa* includes waiting for the conversation's lock and reading and writing the "
        "tracker in PostgreSQL; *action servers* include their calls to the intake service.",
        "Bot API limit in this run: "
        + ("**off** (`--no-bot-api-limit`)." if args.no_bot_api_limit else "on (production)."),
        "",
        *hop_table(results),
        "",
        "CPU seconds per process during each level (share of all measured CPU time; the "
        "machine has "
        f"{os.cpu_count()} cores, so a saturated level uses about {os.cpu_count()} CPU seconds "
        "per second):",
        "",
        *cpu_table(results),
        "",
        "## Peak memory (RSS, MiB)",
        "",
        "Sampled every 0.25 s from the calibration to the end of the last level of each set-up "
        "(not while the models loaded). PostgreSQL and nginx: the main "
        "process and its children summed (shared memory is counted more than once).",
        "",
        *memory_table(results),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50, 200])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2], choices=[1, 2])
    parser.add_argument("--models", nargs="+", default=["lans", "stock"], choices=["lans", "stock"])
    parser.add_argument("--lans-model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--stock-model", type=Path, default=STOCK_MODEL)
    parser.add_argument(
        "--min-conversations",
        type=int,
        default=12,
        help="conversations per level at least (a level of N plays max(N, this))",
    )
    parser.add_argument(
        "--no-bot-api-limit",
        action="store_true",
        help="run the bridge without its 30 calls/s overall Bot API limit (Telegram's), to see "
        "the stack behind the channel",
    )
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports" / "benchmark-stack.md")
    args = parser.parse_args()
    args.command = "python -m benchmarks.bench_stack " + " ".join(sys.argv[1:])
    args.load_before = os.getloadavg()[0]
    started = time.monotonic()
    results = run(args)
    markdown = to_markdown(results, args, time.monotonic() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown)
    print(markdown)


if __name__ == "__main__":
    main()
