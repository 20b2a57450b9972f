"""Seeded simulator of a release experiment with Kubo metric names (numpy only).

Used by ``make_experiment.py`` (the bundled example) and by ``bench/analyze_simulation.py``
(the simulation suite behind the README's calibration table). One call returns a tidy table
(``timestamp`` epoch ms, ``metric``, ``target``, ``role``, ``labels`` as ``k=v;k=v``, ``kind``,
``value``) of every target's scrapes.

The model, per target ``i`` and scrape time ``t`` (hours ``h``):

- shared load ``L(t) = 1 + a·sin(2π h/24) + s(t)``, ``s`` an AR(1) (φ = 0.95) shared by every
  target (traffic is replayed to all of them);
- each series: ``level · L(t)^γ · (1 + δ_i) · exp(e_i(t))``, with a per-replica offset ``δ_i``
  (instances are never identical) and its own AR(1) noise ``e_i`` (φ from the scenario; Student
  t₃ innovations for latency tails);
- latency quantiles ``p50``/``p99`` as summary gauges (optionally as histogram buckets), with
  shared stall windows (every target ×3 for a few minutes);
- counters: per-scrape increments Poisson(rate · Δt), rates overdispersed by a gamma factor,
  with shared error bursts; a restart resets a counter to 0;
- the candidate's differences are multiplicative factors on its series (``Effects``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MIN = 60_000
HOUR = 3_600_000
START_MS = 1_763_884_800_000  # 2025-11-23T08:00:00Z


@dataclass
class Effects:
    """Differences of the candidate (1.0 / 0.0 = none)."""

    p99: float = 1.0  # factor on the p99 latency
    p50: float = 1.0  # factor on the p50 latency
    goroutine_leak_per_h: float = 0.0  # relative growth per hour
    memory_leak_per_h: float = 0.0
    cpu: float = 1.0  # factor on the CPU rate
    errors: float = 1.0  # factor on the 5xx rate
    latency_sd: float = 1.0  # factor on the p50 latency noise (dispersion only)


@dataclass
class Scenario:
    """One experiment's shape."""

    hours: float = 6.0
    step_s: int = 60
    cand_step_s: int | None = None  # candidate scrape interval (default: step_s)
    n_base: int = 2
    n_cand: int = 2
    phi: float = 0.9  # AR(1) of each series' own noise
    noise: float = 0.02  # sd of each series' own log-noise
    replica_sd: float = 0.003  # sd of per-replica level offsets
    daily: float = 0.0  # amplitude of the shared daily cycle
    shared_phi: float = 0.95
    shared_sd: float = 0.05
    phases: bool = True  # targets scraped at different phases
    stalls: int = 0  # shared stall windows (latency ×3 for 5 min)
    error_rate_per_s: float = 0.1  # baseline 5xx rate
    error_bursts: int = 0  # shared 5xx bursts (×10 for 3 min)
    overdispersion: float = 0.3  # gamma cv of the error rate per scrape
    resets: int = 0  # counter resets (restarts) per target
    gap_minutes: float = 0.0  # one scrape gap on the first candidate
    nan_fraction: float = 0.0  # scrapes whose values are NaN
    warmup_minutes: float = 0.0  # warm-up transient at the start (level ×1.5 decaying)
    histogram: bool = False  # latency as histogram buckets instead of quantile gauges
    memory_breach: bool = False  # memory_utilisation_ratio ≥ 0.95 for 15 min on every target
    memory_breach_candidate_only: bool = False
    no_traffic_gap: bool = False  # a scrape gap on responses_total (no rule may fire)
    effects: Effects = field(default_factory=Effects)


BUCKETS = [0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5, 2.5, 5.0, float("inf")]


def _ar1(rng: np.random.Generator, n: int, phi: float, sd: float, t3: bool = False) -> np.ndarray:
    e = rng.standard_t(3, n) / np.sqrt(3.0) if t3 else rng.standard_normal(n)
    e *= sd * np.sqrt(1.0 - phi * phi)
    x = np.empty(n)
    prev = rng.standard_normal() * sd
    for k in range(n):
        prev = phi * prev + e[k]
        x[k] = prev
    return x


