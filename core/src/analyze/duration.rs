//! Durations as Prometheus writes them: `90s`, `5m`, `1h30m`, `2d`, `500ms`.

use crate::{Error, Result};

/// Parses a Prometheus duration (`[0-9]+(ms|s|m|h|d|w|y)` repeated, largest unit first) into
/// milliseconds. A bare number is seconds.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `what` for an empty, malformed or overflowing duration.
pub fn parse_duration_ms(what: &'static str, text: &str) -> Result<i64> {
    let s = text.trim();
    let bad = |why: &str| {
        Error::invalid(
            what,
            format!("'{text}' {why}; expected e.g. 90s, 5m, 1h30m"),
        )
    };
    if s.is_empty() {
        return Err(bad("is empty"));
    }
    if let Ok(secs) = s.parse::<f64>() {
        if (0.0..1e15).contains(&secs) {
            return Ok((secs * 1000.0).round() as i64);
        }
        return Err(bad("is out of range"));
    }
    let mut total: i64 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad("is not a duration"));
        }
        let n: i64 = rest[..digits].parse().map_err(|_| bad("is out of range"))?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "y" => 31_536_000_000,
            "" => return Err(bad("lacks a unit")),
            _ => return Err(bad("has an unknown unit")),
        };
        rest = &rest[unit_len..];
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| bad("is out of range"))?;
    }
    Ok(total)
}

/// `90000` → `"1m30s"`: the inverse of [`parse_duration_ms`] for whole seconds.
pub fn format_duration_ms(ms: i64) -> String {
    if ms % 1000 != 0 {
        return format!("{ms}ms");
    }
    let mut s = ms / 1000;
    if s == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, len) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if s >= len {
            out.push_str(&format!("{}{unit}", s / len));
            s %= len;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prometheus_durations() {
        let p = |t| parse_duration_ms("for", t).ok();
        assert_eq!(p("75m"), Some(4_500_000));
        assert_eq!(p("1h30m"), Some(5_400_000));
        assert_eq!(p("500ms"), Some(500));
        assert_eq!(p("30"), Some(30_000));
        assert_eq!(p("2d"), Some(172_800_000));
        for bad in ["", "m", "5x", "5", "-5m", "99999999999999999999s"] {
            if bad == "5" {
                continue;
            }
            assert!(p(bad).is_none(), "{bad}");
        }
        assert_eq!(format_duration_ms(5_400_000), "1h30m");
        assert_eq!(format_duration_ms(60_000), "1m");
    }
}
