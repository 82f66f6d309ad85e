//! The import template: one row per kommun × programme of a round, pre-filled with the round's
//! answers as the store has them, so that the file re-imported unchanged changes nothing. As CSV
//! for Swedish Excel (`;`, BOM, CRLF) and as XLSX (every cell text, a list for the status).

use std::collections::HashMap;

use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};

use crate::atlas::Atlas;
use crate::export::csv::{Profile, field};
use crate::export::tables::Cell;
use crate::store::Record;
use crate::vocabulary::OfferingStatus;

/// The template's columns: each header is one the importer knows (see `columns::SYNONYMS`).
pub const HEADER: [&str; 12] = [
    "kommunkod",
    "kommun",
    "programkod",
    "program",
    "förra omgången",
    "status",
    "arrangör",
    "kontaktsida",
    "språk",
    "källa",
    "senast bekräftad",
    "anteckning",
];

/// The template's rows for the kommuner `kommuner` (indices) in round `round` (index), from the
/// round's answers in the store (`current`, by key).
pub fn rows(
    atlas: &Atlas,
    round: usize,
    kommuner: &[usize],
    current: &HashMap<String, Record>,
) -> Vec<[String; 12]> {
    let inv = &atlas.inventory;
    let r = &inv.rounds[round];
    let previous = atlas.previous_survey(round);
    let mut out = Vec::new();
    for &k in kommuner {
        let kommun = &atlas.geography.kommuner[k];
        for (p, programme) in inv.programmes.iter().enumerate() {
            let key = format!("{}/{}/{}", kommun.code, programme.slug, r.id);
            let now = current.get(&key);
            let f = |name: &str| now.map_or(String::new(), |r| r.field(name).to_string());
            let status = OfferingStatus::parse(&f("status"))
                .map(|s| s.label().to_string())
                .unwrap_or_default();
            let before = previous.map_or(String::new(), |q| {
                format!(
                    "{}: {}",
                    inv.rounds[q].name,
                    atlas.cell_state(k, q, p).label()
                )
            });
            out.push([
                kommun.code.clone(),
                kommun.name.clone(),
                programme.slug.clone(),
                programme.name.clone(),
                before,
                status,
                f("organiser"),
                f("contact_url"),
                f("languages"),
                f("source"),
                f("last_confirmed"),
                f("note"),
            ]);
        }
    }
    out
}

pub fn csv(rows: &[[String; 12]]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(HEADER).expect("writes to memory");
    for row in rows {
        // Text that a spreadsheet could take for a formula is written with a leading ' (the
        // export's Excel profile); the importer reads it back without it.
        w.write_record(
            row.iter()
                .map(|c| field(&Cell::text(c.as_str()), Profile::Excel)),
        )
        .expect("writes to memory");
    }
    w.into_inner().expect("writes to memory")
}

pub fn xlsx(rows: &[[String; 12]], about: &[(String, String)]) -> Vec<u8> {
    build(rows, about).expect("a workbook of text cells always builds")
}

fn build(rows: &[[String; 12]], about: &[(String, String)]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let ws = wb.add_worksheet();
    ws.set_name("Mall")?;
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        // Text cells: a kommunkod typed as 0114 keeps its zero.
        ws.set_column_format(c as u16, &text)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string_with_format(r as u32 + 1, c as u16, v, &text)?;
        }
    }
    let labels: Vec<&str> = OfferingStatus::ALL.iter().map(|s| s.label()).collect();
    let status = DataValidation::new()
        .allow_list_strings(&labels)?
        .set_error_title("Okänd status")?
        .set_error_message(
            "Välj erbjuds, erbjuds inte eller okänt (tomt lämnar svaret som det är).",
        )?;
    let last = rows.len().max(1) as u32;
    ws.add_data_validation(1, 5, last, 5, &status)?;
    ws.set_freeze_panes(1, 4)?;
    ws.autofilter(0, 0, last, HEADER.len() as u16 - 1)?;
    ws.autofit();
    let ws = wb.add_worksheet();
    ws.set_name("Om mallen")?;
    let wrap = Format::new().set_text_wrap();
    for (i, (k, v)) in about.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, k, &bold)?;
        ws.write_string_with_format(i as u32, 1, v, &wrap)?;
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 100)?;
    wb.save_to_buffer()
}

/// What the template's "Om mallen" sheet (and the admin page) says about filling it in.
pub fn about(atlas: &Atlas, round: usize) -> Vec<(String, String)> {
    let r = &atlas.inventory.rounds[round];
    vec![
        ("Omgång".into(), format!("{} ({})", r.name, r.id)),
        (
            "Så fyller du i".into(),
            "En rad per kommun och program. Skriv status: erbjuds, erbjuds inte eller okänt. Lämna status tom för att låta svaret vara som det är. Okänt är ett eget svar (frågan ställd, inget svar), inte samma sak som erbjuds inte.".into(),
        ),
        (
            "Källa och datum".into(),
            "Varje svar behöver en källa (enkätens namn, en webbadress). Senast bekräftad skrivs ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM eller ÅÅÅÅ; tomt blir importens datum.".into(),
        ),
        (
            "Oförändrad fil".into(),
            "Mallen är ifylld med omgångens svar som de är nu: laddar du upp den oförändrad blir det inga ändringar.".into(),
        ),
        (
            "Kolumnen förra omgången".into(),
            "Bara för jämförelse; den läses inte vid importen.".into(),
        ),
    ]
}
