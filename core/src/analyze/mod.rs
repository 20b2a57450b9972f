//! `analyze`: the release verdict over many metrics (paired, deploy and history modes), with
//! per-metric policy, launch-blocker rules and multiplicity control.
