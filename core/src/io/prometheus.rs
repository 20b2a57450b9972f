//! Prometheus HTTP API JSON (`/api/v1/query_range` → `matrix`, `/api/v1/query` → `vector`).
//!
//! ```text
//! {"status":"success","data":{"resultType":"matrix","result":[
//!   {"metric":{"__name__":"up","instance":"a:9100"},"values":[[1714564800,"1"],[1714564815.5,"NaN"]]}]}}
//! ```
//!
//! Timestamps are float seconds (rounded to ms); values are strings (`"NaN"`, `"+Inf"` allowed).
//! Points absent from `values` are gaps (the step is not in the response, so they are not
//! counted as missing; `inspect` reports them as gaps). `status: "error"` bodies become an error
//! quoting `errorType` and `error`. `warnings` become notes. Native histograms
//! (`histogram`/`histograms`) are not supported: noted and skipped.
//!
//! Streaming: the document is walked with serde visitors, holding one series at a time, so a
//! 1 GB response needs no more memory than the series it contains. Errors carry the JSON path
//! (`$.data.result[3].values[17]`) and the line/column.

use std::collections::BTreeMap;
use std::fmt;
use std::io::BufRead;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::Ctx;
use crate::error::Location;
use crate::series::{Kind, SeriesKey};
use crate::{Error, Result};

struct State<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    path: String,
    status: Option<String>,
    error_type: Option<String>,
    error: Option<String>,
    result_type: Option<String>,
    saw_result: bool,
    /// Timestamps read as milliseconds (or finer) because they were too large for seconds.
    ms_timestamps: usize,
}

fn json_err(file: &str, path: String, msg: String) -> Error {
    Error::Parse {
        location: Location {
            file: file.to_string(),
            line: 0,
            column: 0,
            json_path: Some(path),
        },
        msg,
    }
}

pub(crate) fn read<R: BufRead>(reader: R, ctx: &mut Ctx<'_>) -> Result<()> {
    let file = ctx.file.to_string();
    let mut st = State {
        ctx,
        path: "$".to_string(),
        status: None,
        error_type: None,
        error: None,
        result_type: None,
        saw_result: false,
        ms_timestamps: 0,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let parsed = Top(&mut st).deserialize(&mut de).and_then(|()| de.end());
    if let Err(e) = parsed {
        if e.is_io() {
            return Err(Error::Io {
                path: file,
                source: std::io::Error::other(e.to_string()),
            });
        }
        let path = std::mem::take(&mut st.path);
        return Err(json_err(&file, path, e.to_string()));
    }
    if st.ms_timestamps > 0 {
        let n = st.ms_timestamps;
        st.ctx.report.note(format!(
            "{file}: {n} timestamp(s) ≥ 1e11 are not plausible as seconds (Prometheus' unit) and \
             were read by magnitude (milliseconds or finer)"
        ));
    }
    match st.status.as_deref() {
        Some("success") => {}
        Some("error") => {
            return Err(json_err(
                &file,
                "$.status".into(),
                format!(
                    "Prometheus returned an error ({}): {}",
                    st.error_type.as_deref().unwrap_or("no errorType"),
                    st.error.as_deref().unwrap_or("no error message")
                ),
            ))
        }
        Some(other) => {
            return Err(json_err(
                &file,
                "$.status".into(),
                format!("unexpected status '{other}': expected \"success\" or \"error\""),
            ))
        }
        None => {
            return Err(json_err(
                &file,
                "$".into(),
                "no \"status\" field: expected a Prometheus API response \
                 ({\"status\":\"success\",\"data\":{…}})"
                    .into(),
            ))
        }
    }
    match st.result_type.as_deref() {
        Some("matrix") | Some("vector") | None if st.saw_result => Ok(()),
        Some(other) => Err(json_err(
            &file,
            "$.data.resultType".into(),
            format!("resultType '{other}' has no series: expected \"matrix\" or \"vector\""),
        )),
        _ => Err(json_err(
            &file,
            "$.data".into(),
            "no \"result\" array: expected data.result with resultType matrix or vector".into(),
        )),
    }
}

struct Top<'s, 'c, 'a>(&'s mut State<'c, 'a>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Prometheus API response object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let st = self.0;
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "status" => {
                    st.path = "$.status".into();
                    st.status = Some(map.next_value()?);
                }
                "errorType" => st.error_type = Some(map.next_value()?),
                "error" => st.error = Some(map.next_value()?),
                "warnings" | "infos" => {
                    st.path = format!("$.{k}");
                    let w: Vec<String> = map.next_value()?;
                    for w in w {
                        st.ctx.report.note(format!("Prometheus {k}: {w}"));
                    }
                }
                "data" => {
                    st.path = "$.data".into();
                    map.next_value_seed(Data(&mut *st))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        st.path = "$".into();
        Ok(())
    }
}

struct Data<'s, 'c, 'a>(&'s mut State<'c, 'a>);

impl<'de> DeserializeSeed<'de> for Data<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Data<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object {resultType, result}")
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let st = self.0;
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "resultType" => {
                    st.path = "$.data.resultType".into();
                    st.result_type = Some(map.next_value()?);
                }
                "result" => {
                    st.path = "$.data.result".into();
                    st.saw_result = true;
                    map.next_value_seed(Results(&mut *st))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Results<'s, 'c, 'a>(&'s mut State<'c, 'a>);

impl<'de> DeserializeSeed<'de> for Results<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Results<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of series (resultType matrix or vector)")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let st = self.0;
        let mut i = 0;
        loop {
            st.path = format!("$.data.result[{i}]");
            if seq
                .next_element_seed(OneSeries { st: &mut *st, i })?
                .is_none()
            {
                break;
            }
            i += 1;
        }
        Ok(())
    }
}

