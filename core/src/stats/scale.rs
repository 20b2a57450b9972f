//! Tests for a change of scale: Ansari–Bradley and Fligner–Killeen.
