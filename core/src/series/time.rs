//! Timestamps: RFC 3339 with offset, epoch seconds/ms/µs/ns by magnitude, naive local times
//! with an explicit fixed offset. All times are `i64` milliseconds since the Unix epoch (UTC).
//!
//! Epoch magnitude rule (absolute value of the number, fractional part allowed):
//!
//! ```text
//! |x| < 1e11  → seconds       (up to year 5138)
//! |x| < 1e14  → milliseconds
//! |x| < 1e17  → microseconds
//! otherwise   → nanoseconds
//! ```
//!
//! Sub-millisecond precision is rounded to the nearest millisecond.

use std::str::FromStr;

use crate::{Error, Result};

/// A fixed UTC offset used to interpret naive local times ("formatted" exports, NAB CSVs).
///
/// Parsed from `UTC`, `Z`, `+02:00`, `-0530`. Named time zones (`Europe/Berlin`) are not
/// supported: daylight-saving rules need a time-zone database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixedOffset {
    /// Offset east of UTC in minutes.
    pub minutes: i32,
}

impl FromStr for FixedOffset {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") || t == "+00:00" {
            return Ok(FixedOffset { minutes: 0 });
        }
        parse_offset(t.as_bytes())
            .map(|minutes| FixedOffset { minutes })
            .ok_or_else(|| {
                Error::invalid(
                    "timezone",
                    format!("'{s}' is not a fixed offset; expected UTC, Z or ±HH:MM"),
                )
            })
    }
}

fn parse_offset(b: &[u8]) -> Option<i32> {
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &b[1..];
    let (h, m) = match rest.len() {
        5 if rest[2] == b':' => (digits(&rest[0..2])?, digits(&rest[3..5])?),
        4 => (digits(&rest[0..2])?, digits(&rest[2..4])?),
        2 => (digits(rest)?, 0),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h as i32 * 60 + m as i32))
}

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Why a timestamp did not parse; turned into a located [`Error::Parse`] by the readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// Not a date-time nor a number.
    Invalid,
    /// A date-time without offset and no `--timezone` given.
    Naive,
}

impl TimeError {
    /// The message readers show, naming what was expected.
    pub fn message(&self, text: &str) -> String {
        match self {
            TimeError::Invalid => format!(
                "cannot read timestamp '{}': expected RFC 3339 (2024-05-01T12:00:00Z) or epoch \
                 seconds/ms/µs/ns",
                shorten(text)
            ),
            TimeError::Naive => format!(
                "timestamp '{}' has no UTC offset: pass --timezone (e.g. UTC or +02:00), or \
                 export raw data (Grafana: Download CSV with 'Formatted data' off) so times are \
                 epoch milliseconds",
                shorten(text)
            ),
        }
    }
}

/// Truncates long user text for error messages.
pub(crate) fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        let head: String = s.chars().take(40).collect();
        format!("{head}…")
    } else {
        s.to_string()
    }
}

/// Parses a timestamp to epoch milliseconds: RFC 3339 (`T` or space separator, fractional
/// seconds, `Z` or `±HH:MM`), a naive date-time when `naive` gives the offset, or an epoch number
/// (unit by magnitude, see the module docs).
///
/// # Errors
/// [`TimeError::Invalid`] for anything else; [`TimeError::Naive`] for a date-time without offset
/// when `naive` is `None`.
pub fn parse_timestamp(
    text: &str,
    naive: Option<FixedOffset>,
) -> std::result::Result<i64, TimeError> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        return parse_datetime(b, naive);
    }
    parse_epoch(t).ok_or(TimeError::Invalid)
}

/// Epoch number → ms by magnitude (module docs). `None` if not a finite number.
pub fn parse_epoch(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    // Fast path: plain integers.
    let (neg, digits_part) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if let Some(v) = digits(digits_part) {
        let v = if neg { -v } else { v };
        let a = v.unsigned_abs();
        return Some(if a < 100_000_000_000 {
            v.checked_mul(1000)?
        } else if a < 100_000_000_000_000 {
            v
        } else if a < 100_000_000_000_000_000 {
            div_round(v, 1000)
        } else {
            div_round(v, 1_000_000)
        });
    }
    let x: f64 = t.parse().ok()?;
    epoch_f64_to_ms(x)
}

/// A float epoch (unit by magnitude) → ms, `None` when not finite or out of range.
pub fn epoch_f64_to_ms(x: f64) -> Option<i64> {
    if !x.is_finite() {
        return None;
    }
    let a = x.abs();
    let ms = if a < 1e11 {
        x * 1e3
    } else if a < 1e14 {
        x
    } else if a < 1e17 {
        x / 1e3
    } else {
        x / 1e6
    };
    let r = ms.round();
    if r.abs() < 9.0e15 {
        Some(r as i64)
    } else {
        None
    }
}

fn div_round(v: i64, d: i64) -> i64 {
    let q = v.div_euclid(d);
    let r = v.rem_euclid(d);
    if 2 * r >= d {
        q + 1
    } else {
        q
    }
}

