//! Renderers of an analysis [`super::Report`]: table, Markdown, JUnit XML.
