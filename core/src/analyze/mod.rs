//! `analyze`: the release verdict over many metrics (paired, deploy and history modes), with
//! per-metric policy, launch-blocker rules and multiplicity control.
//!
//! Pipeline: read ([`crate::io`]) → kinds from the config → roles ([`roles`]) → prepare
//! ([`crate::series::prepare`]: counters to rates, histograms to quantiles, warm-up) → one
//! group per metric identity → the mode's estimates ([`paired`], [`deploy`]) in parallel →
//! Benjamini–Hochberg (or the chosen correction) over every test of the report → verdicts
//! ([`verdict`], assembled per row in `rows`) → rules ([`rules`]) → [`Report`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::progress::Progress;
use crate::report::{
    Attribution, Inputs, MetricResult, Mode, Report, RuleResult, Settings, Summary, Verdict, SCHEMA,
};
use crate::series::prepare::{prepare, PrepareOptions, Prepared};
use crate::series::time::format_rfc3339;
use crate::series::{Dataset, Kind, RawSeries, Role};
use crate::stats::multiplicity::Correction;
use crate::{Error, Result};

pub mod config;
pub mod deploy;
pub mod duration;
pub mod estimate;
pub mod figures;
pub mod glob;
pub mod group;
pub mod paired;
pub mod policy;
pub mod replicas;
pub mod roles;
mod rows;
pub mod rules;
pub mod spec;
pub mod verdict;

pub use config::Config;
use group::{Group, Outcome};
use policy::PolicyTable;
pub use rows::display_id;
use rules::Rule;
pub use spec::{read_options, Spec};

/// Built-in bundles of policy and rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Kubo (IPFS) launch blockers ([`rules::kubo_rules`]).
    Kubo,
}

impl std::str::FromStr for Preset {
    type Err = Error;

    /// `kubo`.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "kubo" => Ok(Preset::Kubo),
            _ => Err(Error::UnknownName {
                kind: "preset",
                value: s.to_string(),
                expected: "kubo",
            }),
        }
    }
}

/// Options of [`analyze`]; `Default` gives the documented defaults.
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// Mode; `None` chooses: paired when both roles are present, else deploy.
    pub mode: Option<Mode>,
    /// Glob over target names for the baseline (with `candidate`), else the role column.
    pub baseline: Option<String>,
    /// Glob over target names for the candidate.
    pub candidate: Option<String>,
    /// Deploy time (deploy mode), epoch ms; `None`: the release column, else estimated.
    pub deploy_at_ms: Option<i64>,
    /// Configuration (`[[metrics]]`, `[[rules]]`).
    pub config: Config,
    /// Name of the configuration file, for the report.
    pub config_name: Option<String>,
    /// Preset.
    pub preset: Option<Preset>,
    /// Significance level (default 0.05).
    pub alpha: f64,
    /// Multiplicity correction (default Benjamini–Hochberg).
    pub correction: Correction,
    /// Warm-up trimmed from each series' start, and after a deploy (default 5 min).
    pub warmup_ms: i64,
    /// Grid step; `None`: per metric, the coarsest scrape interval.
    pub step_ms: Option<i64>,
    /// Seed of randomised steps (none of the defaults is randomised; kept for the report).
    pub seed: u64,
    /// Worker threads (0: all cores).
    pub threads: usize,
    /// Add each metric's downsampled series to the report (`Report::series`) for figures.
    pub series: bool,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            mode: None,
            baseline: None,
            candidate: None,
            deploy_at_ms: None,
            config: Config::default(),
            config_name: None,
            preset: None,
            alpha: 0.05,
            correction: Correction::BenjaminiHochberg,
            warmup_ms: 5 * 60_000,
            step_ms: None,
            seed: 0,
            threads: 0,
            series: false,
        }
    }
}

/// Default warm-up, ms.
pub const DEFAULT_WARMUP_MS: i64 = 5 * 60_000;

fn choose_mode(
    opts: &AnalyzeOptions,
    roles: &BTreeMap<String, Role>,
    series: &[RawSeries],
) -> Result<Mode> {
    if let Some(m) = opts.mode {
        return Ok(m);
    }
    let has = |r: Role| roles.values().any(|x| *x == r);
    if has(Role::Baseline) && has(Role::Candidate) {
        return Ok(Mode::Paired);
    }
    if opts.deploy_at_ms.is_some() || series.iter().any(|s| s.releases.len() > 1) {
        return Ok(Mode::Deploy);
    }
    let mut targets: Vec<&str> = series.iter().map(|s| s.key.target.as_str()).collect();
    targets.dedup();
    targets.truncate(8);
    Err(Error::invalid(
        "roles",
        format!(
            "cannot tell baseline from candidate: pass --baseline and --candidate globs over the targets ({}), \
             a role column, or --mode deploy --deploy-at TIME",
            targets.join(", ")
        ),
    ))
}

