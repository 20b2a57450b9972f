//! `shiftwatch detect FILE --method edivisive`: E-divisive change points of one series.

use std::io::Write;

use anyhow::Context;

use super::fmt;
use super::input::Input;
use crate::changepoint::{e_divisive, EDivisiveOptions};
use crate::report::detect::EDivisiveReport;
use crate::series::select::Usable;

/// Runs E-divisive on `series` of `input` and prints the table or the JSON report.
///
/// # Errors
/// Too few values, bad options, write errors.
pub(super) fn run(
    input: &Input,
    series: &Usable,
    options: &EDivisiveOptions,
    json: bool,
) -> anyhow::Result<u8> {
    let label = &input.label;
    let notes = series.notes();
    for note in &notes {
        eprintln!("{label}: {note}");
    }
    let x = &series.values;
    let result =
        e_divisive(x, options).with_context(|| format!("{label}: column '{}'", series.name))?;
    let source = input.source(&[series], &series.timestamps_ms, notes);
    let r = EDivisiveReport::new(x, &result, &source);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&r)?)?;
    } else {
        let k = r.change_points.len();
        writeln!(
            out,
            "{label}: column '{}', {} values, {k} change point{} (edivisive, {} permutations, \
             level {}, min size {})",
            series.name,
            r.n,
            if k == 1 { "" } else { "s" },
            r.permutations,
            r.alpha,
            r.min_size,
        )?;
        if k > 0 {
            writeln!(
                out,
                "{:>8} {:>11} {:>11} {:>9} {:>11}",
                "index", "before", "after", "p", "T"
            )?;
            for c in &r.change_points {
                writeln!(
                    out,
                    "{:>8} {:>11} {:>11} {:>9} {:>11}",
                    c.index,
                    fmt::num(c.before),
                    fmt::num(c.after),
                    fmt::p(c.p_value),
                    fmt::num(c.statistic),
                )?;
            }
        }
    }
    out.flush()?;
    Ok(crate::cli::EXIT_OK)
}
