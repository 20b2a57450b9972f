//! Series preparation never panics on extreme inputs (any i64 times, any f64 values), and
//! counter rates are never negative.

use proptest::prelude::*;
use shiftwatch::series::align::{align, Grid};
use shiftwatch::series::counter::rates;
use shiftwatch::series::histogram::{bucket_quantile, quantiles_over_time, Bucket, BucketSeries};
use shiftwatch::series::warmup::trim_warmup;

fn series() -> impl Strategy<Value = (Vec<i64>, Vec<f64>)> {
    proptest::collection::btree_map(any::<i64>(), any::<f64>(), 0..40)
        .prop_map(|m| m.into_iter().unzip())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn rates_never_panic_nor_go_negative((t, v) in series()) {
        let r = rates(&t, &v).expect("sorted, equal lengths");
        prop_assert!(r.values.iter().all(|x| x.is_nan() || *x >= 0.0));
        prop_assert_eq!(r.values.len(), r.timestamps_ms.len());
    }

    #[test]
    fn align_and_trim_never_panic((t, v) in series(), start in any::<i64>(), end in any::<i64>(),
                                  step in any::<i64>(), age in any::<i64>()) {
        if let Ok(g) = Grid::new(start, end, step) {
            if g.len <= 10_000 {
                let _ = align(&t, &v, &g, age);
            }
        }
        let _ = trim_warmup(&t, Some(start), age);
        let _ = trim_warmup(&t, None, age);
    }

    #[test]
    fn quantiles_never_panic(b in proptest::collection::vec((any::<f64>(), any::<f64>()), 0..8), q in any::<f64>(),
                             (t, v) in series(), le in any::<f64>()) {
        let buckets: Vec<Bucket> = b.iter().map(|&(le, count)| Bucket { le, count }).collect();
        let _ = bucket_quantile(q, &buckets);
        let inf = BucketSeries { le: f64::INFINITY, timestamps_ms: &t, values: &v };
        let other = BucketSeries { le, timestamps_ms: &t, values: &v };
        let _ = quantiles_over_time(q, &[inf, other]);
    }
}
