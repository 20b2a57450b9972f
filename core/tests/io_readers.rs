//! Readers on small hand-written inputs: values, keys, kinds, counts, and located errors.
//! Expected values are read off the inputs by hand (comments say how).

use shiftwatch::io::{read_reader, Format, ReadOptions};
use shiftwatch::series::{Dataset, Kind, RawSeries, Role};

fn read(text: &[u8], name: &str) -> shiftwatch::Result<Dataset> {
    read_reader(text, name, &ReadOptions::default())
}

fn read_with(text: &[u8], name: &str, opts: ReadOptions) -> shiftwatch::Result<Dataset> {
    read_reader(text, name, &opts)
}

fn err(text: &[u8], name: &str) -> String {
    match read(text, name) {
        Ok(d) => panic!("expected an error, got {} series", d.series.len()),
        Err(e) => e.to_string(),
    }
}

fn find<'a>(d: &'a Dataset, metric: &str, target: &str) -> &'a RawSeries {
    d.series
        .iter()
        .find(|s| s.key.metric == metric && s.key.target == target)
        .unwrap_or_else(|| panic!("no series {metric}/{target} in {:?}", d.series))
}

const T0: i64 = 1_714_564_800_000; // 2024-05-01T12:00:00Z

#[test]
fn tidy_basic() {
    let text = b"timestamp,metric,target,role,release,value,labels,kind,unit\n\
2024-05-01T12:00:00Z,lat,a,baseline,v1,1.5,method=GET;code=200,gauge,s\n\
2024-05-01T12:00:15Z,lat,a,baseline,v1,,method=GET;code=200,gauge,s\n\
2024-05-01T12:00:30Z,lat,a,baseline,v1,NaN,code=200;method=GET,gauge,s\n\
1714564845,lat,a,baseline,v1,+Inf,method=GET;code=200,,\n\
\n\
1714564800000,req_total,b,candidate,v2,10,,counter,\n\
1714564815000,req_total,b,candidate,v2,0,,counter,\n";
    let d = read(text, "x.csv").expect("valid");
    assert_eq!(d.series.len(), 2);
    let a = find(&d, "lat", "a");
    assert_eq!(a.key.labels.len(), 2);
    assert_eq!(a.kind, Kind::Gauge);
    assert_eq!(a.unit.as_deref(), Some("s"));
    assert_eq!(a.role, Some(Role::Baseline));
    assert_eq!(a.releases[0].release, "v1");
    assert_eq!(a.timestamps_ms, vec![T0, T0 + 30_000, T0 + 45_000]);
    assert_eq!(a.values[0], 1.5);
    assert!(a.values[1].is_nan());
    assert_eq!(a.values[2], f64::INFINITY);
    assert_eq!(
        (a.report.missing, a.report.nan, a.report.infinite),
        (1, 1, 1)
    );
    let b = find(&d, "req_total", "b");
    assert_eq!(b.kind, Kind::Counter);
    assert_eq!(b.values, vec![10.0, 0.0]); // 0 is a value, not missing
    assert_eq!(d.report.rows, 6);
    assert_eq!(d.report.blank_lines, 1);
}

#[test]
fn tidy_minimal_columns_and_fallbacks() {
    // Only the required columns; the target comes from the labels; metric empty → file stem.
    let text = b"metric,timestamp,value,labels\n,2024-05-01T12:00:00Z,1,target=t1;zone=x\n";
    let d = read(text, "dir/cpu.csv").expect("valid");
    let s = find(&d, "cpu", "t1");
    assert_eq!(s.key.labels.get("zone").map(String::as_str), Some("x"));
    assert_eq!(s.kind, Kind::Unknown);
}

