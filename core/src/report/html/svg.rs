//! Small markup helpers for the HTML report: escaping, linear scales, "nice" ticks, compact
//! numbers, time labels and line paths. No layout knowledge lives here.

use std::fmt::Write as _;

use crate::series::time::format_rfc3339;

/// Text made safe for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A linear map from a data range onto a pixel range.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    /// Maps `[d0, d1]` onto `[r0, r1]`; an empty data range is widened around its value.
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Scale {
        let (d0, d1) = if d1 > d0 {
            (d0, d1)
        } else {
            let pad = if d0 == 0.0 { 1.0 } else { d0.abs() * 0.05 };
            (d0 - pad, d0 + pad)
        };
        Scale { d0, d1, r0, r1 }
    }

    /// Pixel position of `x`.
    pub fn at(&self, x: f64) -> f64 {
        self.r0 + (x - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// About `n` round tick values covering `[lo, hi]` (steps 1, 2, 5 × 10^k).
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || n == 0 {
        return if lo.is_finite() { vec![lo] } else { Vec::new() };
    }
    let raw = (hi - lo) / n as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A short number for axes: `0.012`, `3.5`, `850`, `12k`, `1.2M`, `3.4G`.
pub fn compact(x: f64) -> String {
    let a = x.abs();
    let (v, suffix) = if a >= 1e9 {
        (x / 1e9, "G")
    } else if a >= 1e6 {
        (x / 1e6, "M")
    } else if a >= 1e4 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    let s = if v == 0.0 {
        "0".to_string()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else if v.abs() >= 0.1 {
        format!("{v:.2}")
    } else if v.abs() >= 0.001 {
        format!("{v:.4}")
    } else {
        format!("{v:.2e}")
    };
    let s = if s.contains('.') && !s.contains('e') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}{suffix}")
}

/// Tick times (epoch s) at round UTC steps, about `n` over `[t0, t1]`, with labels (`HH:MM`,
/// or `MM-DD` over more than two days).
pub fn time_ticks(t0: f64, t1: f64, n: usize) -> Vec<(f64, String)> {
    const STEPS: [f64; 14] = [
        60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0, 43200.0,
        86400.0, 172800.0, 604800.0,
    ];
    if t1.partial_cmp(&t0) != Some(std::cmp::Ordering::Greater) || n == 0 {
        return Vec::new();
    }
    let raw = (t1 - t0) / n as f64;
    let step = STEPS
        .iter()
        .copied()
        .find(|s| *s >= raw)
        .unwrap_or(604800.0);
    let days = t1 - t0 > 2.0 * 86400.0;
    let mut out = Vec::new();
    let mut t = (t0 / step).ceil() * step;
    while t <= t1 {
        let iso = format_rfc3339((t * 1000.0) as i64);
        let label = if days {
            iso.get(5..10)
        } else {
            iso.get(11..16)
        };
        out.push((t, label.unwrap_or("").to_string()));
        t += step;
    }
    out
}

/// SVG path data of a line through `(x, y)` pixel points; `None` breaks it.
pub fn path(points: impl Iterator<Item = Option<(f64, f64)>>) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for p in points {
        match p {
            Some((x, y)) => {
                let _ = write!(d, "{}{x:.1} {y:.1}", if pen_down { "L" } else { "M" });
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x")</script>&'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
        );
    }

    #[test]
    fn ticks_are_round_and_inside() {
        let t = nice_ticks(0.0, 1.0, 5);
        assert_eq!(t.len(), 6);
        assert!(t
            .iter()
            .enumerate()
            .all(|(k, x)| (x - 0.2 * k as f64).abs() < 1e-12));
        let t = nice_ticks(4930.0, 5210.0, 4);
        assert_eq!(t, vec![5000.0, 5100.0, 5200.0]);
        assert_eq!(nice_ticks(1.0, 1.0, 4), vec![1.0]);
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(305_255_368.0), "305M");
        assert_eq!(compact(5144.0), "5144");
        assert_eq!(compact(12_500.0), "12.5k");
        assert_eq!(compact(0.5), "0.5");
        assert_eq!(compact(0.0123), "0.0123");
        assert_eq!(compact(0.05), "0.05");
        assert_eq!(compact(0.00012), "1.20e-4");
        assert_eq!(compact(0.0), "0");
    }

    #[test]
    fn time_ticks_are_round_utc() {
        // 2025-11-23T08:00:06Z to 14:00Z: hourly ticks from 09:00.
        let t = time_ticks(1_763_884_806.0, 1_763_906_400.0, 6);
        assert_eq!(t[0].1, "09:00");
        assert!(t.windows(2).all(|w| w[1].0 - w[0].0 == 3600.0));
    }

    #[test]
    fn paths_break_at_none() {
        let d = path([Some((0.0, 1.0)), Some((2.0, 3.0)), None, Some((4.0, 5.0))].into_iter());
        assert_eq!(d, "M0.0 1.0L2.0 3.0M4.0 5.0");
    }
}