fn parse_datetime(b: &[u8], naive: Option<FixedOffset>) -> std::result::Result<i64, TimeError> {
    let bad = TimeError::Invalid;
    let y = digits(&b[0..4]).ok_or(bad.clone())?;
    let mo = digits(&b[5..7]).ok_or(bad.clone())?;
    let d = digits(&b[8..10]).ok_or(bad.clone())?;
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return Err(bad);
    }
    let mut ms = days_from_civil(y, mo, d) * 86_400_000;
    let mut i = 10;
    let mut offset: Option<i32> = None;
    if i < b.len() && matches!(b[i], b'T' | b't' | b' ') {
        if b.len() < i + 6 || b[i + 3] != b':' {
            return Err(bad);
        }
        let h = digits(&b[i + 1..i + 3]).ok_or(bad.clone())?;
        let mi = digits(&b[i + 4..i + 6]).ok_or(bad.clone())?;
        i += 6;
        let mut s = 0;
        if i < b.len() && b[i] == b':' {
            s = digits(b.get(i + 1..i + 3).ok_or(bad.clone())?).ok_or(bad.clone())?;
            i += 3;
        }
        if h > 23 || mi > 59 || s > 60 {
            return Err(bad);
        }
        ms += ((h * 60 + mi) * 60 + s) * 1000;
        if i < b.len() && (b[i] == b'.' || b[i] == b',') {
            i += 1;
            let start = i;
            let mut frac = 0.0;
            let mut scale = 0.1;
            while i < b.len() && b[i].is_ascii_digit() {
                frac += f64::from(b[i] - b'0') * scale;
                scale /= 10.0;
                i += 1;
            }
            if i == start {
                return Err(bad);
            }
            ms += (frac * 1000.0).round() as i64;
        }
        if i < b.len() {
            let rest = &b[i..];
            offset = Some(if rest == b"Z" || rest == b"z" {
                0
            } else {
                parse_offset(rest).ok_or(bad.clone())?
            });
        }
    } else if i != b.len() {
        return Err(bad);
    }
    let minutes = match (offset, naive) {
        (Some(m), _) => m,
        (None, Some(tz)) => tz.minutes,
        (None, None) => return Err(TimeError::Naive),
    };
    Ok(ms - i64::from(minutes) * 60_000)
}

/// Formats epoch milliseconds as RFC 3339 UTC (`2024-05-01T12:00:00Z`, with `.mmm` when needed).
pub fn format_rfc3339(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    if milli == 0 {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values: `date -u -d '2024-05-01T12:00:00Z' +%s` = 1714564800.
    const T: i64 = 1_714_564_800_000;

    #[test]
    fn rfc3339_variants() {
        let p = |s| parse_timestamp(s, None);
        assert_eq!(p("2024-05-01T12:00:00Z"), Ok(T));
        assert_eq!(p("2024-05-01 12:00:00Z"), Ok(T));
        assert_eq!(p("2024-05-01T14:00:00+02:00"), Ok(T));
        assert_eq!(p("2024-05-01T07:30:00-0430"), Ok(T));
        assert_eq!(p("2024-05-01T12:00:00.250Z"), Ok(T + 250));
        assert_eq!(p("2024-05-01T12:00Z"), Ok(T));
        assert_eq!(p("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(p("1969-12-31T23:59:59Z"), Ok(-1000));
        assert_eq!(p("2024-02-29T00:00:00Z").map(|_| ()), Ok(()));
        assert_eq!(p("2023-02-29T00:00:00Z"), Err(TimeError::Invalid));
        assert_eq!(p("2024-05-01T25:00:00Z"), Err(TimeError::Invalid));
        assert_eq!(p("2024-05-01T12:00:00"), Err(TimeError::Naive));
        assert_eq!(p("2024-05-01T12:00:00+2"), Err(TimeError::Invalid));
        let utc = Some(FixedOffset { minutes: 0 });
        assert_eq!(parse_timestamp("2024-05-01 12:00:00", utc), Ok(T));
        let cest: FixedOffset = "+02:00".parse().expect("offset");
        assert_eq!(parse_timestamp("2024-05-01 14:00:00", Some(cest)), Ok(T));
    }

    #[test]
    fn epoch_by_magnitude() {
        let p = |s| parse_timestamp(s, None);
        assert_eq!(p("1714564800"), Ok(T));
        assert_eq!(p("1714564800.5"), Ok(T + 500));
        assert_eq!(p("1714564800000"), Ok(T));
        assert_eq!(p("1714564800000000"), Ok(T));
        assert_eq!(p("1714564800000000000"), Ok(T));
        assert_eq!(p("1714564800123456789"), Ok(T + 123));
        assert_eq!(p("1.7145648e9"), Ok(T));
        assert_eq!(p("abc"), Err(TimeError::Invalid));
        assert_eq!(p(""), Err(TimeError::Invalid));
        assert_eq!(p("NaN"), Err(TimeError::Invalid));
    }

    #[test]
    fn format_round_trip() {
        assert_eq!(format_rfc3339(T), "2024-05-01T12:00:00Z");
        assert_eq!(format_rfc3339(T + 7), "2024-05-01T12:00:00.007Z");
        assert_eq!(format_rfc3339(-1000), "1969-12-31T23:59:59Z");
        for ms in [0, T, -86_400_000 * 400, 253_402_300_799_000] {
            assert_eq!(parse_timestamp(&format_rfc3339(ms), None), Ok(ms));
        }
    }

    #[test]
    fn offsets() {
        assert!("Europe/Berlin".parse::<FixedOffset>().is_err());
        assert_eq!(
            "-05:30".parse::<FixedOffset>().ok().map(|o| o.minutes),
            Some(-330)
        );
    }
}
