//! Prometheus series notation: `name{key="value", other="x"}` (used by Grafana column headers
//! and OpenMetrics sample lines). Values may contain `\"`, `\\` and `\n` escapes.

use std::collections::BTreeMap;

/// A parsed `name{labels}` prefix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameLabels {
    /// Metric name (empty for a bare `{…}`).
    pub name: String,
    /// Labels in key order.
    pub labels: BTreeMap<String, String>,
    /// Byte offset just after the parsed prefix.
    pub end: usize,
}

/// Why a series notation did not parse: byte offset and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotationError {
    /// 0-based byte offset of the problem.
    pub offset: usize,
    /// What was expected.
    pub msg: String,
}

fn err(offset: usize, msg: impl Into<String>) -> NotationError {
    NotationError {
        offset,
        msg: msg.into(),
    }
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b':'
}

/// Length of a metric/label name at the start of `b`.
pub fn name_len(b: &[u8]) -> usize {
    match b.first() {
        Some(&c) if is_name_start(c) => 1 + b[1..].iter().take_while(|&&c| is_name_char(c)).count(),
        _ => 0,
    }
}

/// Parses `name`, `name{…}` or `{…}` at the start of `s`.
///
/// # Errors
/// A [`NotationError`] naming the byte offset and what was expected.
pub fn parse(s: &str) -> Result<NameLabels, NotationError> {
    let b = s.as_bytes();
    let n = name_len(b);
    let mut out = NameLabels {
        name: s[..n].to_string(),
        labels: BTreeMap::new(),
        end: n,
    };
    let mut i = n;
    if b.get(i) != Some(&b'{') {
        if n == 0 {
            return Err(err(0, "expected a metric name or '{'"));
        }
        return Ok(out);
    }
    i += 1;
    loop {
        while b.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
            i += 1;
        }
        if b.get(i) == Some(&b'}') {
            i += 1;
            break;
        }
        let kl = name_len(&b[i..]);
        if kl == 0 {
            return Err(err(i, "expected a label name or '}'"));
        }
        let key = &s[i..i + kl];
        i += kl;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            return Err(err(i, format!("expected '=' after label name '{key}'")));
        }
        i += 1;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        if b.get(i) != Some(&b'"') {
            return Err(err(
                i,
                format!("expected '\"' to start the value of label '{key}'"),
            ));
        }
        i += 1;
        let mut value = String::new();
        let mut start = i;
        loop {
            match b.get(i) {
                None => return Err(err(i, format!("unterminated value of label '{key}'"))),
                Some(b'"') => {
                    value.push_str(&s[start..i]);
                    i += 1;
                    break;
                }
                Some(b'\\') => {
                    value.push_str(&s[start..i]);
                    match b.get(i + 1) {
                        Some(b'n') => value.push('\n'),
                        Some(b'\\') => value.push('\\'),
                        Some(b'"') => value.push('"'),
                        _ => return Err(err(i, "expected \\n, \\\\ or \\\" escape")),
                    }
                    i += 2;
                    start = i;
                }
                Some(_) => i += 1,
            }
        }
        if out.labels.insert(key.to_string(), value).is_some() {
            return Err(err(i, format!("label '{key}' appears twice")));
        }
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => {
                i += 1;
                break;
            }
            _ => return Err(err(i, "expected ',' or '}' after a label value")),
        }
    }
    out.end = i;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grafana_headers() {
        let p = parse(r#"go_goroutines{experiment="e", target="kubo27-1"}"#).expect("valid");
        assert_eq!(p.name, "go_goroutines");
        assert_eq!(p.labels["experiment"], "e");
        assert_eq!(p.labels["target"], "kubo27-1");
        let p = parse(r#"{a="x\"y\\z\n",}"#).expect("valid");
        assert_eq!(p.name, "");
        assert_eq!(p.labels["a"], "x\"y\\z\n");
        assert_eq!(parse("up 1").expect("valid").end, 2);
        assert_eq!(parse(r#"m{a="1"#).expect_err("open").offset, 6);
        assert!(parse(r#"m{a="1",a="2"}"#).is_err());
        assert!(parse("").is_err());
        assert!(parse("m{a=1}").is_err());
    }
}