/// The deploy time: given, from a release column, or the median time of each metric's most
/// significant change point.
fn deploy_time(
    opts: &AnalyzeOptions,
    series: &[RawSeries],
    prepared: &[Prepared],
) -> Result<(i64, &'static str)> {
    if let Some(t) = opts.deploy_at_ms {
        return Ok((t, "given"));
    }
    let mut from_release: Vec<i64> = series
        .iter()
        .filter_map(|s| s.releases.get(1).map(|r| r.at_ms))
        .collect();
    if !from_release.is_empty() {
        from_release.sort_unstable();
        return Ok((from_release[from_release.len() / 2], "release column"));
    }
    let mut times: Vec<i64> = prepared
        .iter()
        .filter_map(|p| {
            let v: Vec<f64> = p.values.iter().copied().filter(|x| x.is_finite()).collect();
            if v.len() != p.values.len() || v.len() < 20 {
                return None;
            }
            let d = crate::changepoint::detect(&v, &group::step_detector()).ok()?;
            let best = d
                .change_points
                .iter()
                .min_by(|a, b| a.p_value.total_cmp(&b.p_value))?;
            Some(p.timestamps_ms[best.index])
        })
        .collect();
    if times.is_empty() {
        return Err(Error::invalid(
            "deploy_at",
            "no deploy time given (--deploy-at), no release column, and no metric changes: cannot place the deploy",
        ));
    }
    times.sort_unstable();
    Ok((times[times.len() / 2], "estimated"))
}

