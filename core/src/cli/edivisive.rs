//! `shiftwatch detect FILE --method edivisive`: E-divisive change points of one series.

use std::io::Write;

use anyhow::Context;

use super::fmt;
use super::input::Input;
use crate::changepoint::edivisive::e_divisive_with;
use crate::changepoint::EDivisiveOptions;
use crate::progress::StderrBar;
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
        // A closed stderr must not abort the command: notes are also in the JSON.
        let _ = writeln!(std::io::stderr(), "{label}: {note}");
    }
    let x = &series.values;
    // A bar on stderr when it is a terminal (silent otherwise).
    let bar = StderrBar::new("edivisive permutations");
    let result = e_divisive_with(x, options, &bar)
        .with_context(|| format!("{label}: column '{}'", series.name))?;
    drop(bar);
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
