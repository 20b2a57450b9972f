//! Robustness: every reader on random bytes and on random "token soup" returns `Ok` or a located
//! `Err` — never panics; and tidy CSV round-trips (write → read gives back the same series).

use std::collections::BTreeMap;

use proptest::prelude::*;
use shiftwatch::io::{read_reader, Format, ReadOptions};
use shiftwatch::series::time::format_rfc3339;
use shiftwatch::Error;

const FORMATS: [Format; 5] = [
    Format::Auto,
    Format::Tidy,
    Format::Grafana,
    Format::Prometheus,
    Format::OpenMetrics,
];

fn check_no_panic(bytes: &[u8]) {
    for format in FORMATS {
        for lenient in [false, true] {
            let opts = ReadOptions {
                format,
                lenient,
                ..ReadOptions::default()
            };
            match read_reader(bytes, "fuzz.csv", &opts) {
                Ok(d) => {
                    for s in &d.series {
                        assert_eq!(s.timestamps_ms.len(), s.values.len());
                        assert!(s.timestamps_ms.windows(2).all(|w| w[0] < w[1]));
                        assert_eq!(s.report.points, s.values.len());
                    }
                }
                Err(Error::Parse { location, msg }) => {
                    assert!(location.line >= 1 || location.json_path.is_some(), "{msg}");
                    assert!(!msg.is_empty());
                }
                Err(Error::Io { .. }) => {}
                Err(other) => panic!("unexpected error kind: {other:?}"),
            }
        }
    }
}

const TOKENS: &[&str] = &[
    "\"",
    "\"\"",
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    " ",
    "{",
    "}",
    "=",
    "[",
    "]",
    ":",
    "#",
    "# TYPE ",
    "# EOF",
    "counter",
    "histogram",
    "le=\"+Inf\"",
    "_bucket",
    "_total",
    "Time",
    "timestamp",
    "metric",
    "value",
    "Value #A",
    "target",
    "1714564800",
    "1714564800000",
    "1.5",
    "NaN",
    "+Inf",
    "-1e308",
    "2024-05-01T12:00:00Z",
    "2024-05-01 12:00:00",
    "sep=;",
    "\u{feff}",
    "é",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[",
    "{\"metric\":{},\"values\":[[1,\"1\"]]}",
    "\"values\"",
    "\"value\"",
    "null",
    "99999999999999999999",
];

fn soup() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(0..TOKENS.len(), 0..60)
        .prop_map(|ix| ix.iter().flat_map(|&i| TOKENS[i].bytes()).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_no_panic(&bytes);
    }

    #[test]
    fn token_soup_never_panics(bytes in soup()) {
        check_no_panic(&bytes);
    }

    #[test]
    fn utf16_soup_never_panics(bytes in soup()) {
        let mut b = vec![0xFF, 0xFE];
        for u in String::from_utf8_lossy(&bytes).encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        check_no_panic(&b);
    }
}

/// One generated series for the round-trip.
#[derive(Debug, Clone)]
struct Gen {
    metric: String,
    target: String,
    labels: BTreeMap<String, String>,
    /// (timestamp ms, value or missing)
    points: Vec<(i64, Option<f64>)>,
}

fn value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        6 => any::<f64>().prop_map(Some),
        2 => (-1000i32..1000).prop_map(|i| Some(f64::from(i) / 8.0)),
        1 => Just(Some(f64::NAN)),
        1 => Just(Some(f64::INFINITY)),
        1 => Just(None),
    ]
}

fn gen_series() -> impl Strategy<Value = Gen> {
    (
        "[a-z_][a-z0-9_:,\" é\n]{0,12}",
        "[a-zA-Z0-9 ,\"\n._-]{0,10}",
        proptest::collection::btree_map("[a-su-z][a-z0-9_]{0,4}", "[a-zA-Z0-9_./-]{0,6}", 0..3),
        proptest::collection::btree_map(1_000_000_000_000i64..2_000_000_000_000, value(), 1..30),
    )
        .prop_map(|(metric, target, labels, points)| Gen {
            metric,
            target,
            labels,
            points: points.into_iter().collect(),
        })
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn tidy_round_trip(series in proptest::collection::vec(gen_series(), 1..5), rfc in any::<bool>(), crlf in any::<bool>()) {
        // Make keys unique (the reader merges equal keys).
        let mut seen = std::collections::BTreeSet::new();
        let series: Vec<Gen> = series
            .into_iter()
            .filter(|g| seen.insert((g.metric.clone(), g.target.clone(), g.labels.clone())))
            .collect();
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("timestamp,metric,target,value,labels{nl}");
        for g in &series {
            let labels: Vec<String> = g.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            for &(t, v) in &g.points {
                let ts = if rfc { format_rfc3339(t) } else { t.to_string() };
                let v = v.map_or(String::new(), |v| format!("{v:?}"));
                text.push_str(&format!(
                    "{ts},{},{},{v},{}{nl}",
                    quote(&g.metric),
                    quote(&g.target),
                    quote(&labels.join(";"))
                ));
            }
        }
        let d = read_reader(text.as_bytes(), "rt.csv", &ReadOptions::default())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let stem = "rt";
        prop_assert_eq!(d.series.len(), series.len());
        for (g, s) in series.iter().zip(&d.series) {
            let metric = if g.metric.is_empty() { stem } else { g.metric.as_str() };
            prop_assert_eq!(&s.key.metric, metric);
            prop_assert_eq!(&s.key.target, &g.target);
            prop_assert_eq!(&s.key.labels, &g.labels);
            let kept: Vec<(i64, f64)> = g.points.iter().filter_map(|&(t, v)| v.map(|v| (t, v))).collect();
            prop_assert_eq!(s.report.missing, g.points.len() - kept.len());
            prop_assert_eq!(s.timestamps_ms.clone(), kept.iter().map(|p| p.0).collect::<Vec<_>>());
            for (a, b) in s.values.iter().zip(kept.iter().map(|p| p.1)) {
                prop_assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{} vs {}", a, b);
            }
        }
    }
}