/// Runs `f` on every group, the groups split in contiguous chunks over the worker threads;
/// `progress` hears `(groups done, groups)` and can cancel between groups.
fn run_groups<'a, F>(
    groups: &'a [Group<'a>],
    threads: usize,
    progress: &dyn Progress,
    f: F,
) -> Result<Vec<Outcome>>
where
    F: Fn(&Group<'a>) -> Outcome + Sync,
{
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    }
    .min(groups.len())
    .max(1);
    let chunk = groups.len().div_ceil(threads).max(1);
    let chunks: Vec<&[Group<'a>]> = groups.chunks(chunk).collect();
    let outputs = crate::progress::parallel(chunks, groups.len() as u64, progress, |c, ticker| {
        let mut out = Vec::with_capacity(c.len());
        for g in c {
            out.push(f(g));
            if !ticker.tick(1) {
                break;
            }
        }
        out
    })?;
    Ok(outputs.into_iter().flatten().collect())
}

/// Runs the analysis over a dataset.
///
/// # Errors
/// [`Error::InvalidArgument`] for selectors that match nothing, an unknown mode for the data,
/// no series, or `alpha` outside (0, 1); errors of [`prepare`].
pub fn analyze(data: &Dataset, opts: &AnalyzeOptions) -> Result<Report> {
    analyze_with(data, opts, &crate::progress::Silent)
}

/// [`analyze`] reporting `(metrics done, metrics)` to `progress`, which can cancel.
///
/// # Errors
/// As [`analyze`]; [`Error::Cancelled`] when the hook asks to stop.
pub fn analyze_with(
    data: &Dataset,
    opts: &AnalyzeOptions,
    progress: &dyn Progress,
) -> Result<Report> {
    crate::stats::check::probability("alpha", opts.alpha)?;
    if data.series.is_empty() {
        return Err(Error::invalid("input", "no series found in the input"));
    }
    let table = PolicyTable::new(opts.config.metrics.clone());
    let declared = |s: &RawSeries| {
        (s.kind == Kind::Unknown)
            .then(|| table.kind(&s.key.metric, &s.key.labels))
            .flatten()
    };
    let series: Cow<'_, [RawSeries]> = if data.series.iter().any(|s| declared(s).is_some()) {
        let mut owned = data.series.clone();
        for s in owned.iter_mut() {
            if let Some(k) = declared(s) {
                s.kind = k;
            }
        }
        Cow::Owned(owned)
    } else {
        Cow::Borrowed(&data.series)
    };
    let roles = roles::assign(&series, opts.baseline.as_deref(), opts.candidate.as_deref())?;
    let mode = choose_mode(opts, &roles, &series)?;
    if mode == Mode::Paired
        && !(roles.values().any(|r| *r == Role::Baseline)
            && roles.values().any(|r| *r == Role::Candidate))
    {
        return Err(Error::invalid(
            "roles",
            "paired mode needs baseline and candidate targets: pass --baseline and --candidate globs or a role column",
        ));
    }
    let prepare_opts = PrepareOptions {
        warmup_ms: if mode == Mode::History {
            0
        } else {
            opts.warmup_ms
        },
        ..PrepareOptions::default()
    };
    let prepared = prepare(&series, &prepare_opts)?;
    // Groups: one per (metric, labels) identity, members in target order.
    let mut by_id: BTreeMap<(String, BTreeMap<String, String>), Vec<&Prepared>> = BTreeMap::new();
    for p in &prepared {
        by_id
            .entry((p.key.metric.clone(), p.key.labels.clone()))
            .or_default()
            .push(p);
    }
    // Canonical order, whatever the order of the input rows: A/A relative effects and the
    // replica difference are not symmetric in the two replicas.
    for members in by_id.values_mut() {
        members.sort_by(|a, b| a.key.target.cmp(&b.key.target));
    }
    let groups: Vec<Group<'_>> = by_id
        .into_iter()
        .map(|((metric, labels), members)| {
            let kind = members[0].kind;
            Group {
                policy: table.resolve(&metric, &labels, kind),
                metric,
                labels,
                members: members
                    .into_iter()
                    .map(|p| (p, roles.get(&p.key.target).copied()))
                    .collect(),
            }
        })
        .collect();
    let mut deploy_info = None;
    let outcomes = match mode {
        Mode::Paired => run_groups(&groups, opts.threads, progress, |g| {
            paired::analyze(g, opts.step_ms, opts.alpha)
        }),
        Mode::Deploy => {
            let (at, source) = deploy_time(opts, &series, &prepared)?;
            deploy_info = Some((at, source));
            run_groups(&groups, opts.threads, progress, |g| {
                deploy::analyze_deploy(g, opts.step_ms, at, opts.warmup_ms, opts.alpha)
            })
        }
        Mode::History => {
            let releases: BTreeMap<(&str, &str), &RawSeries> = series
                .iter()
                .map(|s| ((s.key.metric.as_str(), s.key.target.as_str()), s))
                .collect();
            run_groups(&groups, opts.threads, progress, |g| {
                let first = g.members[0].0;
                let raw = releases.get(&(first.key.metric.as_str(), first.key.target.as_str()));
                let build = |t: i64| -> Option<String> {
                    if data.report.row_numbers {
                        return Some(format!("#{t}"));
                    }
                    let r = raw?;
                    let i = r.releases.partition_point(|c| c.at_ms <= t);
                    (i > 0).then(|| r.releases[i - 1].release.clone())
                };
                deploy::analyze_history(g, &build, opts.alpha)
            })
        }
    };
    let mut outcomes = outcomes?;
    if mode == Mode::Paired {
        replicas::widen_all(&mut outcomes, opts.alpha);
    }
    let (mut metrics, tests) = rows::finish(&groups, outcomes, opts)?;
    metrics.sort_by(|a, b| {
        a.verdict.cmp(&b.verdict).then(
            a.p_adjusted
                .unwrap_or(1.0)
                .total_cmp(&b.p_adjusted.unwrap_or(1.0)),
        )
    });
    let mut all_rules: Vec<Rule> = opts.config.rules.clone();
    if opts.preset == Some(Preset::Kubo) {
        all_rules.extend(rules::kubo_rules());
    }
    let rule_results = evaluate_rules(&all_rules, &series, &roles, opts.step_ms)?;
    let summary = summarize(&metrics, &rule_results, opts, tests);
    let figures = opts
        .series
        .then(|| figures::series_section(&series, &prepared, &roles, &metrics))
        .transpose()?;
    Ok(Report {
        schema: SCHEMA,
        mode,
        summary,
        metrics,
        rules: rule_results,
        inputs: Inputs {
            files: data.report.files.clone(),
            rows: data.report.rows,
            rows_skipped: data.report.rows_skipped,
            series: data.series.len(),
            notes: data.report.notes.clone(),
            prometheus: data.report.prometheus.clone(),
        },
        settings: Settings {
            baseline: opts
                .baseline
                .clone()
                .unwrap_or_else(|| "role=baseline".into()),
            candidate: opts
                .candidate
                .clone()
                .unwrap_or_else(|| "role=candidate".into()),
            deploy_at: deploy_info.map(|d| format_rfc3339(d.0)),
            deploy_source: deploy_info.map(|d| d.1.to_string()),
            warmup_s: prepare_opts.warmup_ms as f64 / 1000.0,
            step_s: opts.step_ms.map(|s| s as f64 / 1000.0),
            config: opts.config_name.clone(),
            preset: opts.preset.map(|_| "kubo".to_string()),
        },
        seed: opts.seed,
        series: figures,
    })
}

