//! A small streaming RFC 4180 tokenizer: quoted fields (`""` escapes, embedded delimiters and
//! newlines), LF or CRLF line ends, any one-byte delimiter. It keeps only the current record in
//! memory and knows the line and column where each field starts, so every error can say
//! `file:line:column`.
//!
//! Departures from RFC 4180, chosen for real exports: a `"` inside an unquoted field is kept as a
//! literal character; records may have different field counts (the readers check counts
//! against their header and say what was expected).

use std::io::BufRead;

use crate::error::Location;
use crate::{Error, Result};

/// Streaming CSV record reader over any [`BufRead`].
#[derive(Debug)]
pub struct CsvReader<R> {
    inner: R,
    file: String,
    delim: u8,
    line: Vec<u8>,
    buf: Vec<u8>,
    ends: Vec<usize>,
    cols: Vec<usize>,
    next_line: usize,
    record_line: usize,
    col_lines: Vec<usize>,
    had_cr: bool,
}

/// One record: fields as `&str`, with the line and column where each starts.
#[derive(Debug)]
pub struct Record<'a> {
    text: &'a str,
    ends: &'a [usize],
    cols: &'a [usize],
    lines: &'a [usize],
    /// Line (1-based) where the record starts.
    pub line: usize,
}

impl<'a> Record<'a> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// `true` for a record without fields (never produced by the reader).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i` (empty string when out of range).
    #[inline]
    pub fn get(&self, i: usize) -> &'a str {
        if i >= self.ends.len() {
            return "";
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..self.ends[i]).unwrap_or("")
    }

    /// 1-based column (in bytes) where field `i` starts (column after the last field when out
    /// of range).
    pub fn column(&self, i: usize) -> usize {
        match self.cols.get(i) {
            Some(&c) => c,
            None => self.cols.last().map_or(1, |c| c + 1),
        }
    }

    /// Line where field `i` starts (differs from [`Record::line`] after a quoted newline).
    pub fn field_line(&self, i: usize) -> usize {
        self.lines.get(i).copied().unwrap_or(self.line)
    }

    /// `true` when the record is one empty field (a blank line).
    pub fn is_blank(&self) -> bool {
        self.ends.len() == 1 && self.ends[0] == 0
    }

    /// Iterator over the fields.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
}

impl<R: BufRead> CsvReader<R> {
    /// A reader of `inner` (already past any BOM and `sep=` line), naming `file` in errors;
    /// `first_line` is the line number of the first record (1 unless lines were consumed).
    pub fn new(inner: R, file: &str, delim: u8, first_line: usize) -> Self {
        CsvReader {
            inner,
            file: file.to_string(),
            delim,
            line: Vec::with_capacity(256),
            buf: Vec::with_capacity(256),
            ends: Vec::new(),
            cols: Vec::new(),
            next_line: first_line,
            record_line: first_line,
            col_lines: Vec::new(),
            had_cr: false,
        }
    }

    /// The file name used in errors.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Builds a located parse error.
    pub fn error(&self, line: usize, column: usize, msg: impl Into<String>) -> Error {
        located(&self.file, line, column, msg)
    }

    fn read_line(&mut self) -> Result<bool> {
        self.line.clear();
        let n = self
            .inner
            .read_until(b'\n', &mut self.line)
            .map_err(|source| Error::Io {
                path: self.file.clone(),
                source,
            })?;
        if n == 0 {
            return Ok(false);
        }
        self.had_cr = false;
        if self.line.last() == Some(&b'\n') {
            self.line.pop();
            if self.line.last() == Some(&b'\r') {
                self.line.pop();
                self.had_cr = true;
            }
        }
        self.next_line += 1;
        Ok(true)
    }

    /// The next record, or `None` at end of input.
    ///
    /// # Errors
    /// [`Error::Io`] on read failure; [`Error::Parse`] for an unterminated quoted field, text
    /// after a closing quote, or invalid UTF-8.
    pub fn next_record(&mut self) -> Result<Option<Record<'_>>> {
        if !self.read_line()? {
            return Ok(None);
        }
        self.record_line = self.next_line - 1;
        self.buf.clear();
        self.ends.clear();
        self.cols.clear();
        self.col_lines.clear();
        let delim = self.delim;
        let mut pos = 0; // position in current physical line
        let mut line_no = self.record_line;
        loop {
            // Start of a field at `pos` of the current physical line.
            self.cols.push(pos + 1);
            self.col_lines.push(line_no);
            if self.line.get(pos) == Some(&b'"') {
                let quote_line = line_no;
                let quote_col = pos + 1;
                pos += 1;
                loop {
                    match memchr_quote(&self.line[pos..]) {
                        Some(off) => {
                            self.buf.extend_from_slice(&self.line[pos..pos + off]);
                            pos += off + 1;
                            if self.line.get(pos) == Some(&b'"') {
                                self.buf.push(b'"');
                                pos += 1;
                                continue;
                            }
                            break;
                        }
                        None => {
                            self.buf.extend_from_slice(&self.line[pos..]);
                            if self.had_cr {
                                self.buf.push(b'\r');
                            }
                            self.buf.push(b'\n');
                            if !self.read_line()? {
                                return Err(self.error(
                                    quote_line,
                                    quote_col,
                                    "unterminated quoted field (missing closing '\"')",
                                ));
                            }
                            line_no = self.next_line - 1;
                            pos = 0;
                        }
                    }
                }
                self.ends.push(self.buf.len());
                match self.line.get(pos) {
                    None => break,
                    Some(&c) if c == delim => pos += 1,
                    Some(_) => {
                        return Err(self.error(
                            line_no,
                            pos + 1,
                            format!(
                                "expected '{}' or end of line after a closing quote",
                                char::from(delim).escape_default()
                            ),
                        ))
                    }
                }
            } else {
                let rest = &self.line[pos..];
                match rest.iter().position(|&c| c == delim) {
                    Some(off) => {
                        self.buf.extend_from_slice(&rest[..off]);
                        self.ends.push(self.buf.len());
                        pos += off + 1;
                    }
                    None => {
                        self.buf.extend_from_slice(rest);
                        self.ends.push(self.buf.len());
                        break;
                    }
                }
            }
        }
        let text = match std::str::from_utf8(&self.buf) {
            Ok(t) => t,
            Err(e) => {
                let at = e.valid_up_to();
                let field = self.ends.iter().position(|&end| end > at).unwrap_or(0);
                return Err(located(
                    &self.file,
                    self.col_lines
                        .get(field)
                        .copied()
                        .unwrap_or(self.record_line),
                    self.cols.get(field).copied().unwrap_or(1),
                    "invalid UTF-8 (expected UTF-8 or UTF-16 with BOM)",
                ));
            }
        };
        Ok(Some(Record {
            text,
            ends: &self.ends,
            cols: &self.cols,
            lines: &self.col_lines,
            line: self.record_line,
        }))
    }
}