#[test]
fn tidy_release_change_in_one_series() {
    let text = b"timestamp,metric,target,release,value\n1,m,t,v1,1\n2,m,t,v1,2\n3,m,t,v2,3\n";
    let d = read(text, "x.csv").expect("valid");
    let s = &d.series[0];
    assert_eq!(s.releases.len(), 2);
    assert_eq!(s.releases[1].release, "v2");
    assert_eq!(s.releases[1].at_ms, 3000);
}

#[test]
fn tidy_errors_are_located() {
    let h = "timestamp,metric,target,value\n";
    let e = err(
        format!("{h}2024-05-01T12:00:00Z,m,t,1.25 GiB\n").as_bytes(),
        "f.csv",
    );
    assert!(
        e.starts_with("f.csv:2:26: value '1.25 GiB' has a unit"),
        "{e}"
    );
    let e = err(
        format!("{h}2024-13-01T12:00:00Z,m,t,1\n").as_bytes(),
        "f.csv",
    );
    assert!(e.starts_with("f.csv:2:1: cannot read timestamp"), "{e}");
    let e = err(format!("{h}1,m,t\n").as_bytes(), "f.csv");
    assert!(e.starts_with("f.csv:2:6: expected 4 fields"), "{e}");
    let e = err(
        format!("{h}2024-05-01 12:00:00,m,t,1\n").as_bytes(),
        "f.csv",
    );
    assert!(e.contains("has no UTC offset"), "{e}");
    let e = err(b"timestamp,metric,value,colour\n", "f.csv");
    assert!(e.starts_with("f.csv:1:24: unknown column 'colour'"), "{e}");
    let e = err(b"timestamp,metric,value,role\n1,m,1,boss\n", "f.csv");
    assert!(e.starts_with("f.csv:2:7: unknown role 'boss'"), "{e}");
    let e = err(b"timestamp,metric,value,labels\n1,m,1,a=1;b\n", "f.csv");
    assert!(e.starts_with("f.csv:2:7: cannot read labels"), "{e}");
    let e = err(b"timestamp,metric,value\n1,\"m,1\n", "f.csv");
    assert!(e.starts_with("f.csv:2:3: unterminated quoted field"), "{e}");
}

#[test]
fn lenient_skips_and_lists_rows() {
    let text = b"timestamp,metric,value\n1,m,1\nbad,m,2\n3,m,x\n4,m,4\n";
    let opts = ReadOptions {
        lenient: true,
        ..ReadOptions::default()
    };
    let d = read_with(text, "f.csv", opts).expect("lenient");
    assert_eq!(d.series[0].values, vec![1.0, 4.0]);
    assert_eq!(d.report.rows_skipped, 2);
    assert_eq!(d.report.skipped[0].location, "f.csv:3:1");
    assert_eq!(d.report.skipped[1].location, "f.csv:4:5");
}

#[test]
fn grafana_wide_crlf_bom_labels() {
    let text = "\u{feff}\"Time\",\"go_goroutines{experiment=\"\"e\"\", target=\"\"kubo27-1\"\"}\",\"go_goroutines{experiment=\"\"e\"\", target=\"\"kubo28-1\"\"}\"\r\n\
1714564800000,10,20\r\n\
1714564815000,,21\r\n\
1714564830000,12,NaN\r\n\r\n";
    let d = read(text.as_bytes(), "export.csv").expect("valid");
    assert_eq!(d.series.len(), 2);
    let a = find(&d, "go_goroutines", "kubo27-1");
    assert_eq!(
        a.key.labels.get("experiment").map(String::as_str),
        Some("e")
    );
    assert_eq!(a.timestamps_ms, vec![T0, T0 + 30_000]);
    assert_eq!(a.report.missing, 1);
    let b = find(&d, "go_goroutines", "kubo28-1");
    assert_eq!(b.report.points, 3);
    assert_eq!(b.report.nan, 1);
    assert_eq!(d.report.blank_lines, 1);
}