fn evaluate_rules(
    rules_: &[Rule],
    series: &[RawSeries],
    roles: &BTreeMap<String, Role>,
    step_ms: Option<i64>,
) -> Result<Vec<RuleResult>> {
    let mut out = Vec::new();
    for rule in rules_ {
        let selected: Vec<&RawSeries> = series.iter().filter(|s| rule.selects(s)).collect();
        let mut by_target: BTreeMap<&str, Vec<&RawSeries>> = BTreeMap::new();
        for s in &selected {
            by_target.entry(s.key.target.as_str()).or_default().push(s);
        }
        let mut rows = Vec::new();
        for (target, members) in by_target {
            let interval = members
                .iter()
                .filter_map(|s| s.median_interval_ms())
                .max()
                .unwrap_or(60_000)
                .max(1);
            let step = step_ms.unwrap_or(interval);
            let start = members
                .iter()
                .filter_map(|s| s.timestamps_ms.first())
                .min()
                .copied();
            let end = members
                .iter()
                .filter_map(|s| s.timestamps_ms.last())
                .max()
                .copied();
            let (Some(start), Some(end)) = (start, end) else {
                continue;
            };
            let grid = crate::series::align::Grid::new(start, end, step)?;
            // A sample counts for a grid time up to ¾ interval later: a missed scrape is
            // missing (unknown), not carried forward.
            let e = rules::evaluate(rule, &members, &grid, interval * 3 / 4)?;
            let role = roles.get(target).copied();
            rows.push(RuleResult {
                rule: rule.name.clone(),
                metric: rule.metric.clone(),
                target: target.to_string(),
                role: figures::role_name(role).to_string(),
                condition: rule.to_string(),
                fired_at: e.fired_at_ms.map(format_rfc3339),
                value: e.value,
                attribution: None,
                evaluations: e.evaluations,
                unknown: e.unknown,
            });
        }
        let fired = |role: &str| rows.iter().any(|r| r.role == role && r.fired_at.is_some());
        let attribution = match (fired("baseline"), fired("candidate")) {
            (true, true) => Some(Attribution::Environment),
            (false, true) => Some(Attribution::Candidate),
            (true, false) => Some(Attribution::Baseline),
            (false, false) => None,
        };
        for r in &mut rows {
            if r.fired_at.is_some() {
                r.attribution = attribution;
            }
        }
        out.extend(rows);
    }
    Ok(out)
}

fn summarize(
    metrics: &[MetricResult],
    rules_: &[RuleResult],
    opts: &AnalyzeOptions,
    tests: usize,
) -> Summary {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in [
        Verdict::Regression,
        Verdict::Improvement,
        Verdict::NoChange,
        Verdict::Inconclusive,
        Verdict::NoData,
    ] {
        counts.insert(
            v.as_str().to_string(),
            metrics.iter().filter(|m| m.verdict == v).count(),
        );
    }
    let distinct = |a: Attribution| {
        let mut names: Vec<&str> = rules_
            .iter()
            .filter(|r| r.attribution == Some(a))
            .map(|r| r.rule.as_str())
            .collect();
        names.dedup();
        names.len()
    };
    let (rc, re) = (
        distinct(Attribution::Candidate),
        distinct(Attribution::Environment),
    );
    let worst = metrics
        .iter()
        .map(|m| m.verdict)
        .min()
        .unwrap_or(Verdict::NoData);
    let verdict = if rc > 0 { Verdict::Regression } else { worst };
    let line = format!(
        "{}: {} metric{}: {} regression{}, {} improvement{}, {} no change, {} inconclusive, {} no data; rules: {} candidate, {} environment",
        verdict.as_str().replace('_', " ").to_uppercase(),
        metrics.len(),
        if metrics.len() == 1 { "" } else { "s" },
        counts["regression"],
        if counts["regression"] == 1 { "" } else { "s" },
        counts["improvement"],
        if counts["improvement"] == 1 { "" } else { "s" },
        counts["no_change"],
        counts["inconclusive"],
        counts["no_data"],
        rc,
        re,
    );
    Summary {
        verdict,
        counts,
        rules_candidate: rc,
        rules_environment: re,
        correction: opts.correction.as_str().to_string(),
        tests,
        alpha: opts.alpha,
        line,
    }
}
