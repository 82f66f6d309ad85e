//! Reading one CSV data file into rows, and reading typed fields with their position, so every
//! problem names file, line and column.

use crate::problem::Problem;

/// A column of a data file and whether a value is required.
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

pub const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

pub const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

pub struct Table {
    pub file: String,
    /// Index in each row of every declared column (None: optional column absent from the header).
    columns: Vec<(&'static str, bool, Option<usize>)>,
    rows: Vec<(usize, Vec<String>)>,
}

/// Reads a CSV file with a header row (`file` names it in problems). Problems with the header or
/// the CSV syntax are reported; rows with the wrong number of fields are reported and skipped.
pub fn read(
    file: String,
    bytes: std::io::Result<Vec<u8>>,
    spec: &[Column],
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.push(Problem::file(&file, "filen saknas"));
            return None;
        }
        Err(e) => {
            problems.push(Problem::file(&file, format!("kan inte läsa filen: {e}")));
            return None;
        }
    };
    let sheet = match crate::tabular::read_csv(&file, &bytes, crate::tabular::Csv::DataFile) {
        Ok(s) => s,
        Err(p) => {
            problems.extend(p);
            return None;
        }
    };
    let names: Vec<&str> = sheet.header.iter().map(String::as_str).collect();
    let before = problems.len();
    for (i, name) in names.iter().enumerate() {
        if !spec.iter().any(|c| c.name == *name) {
            let allowed: Vec<&str> = spec.iter().map(|c| c.name).collect();
            problems.push(Problem::new(
                &file,
                1,
                i + 1,
                format!("okänd kolumn ”{name}” (kolumner: {})", allowed.join(", ")),
            ));
        } else if names[..i].contains(name) {
            problems.push(Problem::new(
                &file,
                1,
                i + 1,
                format!("kolumnen ”{name}” finns två gånger"),
            ));
        }
    }
    let columns: Vec<_> = spec
        .iter()
        .map(|c| (c.name, c.required, names.iter().position(|n| *n == c.name)))
        .collect();
    for (name, required, index) in &columns {
        if *required && index.is_none() {
            problems.push(Problem::new(
                &file,
                1,
                names.len() + 1,
                format!("kolumnen ”{name}” saknas i rubrikraden"),
            ));
        }
    }
    if problems.len() > before {
        return None;
    }
    let mut rows = Vec::new();
    for r in sheet.rows {
        if r.cells.len() != names.len() {
            problems.push(Problem::new(
                &file,
                r.line,
                r.cells.len().min(names.len()) + 1,
                format!(
                    "raden har {} fält men rubrikraden har {}",
                    r.cells.len(),
                    names.len()
                ),
            ));
            continue;
        }
        rows.push((r.line, r.cells));
    }
    Some(Table {
        file,
        columns,
        rows,
    })
}

impl Table {
    /// Each row with a cursor for reading its fields.
    pub fn rows<'t>(&'t self) -> impl Iterator<Item = Cells<'t>> + 't {
        self.rows.iter().map(move |(line, fields)| Cells {
            table: self,
            line: *line,
            fields,
        })
    }
}

/// One row of a table: typed access to its fields, each problem placed at the field.
pub struct Cells<'t> {
    table: &'t Table,
    pub line: usize,
    fields: &'t [String],
}

impl<'t> Cells<'t> {
    fn index(&self, name: &str) -> Option<usize> {
        let column = self.table.columns.iter().find(|c| c.0 == name);
        // A name the loader never declared is a typo in the code, not in the data.
        debug_assert!(column.is_some(), "column {name} is not declared");
        column.and_then(|c| c.2)
    }

    /// The trimmed value of a column ("" when the optional column is absent).
    pub fn text(&self, name: &str) -> &'t str {
        self.index(name).map_or("", |i| self.fields[i].as_str())
    }

    pub fn problem(&self, name: &str, message: impl Into<String>) -> Problem {
        let column = self.index(name).map_or(1, |i| i + 1);
        Problem::new(&self.table.file, self.line, column, message)
    }

    /// A required value: a problem if empty.
    pub fn required(&self, name: &str, problems: &mut Vec<Problem>) -> Option<&'t str> {
        let v = self.text(name);
        if v.is_empty() {
            problems.push(self.problem(name, format!("fältet ”{name}” får inte vara tomt")));
            None
        } else {
            Some(v)
        }
    }

    /// A required value parsed by `parse`, whose error is placed at the field.
    pub fn parse<T>(
        &self,
        name: &str,
        problems: &mut Vec<Problem>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let v = self.required(name, problems)?;
        parse(v)
            .map_err(|m| problems.push(self.problem(name, format!("{name}: {m}"))))
            .ok()
    }

    /// An optional value parsed by `parse`: `Some(None)` when empty, `None` on a problem.
    pub fn parse_optional<T>(
        &self,
        name: &str,
        problems: &mut Vec<Problem>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<Option<T>> {
        match self.text(name) {
            "" => Some(None),
            v => parse(v)
                .map(Some)
                .map_err(|m| problems.push(self.problem(name, format!("{name}: {m}"))))
                .ok(),
        }
    }
}
