//! Real-world input: the Numenta Anomaly Benchmark CloudWatch CSVs (`timestamp,value`, naive
//! UTC times). The committed copy in `datasets/fixtures/nab/` is always tested; the full set in
//! `../shared/datasets/external/numenta-nab/` when present. Row counts, intervals and gaps are
//! those of that directory's README (rows; median dt 300 s).

use std::path::PathBuf;

use shiftwatch::io::{read_path, ReadOptions};

fn opts() -> ReadOptions {
    ReadOptions {
        timezone: Some("UTC".parse().expect("offset")),
        ..ReadOptions::default()
    }
}

#[test]
fn committed_nab_sample() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../datasets/fixtures/nab/elb_request_count_8c0756.csv");
    let d = read_path(&p, &opts()).expect("valid");
    let s = &d.series[0];
    assert_eq!(s.key.metric, "elb_request_count_8c0756");
    assert_eq!(s.report.points, 4032);
    assert_eq!(s.median_interval_ms(), Some(300_000));
    assert_eq!(s.gaps(), 8); // README: 8 irregular steps
    assert_eq!(s.values[0], 94.0); // first row: 2014-04-10 00:04:00,94.0
    assert_eq!(s.timestamps_ms[0], 1_397_088_240_000); // date -u -d '2014-04-10 00:04:00' +%s
}

/// Fails (it does not pass silently) when the shared datasets are absent: they live in
/// `../shared/` next to the repository.
#[test]
fn all_shared_nab_files() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/datasets/external/numenta-nab");
    assert!(
        root.exists(),
        "{} is absent: the shared datasets belong in ../shared next to the repository \
         (the committed sample alone is tested by committed_nab_sample)",
        root.display()
    );
    // (file, rows in the README, duplicate timestamps)
    let cases = [
        ("realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv", 4032, 0),
        ("realAWSCloudwatch/ec2_cpu_utilization_ac20cd.csv", 4032, 0),
        ("realAWSCloudwatch/ec2_cpu_utilization_c6585a.csv", 4032, 0),
        ("realAWSCloudwatch/elb_request_count_8c0756.csv", 4032, 0),
        ("realAWSCloudwatch/grok_asg_anomaly.csv", 4621, 0),
        ("realAWSCloudwatch/rds_cpu_utilization_cc0c53.csv", 4032, 0),
        (
            "realKnownCause/cpu_utilization_asg_misconfiguration.csv",
            18050,
            0,
        ),
        // 12 rows stamped 2014-03-09 03:00:00 — the US DST change, a local-time artefact:
        // 11 duplicates dropped (last value kept) and counted.
        (
            "realKnownCause/ec2_request_latency_system_failure.csv",
            4032,
            11,
        ),
    ];
    for (file, rows, dups) in cases {
        let d = read_path(root.join(file), &opts()).expect(file);
        assert_eq!(d.series.len(), 1, "{file}");
        let s = &d.series[0];
        assert_eq!(d.report.rows, rows, "{file}");
        assert_eq!(s.report.duplicates, dups, "{file}");
        assert_eq!(s.report.points, rows - dups, "{file}");
        assert_eq!(s.median_interval_ms(), Some(300_000), "{file}");
    }
}
