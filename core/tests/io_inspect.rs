//! `inspect` summarises while reading (`shiftwatch::io::inspect`): every summary must equal the
//! one computed from the fully read series (`read_paths` + `summarize`), whatever the order,
//! duplicates, gaps, kinds and formats of the input. Seeded random inputs plus the example
//! exports.

use std::path::PathBuf;

use shiftwatch::io::inspect::inspect;
use shiftwatch::io::{read_paths, read_reader, Inputs, ReadOptions};
use shiftwatch::series::summary::summarize;
use shiftwatch::series::Kind;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const T0: i64 = 1_714_564_800_000;

/// A tidy CSV of a few series, some counters, with shuffled, duplicated, NaN, empty and
/// jittered rows; labels on some series.
fn tidy(rng: &mut Rng) -> String {
    let mut rows = Vec::new();
    let series = 1 + rng.below(6);
    for s in 0..series {
        let n = 1 + rng.below(80);
        let jitter = rng.below(3) == 0;
        let counter = rng.below(2) == 0;
        let labels = if rng.below(3) == 0 {
            "\"code=\"\"500\"\"\""
        } else {
            ""
        };
        let metric = if counter { "reqs_total" } else { "load" };
        let kind = if rng.below(3) == 0 {
            ""
        } else if counter {
            "counter"
        } else {
            "gauge"
        };
        let mut level = 0.0;
        for i in 0..n as i64 {
            let mut t = T0 + i * 15_000;
            if jitter {
                t += rng.below(400) as i64 * 7;
            }
            if rng.below(25) == 0 {
                t += 45_000; // a gap
            }
            level = if counter && rng.below(20) == 0 {
                0.0
            } else {
                level + rng.below(9) as f64
            };
            let v = match rng.below(30) {
                0 => "NaN".to_string(),
                1 => String::new(),
                2 => "+Inf".to_string(),
                _ => format!("{level}"),
            };
            rows.push(format!("{t},{metric},t{s},{labels},{kind},{v}"));
            if rng.below(40) == 0 {
                rows.push(format!("{t},{metric},t{s},{labels},{kind},{}", level + 1.0));
            }
        }
    }
    // Some inputs arrive out of order.
    if rng.below(3) == 0 {
        for _ in 0..1 + rng.below(5) {
            let (a, b) = (rng.below(rows.len() as u64), rng.below(rows.len() as u64));
            rows.swap(a as usize, b as usize);
        }
    }
    format!(
        "timestamp,metric,target,labels,kind,value\n{}\n",
        rows.join("\n")
    )
}

fn assert_same(
    inputs: Inputs<'_>,
    full: shiftwatch::series::Dataset,
    opts: &ReadOptions,
    case: &str,
) {
    let got = inspect(inputs, opts).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert_eq!(got.len(), full.series.len(), "{case}");
    let want: Vec<_> = full.series.iter().map(summarize).collect();
    let have: Vec<_> = got.summaries().collect();
    assert_eq!(have, want, "{case}");
    assert_eq!(got.report, full.report, "{case}");
}

#[test]
fn streamed_summaries_equal_full_reads_on_random_tidy_input() {
    let dir = std::env::temp_dir().join(format!("shiftwatch-inspect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut inexact = 0;
    for case in 0..300 {
        let opts = ReadOptions {
            kinds: if case % 4 == 0 {
                [
                    ("reqs".to_string(), Kind::Counter),
                    ("nothing".to_string(), Kind::Gauge),
                ]
                .into()
            } else {
                Default::default()
            },
            ..ReadOptions::default()
        };
        let files: Vec<PathBuf> = (0..1 + rng.below(2))
            .map(|f| {
                let p = dir.join(format!("c{case}_{f}.csv"));
                std::fs::write(&p, tidy(&mut rng)).expect("write");
                p
            })
            .collect();
        let full = read_paths(&files, &opts).expect("read");
        inexact += full
            .series
            .iter()
            .filter(|s| s.report.unsorted + s.report.duplicates > 0)
            .count();
        assert_same(Inputs::Paths(&files), full, &opts, &format!("case {case}"));
        let text = std::fs::read(&files[0]).expect("read back");
        let full = read_reader(text.as_slice(), "<stdin>", &opts).expect("read");
        assert_same(
            Inputs::Bytes {
                data: &text,
                name: "<stdin>",
            },
            full,
            &opts,
            &format!("bytes {case}"),
        );
    }
    // The re-read path was exercised, not only the streaming one.
    assert!(
        inexact > 20,
        "only {inexact} series out of order or duplicated"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn streamed_summaries_equal_full_reads_on_the_example_exports() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../datasets/examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("experiment"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files.push(root.join("gateway_memory.csv"));
    let opts = ReadOptions::default();
    for f in &files {
        let one = std::slice::from_ref(f);
        assert_same(
            Inputs::Paths(one),
            read_paths(one, &opts).expect("read"),
            &opts,
            &f.display().to_string(),
        );
    }
    assert_same(
        Inputs::Paths(&files),
        read_paths(&files, &opts).expect("read"),
        &opts,
        "all",
    );
}