struct OneSeries<'s, 'c, 'a> {
    st: &'s mut State<'c, 'a>,
    i: usize,
}

impl<'de> DeserializeSeed<'de> for OneSeries<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OneSeries<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a series object {\"metric\": {…}, \"values\": [[t, \"v\"], …]}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let (st, i) = (self.st, self.i);
        let mut metric: Option<BTreeMap<String, String>> = None;
        let mut samples: Vec<(i64, f64)> = Vec::new();
        let mut seen: [bool; 3] = [false; 3];
        while let Some(k) = map.next_key::<String>()? {
            let slot = match k.as_str() {
                "metric" => Some(0),
                "values" => Some(1),
                "value" => Some(2),
                _ => None,
            };
            if let Some(slot) = slot {
                if std::mem::replace(&mut seen[slot], true) {
                    st.path = format!("$.data.result[{i}].{k}");
                    return Err(de::Error::custom(format!(
                        "duplicate key \"{k}\" in one series: which one holds the data is a guess"
                    )));
                }
            }
            match k.as_str() {
                "metric" => {
                    st.path = format!("$.data.result[{i}].metric");
                    metric = Some(map.next_value::<UniqueLabels>()?.0);
                }
                "values" => {
                    st.path = format!("$.data.result[{i}].values");
                    map.next_value_seed(Samples {
                        st: &mut *st,
                        i,
                        out: &mut samples,
                    })?;
                }
                "value" => {
                    st.path = format!("$.data.result[{i}].value");
                    let (t, v, ms) = map.next_value_seed(Sample)?;
                    st.ms_timestamps += usize::from(ms);
                    samples.push((t, v));
                }
                "histogram" | "histograms" => {
                    map.next_value::<IgnoredAny>()?;
                    st.ctx.report.note(
                        "native histograms in Prometheus JSON are not supported and were skipped",
                    );
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let mut labels = metric.unwrap_or_default();
        let metric_name = labels
            .remove("__name__")
            .unwrap_or_else(|| st.ctx.default_metric.to_string());
        let target = labels.remove(&st.ctx.opts.target_label).unwrap_or_default();
        let key = SeriesKey {
            metric: metric_name,
            target,
            labels,
        };
        let idx = st.ctx.set.index_of(key, Kind::Unknown);
        st.ctx.report.rows += samples.len();
        for (t, v) in samples {
            st.ctx.set.push(idx, t, v);
        }
        Ok(())
    }
}

struct Samples<'s, 'c, 'a, 'o> {
    st: &'s mut State<'c, 'a>,
    i: usize,
    out: &'o mut Vec<(i64, f64)>,
}

impl<'de> DeserializeSeed<'de> for Samples<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Samples<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of [timestamp, \"value\"] pairs")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let mut j = 0;
        loop {
            // Cheap path bookkeeping: only format the path when an error needs it.
            match seq.next_element_seed(Sample) {
                Ok(Some((t, v, ms))) => {
                    self.st.ms_timestamps += usize::from(ms);
                    self.out.push((t, v));
                }
                Ok(None) => break,
                Err(e) => {
                    self.st.path = format!("$.data.result[{}].values[{j}]", self.i);
                    return Err(e);
                }
            }
            j += 1;
        }
        Ok(())
    }
}

struct Sample;

/// A sample: (ms, value, whether the timestamp was too large for seconds and was read by
/// magnitude, as the CSV readers do).
type SampleOut = (i64, f64, bool);

impl<'de> DeserializeSeed<'de> for Sample {
    type Value = SampleOut;
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<SampleOut, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Sample {
    type Value = SampleOut;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sample [timestamp_seconds, \"value\"]")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<SampleOut, A::Error> {
        let t: f64 = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let v: ValueText = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(3, &self));
        }
        // Prometheus sends seconds; a value of 1e11 or more (year 5138+) is implausible as
        // seconds and is read by magnitude (ms, µs, ns) like every epoch in the CSV readers.
        let Some(ms) = crate::series::time::epoch_f64_to_ms(t) else {
            return Err(de::Error::custom(format!(
                "timestamp {t} is out of range: expected epoch seconds"
            )));
        };
        Ok((ms, v.0, t.abs() >= 1e11))
    }
}

/// Label object that refuses duplicate keys (serde's map would keep the last silently).
struct UniqueLabels(BTreeMap<String, String>);

impl<'de> de::Deserialize<'de> for UniqueLabels {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = UniqueLabels;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a label object {\"name\": \"value\", …}")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<UniqueLabels, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    if out.contains_key(&k) {
                        return Err(de::Error::custom(format!(
                            "duplicate label \"{}\": which value applies is a guess",
                            crate::series::time::shorten(&k)
                        )));
                    }
                    out.insert(k, v);
                }
                Ok(UniqueLabels(out))
            }
        }
        d.deserialize_map(V)
    }
}

struct ValueText(f64);

impl<'de> de::Deserialize<'de> for ValueText {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ValueText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value string such as \"1.5\", \"NaN\" or \"+Inf\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<ValueText, E> {
                s.trim().parse::<f64>().map(ValueText).map_err(|_| {
                    E::custom(format!(
                        "cannot read value \"{}\": expected a number, \"NaN\", \"+Inf\" or \"-Inf\"",
                        crate::series::time::shorten(s)
                    ))
                })
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> std::result::Result<ValueText, E> {
                Ok(ValueText(x))
            }
            fn visit_u64<E: de::Error>(self, x: u64) -> std::result::Result<ValueText, E> {
                Ok(ValueText(x as f64))
            }
            fn visit_i64<E: de::Error>(self, x: i64) -> std::result::Result<ValueText, E> {
                Ok(ValueText(x as f64))
            }
        }
        d.deserialize_any(V)
    }
}
