//! A [`SeriesKey`] packed into one byte string: the compact form a [`super::SeriesSet`] keeps
//! per series while reading (one allocation instead of two strings and a map).
//!
//! Layout: metric, target, then each label name and value (in the key's sorted order), every
//! part preceded by its length as a LEB128 varint. Keys are canonical (labels sorted), so two
//! blobs are equal exactly when the keys are.

use std::collections::BTreeMap;

use super::SeriesKey;

/// Appends one part (its length as a varint, then its bytes): `pack` is `put` of the metric,
/// the target, then each label name and value.
pub fn put(out: &mut Vec<u8>, part: &str) {
    let mut n = part.len();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(part.as_bytes());
}

/// Packs `key`.
pub fn pack(key: &SeriesKey) -> Box<[u8]> {
    let len = key.metric.len()
        + key.target.len()
        + key
            .labels
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>()
        + 2 * (key.labels.len() + 1) * 2;
    let mut out = Vec::with_capacity(len);
    put(&mut out, &key.metric);
    put(&mut out, &key.target);
    for (k, v) in &key.labels {
        put(&mut out, k);
        put(&mut out, v);
    }
    out.into_boxed_slice()
}

/// Parts of a blob, in order.
struct Parts<'a>(&'a [u8]);

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.0.is_empty() {
            return None;
        }
        let mut n = 0usize;
        let mut shift = 0;
        let mut i = 0;
        loop {
            let b = self.0[i];
            n |= usize::from(b & 0x7f) << shift;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        let (part, rest) = self.0[i..].split_at(n);
        self.0 = rest;
        // Every part was a `&str` when packed.
        Some(std::str::from_utf8(part).unwrap_or_default())
    }
}

/// The metric name of a blob made by [`pack`].
pub fn metric(blob: &[u8]) -> &str {
    Parts(blob).next().unwrap_or_default()
}

/// Unpacks a blob made by [`pack`].
pub fn unpack(blob: &[u8]) -> SeriesKey {
    let mut parts = Parts(blob);
    let metric = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut labels = BTreeMap::new();
    while let (Some(k), Some(v)) = (parts.next(), parts.next()) {
        labels.insert(k.to_string(), v.to_string());
    }
    SeriesKey {
        metric,
        target,
        labels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_content() {
        let long = "x".repeat(300);
        let keys = [
            SeriesKey::default(),
            SeriesKey {
                metric: "m".into(),
                target: String::new(),
                labels: [("".to_string(), "".to_string())].into(),
            },
            SeriesKey {
                metric: "a\0b".into(),
                target: long.clone(),
                labels: [("le".into(), "0.5".into()), (long, "é\u{1F600}".into())].into(),
            },
        ];
        for k in &keys {
            assert_eq!(&unpack(&pack(k)), k);
        }
        // Distinct keys give distinct blobs even when their concatenations agree.
        let a = SeriesKey {
            metric: "ab".into(),
            target: "c".into(),
            ..SeriesKey::default()
        };
        let b = SeriesKey {
            metric: "a".into(),
            target: "bc".into(),
            ..SeriesKey::default()
        };
        assert_ne!(pack(&a), pack(&b));
    }
}
