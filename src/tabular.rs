//! Tables from the files people save: CSV as Excel and LibreOffice write it (UTF-8 with or without
//! a byte-order mark, UTF-16 "Unicode text", Windows-1252; `;`, `,` or tab; CRLF, LF or CR) and
//! XLSX, read as text. Every row keeps its line in the file as a person sees it there, whatever
//! the line ends, so a problem can name it. The data files (`geodata/`) and uploads are read here.

use std::io::Cursor;

use crate::problem::Problem;

/// What was read: the header row and the rows after it, each with its line in the file.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub format: Format,
    /// The header row's cells, trimmed.
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line (CSV) or row number (XLSX) in the file, 1-based; the header is on line 1 unless
    /// blank lines come first.
    pub line: usize,
    /// The cells, trimmed, as many as the row has (rows may be ragged: the caller decides).
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Windows1252,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Csv {
        encoding: Encoding,
        separator: u8,
        crlf: bool,
    },
    Xlsx {
        sheet: String,
    },
}

impl Format {
    /// For the import preview: "CSV, Windows-1252, semikolon (;), CRLF".
    pub fn describe(&self) -> String {
        match self {
            Format::Csv {
                encoding,
                separator,
                crlf,
            } => {
                let encoding = match encoding {
                    Encoding::Utf8 => "UTF-8",
                    Encoding::Utf8Bom => "UTF-8 med BOM",
                    Encoding::Utf16Le => "UTF-16 (Unicode-text)",
                    Encoding::Windows1252 => "Windows-1252",
                };
                let separator = match separator {
                    b';' => "semikolon (;)",
                    b',' => "komma (,)",
                    b'\t' => "tabb",
                    _ => "okänt tecken",
                };
                let ends = if *crlf { "CRLF" } else { "LF" };
                format!("CSV, {encoding}, {separator}, radslut {ends}")
            }
            Format::Xlsx { sheet } => format!("XLSX, bladet ”{sheet}”"),
        }
    }
}

/// How strictly a CSV file is read: the data files are UTF-8 with commas (DESIGN §2), uploads are
/// whatever a spreadsheet saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Csv {
    DataFile,
    Upload,
}

/// Limits on an upload, checked before it is parsed.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The file as uploaded.
    pub file_bytes: usize,
    /// All entries of an XLSX (a zip archive) unpacked, as its directory declares them.
    pub unpacked_bytes: u64,
    pub rows: usize,
    /// Characters in one cell.
    pub cell_chars: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file_bytes: 10 << 20,
            unpacked_bytes: 64 << 20,
            rows: 100_000,
            cell_chars: 5_000,
        }
    }
}

/// Reads an upload: XLSX when it is a zip archive, else CSV.
pub fn read_upload(file: &str, bytes: &[u8], limits: &Limits) -> Result<Sheet, Vec<Problem>> {
    if bytes.len() > limits.file_bytes {
        return Err(vec![Problem::file(
            file,
            format!(
                "filen är {} men får vara högst {}",
                megabytes(bytes.len() as u64),
                megabytes(limits.file_bytes as u64)
            ),
        )]);
    }
    let sheet = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(file, bytes, limits)?
    } else {
        read_csv(file, bytes, Csv::Upload)?
    };
    check_limits(file, &sheet, limits)?;
    Ok(sheet)
}

fn megabytes(n: u64) -> String {
    format!("{:.1} MB", n as f64 / 1_000_000.0).replace('.', ",")
}