#[test]
fn grafana_plain_headers_semicolon_sep_line() {
    let text = b"sep=;\nTime;kubo27-1;kubo28-1\n2024-05-01T12:00:00Z;1,0;2\n";
    // With sep=; the comma is part of the value → a located error naming the problem.
    let e = err(text, "mem.csv");
    assert!(
        e.starts_with("mem.csv:3:22: value '1,0' uses a decimal comma"),
        "{e}"
    );
    let text = b"sep=;\nTime;kubo27-1;kubo28-1\n2024-05-01T12:00:00Z;1.0;2\n";
    let d = read(text, "mem.csv").expect("valid");
    assert_eq!(find(&d, "mem", "kubo28-1").values, vec![2.0]);
    let opts = ReadOptions {
        metric: Some("memory".into()),
        ..ReadOptions::default()
    };
    let d = read_with(text, "mem.csv", opts).expect("valid");
    assert_eq!(find(&d, "memory", "kubo27-1").values, vec![1.0]);
}

#[test]
fn grafana_utf16le_tab() {
    let text = "Time\tkubo27-1\n1714564800000\t5\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let d = read(&bytes, "excel.csv").expect("valid");
    assert_eq!(find(&d, "excel", "kubo27-1").values, vec![5.0]);
}

#[test]
fn grafana_long_and_series_rows() {
    let text = b"Time,__name__,target,le,Value #A,Value #B\n\
1714564800000,h_bucket,a,0.1,1,2\n\
1714564800000,h_bucket,a,+Inf,3,4\n\
1714564815000,h_bucket,a,0.1,5,6\n";
    let d = read(text, "long.csv").expect("valid");
    assert_eq!(d.series.len(), 4);
    let s = d
        .series
        .iter()
        .find(|s| {
            s.key.labels.get("le").map(String::as_str) == Some("0.1")
                && s.key.labels.get("query").map(String::as_str) == Some("B")
        })
        .expect("series");
    assert_eq!(
        (s.key.metric.as_str(), s.key.target.as_str()),
        ("h_bucket", "a")
    );
    assert_eq!(s.values, vec![2.0, 6.0]);
    let text = b"\"Series\";\"Time\";\"Value\"\n\"up{target=\"\"x\"\"}\";1714564800000;1\n\"up{target=\"\"y\"\"}\";1714564800000;0\n";
    let d = read(text, "rows.csv").expect("valid");
    assert_eq!(find(&d, "up", "y").values, vec![0.0]);
}

#[test]
fn grafana_formatted_export_is_rejected_with_advice() {
    let text = b"\"Time\",\"kubo27-1\"\n\"2024-05-01 14:00:00\",\"61.2%\"\n";
    let e = err(text, "fmt.csv");
    assert!(
        e.starts_with("fmt.csv:2:1: timestamp '2024-05-01 14:00:00' has no UTC offset"),
        "{e}"
    );
    assert!(e.contains("Formatted data"), "{e}");
    let opts = ReadOptions {
        timezone: Some("+02:00".parse().expect("offset")),
        ..ReadOptions::default()
    };
    let e = read_with(text, "fmt.csv", opts)
        .expect_err("unit")
        .to_string();
    assert!(
        e.starts_with("fmt.csv:2:23: value '61.2%' has a unit"),
        "{e}"
    );
    let e = err(b"a,b\n1,2\n", "nohdr.csv");
    assert!(e.starts_with("nohdr.csv:1:1: no time column"), "{e}");
}

const PROM: &str = r#"{"status":"success","data":{"resultType":"matrix","result":[
 {"metric":{"__name__":"up","target":"a","job":"node"},"values":[[1714564800,"1"],[1714564815.5,"NaN"],[1714564845,"+Inf"]]},
 {"values":[[1714564800,"0"]],"metric":{"__name__":"up","target":"b"}}
]},"warnings":["something partial"]}"#;

