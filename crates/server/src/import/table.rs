//! An uploaded spreadsheet as one table: CSV or XLSX, told apart by content (SPEC §10.38).
//!
//! Both become the checklist crate's [`Sheet`] (rows addressed by lower-cased header, numbered as
//! the spreadsheet shows them, the header being row 1), so the import rules never know which
//! format they read. A CSV's "sheet" is its file name and its row numbers are line numbers.

use std::collections::HashMap;

use sirr_checklist::xlsform::reason::SheetReason;
use sirr_checklist::xlsform::sheet::{self, Header, Row, Sheet};

/// Most data rows one upload may hold (a 10,000-branch organisation fits twice over).
pub const MAX_ROWS: usize = 20_000;

/// Why an upload cannot be read as a table at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// Neither a workbook nor UTF-8 text.
    #[error("line {line}: the file is not UTF-8 text; save it as \"CSV UTF-8\" or as .xlsx")]
    NotUtf8 {
        /// The first line that is not UTF-8.
        line: u64,
    },
    /// A workbook calamine cannot open.
    #[error("{0}")]
    Workbook(SheetReason),
    /// A CSV the reader refuses (an unterminated quote).
    #[error("line {line}: {problem}")]
    Csv {
        /// Where.
        line: u64,
        /// What.
        problem: String,
    },
    /// More rows than [`MAX_ROWS`].
    #[error("the file has more than {MAX_ROWS} rows; split it")]
    TooManyRows,
    /// Empty.
    #[error("the file is empty")]
    Empty,
}

/// Is this a workbook (ZIP-based .xlsx/.ods, or the OLE container of .xls)?
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Reads `bytes` as the sheets of a workbook, or as one CSV sheet named `file_name`.
pub fn read(bytes: &[u8], file_name: &str) -> Result<Vec<Sheet>, TableError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(TableError::Empty);
    }
    let sheets = if is_workbook(bytes) {
        sheet::read_workbook(bytes).map_err(TableError::Workbook)?
    } else {
        vec![read_csv(bytes, file_name)?]
    };
    if sheets.iter().any(|s| s.rows.len() > MAX_ROWS) {
        return Err(TableError::TooManyRows);
    }
    Ok(sheets)
}

/// One CSV (comma or semicolon separated, as Excel writes it by locale; a UTF-8 BOM is allowed).
fn read_csv(bytes: &[u8], file_name: &str) -> Result<Sheet, TableError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let delimiter = guess_delimiter(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut headers: Vec<Header> = Vec::new();
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    // Newlines before `counted_to`, kept as the reader moves on: counting from the start of the
    // file for every record made a 10,000-row file take a minute.
    let (mut counted_to, mut newlines) = (0usize, 0u64);
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(TableError::Csv {
                    line: e.position().map_or(line, csv::Position::line),
                    problem: e.to_string(),
                });
            }
        }
        // From the record's byte offset: the reader's own line count skips blank lines.
        let line = record.position().map_or(line, |p| {
            let start = usize::try_from(p.byte())
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            // The offset is where reading began, before any blank lines the reader skipped.
            let start = start
                + bytes[start..]
                    .iter()
                    .take_while(|b| matches!(b, b'\n' | b'\r'))
                    .count();
            let start = start.max(counted_to);
            newlines += bytes[counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            counted_to = start;
            1 + newlines
        });
        let mut texts = Vec::with_capacity(record.len());
        for field in &record {
            let text = std::str::from_utf8(field).map_err(|_| TableError::NotUtf8 { line })?;
            texts.push(text.trim().to_owned());
        }
        if headers.is_empty() {
            if texts.iter().all(String::is_empty) {
                continue;
            }
            headers = texts
                .into_iter()
                .enumerate()
                .filter(|(_, text)| !text.is_empty())
                .map(|(index, text)| Header {
                    norm: sheet::normalise_header(&text),
                    text,
                    index,
                })
                .collect();
            continue;
        }
        let cells: HashMap<String, String> = headers
            .iter()
            .filter_map(|h| {
                let text = texts.get(h.index)?;
                (!text.is_empty()).then(|| (h.norm.clone(), text.clone()))
            })
            .collect();
        if cells.is_empty() {
            continue;
        }
        rows.push(Row::new(u32::try_from(line).unwrap_or(u32::MAX), cells));
        if rows.len() > MAX_ROWS {
            return Err(TableError::TooManyRows);
        }
    }
    Ok(Sheet {
        name: file_name.to_owned(),
        headers,
        rows,
    })
}

/// Excel writes `;` where the decimal separator is a comma: the header line tells which.
fn guess_delimiter(bytes: &[u8]) -> u8 {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| first_line.iter().filter(|b| **b == d).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_numbered_by_line_with_the_header_as_line_1() {
        let text =
            "\u{FEFF}Code,Name_AR\nRUH-001,\"فرع العليا\"\n\nRUH-002,\"two\nlines\"\nRUH-003,x\n";
        let sheets = read(text.as_bytes(), "branches.csv").unwrap();
        let sheet = &sheets[0];
        assert_eq!(sheet.name, "branches.csv");
        assert_eq!(
            sheet
                .headers
                .iter()
                .map(|h| h.norm.as_str())
                .collect::<Vec<_>>(),
            ["code", "name_ar"]
        );
        let rows: Vec<(u32, &str, &str)> = sheet
            .rows
            .iter()
            .map(|r| (r.number, r.get("code"), r.get("name_ar")))
            .collect();
        assert_eq!(
            rows,
            [
                (2, "RUH-001", "فرع العليا"),
                (4, "RUH-002", "two\nlines"),
                (6, "RUH-003", "x")
            ]
        );
    }

    #[test]
    fn semicolons_are_read_when_the_header_uses_them() {
        let sheets = read(b"code;lat;lon\nA-1;24,5;46,7\n", "b.csv").unwrap();
        assert_eq!(sheets[0].rows[0].get("lat"), "24,5");
    }

    #[test]
    fn latin1_text_is_refused_with_its_line() {
        let bytes = b"code,name_en\nA-1,Caf\xE9\n";
        assert_eq!(
            read(bytes, "b.csv").unwrap_err(),
            TableError::NotUtf8 { line: 2 }
        );
        assert_eq!(read(b"  \n", "b.csv").unwrap_err(), TableError::Empty);
    }
}
