//! Templates to fill in for the bulk import: an XLSX with the sheet to fill (its header row, the
//! columns the import reads) and an instruction sheet saying what goes in each column, in Arabic
//! or English. Uploaded unchanged, a template imports nothing and refuses nothing.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::i18n::{Lang, Msg};
use crate::msg;

/// Which import a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `POST /api/v1/imports/branches`.
    Branches,
    /// `POST /api/v1/imports/users`.
    Users,
}

impl Kind {
    /// `branches` or `users`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "branches" => Some(Self::Branches),
            "users" => Some(Self::Users),
            _ => None,
        }
    }

    /// `branches` or `users` (the file name and the message selector).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Branches => "branches",
            Self::Users => "users",
        }
    }

    /// Each column: its header, what to write in it, an example.
    fn columns(self) -> Vec<(&'static str, Msg, &'static str)> {
        match self {
            Self::Branches => vec![
                ("code", msg!("template-branches-code"), "RUH-001"),
                ("name_en", msg!("template-branches-name_en"), "Olaya"),
                ("name_ar", msg!("template-branches-name_ar"), "العليا"),
                ("region_code", msg!("template-branches-region_code"), "RUH"),
                ("lat", msg!("template-branches-lat"), "24.6907"),
                ("lon", msg!("template-branches-lon"), "46.6857"),
                ("teams", msg!("template-branches-teams"), "tellers;service"),
            ],
            Self::Users => vec![
                ("email", msg!("template-users-email"), "sara@bank.example"),
                ("name", msg!("template-users-name"), "سارة القحطاني"),
                ("role", msg!("template-users-role"), "manager"),
                ("scope_kind", msg!("template-users-scope_kind"), "branch"),
                ("scope_code", msg!("template-users-scope_code"), "RUH-001"),
                ("language", msg!("template-users-language"), "ar"),
            ],
        }
    }

    /// The title of the sheet to fill in.
    fn sheet_title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Branches, Lang::En) => "branches",
            (Self::Branches, Lang::Ar) => "الفروع",
            (Self::Users, Lang::En) => "users",
            (Self::Users, Lang::Ar) => "المستخدمون",
        }
    }
}

/// The template as XLSX bytes.
///
/// # Errors
/// When the workbook cannot be written (never for these fixed contents).
pub fn xlsx(kind: Kind, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let rtl = lang == Lang::Ar;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let title = kind.sheet_title(lang);
    let columns = kind.columns();
    let mut workbook = Workbook::new();

    let data = workbook.add_worksheet();
    data.set_name(title)?;
    data.set_right_to_left(rtl);
    for (c, (header, _, _)) in columns.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        data.write_string_with_format(0, c, *header, &bold)?;
        data.set_column_width(c, 18)?;
    }
    data.set_freeze_panes(1, 0)?;

    let info = workbook.add_worksheet();
    info.set_name(msg!("template-sheet-instructions").render(lang))?;
    info.set_right_to_left(rtl);
    let intro = msg!("template-intro", sheet = title, what = kind.as_str()).render(lang);
    info.write_string_with_format(0, 0, strip_isolates(&intro), &wrap)?;
    info.write_string_with_format(
        2,
        0,
        strip_isolates(&msg!("template-column").render(lang)),
        &bold,
    )?;
    info.write_string_with_format(
        2,
        1,
        strip_isolates(&msg!("template-meaning").render(lang)),
        &bold,
    )?;
    info.write_string_with_format(
        2,
        2,
        strip_isolates(&msg!("template-example").render(lang)),
        &bold,
    )?;
    for (r, (header, meaning, example)) in columns.iter().enumerate() {
        let r = 3 + u32::try_from(r).unwrap_or(u32::MAX - 3);
        info.write_string(r, 0, *header)?;
        info.write_string_with_format(r, 1, strip_isolates(&meaning.render(lang)), &wrap)?;
        info.write_string(r, 2, *example)?;
    }
    info.set_column_width(0, 16)?;
    info.set_column_width(1, 70)?;
    info.set_column_width(2, 22)?;
    workbook.save_to_buffer()
}

/// Fluent's isolation marks keep arguments readable in a sentence on a screen; a spreadsheet
/// cell shows them as stray characters in some programs, so they are left out there.
fn strip_isolates(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{2068}' | '\u{2069}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table;

    #[test]
    fn templates_read_back_with_their_headers_and_no_rows() {
        for kind in [Kind::Branches, Kind::Users] {
            for lang in [Lang::En, Lang::Ar] {
                let bytes = xlsx(kind, lang).unwrap();
                assert!(bytes.starts_with(b"PK"), "an XLSX (zip) file");
                let sheets = table::read(&bytes, "template.xlsx").unwrap();
                let names: Vec<&str> = kind.columns().iter().map(|c| c.0).collect();
                let data = sheets
                    .iter()
                    .find(|s| s.name == kind.sheet_title(lang))
                    .expect("the sheet to fill in");
                let headers: Vec<&str> = data.headers.iter().map(|h| h.norm.as_str()).collect();
                assert_eq!(headers, names, "{kind:?} {lang:?}");
                assert!(data.rows.is_empty());
                // The instruction sheet comes after and has no column the import would take.
                assert_eq!(sheets[0].name, data.name);
            }
        }
    }
}
