//! Readers for the formats release engineers export: tidy CSV, Grafana CSV, Prometheus
//! `query_range` JSON and OpenMetrics text. Every error carries file, line and column.