/// A header record kept after reading: field names, their columns and the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Field names as written (unquoted).
    pub fields: Vec<String>,
    /// 1-based column of each field.
    pub cols: Vec<usize>,
    /// Line of the header.
    pub line: usize,
}

impl Header {
    /// Copies a record.
    pub fn from_record(rec: &Record<'_>) -> Header {
        Header {
            fields: rec.iter().map(str::to_string).collect(),
            cols: (0..rec.len()).map(|i| rec.column(i)).collect(),
            line: rec.line,
        }
    }

    /// Column of field `i` (1 when unknown).
    pub fn column(&self, i: usize) -> usize {
        self.cols.get(i).copied().unwrap_or(1)
    }

    /// Refuses a header that names a column twice (after trimming, case-insensitive, as the
    /// readers match names): which one would win is a guess, so neither does.
    ///
    /// # Errors
    /// [`Error::Parse`] at the second occurrence, naming the first.
    pub fn check_unique(&self, file: &str) -> Result<()> {
        let mut seen: std::collections::HashMap<String, usize> =
            std::collections::HashMap::with_capacity(self.fields.len());
        for (i, f) in self.fields.iter().enumerate() {
            let name = f.trim().to_lowercase();
            if let Some(&first) = seen.get(&name) {
                return Err(located(
                    file,
                    self.line,
                    self.column(i),
                    format!(
                        "duplicate column name '{}' (also column {}): each column must be named \
                         once; rename one in the export",
                        crate::series::time::shorten(f.trim()),
                        self.column(first)
                    ),
                ));
            }
            seen.insert(name, i);
        }
        Ok(())
    }
}

#[inline]
fn memchr_quote(s: &[u8]) -> Option<usize> {
    s.iter().position(|&c| c == b'"')
}

/// A [`Error::Parse`] at `file:line:column`.
pub fn located(file: &str, line: usize, column: usize, msg: impl Into<String>) -> Error {
    Error::Parse {
        location: Location {
            file: file.to_string(),
            line,
            column,
            json_path: None,
        },
        msg: msg.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rows = Vec<(usize, Vec<String>, Vec<usize>)>;

    fn all(text: &str, delim: u8) -> Result<Rows> {
        let mut r = CsvReader::new(text.as_bytes(), "t.csv", delim, 1);
        let mut out = Vec::new();
        while let Some(rec) = r.next_record()? {
            let cols = (0..rec.len()).map(|i| rec.column(i)).collect();
            out.push((rec.line, rec.iter().map(String::from).collect(), cols));
        }
        Ok(out)
    }

    #[test]
    fn quotes_crlf_and_columns() {
        let rows = all("a,\"b,c\",\"d\"\"e\"\r\n\r\n1,,\"x\ny\"\n3", b',').expect("valid");
        assert_eq!(rows[0].1, vec!["a", "b,c", "d\"e"]);
        assert_eq!(rows[0].2, vec![1, 3, 9]);
        assert_eq!(rows[1].1, vec![""]); // blank line
        assert_eq!(rows[2].0, 3);
        assert_eq!(rows[2].1, vec!["1", "", "x\ny"]);
        assert_eq!(rows[3].0, 5); // the quoted newline used line 4
        assert_eq!(rows[3].1, vec!["3"]);
        let rows = all("a;b\t;c", b';').expect("valid");
        assert_eq!(rows[0].1, vec!["a", "b\t", "c"]);
        let rows = all("a\"b,c", b',').expect("valid");
        assert_eq!(rows[0].1, vec!["a\"b", "c"]);
    }

    #[test]
    fn errors_are_located() {
        let e = all("a,b\n1,\"open\n2", b',').expect_err("unterminated");
        assert_eq!(
            e.to_string(),
            "t.csv:2:3: unterminated quoted field (missing closing '\"')"
        );
        let e = all("x\n\"a\"b,c", b',').expect_err("junk after quote");
        assert!(e.to_string().starts_with("t.csv:2:4: expected ','"), "{e}");
        let bad = b"ok,\xff\xfe\n";
        let mut r = CsvReader::new(&bad[..], "b.csv", b',', 1);
        let e = r.next_record().expect_err("utf8");
        assert!(e.to_string().starts_with("b.csv:1:4: invalid UTF-8"), "{e}");
    }
}
