//! Sample values: numbers, `NaN`, `±Inf`; empty = missing. Unit-formatted values (`1.25 GiB`,
//! `61.2%`, `120 ms`, `1.50 K`) are recognised only to explain that raw data must be exported.

/// A cell's value: `Ok(None)` when empty (missing), `Ok(Some(x))` for a number (incl. NaN, ±Inf),
/// `Err(message)` naming what was expected.
pub(crate) fn parse_value(s: &str) -> Result<Option<f64>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(x) = t.parse::<f64>() {
        return Ok(Some(x));
    }
    Err(describe_bad_value(t))
}

/// The error message for a value that is not a number.
pub(crate) fn describe_bad_value(t: &str) -> String {
    let short = crate::series::time::shorten(t);
    let numeric_prefix = t
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    // A unit suffix is letters, `%`, `µ` or spaces after a number (`1.25 GiB`, `61.2%`): not
    // control characters, NUL or `_` digit separators.
    let suffix = t[numeric_prefix..].trim();
    let looks_formatted = numeric_prefix > 0
        && t[..numeric_prefix].parse::<f64>().is_ok()
        && suffix.len() <= 6
        && suffix
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '%' | '/' | ' '));
    let decimal_comma = t.contains(',') && t.replace(',', ".").parse::<f64>().is_ok();
    if decimal_comma {
        format!(
            "value '{short}' uses a decimal comma: this looks like a locale-formatted export; \
             export raw data instead (Grafana: Download CSV with 'Formatted data' off)"
        )
    } else if looks_formatted {
        format!(
            "value '{short}' has a unit: this looks like a Grafana \"Formatted data\" export; \
             export raw data instead (Inspect → Data → Download CSV with 'Formatted data' off)"
        )
    } else if t.chars().any(char::is_control) {
        format!(
            "cannot read value '{}': it holds control characters (a binary or corrupted file?); \
             expected a number, NaN, +Inf, -Inf or an empty cell",
            short.escape_debug()
        )
    } else {
        format!("cannot read value '{short}': expected a number, NaN, +Inf, -Inf or an empty cell")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(parse_value(""), Ok(None));
        assert_eq!(parse_value(" 1.5 "), Ok(Some(1.5)));
        assert_eq!(parse_value("+Inf"), Ok(Some(f64::INFINITY)));
        assert_eq!(parse_value("-Inf"), Ok(Some(f64::NEG_INFINITY)));
        assert!(parse_value("NaN").expect("nan").is_some_and(f64::is_nan));
        for formatted in ["1.25 GiB", "61.2%", "120 ms", "1.50 K"] {
            let e = parse_value(formatted).expect_err(formatted);
            assert!(e.contains("Formatted data"), "{e}");
        }
        assert!(parse_value("1,5")
            .expect_err("comma")
            .contains("decimal comma"));
        assert!(parse_value("abc")
            .expect_err("abc")
            .contains("expected a number"));
    }
}
