//! Which targets are the baseline and which the candidate: glob selectors over target names
//! (`--baseline 'kubo-base-*'`), else the data's `role` column.

use std::collections::BTreeMap;

use super::glob::glob_match;
use crate::series::{RawSeries, Role};
use crate::{Error, Result};

/// Role of every target that has one (targets matching neither selector are left out).
///
/// # Errors
/// [`Error::InvalidArgument`] when a selector matches no target, a target matches both, or
/// only one selector is given.
pub fn assign(
    series: &[RawSeries],
    baseline: Option<&str>,
    candidate: Option<&str>,
) -> Result<BTreeMap<String, Role>> {
    let mut targets: Vec<&str> = series.iter().map(|s| s.key.target.as_str()).collect();
    targets.sort_unstable();
    targets.dedup();
    let listing = || {
        let mut t: Vec<String> = targets.iter().take(12).map(|t| format!("'{t}'")).collect();
        if targets.len() > 12 {
            t.push(format!("… ({} in all)", targets.len()));
        }
        t.join(", ")
    };
    match (baseline, candidate) {
        (Some(b), Some(c)) => {
            let mut roles = BTreeMap::new();
            for t in &targets {
                match (glob_match(b, t), glob_match(c, t)) {
                    (true, true) => {
                        return Err(Error::invalid(
                            "selectors",
                            format!("target '{t}' matches both --baseline '{b}' and --candidate '{c}'"),
                        ))
                    }
                    (true, false) => {
                        roles.insert(t.to_string(), Role::Baseline);
                    }
                    (false, true) => {
                        roles.insert(t.to_string(), Role::Candidate);
                    }
                    _ => {}
                }
            }
            for (sel, role, flag) in [(b, Role::Baseline, "--baseline"), (c, Role::Candidate, "--candidate")] {
                if !roles.values().any(|r| *r == role) {
                    return Err(Error::invalid(
                        "selectors",
                        format!("{flag} '{sel}' matches no target; targets are: {}", listing()),
                    ));
                }
            }
            Ok(roles)
        }
        (None, None) => {
            let mut roles = BTreeMap::new();
            for s in series {
                if let Some(r) = s.role {
                    roles.insert(s.key.target.clone(), r);
                }
            }
            Ok(roles)
        }
        _ => Err(Error::invalid(
            "selectors",
            "give both --baseline and --candidate (globs over target names), or neither (roles from the data's role column)",
        )),
    }
}
