//! XLSX (rust_xlsxwriter): one sheet per table with a frozen header row, an autofilter, numbers
//! stored as numbers and codes (kommunkod, län) as text cells, then an "Om data" sheet saying
//! what the data is and where it is from.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::tables::{Cell, Table, TableKind};

pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The name of the sheet that explains the data.
pub const ABOUT_SHEET: &str = "Om data";

pub fn write(tables: &[Table], about: &[(String, String)]) -> Vec<u8> {
    build(tables, about).expect("a workbook of plain values always builds")
}

fn build(tables: &[Table], about: &[(String, String)]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let ws = wb.add_worksheet();
        ws.set_name(table.kind.label())?;
        data_sheet(ws, table, &bold)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name(ABOUT_SHEET)?;
    ws.write_string_with_format(0, 0, "Uppgift", &bold)?;
    ws.write_string_with_format(0, 1, "Värde", &bold)?;
    let wrap = Format::new().set_text_wrap();
    for (i, (k, v)) in about.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, k, &bold)?;
        ws.write_string_with_format(row, 1, v, &wrap)?;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 110)?;
    wb.save_to_buffer()
}

fn data_sheet(ws: &mut Worksheet, table: &Table, bold: &Format) -> Result<(), XlsxError> {
    // Codes are text cells formatted as text (`@`), so a code typed over one stays text too.
    let text = Format::new().set_num_format("@");
    for (c, name) in table.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, name, bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.cells.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s)?,
                Cell::Code(s) => ws.write_string_with_format(r, c, s, &text)?,
                Cell::Int(i) => ws.write_number(r, c, *i as f64)?,
                Cell::Num(x) => ws.write_number(r, c, *x)?,
                Cell::Bool(b) => ws.write_boolean(r, c, *b)?,
            };
        }
    }
    let last_col = table.columns.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, table.rows.len() as u32, last_col)?;
    // The matrix also keeps kommunkod and kommun in view when scrolling sideways.
    let frozen_cols = if table.kind == TableKind::Matris {
        2
    } else {
        0
    };
    ws.set_freeze_panes(1, frozen_cols)?;
    ws.autofit();
    Ok(())
}
