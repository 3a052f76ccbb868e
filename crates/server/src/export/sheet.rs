//! Where export rows go: CSV (the `csv` crate, UTF-8 with a byte-order mark so that Excel
//! reads Arabic) or XLSX (`rust_xlsxwriter` in constant-memory mode: each row goes to a temp
//! file as it is written, and the finished workbook is copied to the output).

use std::borrow::Cow;
use std::io::Write;

use rust_xlsxwriter::{Format, Workbook};

use super::Error;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Nothing (N/A, unanswered).
    Empty,
    /// Text.
    Text(Cow<'a, str>),
    /// A number (written as a number in XLSX, shortest round-trip text in CSV).
    Number(f64),
}

impl<'a> Cell<'a> {
    /// Text borrowed from `s`.
    pub fn text(s: &'a str) -> Self {
        Self::Text(Cow::Borrowed(s))
    }

    /// A number, or empty for `None`.
    pub fn number(v: Option<f64>) -> Self {
        v.map_or(Self::Empty, Self::Number)
    }
}

/// The columns: machine keys, and labels in English and Arabic (XLSX shows all three rows).
#[derive(Debug, Clone, Default)]
pub struct Header {
    /// Column keys (`visit_id`, an item key, …): the CSV header and XLSX's first row.
    pub keys: Vec<String>,
    /// English labels.
    pub en: Vec<String>,
    /// Arabic labels.
    pub ar: Vec<String>,
}

impl Header {
    /// Adds a column.
    pub fn push(&mut self, key: &str, en: &str, ar: &str) {
        self.keys.push(key.to_owned());
        self.en.push(en.to_owned());
        self.ar.push(ar.to_owned());
    }
}

/// A destination for rows.
pub trait Sink {
    /// Writes the header (once, first) and pushes it out at once (first byte).
    ///
    /// # Errors
    /// Output failures.
    fn header(&mut self, header: &Header) -> Result<(), Error>;
    /// Writes one row.
    ///
    /// # Errors
    /// Output failures.
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), Error>;
    /// Finishes the file.
    ///
    /// # Errors
    /// Output failures.
    fn finish(self: Box<Self>) -> Result<(), Error>;
}

/// CSV with a byte-order mark.
pub struct Csv<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> Csv<W> {
    /// A CSV sink over `out`.
    pub fn new(mut out: W) -> Result<Self, Error> {
        out.write_all("\u{feff}".as_bytes())?;
        Ok(Self {
            writer: csv::WriterBuilder::new()
                .buffer_capacity(64 * 1024)
                .from_writer(out),
        })
    }
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::Io(e),
        other => Error::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

impl<W: Write> Sink for Csv<W> {
    fn header(&mut self, header: &Header) -> Result<(), Error> {
        self.writer.write_record(&header.keys).map_err(csv_error)?;
        self.writer.flush()?;
        Ok(())
    }

    fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), Error> {
        let mut number = String::new();
        for cell in cells {
            match cell {
                Cell::Empty => self.writer.write_field("").map_err(csv_error)?,
                Cell::Text(s) => self.writer.write_field(s.as_bytes()).map_err(csv_error)?,
                Cell::Number(v) => {
                    number.clear();
                    use std::fmt::Write as _;
                    let _ = write!(number, "{v}");
                    self.writer.write_field(&number).map_err(csv_error)?;
                }
            }
        }
        self.writer.write_record(None::<&[u8]>).map_err(csv_error)
    }

    fn finish(mut self: Box<Self>) -> Result<(), Error> {
        self.writer.flush()?;
        Ok(())
    }
}

/// An XLSX workbook of one sheet, written in constant memory, then copied to `out`.
pub struct Xlsx<'o> {
    workbook: Workbook,
    row: u32,
    bold: Format,
    out: &'o mut dyn Write,
    dir: std::path::PathBuf,
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Xlsx(e.to_string())
}

impl<'o> Xlsx<'o> {
    /// A workbook with one sheet named `name`, right to left when `rtl` (Arabic readers).
    pub fn new(name: &str, rtl: bool, out: &'o mut dyn Write) -> Result<Self, Error> {
        let dir = std::env::temp_dir().join(format!(
            "sirr-export-{}",
            sirr_store::ids::random_hex(8).map_err(|e| Error::Xlsx(e.to_string()))?
        ));
        std::fs::create_dir_all(&dir)?;
        let mut workbook = Workbook::new();
        workbook.set_tempdir(&dir).map_err(xlsx_error)?;
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        sheet.set_name(name).map_err(xlsx_error)?;
        sheet.set_right_to_left(rtl);
        Ok(Self {
            workbook,
            row: 0,
            bold: Format::new().set_bold(),
            out,
            dir,
        })
    }
}

impl Drop for Xlsx<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Sink for Xlsx<'_> {
    fn header(&mut self, header: &Header) -> Result<(), Error> {
        let sheet = self.workbook.worksheet_from_index(0).map_err(xlsx_error)?;
        for (r, labels) in [&header.keys, &header.en, &header.ar]
            .into_iter()
            .enumerate()
        {
            for (c, label) in labels.iter().enumerate() {
                let c = u16::try_from(c).map_err(|_| Error::Xlsx("too many columns".into()))?;
                sheet
                    .write_string_with_format(r as u32, c, label, &self.bold)
                    .map_err(xlsx_error)?;
            }
        }
        sheet.set_freeze_panes(3, 1).map_err(xlsx_error)?;
        self.row = 3;
        Ok(())
    }

    fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), Error> {
        let sheet = self.workbook.worksheet_from_index(0).map_err(xlsx_error)?;
        for (c, cell) in cells.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| Error::Xlsx("too many columns".into()))?;
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    sheet
                        .write_string(self.row, c, s.as_ref())
                        .map_err(xlsx_error)?;
                }
                Cell::Number(v) => {
                    sheet.write_number(self.row, c, *v).map_err(xlsx_error)?;
                }
            }
        }
        self.row += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), Error> {
        let path = self.dir.join("export.xlsx");
        self.workbook.save(&path).map_err(xlsx_error)?;
        let mut file = std::fs::File::open(&path)?;
        std::io::copy(&mut file, &mut self.out)?;
        self.out.flush()?;
        Ok(())
    }
}