#[test]
fn prometheus_matrix() {
    let d = read(PROM.as_bytes(), "q.json").expect("valid");
    let a = find(&d, "up", "a");
    assert_eq!(a.timestamps_ms, vec![T0, T0 + 15_500, T0 + 45_000]);
    assert_eq!(a.key.labels.get("job").map(String::as_str), Some("node"));
    assert_eq!((a.report.nan, a.report.infinite), (1, 1));
    assert_eq!(find(&d, "up", "b").values, vec![0.0]); // metric after values
    assert_eq!(d.report.notes.len(), 1);
}

#[test]
fn prometheus_vector_and_errors() {
    let v = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"m"},"value":[1714564800.123,"2.5"]}]}}"#;
    let d = read(v.as_bytes(), "v.json").expect("valid");
    assert_eq!(d.series[0].timestamps_ms, vec![T0 + 123]);
    let e = err(
        br#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\""}"#,
        "e.json",
    );
    assert_eq!(
        e,
        "e.json: $.status: Prometheus returned an error (bad_data): invalid parameter \"query\""
    );
    let bad = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]},
{"metric":{},"values":[[1,"1"],[2,"x"]]}]}}"#;
    let e = err(bad.as_bytes(), "b.json");
    assert!(
        e.starts_with("b.json: $.data.result[1].values[1]: cannot read value \"x\""),
        "{e}"
    );
    assert!(e.contains("line 2"), "{e}");
    let e = err(br#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]"#, "t.json");
    assert!(e.starts_with("t.json: $.data.result[0]"), "{e}");
    let e = err(
        br#"{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}"#,
        "s.json",
    );
    assert!(e.contains("$.data.result"), "{e}");
    let e = err(br#"{"data":{}}"#, "n.json");
    assert!(e.contains("no \"status\""), "{e}");
}

const OM: &str = "# HELP http_requests Requests.\n\
# TYPE http_requests counter\n\
http_requests_total{target=\"a\",code=\"200\"} 10 1714564800.000\n\
http_requests_total{target=\"a\",code=\"200\"} 25 1714564815.000\n\
http_requests_created{target=\"a\",code=\"200\"} 1714564000 1714564800.000\n\
# TYPE lat histogram\n\
# UNIT lat seconds\n\
lat_bucket{le=\"0.1\",target=\"a\"} 1 1714564800.000\n\
lat_bucket{le=\"+Inf\",target=\"a\"} 2 1714564800.000\n\
lat_sum{target=\"a\"} 0.3 1714564800.000\n\
lat_count{target=\"a\"} 2 1714564800.000 # {trace_id=\"x\"} 0.2 1714564800.0\n\
peers_total{target=\"a\"} 7 1714564800000\n\
# EOF\n";

#[test]
fn openmetrics_kinds_units_timestamps() {
    let d = read(OM.as_bytes(), "m.txt").expect("valid");
    let c = find(&d, "http_requests_total", "a");
    assert_eq!(c.kind, Kind::Counter);
    assert_eq!(c.timestamps_ms, vec![T0, T0 + 15_000]);
    let b: Vec<_> = d
        .series
        .iter()
        .filter(|s| s.key.metric == "lat_bucket")
        .collect();
    assert_eq!(b.len(), 2);
    assert!(b
        .iter()
        .all(|s| s.kind == Kind::Histogram && s.unit.as_deref() == Some("seconds")));
    assert_eq!(find(&d, "lat_count", "a").kind, Kind::Counter);
    // `_total` without # TYPE is not a counter; integer ms timestamps by magnitude.
    let p = find(&d, "peers_total", "a");
    assert_eq!((p.kind, p.timestamps_ms[0]), (Kind::Unknown, T0));
    assert!(d.series.iter().all(|s| !s.key.metric.ends_with("_created")));
    assert_eq!(d.report.notes.len(), 1);
}

#[test]
fn openmetrics_errors() {
    let e = err(b"# TYPE x gauge\nx{a=\"1\"} 1\n", "m.txt");
    assert!(e.starts_with("m.txt:2:11: sample has no timestamp"), "{e}");
    let e = err(b"# TYPE x gauge\nx{a=\"1} 1 2\n", "m.txt");
    assert!(e.starts_with("m.txt:2:12: unterminated value"), "{e}");
    let e = err(b"x 1 2\n# EOF\nx 2 3\n", "m.txt");
    assert!(e.starts_with("m.txt:3:1: content after '# EOF'"), "{e}");
    let e = err(b"x abc 2\n", "m.txt");
    assert!(e.starts_with("m.txt:1:3: cannot read value 'abc'"), "{e}");
    let e = err(b"# TYPE x weird\n", "m.txt");
    assert!(e.starts_with("m.txt:1:10: unknown type 'weird'"), "{e}");
}

#[test]
fn explicit_format_overrides_detection() {
    let opts = ReadOptions {
        format: Format::Tidy,
        ..ReadOptions::default()
    };
    let e = read_with(b"Time,a\n1,2\n", "g.csv", opts)
        .expect_err("not tidy")
        .to_string();
    assert!(e.starts_with("g.csv:1:1: unknown column 'Time'"), "{e}");
}

#[test]
fn merges_files_and_sorts() {
    let dir = std::env::temp_dir().join(format!("shiftwatch-io-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let p1 = dir.join("a.csv");
    let p2 = dir.join("b.csv");
    std::fs::write(&p1, "timestamp,metric,target,value\n3,m,t,3\n1,m,t,1\n").expect("write");
    std::fs::write(&p2, "timestamp,metric,target,value\n2,m,t,2\n3,m,t,30\n").expect("write");
    let d = shiftwatch::io::read_paths(&[&p1, &p2], &ReadOptions::default()).expect("valid");
    let s = &d.series[0];
    assert_eq!(s.timestamps_ms, vec![1000, 2000, 3000]);
    assert_eq!(s.values, vec![1.0, 2.0, 30.0]); // the later duplicate wins
    assert_eq!((s.report.duplicates, s.report.unsorted), (1, 2));
    let e = shiftwatch::io::read_path(dir.join("nope.csv"), &ReadOptions::default())
        .expect_err("missing file");
    assert!(matches!(e, shiftwatch::Error::Io { .. }));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn raw_identities_cannot_collide() {
    // Fields containing separator-like bytes must not make two identities equal.
    let text = "timestamp,metric,target,value\n1,a\u{1f}b,c,1\n1,a,b\u{1f}c,2\n";
    let d = read(text.as_bytes(), "x.csv").expect("valid");
    assert_eq!(d.series.len(), 2);
}

#[test]
fn configured_kinds_fill_unknown_only() {
    let text = "timestamp,metric,target,value,kind\n1,req_total,a,1,\n1,lat_bucket,a,1,\n1,lat_count,a,1,\n1,g,a,1,gauge\n1,peers_total,a,1,\n";
    let mut kinds = std::collections::BTreeMap::new();
    kinds.insert("req".to_string(), Kind::Counter);
    kinds.insert("lat".to_string(), Kind::Histogram);
    kinds.insert("g".to_string(), Kind::Counter); // the file's kind wins
    kinds.insert("nothing".to_string(), Kind::Gauge);
    let opts = ReadOptions {
        kinds,
        ..ReadOptions::default()
    };
    let d = read_with(text.as_bytes(), "k.csv", opts).expect("valid");
    assert_eq!(find(&d, "req_total", "a").kind, Kind::Counter);
    assert_eq!(find(&d, "lat_bucket", "a").kind, Kind::Histogram);
    assert_eq!(find(&d, "lat_count", "a").kind, Kind::Counter);
    assert_eq!(find(&d, "g", "a").kind, Kind::Gauge);
    assert_eq!(find(&d, "peers_total", "a").kind, Kind::Unknown);
    assert_eq!(
        d.report.notes,
        vec!["configured kind for 'nothing' matched no series"]
    );
}
