//! The `shiftwatch analyze` report (`schema: "shiftwatch.report/v1"`).
