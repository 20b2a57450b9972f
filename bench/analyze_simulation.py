"""Seeded simulation suite of `shiftwatch.analyze` (the calibration and power table in the README).

Every scenario simulates a release experiment with ``datasets/scripts/experiment.py`` (Kubo
metric names, by-2 targets, AR(1) noise, shared load) and runs the default analysis
(``--preset kubo``, BH at α = 0.05, 5 min warm-up) through the Python binding, which is the
same engine as the CLI. Measured per scenario:

- A/A: the share of metric rows flagged (regression or improvement) — target ≤ 5 % pooled and
  ≤ 7 % in every scenario;
- injected regressions: the share of runs whose expected metric is a regression in the right
  direction — target ≥ 90 %; sub-threshold shifts: not flagged ≥ 90 %;
- interval coverage of the true effect — target ≥ 90 %;
- rules: fire time within one step of the truth (≥ 95 %), attribution, and no firing on a gap.

Run (after ``maturin develop`` or ``pip install .``, from the repository root):
``python bench/analyze_simulation.py [--runs 40] [--out bench/results/analyze_simulation.md]``
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "datasets" / "scripts"))

import shiftwatch  # noqa: E402
from experiment import HOUR, MIN, START_MS, Effects, Scenario, simulate, splice_deploy  # noqa: E402

TTFB = "thunderdome_dealgood_ttfb_seconds"
ERR = "thunderdome_dealgood_responses_total"


def slope_of_log(rate_per_h: float, hours: float) -> float:
    """OLS slope of log(1 + r·h) over [5 min, hours]: the true relative trend per hour."""
    h = np.linspace(5 / 60, hours, 2000)
    return float(np.polyfit(h, np.log1p(rate_per_h * h), 1)[0])


@dataclass
class Case:
    name: str
    kind: str  # "aa", "effect", "subthreshold", "rule", "deploy-aa", "deploy-effect"
    scenario: Scenario
    metric: str | None = None  # metric[labels] expected to be flagged
    labels: dict[str, str] = field(default_factory=dict)
    statistic: str | None = None  # expected effect statistic
    truth: float | None = None  # true relative effect (or slope / sd ratio − 1)
    rule: str | None = None
    rule_attribution: str | None = None
    rule_fires: bool = True


BASE = Scenario(hours=24.0, step_s=60, phi=0.9, noise=0.02, error_rate_per_s=0.05)


def cases() -> list[Case]:
    h = BASE.hours
    return [
        Case("A/A, AR(1) φ=0.9", "aa", BASE),
        Case("A/A, AR(1) φ=0.95, strong shared load", "aa", replace(BASE, phi=0.95, shared_sd=0.1)),
        Case("A/A, daily cycle, 48 h", "aa", replace(BASE, hours=48.0, daily=0.3)),
        Case("A/A, latency stalls (t₃ tails)", "aa", replace(BASE, stalls=8)),
        Case("A/A, latency as histogram buckets", "aa", replace(BASE, histogram=True, stalls=4)),
        Case("A/A, counter resets, gaps, NaN", "aa", replace(BASE, resets=3, gap_minutes=20, nan_fraction=0.01)),
        Case("A/A, phases and 30 s vs 60 s", "aa", replace(BASE, step_s=30, cand_step_s=60)),
        Case("A/A, warm-up transient", "aa", replace(BASE, warmup_minutes=4)),
        Case("A/A, overdispersed 5xx, shared bursts", "aa", replace(BASE, error_bursts=6, overdispersion=0.6)),
        Case("latency p50 +5 %", "effect", replace(BASE, effects=Effects(p50=1.05)), TTFB, {"quantile": "0.5"}, "mean", 0.05),
        Case("p99 +9 % (tail only)", "effect", replace(BASE, stalls=4, effects=Effects(p99=1.09)), TTFB, {"quantile": "0.99"}, "mean", 0.09),
        Case("CPU +10 % step", "effect", replace(BASE, effects=Effects(cpu=1.10)), "process_cpu_seconds_total", {}, "mean", 0.10),
        Case("goroutine leak 1.5 %/h", "effect", replace(BASE, effects=Effects(goroutine_leak_per_h=0.015)), "go_goroutines", {}, "trend_per_h", slope_of_log(0.015, h)),
        Case("memory leak 1 %/h", "effect", replace(BASE, effects=Effects(memory_leak_per_h=0.01)), "process_resident_memory_bytes", {}, "trend_per_h", slope_of_log(0.01, h)),
        Case("5xx ×1.5, shared bursts", "effect", replace(BASE, error_bursts=3, effects=Effects(errors=1.5)), ERR, {"code": "503"}, "rate", 0.5),
        Case("latency sd ×2 (variance only)", "effect", replace(BASE, effects=Effects(latency_sd=2.0)), TTFB, {"quantile": "0.5"}, "sd_ratio", None),
        Case("p50 +2 % under a 3 % margin", "subthreshold", replace(BASE, effects=Effects(p50=1.02)), TTFB, {"quantile": "0.5"}),
        Case("memory ≥ 95 % on every target", "rule", replace(BASE, memory_breach=True), rule="memory_utilisation", rule_attribution="environment"),
        Case("memory ≥ 95 % on the candidate only", "rule", replace(BASE, memory_breach_candidate_only=True), rule="memory_utilisation", rule_attribution="candidate"),
        Case("scrape gap on the traffic counter", "rule", replace(BASE, no_traffic_gap=True), rule="no_traffic", rule_fires=False),
        Case("deploy A/A, restart transient", "deploy-aa", replace(BASE, n_base=1, n_cand=1)),
        Case("deploy, CPU +10 %, restart transient", "deploy-effect", replace(BASE, n_base=1, n_cand=1, effects=Effects(cpu=1.10)), "process_cpu_seconds_total", {}, "mean", 0.10),
    ]


def frame(case: Case, seed: int) -> tuple[pl.DataFrame, dict]:
    d = simulate(case.scenario, seed)
    extra: dict = {}
    if case.kind.startswith("deploy"):
        deploy = START_MS + int(case.scenario.hours * HOUR / 2)
        d = splice_deploy(d, deploy, transient_min=10.0, seed=seed)
        extra["deploy_at"] = deploy
    f = pl.DataFrame(d).with_columns(pl.from_epoch("timestamp", time_unit="ms"))
    return f, extra


def analyse(case: Case, f: pl.DataFrame, extra: dict) -> shiftwatch.Report:
    if "deploy_at" in extra:
        import datetime as dt

        at = dt.datetime.fromtimestamp(extra["deploy_at"] / 1000, tz=dt.timezone.utc)
        return shiftwatch.analyze(f.drop("role"), mode="deploy", deploy_at=at.isoformat(), preset="kubo")
    return shiftwatch.analyze(f, baseline="kubo-base-*", candidate="kubo-cand-*", preset="kubo")


def row_of(r: shiftwatch.Report, metric: str, labels: dict[str, str]) -> dict | None:
    for m in r.metrics:
        if m["metric"] == metric and all(m["labels"].get(k) == v for k, v in labels.items()):
            return m
    return None


def covers(m: dict, case: Case) -> bool | None:
    if case.truth is None:
        return None
    if case.statistic == "trend_per_h":
        ci = m["trend"]["ci"] if m.get("trend") else None
    elif m.get("effect") and m["effect"]["statistic"] == case.statistic:
        ci = m["effect"]["ci_relative"]
    else:
        return None
    return ci is not None and ci[0] <= case.truth <= ci[1]


def run(runs: int) -> list[dict]:
    results = []
    for ci, case in enumerate(cases()):
        flags = rows = detected = cover_n = cover_ok = within = fired = attributed = runs_any = 0
        t0 = time.perf_counter()
        for rep in range(runs):
            seed = 1000 * ci + rep
            f, extra = frame(case, seed)
            r = analyse(case, f, extra)
            flagged = [m for m in r.metrics if m["verdict"] in ("regression", "improvement")]
            if case.kind in ("aa", "deploy-aa"):
                flags += len(flagged)
                rows += len(r.metrics)
                runs_any += bool(flagged)
            elif case.kind in ("effect", "deploy-effect", "subthreshold"):
                m = row_of(r, case.metric or "", case.labels)
                ok = m is not None and m["verdict"] == "regression"
                if case.statistic and m is not None and m["effect"]:
                    ok = ok and m["effect"]["statistic"] == case.statistic
                detected += ok
                if m is not None:
                    c = covers(m, case)
                    if c is not None:
                        cover_n += 1
                        cover_ok += c
                # Other metrics of an effect run must stay quiet.
                others = [x for x in flagged if not (x["metric"] == case.metric and all(x["labels"].get(k) == v for k, v in case.labels.items()))]
                flags += len(others)
                rows += len(r.metrics) - 1
            elif case.kind == "rule":
                hits = [x for x in r.rules if x["rule"] == case.rule and x["fired_at"]]
                if case.rule_fires:
                    breach = START_MS + int(0.66 * int(case.scenario.hours * HOUR / (case.scenario.step_s * 1000) + 1)) * case.scenario.step_s * 1000
                    want = breach + 10 * MIN
                    targets = [x for x in hits]
                    import datetime as dt

                    ok = bool(targets)
                    for x in targets:
                        t = dt.datetime.fromisoformat(x["fired_at"].replace("Z", "+00:00")).timestamp() * 1000
                        ok &= abs(t - want) <= case.scenario.step_s * 1000
                    within += ok
                    attributed += bool(hits) and all(x["attribution"] == case.rule_attribution for x in hits)
                    fired += bool(hits)
                else:
                    fired += bool(hits)
        dt_s = time.perf_counter() - t0
        res = {"case": case.name, "kind": case.kind, "runs": runs, "seconds": dt_s}
        if case.kind in ("aa", "deploy-aa"):
            res["flag_rate"] = flags / max(rows, 1)
            res["runs_with_any_flag"] = runs_any / runs
        elif case.kind in ("effect", "deploy-effect"):
            res["detected"] = detected / runs
            res["coverage"] = cover_ok / cover_n if cover_n else None
            res["other_flag_rate"] = flags / max(rows, 1)
        elif case.kind == "subthreshold":
            res["not_flagged"] = 1 - detected / runs
            res["coverage"] = None
        else:
            if case.rule_fires:
                res["fire_time_within_step"] = within / runs
                res["attribution_ok"] = attributed / runs
            else:
                res["fired_on_gap"] = fired / runs
        results.append(res)
        print(res, flush=True)
    return results


def fmt(x: float | None) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f} %"


def table(results: list[dict], runs: int) -> str:
    lines = [
        f"Seeded simulation suite, {runs} runs per scenario (24 h of 60 s scrapes unless named, "
        "2 baseline + 2 candidate targets, `--preset kubo`, BH at α = 0.05).",
        "",
        "| scenario | measure | result | target |",
        "|---|---|---|---|",
    ]
    aa_flags = [r["flag_rate"] for r in results if r["kind"] in ("aa", "deploy-aa")]
    for r in results:
        if r["kind"] in ("aa", "deploy-aa"):
            lines.append(f"| {r['case']} | metric rows flagged (runs with any flag) | {fmt(r['flag_rate'])} ({fmt(r['runs_with_any_flag'])}) | ≤ 7 % |")
        elif r["kind"] in ("effect", "deploy-effect"):
            lines.append(f"| {r['case']} | detected, right metric and direction | {fmt(r['detected'])} | ≥ 90 % |")
            if r.get("coverage") is not None:
                lines.append(f"| {r['case']} | interval covers the true effect | {fmt(r['coverage'])} | ≥ 90 % |")
            lines.append(f"| {r['case']} | other metric rows flagged | {fmt(r['other_flag_rate'])} | ≤ 7 % |")
        elif r["kind"] == "subthreshold":
            lines.append(f"| {r['case']} | not flagged | {fmt(r['not_flagged'])} | ≥ 90 % |")
        elif "fire_time_within_step" in r:
            lines.append(f"| {r['case']} | fire time within one step | {fmt(r['fire_time_within_step'])} | ≥ 95 % |")
            lines.append(f"| {r['case']} | attributed right | {fmt(r['attribution_ok'])} | 100 % |")
        else:
            lines.append(f"| {r['case']} | rule fired on the gap | {fmt(r['fired_on_gap'])} | 0 % |")
    pooled = sum(aa_flags) / len(aa_flags) if aa_flags else float("nan")
    lines.append(f"| **A/A pooled** | metric rows flagged | **{fmt(pooled)}** | ≤ 5 % |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "analyze_simulation.md")
    ap.add_argument("--only", default=None, help="run the scenarios whose name contains this")
    args = ap.parse_args()
    global cases
    if args.only:
        all_cases = cases
        cases = lambda: [c for c in all_cases() if args.only in c.name]  # noqa: E731
    results = run(args.runs)
    text = table(results, args.runs)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
