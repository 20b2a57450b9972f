//! `shiftwatch detect FILE --method edivisive`: E-divisive change points of one series.

use std::io::Write;

use anyhow::Context;

use super::detect::{fmt_num, fmt_p, DetectArgs};
use crate::changepoint::edivisive::PValueRule;
use crate::changepoint::{e_divisive, EDivisiveOptions};

/// Mean of `x[a..b]` (0 for an empty range, which E-divisive never produces).
fn mean(x: &[f64], a: usize, b: usize) -> f64 {
    if b > a {
        x[a..b].iter().sum::<f64>() / (b - a) as f64
    } else {
        0.0
    }
}

/// Runs `shiftwatch detect --method edivisive`.
///
/// # Errors
/// Unreadable file, malformed CSV (with file:line:column), bad option values, or too few values.
pub(super) fn run(args: DetectArgs) -> anyhow::Result<u8> {
    let options = EDivisiveOptions {
        exponent: 1.0,
        min_size: args.min_size,
        permutations: args.permutations,
        p_value: args.alpha,
        seed: args.seed,
        p_value_rule: args.p_value_rule.parse::<PValueRule>()?,
    };
    let json = args.format == "json";
    let (label, text) = super::detect_input::read_text(&args.file)?;
    if args.column.len() > 1 {
        anyhow::bail!(
            "--method edivisive analyses one column; got {}",
            args.column.join(", ")
        );
    }
    let column =
        super::detect_input::read_series(&label, &text, args.column.first().map(String::as_str))?;
    for note in &column.notes {
        eprintln!("{label}: {note}");
    }
    let x = &column.values;
    let result =
        e_divisive(x, &options).with_context(|| format!("{label}: column '{}'", column.name))?;
    let time_at = |i: usize| column.times.as_ref().and_then(|t| t.get(i).cloned());
    // Segment bounds, for the level before and after each change point.
    let mut bounds: Vec<usize> = vec![0];
    bounds.extend(result.change_points.iter().map(|c| c.index));
    bounds.push(x.len());
    let mut out = std::io::stdout().lock();
    if json {
        let cps: Vec<serde_json::Value> = result
            .change_points
            .iter()
            .enumerate()
            .map(|(k, c)| {
                serde_json::json!({
                    "index": c.index,
                    "time": time_at(c.index),
                    "before": mean(x, bounds[k], bounds[k + 1]),
                    "after": mean(x, bounds[k + 1], bounds[k + 2]),
                    "p_value": c.p_value,
                    "statistic": c.statistic,
                    "order": c.order,
                    "kind": "distribution",
                })
            })
            .collect();
        let doc = serde_json::json!({
            "file": label,
            "column": column.name,
            "n": x.len(),
            "method": "edivisive",
            "min_size": options.min_size,
            "alpha": options.p_value,
            "permutations": options.permutations,
            "seed": options.seed,
            "p_value_rule": options.p_value_rule,
            "change_points": cps,
            "rejected": result.rejected,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        let k = result.change_points.len();
        writeln!(
            out,
            "{label}: column '{}', {} values, {k} change point{} (edivisive, {} permutations, \
             level {}, min size {})",
            column.name,
            x.len(),
            if k == 1 { "" } else { "s" },
            options.permutations,
            options.p_value,
            options.min_size,
        )?;
        if k > 0 {
            writeln!(
                out,
                "{:>8} {:>11} {:>11} {:>9} {:>11}",
                "index", "before", "after", "p", "T"
            )?;
            for (j, c) in result.change_points.iter().enumerate() {
                writeln!(
                    out,
                    "{:>8} {:>11} {:>11} {:>9} {:>11}",
                    c.index,
                    fmt_num(mean(x, bounds[j], bounds[j + 1])),
                    fmt_num(mean(x, bounds[j + 1], bounds[j + 2])),
                    fmt_p(c.p_value),
                    fmt_num(c.statistic),
                )?;
            }
        }
    }
    out.flush()?;
    Ok(crate::cli::EXIT_OK)
}
