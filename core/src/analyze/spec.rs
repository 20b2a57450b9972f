//! What a front door (CLI flags, Python keyword arguments) hands to `analyze`, as text, and
//! the one place it is parsed into [`AnalyzeOptions`].

use std::path::PathBuf;

use super::duration::parse_duration_ms;
use super::{AnalyzeOptions, Config};
use crate::io::ReadOptions;
use crate::series::time::parse_timestamp;
use crate::{Error, Result};

/// The options of `analyze` as the user wrote them.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// `paired`, `deploy`, `history` (None: chosen from the data).
    pub mode: Option<String>,
    /// Baseline glob over target names.
    pub baseline: Option<String>,
    /// Candidate glob over target names.
    pub candidate: Option<String>,
    /// Deploy time, RFC 3339 or epoch.
    pub deploy_at: Option<String>,
    /// Configuration file.
    pub config: Option<PathBuf>,
    /// Preset name (`kubo`).
    pub preset: Option<String>,
    /// Significance level (None: 0.05).
    pub alpha: Option<f64>,
    /// `bh`, `by`, `holm`, `bonferroni`, `none` (None: bh).
    pub correction: Option<String>,
    /// Warm-up duration, e.g. `5m` (None: 5m).
    pub warmup: Option<String>,
    /// Grid step, e.g. `30s`.
    pub step: Option<String>,
    /// Seed.
    pub seed: u64,
    /// Add the downsampled series of each metric to the report.
    pub series: bool,
}

impl Spec {
    /// Parses every option.
    ///
    /// # Errors
    /// Unknown names, bad durations or times, unreadable or invalid config files.
    pub fn options(&self) -> Result<AnalyzeOptions> {
        let d = AnalyzeOptions::default();
        let config = match &self.config {
            Some(p) => Config::read(p)?,
            None => Config::default(),
        };
        let deploy_at_ms = self
            .deploy_at
            .as_deref()
            .map(|t| {
                parse_timestamp(t, None).map_err(|e| Error::invalid("deploy_at", e.message(t)))
            })
            .transpose()?;
        Ok(AnalyzeOptions {
            mode: self.mode.as_deref().map(str::parse).transpose()?,
            baseline: self.baseline.clone(),
            candidate: self.candidate.clone(),
            deploy_at_ms,
            config,
            config_name: self.config.as_ref().map(|p| p.display().to_string()),
            preset: self.preset.as_deref().map(str::parse).transpose()?,
            alpha: self.alpha.unwrap_or(d.alpha),
            correction: self
                .correction
                .as_deref()
                .map(str::parse)
                .transpose()?
                .unwrap_or(d.correction),
            warmup_ms: self
                .warmup
                .as_deref()
                .map(|w| parse_duration_ms("warmup", w))
                .transpose()?
                .unwrap_or(d.warmup_ms),
            step_ms: self
                .step
                .as_deref()
                .map(|s| parse_duration_ms("step", s))
                .transpose()?,
            seed: self.seed,
            threads: 0,
            series: self.series,
        })
    }
}

/// How to read the inputs of an analysis: kinds declared by exact name in the config; in history
/// mode a CSV without a time column is one build per row (numbered from 0).
pub fn read_options(opts: &AnalyzeOptions) -> ReadOptions {
    let mut read = ReadOptions {
        number_rows: opts.mode == Some(crate::report::Mode::History),
        ..ReadOptions::default()
    };
    for m in &opts.config.metrics {
        if let (Some(kind), false) = (m.kind, super::glob::is_glob(&m.name)) {
            read.kinds.insert(m.name.clone(), kind);
        }
    }
    read
}