fn check_limits(file: &str, sheet: &Sheet, limits: &Limits) -> Result<(), Vec<Problem>> {
    if sheet.rows.len() > limits.rows {
        return Err(vec![Problem::file(
            file,
            format!(
                "filen har {} rader men får ha högst {}",
                sheet.rows.len(),
                limits.rows
            ),
        )]);
    }
    let mut problems = Vec::new();
    let header = Row {
        line: 1,
        cells: sheet.header.clone(),
    };
    for row in std::iter::once(&header).chain(&sheet.rows) {
        for (i, cell) in row.cells.iter().enumerate() {
            let n = cell.chars().count();
            if n > limits.cell_chars {
                problems.push(Problem::new(
                    file,
                    row.line,
                    i + 1,
                    format!(
                        "cellen har {n} tecken men får ha högst {}",
                        limits.cell_chars
                    ),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Reads CSV text with a header row. Problems with the encoding or the CSV syntax are reported
/// with their line; the whole file is refused then (a half-read file is worse than none).
pub fn read_csv(file: &str, bytes: &[u8], how: Csv) -> Result<Sheet, Vec<Problem>> {
    let (text, encoding) = decode(file, bytes, how)?;
    let separator = match how {
        Csv::DataFile => b',',
        Csv::Upload => sniff_separator(&text),
    };
    let lines = LineIndex::new(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        match record {
            Err(e) => {
                let line = e.position().map_or(1, |p| lines.line_of(p.byte() as usize));
                problems.push(Problem::new(file, line, 1, format!("felaktig CSV: {e}")));
                break;
            }
            Ok(r) => {
                let line = r.position().map_or(0, |p| lines.line_of(p.byte() as usize));
                let cells: Vec<String> = r.iter().map(|c| c.trim().to_string()).collect();
                if header.is_none() {
                    header = Some(cells);
                } else {
                    rows.push(Row { line, cells });
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(header) = header else {
        return Err(vec![Problem::file(file, "filen är tom (ingen rubrikrad)")]);
    };
    Ok(Sheet {
        format: Format::Csv {
            encoding,
            separator,
            crlf: text.contains("\r\n"),
        },
        header,
        rows,
    })
}

/// The text of a CSV file and the encoding it was found in.
fn decode(file: &str, bytes: &[u8], how: Csv) -> Result<(String, Encoding), Vec<Problem>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(file, rest, how).map(|t| (t, Encoding::Utf8Bom));
    }
    if how == Csv::Upload && bytes.starts_with(b"\xFF\xFE") {
        let (text, bad) = encoding_rs::UTF_16LE.decode_without_bom_handling(&bytes[2..]);
        if bad {
            return Err(vec![Problem::file(
                file,
                "filen ser ut som UTF-16 men innehåller ogiltiga tecken",
            )]);
        }
        return Ok((text.into_owned(), Encoding::Utf16Le));
    }
    match (std::str::from_utf8(bytes), how) {
        (Ok(t), _) => Ok((t.to_string(), Encoding::Utf8)),
        (Err(_), Csv::DataFile) => utf8(file, bytes, how).map(|t| (t, Encoding::Utf8)),
        // Not UTF-8: what Excel on Windows saves as "CSV (semikolonavgränsad)". Every byte is a
        // character there, so this never fails; the preview names the encoding found.
        (Err(_), Csv::Upload) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok((text.into_owned(), Encoding::Windows1252))
        }
    }
}

fn utf8(file: &str, bytes: &[u8], how: Csv) -> Result<String, Vec<Problem>> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t.to_string()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let text = std::str::from_utf8(good).expect("valid up to here");
            let line = LineIndex::new(text).line_of(text.len());
            let hint = match how {
                Csv::DataFile => "spara filen som UTF-8",
                Csv::Upload => {
                    "filen börjar som UTF-8 men är det inte: spara den igen som CSV UTF-8"
                }
            };
            Err(vec![Problem::new(
                file,
                line,
                1,
                format!("ogiltig UTF-8 efter byte {} ({hint})", e.valid_up_to()),
            )])
        }
    }
}

/// The separator of the header line: the most frequent of `;`, `,` and tab outside quotes
/// (Excel in Swedish writes `;`, as the decimal comma takes `,`).
fn sniff_separator(text: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(c) = counts.iter_mut().find(|c| c.0 == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    // Ties go to the first: `;` before `,` (a header with neither is one column).
    counts
        .iter()
        .fold((b',', 0), |best, c| if c.1 > best.1 { *c } else { best })
        .0
}

/// Where each line of a text starts, counting CRLF, LF and a lone CR each as one line end. The
/// csv crate's own line count runs one behind after a CRLF (it counts the LF when the next record
/// is read), so lines are found from byte offsets instead.
struct LineIndex {
    starts: Vec<usize>,
    bytes: Vec<u8>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 2;
                    continue;
                }
                b'\r' | b'\n' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            bytes: bytes.to_vec(),
        }
    }

    /// The line of a record starting at `offset`: line ends before its first character (the
    /// reader may report the offset just before an LF) belong to the line before.
    fn line_of(&self, mut offset: usize) -> usize {
        while matches!(self.bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        self.starts.partition_point(|s| *s <= offset).max(1)
    }
}

/// Reads the first worksheet of an XLSX, every cell as text: a text cell as written (kommun codes
/// keep their leading zeros), a whole number without decimals, a date as YYYY-MM-DD.
fn read_xlsx(file: &str, bytes: &[u8], limits: &Limits) -> Result<Sheet, Vec<Problem>> {
    use calamine::{Reader, Xlsx};
    let refuse = |m: String| vec![Problem::file(file, m)];
    // A zip bomb unpacks a small file into gigabytes: the sizes its directory declares are
    // checked before anything is unpacked.
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        refuse(format!(
            "filen är ingen läsbar XLSX-fil (trasigt zip-arkiv: {e})"
        ))
    })?;
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| refuse(format!("trasigt zip-arkiv: {e}")))?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    if unpacked > limits.unpacked_bytes {
        return Err(refuse(format!(
            "XLSX-filen packas upp till {} men får vara högst {} uppackad",
            megabytes(unpacked),
            megabytes(limits.unpacked_bytes)
        )));
    }
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| refuse(format!("filen är ingen läsbar XLSX-fil: {e}")))?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Err(refuse("XLSX-filen har inget kalkylblad".into()));
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| refuse(format!("bladet ”{name}” kan inte läsas: {e}")))?;
    let first = range.start().map_or(0, |(r, _)| r as usize);
    let left = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows: Vec<Row> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut cells: Vec<String> = std::iter::repeat_n(String::new(), left)
                .chain(cells.iter().map(cell_text))
                .collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            Row {
                line: first + i + 1,
                cells,
            }
        })
        .filter(|r| !r.cells.is_empty())
        .collect();
    if rows.is_empty() {
        return Err(refuse(format!("bladet ”{name}” är tomt")));
    }
    let header = rows.remove(0).cells;
    Ok(Sheet {
        format: Format::Xlsx { sheet: name },
        header,
        rows,
    })
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "sant" } else { "falskt" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => excel_date(d.as_f64()),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// An Excel serial date (days since 1899-12-30 in the 1900 system) as YYYY-MM-DD.
fn excel_date(serial: f64) -> String {
    let epoch = jiff::civil::date(1899, 12, 30);
    match epoch.checked_add(jiff::Span::new().days(serial.floor() as i64)) {
        Ok(d) => d.to_string(),
        Err(_) => serial.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, Vec<String>)> {
        read_csv("t.csv", text.as_bytes(), Csv::Upload)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| (r.line, r.cells))
            .collect()
    }

    #[test]
    fn line_numbers_are_the_files_own_whatever_the_line_ends() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["a,b", "1,2", "", "3,4", "\"x", "y\",5", "6,7"].join(end);
            let got: Vec<usize> = lines(&text).into_iter().map(|r| r.0).collect();
            assert_eq!(got, vec![2, 4, 5, 7], "line ends {end:?}");
        }
    }

    #[test]
    fn encodings_and_separators_are_found() {
        let excel = b"\xEF\xBB\xBFkommun;status\r\nTibro;Ja\r\n";
        let s = read_csv("t.csv", excel, Csv::Upload).unwrap();
        assert_eq!(s.header, vec!["kommun", "status"]);
        assert_eq!(
            s.format,
            Format::Csv {
                encoding: Encoding::Utf8Bom,
                separator: b';',
                crlf: true
            }
        );
        let cp1252 = b"kommun\tstatus\nG\xF6tene\tNej\n";
        let s = read_csv("t.csv", cp1252, Csv::Upload).unwrap();
        assert_eq!(s.rows[0].cells, vec!["Götene", "Nej"]);
        assert!(s.format.describe().contains("Windows-1252, tabb"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "kommun\tstatus\r\nSkövde\tJa\r\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let s = read_csv("t.csv", &utf16, Csv::Upload).unwrap();
        assert_eq!(s.rows[0].cells, vec!["Skövde", "Ja"]);
        assert_eq!(s.rows[0].line, 2);
    }

    #[test]
    fn data_files_must_be_utf8_and_say_where_not() {
        let e = read_csv("offerings.csv", b"a,b\n1,2\nG\xF6tene,3\n", Csv::DataFile).unwrap_err();
        assert_eq!(e[0].line, 3);
        assert!(e[0].message.contains("UTF-8"), "{}", e[0].message);
    }

    #[test]
    fn limits_are_checked_before_parsing_and_named() {
        let limits = Limits {
            file_bytes: 10,
            ..Limits::default()
        };
        let e = read_upload("t.csv", b"kommun;status\n", &limits).unwrap_err();
        assert!(e[0].message.contains("högst 0,0 MB"), "{}", e[0].message);
        let limits = Limits {
            cell_chars: 3,
            ..Limits::default()
        };
        let e = read_upload("t.csv", b"a;b\n1;12345\n", &limits).unwrap_err();
        assert_eq!((e[0].line, e[0].column), (2, 2));
    }

    #[test]
    fn broken_xlsx_is_refused_in_swedish() {
        let e = read_upload("t.xlsx", b"PK\x03\x04garbage", &Limits::default()).unwrap_err();
        assert!(
            e[0].message.contains("ingen läsbar XLSX"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn excel_dates_become_iso_dates() {
        assert_eq!(excel_date(45000.0), "2023-03-15");
        assert_eq!(excel_date(44927.5), "2023-01-01");
    }
}
