//! Reading workbook sheets into rows addressed by (lower-cased) column header.

use std::collections::HashMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, Reader};

use super::reason::SheetReason;

/// Spreadsheet column letters for a 0-based index (0 → A, 26 → AA).
pub fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A column header: its text as written, its lower-cased form and its position.
#[derive(Debug, Clone)]
pub struct Header {
    /// As written in the sheet (trimmed).
    pub text: String,
    /// Lower case with `list name` spelled `list_name`, for matching.
    pub norm: String,
    /// 0-based column index.
    pub index: usize,
}

/// One data row: 1-based row number and its non-empty cells by normalised header.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based row number as the spreadsheet shows it.
    pub number: u32,
    cells: HashMap<String, String>,
}

impl Row {
    /// A row from its 1-based number and its non-empty cells by normalised header (for tables
    /// read from other formats, such as CSV).
    pub fn new(number: u32, cells: HashMap<String, String>) -> Self {
        Self { number, cells }
    }

    /// The trimmed text of the cell under `header` (normalised), or "".
    pub fn get(&self, header: &str) -> &str {
        self.cells.get(header).map_or("", String::as_str)
    }

    /// True when every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.cells.is_empty()
    }
}

/// A sheet: its name as written, headers and data rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet name as written in the workbook.
    pub name: String,
    /// Headers in column order.
    pub headers: Vec<Header>,
    /// Data rows (the header row excluded, blank rows dropped).
    pub rows: Vec<Row>,
}

impl Sheet {
    /// The column letter of a normalised header, for messages.
    pub fn letter(&self, norm: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|h| h.norm == norm)
            .map(|h| column_letter(h.index))
    }

    /// Does the sheet have this (normalised) column?
    pub fn has(&self, norm: &str) -> bool {
        self.headers.iter().any(|h| h.norm == norm)
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string().trim().to_owned(),
    }
}

/// Normalises a header for matching: lower case, `list name` → `list_name`.
pub fn normalise_header(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    match lower.as_str() {
        "list name" => "list_name".to_owned(),
        _ => lower,
    }
}

/// Opens a workbook from bytes and reads every sheet. `Err` says which part cannot be read.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, SheetReason> {
    // The reader can panic on a damaged file (an arithmetic overflow on a corrupt cell reference
    // was seen): that is a file we cannot read, not a crash.
    let damaged = |sheet: Option<String>| SheetReason::Unreadable {
        sheet,
        cause: "the file is damaged".to_owned(),
    };
    let opened = catch_unwind(|| calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())))
        .map_err(|_| damaged(None))?;
    let mut workbook = opened.map_err(|e| SheetReason::Unreadable {
        sheet: None,
        cause: e.to_string(),
    })?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let read = catch_unwind(AssertUnwindSafe(|| workbook.worksheet_range(&name)))
            .map_err(|_| damaged(Some(name.clone())))?;
        let range = read.map_err(|e| SheetReason::Unreadable {
            sheet: Some(name.clone()),
            cause: e.to_string(),
        })?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let mut rows_iter = range.rows().enumerate();
        let mut headers = Vec::new();
        // The header row is the first non-blank row.
        let mut header_row = None;
        for (i, row) in rows_iter.by_ref() {
            if row.iter().any(|c| !cell_text(c).is_empty()) {
                header_row = Some(i);
                for (j, cell) in row.iter().enumerate() {
                    let text = cell_text(cell);
                    if !text.is_empty() {
                        headers.push(Header {
                            norm: normalise_header(&text),
                            text,
                            index: first_col as usize + j,
                        });
                    }
                }
                break;
            }
        }
        let mut rows = Vec::new();
        if header_row.is_some() {
            for (i, row) in rows_iter {
                let mut cells = HashMap::new();
                for h in &headers {
                    if let Some(cell) = row.get(h.index - first_col as usize) {
                        let text = cell_text(cell);
                        if !text.is_empty() {
                            cells.insert(h.norm.clone(), text);
                        }
                    }
                }
                let number = first_row + u32::try_from(i).unwrap_or(u32::MAX - first_row) + 1;
                let row = Row { number, cells };
                if !row.is_blank() {
                    rows.push(row);
                }
            }
        }
        sheets.push(Sheet {
            name,
            headers,
            rows,
        });
    }
    Ok(sheets)
}

#[cfg(test)]
mod tests {
    use super::column_letter;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