def simulate(sc: Scenario, seed: int) -> dict[str, list]:
    """Every target's scrapes as tidy columns (see the module docs)."""
    rng = np.random.default_rng(seed)
    step_ms = sc.step_s * 1000
    n_fine = int(sc.hours * HOUR / step_ms) + 1
    fine_t = START_MS + np.arange(n_fine) * step_ms
    hours = (fine_t - START_MS) / HOUR
    shared = _ar1(rng, n_fine, sc.shared_phi, sc.shared_sd)
    load = np.maximum(1.0 + sc.daily * np.sin(2 * np.pi * hours / 24.0) + shared, 0.2)
    stall = np.ones(n_fine)
    for _ in range(sc.stalls):
        at = rng.integers(0, max(n_fine - 5, 1))
        stall[at : at + max(1, 300 // sc.step_s)] = 3.0
    burst = np.ones(n_fine)
    for _ in range(sc.error_bursts):
        at = rng.integers(0, max(n_fine - 3, 1))
        burst[at : at + max(1, 180 // sc.step_s)] = 10.0
    warm = np.ones(n_fine)
    if sc.warmup_minutes > 0:
        tau = sc.warmup_minutes * 60 / 3.0
        warm += 0.5 * np.exp(-(fine_t - START_MS) / 1000.0 / tau)
    breach_at = int(0.66 * n_fine)
    out: dict[str, list] = {k: [] for k in ("timestamp", "metric", "target", "role", "labels", "kind", "value")}

    def emit(ts: np.ndarray, metric: str, target: str, role: str, labels: str, kind: str, v: np.ndarray) -> None:
        out["timestamp"].extend(ts.tolist())
        out["metric"].extend([metric] * len(ts))
        out["target"].extend([target] * len(ts))
        out["role"].extend([role] * len(ts))
        out["labels"].extend([labels] * len(ts))
        out["kind"].extend([kind] * len(ts))
        out["value"].extend(v.tolist())

    targets = [(f"kubo-base-{i + 1}", "baseline") for i in range(sc.n_base)] + [
        (f"kubo-cand-{i + 1}", "candidate") for i in range(sc.n_cand)
    ]
    for ti, (target, role) in enumerate(targets):
        cand = role == "candidate"
        fx = sc.effects if cand else Effects()
        own_step = (sc.cand_step_s or sc.step_s) if cand else sc.step_s
        stride = max(1, own_step // sc.step_s)
        phase_ms = int(rng.integers(0, step_ms * stride)) if sc.phases else 0
        keep = np.arange(0, n_fine, stride)
        ts = fine_t[keep] + phase_ms
        h = hours[keep]
        mask = np.ones(len(keep), bool)
        if sc.gap_minutes > 0 and target == "kubo-cand-1":
            g0 = int(0.4 * len(keep))
            mask[g0 : g0 + max(1, int(sc.gap_minutes * 60 / own_step))] = False
        nan = rng.random(len(keep)) < sc.nan_fraction

        def series(level: float, gamma: float, noise: float, t3: bool = False) -> np.ndarray:
            off = 1.0 + rng.normal(0, sc.replica_sd)
            e = _ar1(rng, n_fine, sc.phi, noise, t3)[keep]
            return level * load[keep] ** gamma * off * np.exp(e) * warm[keep]

        def put(metric: str, labels: str, kind: str, v: np.ndarray, gauge_nan: bool = True) -> None:
            v = v.copy()
            if gauge_nan:
                v[nan] = np.nan
            emit(ts[mask], metric, target, role, labels, kind, v[mask])

        gor = series(5000.0, 0.5, sc.noise) * (1.0 + fx.goroutine_leak_per_h * h)
        put("go_goroutines", "", "gauge", np.round(gor))
        mem = series(3.0e8, 0.2, sc.noise / 2) * (1.0 + fx.memory_leak_per_h * h)
        put("process_resident_memory_bytes", "", "gauge", mem)
        peers = series(800.0, 0.0, sc.noise)
        put("ipfs_p2p_peers_total", "", "gauge", np.round(peers))
        util = 0.6 + 0.01 * rng.standard_normal(len(keep))
        if sc.memory_breach or (sc.memory_breach_candidate_only and cand):
            b = keep >= breach_at
            b &= keep < breach_at + int(15 * 60 / sc.step_s)
            util[b] = 0.97
        put("memory_utilisation_ratio", "", "gauge", util)
        p50 = series(0.08, 1.0, sc.noise * fx.latency_sd) * fx.p50 * stall[keep]
        p99 = series(0.45, 1.0, sc.noise * 2.0, t3=True) * fx.p99 * stall[keep]
        if sc.histogram:
            _histogram(rng, put, p50, p99, own_step)
        else:
            put("thunderdome_dealgood_ttfb_seconds", "quantile=0.5", "gauge", p50)
            put("thunderdome_dealgood_ttfb_seconds", "quantile=0.99", "gauge", p99)
        # Counters: increments per scrape, cumulated; restarts reset them to 0.
        dt = own_step
        reset_at = set(rng.integers(1, len(keep), sc.resets).tolist()) if sc.resets else set()

        def counter(rate: np.ndarray) -> np.ndarray:
            inc = rng.poisson(np.maximum(rate, 0) * dt).astype(float)
            c = np.empty(len(inc))
            total = 0.0
            for k, x in enumerate(inc):
                total = x if k in reset_at else total + x
                c[k] = total
            return c

        ok = counter(50.0 * load[keep])
        gamma = rng.gamma(1.0 / sc.overdispersion**2, sc.overdispersion**2, len(keep))
        err_rate = sc.error_rate_per_s * load[keep] * gamma * burst[keep] * fx.errors
        errors = counter(err_rate)
        if sc.no_traffic_gap and target == "kubo-base-1":
            # A missed scrape loses every series of the target for those 3 minutes.
            g0 = int(0.5 * len(keep))
            m2 = mask.copy()
            m2[g0 : g0 + 3] = False
            emit(ts[m2], "thunderdome_dealgood_responses_total", target, role, "code=200", "counter", ok[m2])
            emit(ts[m2], "thunderdome_dealgood_responses_total", target, role, "code=503", "counter", errors[m2])
        else:
            put("thunderdome_dealgood_responses_total", "code=200", "counter", ok, gauge_nan=False)
            put("thunderdome_dealgood_responses_total", "code=503", "counter", errors, gauge_nan=False)
        cpu = series(1.5, 1.0, sc.noise) * fx.cpu
        put("process_cpu_seconds_total", "", "counter", np.cumsum(cpu * dt), gauge_nan=False)
        _ = ti
    return out


def _histogram(rng, put, p50: np.ndarray, p99: np.ndarray, step_s: int) -> None:
    """Cumulative histogram buckets of a lognormal per scrape whose median and p99 match."""
    from math import erf, log, sqrt

    z99 = 2.3263478740408408
    count = np.zeros(len(BUCKETS))
    series = np.zeros((len(p50), len(BUCKETS)))
    n_obs = 200 * step_s
    for k in range(len(p50)):
        mu = log(max(p50[k], 1e-6))
        sigma = max((log(max(p99[k], p50[k] * 1.01)) - mu) / z99, 1e-3)
        probs = np.array(
            [1.0 if np.isinf(b) else 0.5 * (1 + erf((log(b) - mu) / (sigma * sqrt(2)))) for b in BUCKETS]
        )
        cell = np.diff(np.concatenate([[0.0], probs]))
        count += rng.multinomial(n_obs, cell / cell.sum())
        series[k] = np.cumsum(count)
    for j, b in enumerate(BUCKETS):
        le = "+Inf" if np.isinf(b) else repr(b)
        put("thunderdome_dealgood_ttfb_seconds_bucket", f"le={le}", "histogram", series[:, j], gauge_nan=False)


def splice_deploy(paired: dict[str, list], deploy_ms: int, transient_min: float, seed: int) -> dict[str, list]:
    """One canary target for deploy mode: ``kubo-base-1`` before ``deploy_ms``, ``kubo-cand-1``
    after it, with a restart transient (gauges ×1.3 decaying over ``transient_min``) and
    counters restarting from 0 at the switch (one process restarted at the deploy)."""
    rng = np.random.default_rng(seed)
    out: dict[str, list] = {k: [] for k in paired}
    offsets: dict[tuple[str, str], float] = {}
    rows = list(zip(*(paired[k] for k in paired)))
    keys = list(paired)
    ti, mi, tg, li, ki, vi = (keys.index(k) for k in ("timestamp", "metric", "target", "labels", "kind", "value"))
    for r in rows:
        t, target = r[ti], r[tg]
        before = t < deploy_ms
        if (before and target != "kubo-base-1") or (not before and target != "kubo-cand-1"):
            continue
        v = r[vi]
        key = (r[mi], r[li])
        if r[ki] == "counter" and not before:
            v = v - offsets.setdefault(key, v)
        elif not before and transient_min > 0:
            age_min = (t - deploy_ms) / MIN
            v = v * (1.0 + 0.3 * np.exp(-age_min / (transient_min / 3.0)))
        row = list(r)
        row[tg] = "canary"
        row[vi] = v
        if "role" in keys:
            row[keys.index("role")] = ""
        for k, x in zip(keys, row):
            out[k].append(x)
    _ = rng
    return out
