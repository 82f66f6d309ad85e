//! Pictures drawn on the server as inline SVG: coverage strips (rows of ages −1..17, each age
//! covered, not covered, *okänt* or without a catalogue programme), the change between two
//! rows, and a grid of labelled steps (the lägesbild). They need no script, print as content
//! (SVG fills are not "background graphics"), and carry their facts three ways: a legend in
//! words, `role="img"` with a `<title>` and a `<desc>` that say every fact, and the page's table
//! behind "Visa som tabell". Colours and patterns are [`super::palette`]'s.
//!
//! The SVG is well-formed XML (every element closed), with the facts in `data-` attributes
//! (`data-state`, `data-from`, `data-to`, `data-mark`, and the row's `data-kommun`,
//! `data-level`, `data-round`), so tests read it back and compare it with the API. A style
//! attribute would be refused by the pages' Content-Security-Policy: everything is drawn with
//! presentation attributes.

use std::fmt::Write;

use maud::{Markup, html};

use crate::coverage::{LevelCoverage, LevelFilter, MAX_AGE, PRENATAL};
use crate::lang::Lang;
use crate::vocabulary::AgeState;

use super::Cx;
use super::palette::{self, FRAME, OUTLINE, PAGE, Pattern, Swatch, TEXT};
use crate::atlas::Atlas;

/// Sizes in SVG units (the picture is drawn at 1.5 units to a CSS pixel and scales down to fit).
const FONT: f64 = 11.0;
const SMALL: f64 = 10.0;
const ROW: f64 = 16.0;
const ROW_GAP: f64 = 3.0;
const GROUP_GAP: f64 = 9.0;
const CELL: f64 = 14.0;
const PRENATAL_CELL: f64 = 26.0;
const PRENATAL_GAP: f64 = 6.0;
const HEADER: f64 = 18.0;
/// A line of text above a row or the ages.
const LINE: f64 = 13.0;
const MARGIN: f64 = 3.0;
/// How much larger than its units a picture is drawn when there is room.
const SCALE: f64 = 1.5;
const FONTS: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

/// What a row of a coverage picture shows.
#[derive(Clone)]
pub enum Cells<'a> {
    /// Each age's state.
    Ages(&'a LevelCoverage),
    /// Each age's state now, marked where a confirmed state changed since `before` (the row
    /// above): `+` covered now and confirmed not covered before, `−` the other way. A change to
    /// or from *okänt* is no confirmed change: it gets no mark, and the text says it.
    Change {
        now: &'a LevelCoverage,
        before: &'a LevelCoverage,
        /// The row above, named in the text ("jämfört med 2021").
        before_label: String,
    },
    /// No cells, a note across the ages (a kommun that "kan inte jämföras – inga uppgifter").
    Note { short: String, long: String },
}

/// One row: its labels, what it shows, and what it is about (for the `data-` attributes).
#[derive(Clone)]
pub struct Row<'a> {
    /// The group the row belongs to (a kommun, a level): written bold at the left of its first
    /// row, with a gap before it.
    pub group: Option<String>,
    pub label: String,
    pub cells: Cells<'a>,
    pub kommun: Option<String>,
    pub level: Option<&'static str>,
    pub round: Option<String>,
}

impl<'a> Row<'a> {
    pub fn new(label: impl Into<String>, cells: Cells<'a>) -> Row<'a> {
        Row {
            group: None,
            label: label.into(),
            cells,
            kommun: None,
            level: None,
            round: None,
        }
    }

    /// "Skövde, 2021" or "Universell": how the row is named in titles and the description.
    fn name(&self) -> String {
        match &self.group {
            Some(g) if !self.label.is_empty() => format!("{g}, {}", self.label),
            Some(g) => g.clone(),
            None => self.label.clone(),
        }
    }
}

/// A coverage picture: rows × ages.
pub struct Strip<'a> {
    /// Unique on the page: the figure's id and the prefix of every id inside.
    pub id: String,
    /// The accessible name.
    pub title: String,
    pub rows: Vec<Row<'a>>,
    /// An age whose column is framed (`?age=13` on the overview).
    pub highlight: Option<i8>,
    pub names: Names,
}

/// The figure: the picture and its legend.
pub fn figure(cx: &Cx, s: &Strip) -> Markup {
    html! {
        figure.diagram {
            (svg(cx, s))
            (legend(cx, &s.id, &legend_items(cx, s)))
        }
    }
}

/// A kommun's coverage at the given levels (one row each) in round `r`: the kommun page's
/// picture, and the planner's.
pub fn kommun_strip(cx: &Cx, k: usize, r: usize, filters: &[LevelFilter]) -> Markup {
    let a = cx.a;
    let c = a.coverage(k, r);
    let name = &a.kommuner()[k].name;
    let rows = filters
        .iter()
        .map(|f| Row {
            level: Some(f.code()),
            ..Row::new(level_name(cx.lang, *f), Cells::Ages(c.level(*f)))
        })
        .collect();
    let title = match cx.lang {
        Lang::Sv => format!("Täckning per ålder och nivå i {name}"),
        Lang::En => format!("Coverage by age and level in {name}"),
    };
    figure(
        cx,
        &Strip {
            id: "tackningsbild".into(),
            title,
            rows,
            highlight: None,
            names: Names::Above,
        },
    )
}

/// The change in kommun `k` from round `from` to round `to`, level by level: for each level the
/// earlier round's row and the later one's with its marks (`/jamfor?…&round=a,b`). Only for a
/// kommun with answers in both (else it "kan inte jämföras", see [`unanswered`]).
pub fn change_strip(cx: &Cx, k: usize, from: usize, to: usize) -> Markup {
    let a = cx.a;
    let (x, y) = (a.coverage(k, from), a.coverage(k, to));
    let (lx, ly) = (round_label(a, from, to), round_label(a, to, from));
    let code = &a.kommuner()[k].code;
    let rows = super::format::level_filters()
        .into_iter()
        .flat_map(|f| {
            let group = Some(level_name(cx.lang, f));
            [
                Row {
                    group: group.clone(),
                    kommun: Some(code.clone()),
                    level: Some(f.code()),
                    round: Some(a.inventory.rounds[from].id.clone()),
                    ..Row::new(lx.clone(), Cells::Ages(x.level(f)))
                },
                Row {
                    group,
                    kommun: Some(code.clone()),
                    level: Some(f.code()),
                    round: Some(a.inventory.rounds[to].id.clone()),
                    ..Row::new(
                        ly.clone(),
                        Cells::Change {
                            now: y.level(f),
                            before: x.level(f),
                            before_label: lx.clone(),
                        },
                    )
                },
            ]
        })
        .collect();
    let (rx, ry) = (&a.inventory.rounds[from], &a.inventory.rounds[to]);
    figure(
        cx,
        &Strip {
            id: format!("forandring-{}", a.kommuner()[k].code),
            title: format!(
                "Täckning per ålder och nivå i {}: {} ({lx}) och {} ({ly})",
                a.kommuner()[k].name,
                rx.name,
                ry.name
            ),
            rows,
            highlight: None,
            names: Names::Above,
        },
    )
}

/// A round as a row label: when it was collected ("2021", "2023/24"), or its name where the
/// other round of the pair was collected at the same time.
pub fn round_label(a: &Atlas, r: usize, other: usize) -> String {
    let rounds = &a.inventory.rounds;
    let when = |r: usize| {
        let c = &rounds[r].collected;
        match c.to.filter(|to| to.year() != c.from.year()) {
            Some(to) if to.year() / 100 == c.from.year() / 100 => {
                format!("{}/{:02}", c.from.year(), to.year() % 100)
            }
            Some(to) => format!("{}/{}", c.from.year(), to.year()),
            None => c.from.year().to_string(),
        }
    };
    if when(r) == when(other) {
        rounds[r].name.clone()
    } else {
        when(r)
    }
}

/// The names of the rounds among `rounds` without any answer for kommun `k`: a change there
/// "kan inte jämföras – inga uppgifter", never "ingen förändring".
pub fn unanswered(a: &Atlas, k: usize, rounds: &[usize]) -> Vec<String> {
    rounds
        .iter()
        .filter(|r| !a.answered(k, **r))
        .map(|r| a.inventory.rounds[*r].name.clone())
        .collect()
}

/// "Universell", "Alla nivåer": a level as a row label.
pub fn level_name(lang: Lang, f: LevelFilter) -> String {
    match f {
        LevelFilter::All => lang.pick("Alla nivåer", "All levels").into(),
        LevelFilter::Only(l) => super::layout::capital(l.label_in(lang)),
    }
}

/// The word for a state in a legend or a sentence.
pub fn state_word(lang: Lang, s: AgeState) -> &'static str {
    match s {
        AgeState::NoProgramme => {
            lang.pick("inget program i katalogen", "no programme in the catalogue")
        }
        s => s.label_in(lang),
    }
}

/// The ages of a set as words: "under graviditeten, 0–2, 5 och 13–17 år".
pub fn ages_text(lang: Lang, ages: &[i8]) -> String {
    let mut runs: Vec<(i8, i8)> = Vec::new();
    for &a in ages.iter().filter(|a| **a >= 0) {
        match runs.last_mut() {
            Some((_, to)) if *to + 1 == a => *to = a,
            _ => runs.push((a, a)),
        }
    }
    let mut parts: Vec<String> = runs
        .iter()
        .map(|(f, t)| {
            if f == t {
                f.to_string()
            } else {
                format!("{f}–{t}")
            }
        })
        .collect();
    let (and, unit) = match (lang, parts.as_slice()) {
        (Lang::Sv, _) => (" och ", " år"),
        (Lang::En, [one]) if one == "1" => (" and ", " year"),
        (Lang::En, _) => (" and ", " years"),
    };
    if let Some(last) = parts.last_mut() {
        last.push_str(unit);
    }
    if ages.contains(&PRENATAL) {
        parts.insert(
            0,
            lang.pick("under graviditeten", "during pregnancy").into(),
        );
    }
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{and}{last}", rest.join(", ")),
    }
}

/// The ages −1..=17 of a coverage in one state.
fn ages_in(lc: &LevelCoverage, s: AgeState) -> Vec<i8> {
    (PRENATAL..=MAX_AGE).filter(|a| lc.state(*a) == s).collect()
}

/// What a coverage says, state by state: "täckt: 3–17 år; inte täckt: 0–2 år; inget program i
/// katalogen: under graviditeten".
pub fn coverage_text(lang: Lang, lc: &LevelCoverage) -> String {
    let parts: Vec<String> = [
        AgeState::Covered,
        AgeState::NotCovered,
        AgeState::Unknown,
        AgeState::NoProgramme,
    ]
    .into_iter()
    .filter_map(|s| {
        let ages = ages_in(lc, s);
        (!ages.is_empty()).then(|| format!("{}: {}", state_word(lang, s), ages_text(lang, &ages)))
    })
    .collect();
    parts.join("; ")
}

/// The confirmed changes from `before` to `now`, and the ages where one side is *okänt*.
pub struct Change {
    pub gained: Vec<i8>,
    pub lost: Vec<i8>,
    pub unsure: Vec<i8>,
}

impl Change {
    pub fn between(before: &LevelCoverage, now: &LevelCoverage) -> Change {
        let mut c = Change {
            gained: Vec::new(),
            lost: Vec::new(),
            unsure: Vec::new(),
        };
        for a in 0..=MAX_AGE {
            match (before.state(a), now.state(a)) {
                (AgeState::NotCovered, AgeState::Covered) => c.gained.push(a),
                (AgeState::Covered, AgeState::NotCovered) => c.lost.push(a),
                (x, y) if x != y && (x == AgeState::Unknown || y == AgeState::Unknown) => {
                    c.unsure.push(a);
                }
                _ => {}
            }
        }
        c
    }

    /// "nytt täckt 3–5 år; inte längre täckt 9 år; okänt i den ena: 6–8 år", or "ingen
    /// bekräftad förändring".
    pub fn text(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if !self.gained.is_empty() {
            parts.push(format!(
                "{} {}",
                lang.pick("nytt täckt", "newly covered"),
                ages_text(lang, &self.gained)
            ));
        }
        if !self.lost.is_empty() {
            parts.push(format!(
                "{} {}",
                lang.pick("inte längre täckt", "no longer covered"),
                ages_text(lang, &self.lost)
            ));
        }
        if !self.unsure.is_empty() {
            parts.push(format!(
                "{} {}",
                lang.pick(
                    "okänt i den ena omgången, så förändringen är okänd:",
                    "unknown in one of the two, so the change is unknown:"
                ),
                ages_text(lang, &self.unsure)
            ));
        }
        if parts.is_empty() {
            lang.pick("ingen bekräftad förändring", "no confirmed change")
                .into()
        } else {
            parts.join("; ")
        }
    }
}

/// The description of a row: what it shows, in words.
fn row_text(lang: Lang, row: &Row) -> String {
    match &row.cells {
        Cells::Ages(lc) => format!("{}: {}.", row.name(), coverage_text(lang, lc)),
        Cells::Change {
            now,
            before,
            before_label,
        } => format!(
            "{}: {}; {} {before_label}: {}.",
            row.name(),
            coverage_text(lang, now),
            lang.pick("jämfört med", "compared with"),
            Change::between(before, now).text(lang)
        ),
        Cells::Note { long, .. } => format!("{}: {long}", row.name()),
    }
}

/// A number for an SVG attribute: at most one decimal, no trailing zero.
fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// About how wide a text is drawn (system sans-serif fonts average about 0.55 em a letter;
/// bold a little more). Used only to make room, never to fit text exactly.
pub fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    let em = if bold { 0.62 } else { 0.56 };
    s.chars().count() as f64 * size * em
}

/// The fill of a swatch in a picture whose patterns are defined under `prefix`.
pub fn fill(prefix: &str, s: &Swatch) -> String {
    if s.patterned() {
        format!("url(#{prefix}-{})", s.key)
    } else {
        s.ground.hex()
    }
}

/// The `<defs>` of every patterned swatch, with ids under `prefix`.
pub fn defs(prefix: &str) -> Markup {
    html! { defs { @for s in &palette::PATTERNED { (pattern(prefix, s)) } } }
}

/// Where the rows' names go: left of the cells, or on a line above them (narrow enough for a
/// phone without scrolling). With groups, `Above` puts the group's name above and keeps the rows'
/// own (short) labels at the left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    Left,
    Above,
}

/// Where everything of a coverage picture goes.
struct Layout {
    group_x: f64,
    label_x: f64,
    grid_x: f64,
    width: f64,
    height: f64,
    /// The baseline of the ages along the top, and of the "Ålder" line above them (`Above`).
    header_y: f64,
    /// Per row: its top, and the name written on a line above it, if any.
    rows: Vec<(f64, Option<String>)>,
    /// Group names at the left (`Left` with groups).
    groups_left: bool,
    /// Row labels at the left, bold when they are the only names.
    labels_left: bool,
}

impl Layout {
    fn of(s: &Strip, lang: Lang) -> Layout {
        let rows = &s.rows;
        let groups = rows.iter().any(|r| r.group.is_some());
        let widest = |texts: &mut dyn Iterator<Item = &str>, bold| {
            texts.map(|t| text_width(t, FONT, bold)).fold(0.0, f64::max)
        };
        let (groups_left, labels_left) = match s.names {
            Names::Left => (groups, true),
            Names::Above => (false, groups),
        };
        let group_w = if groups_left {
            widest(&mut rows.iter().filter_map(|r| r.group.as_deref()), true) + 8.0
        } else {
            0.0
        };
        let label_w = if labels_left {
            let heading = text_width(age_heading(lang), SMALL, false);
            widest(&mut rows.iter().map(|r| r.label.as_str()), !groups).max(heading) + 8.0
        } else {
            0.0
        };
        let group_x = MARGIN;
        let label_x = group_x + group_w;
        let grid_x = label_x + label_w;
        let width = grid_x + PRENATAL_CELL + PRENATAL_GAP + CELL * 18.0 + MARGIN;
        // The "Ålder" line above the ages when there is no label column to hold it.
        let header_y = if labels_left {
            HEADER - 5.0
        } else {
            HEADER - 5.0 + LINE
        };
        let mut y = header_y + 9.0;
        let mut out = Vec::with_capacity(rows.len());
        for i in 0..rows.len() {
            let starts = starts_group(rows, i);
            if i > 0 {
                y += if starts { GROUP_GAP } else { ROW_GAP };
            }
            let above = match (s.names, &rows[i].group) {
                (Names::Above, Some(g)) if starts => Some(g.clone()),
                (Names::Above, None) => Some(rows[i].label.clone()),
                _ => None,
            };
            if above.is_some() {
                y += LINE;
            }
            out.push((y, above));
            y += ROW;
        }
        Layout {
            group_x,
            label_x,
            grid_x,
            width,
            height: y + MARGIN,
            header_y,
            rows: out,
            groups_left,
            labels_left,
        }
    }

    /// The left edge and width of an age's cell.
    fn cell(&self, age: i8) -> (f64, f64) {
        if age == PRENATAL {
            (self.grid_x, PRENATAL_CELL)
        } else {
            (
                self.grid_x + PRENATAL_CELL + PRENATAL_GAP + CELL * f64::from(age),
                CELL,
            )
        }
    }
}

fn age_heading(lang: Lang) -> &'static str {
    lang.pick("Ålder", "Age")
}

/// The picture alone: `<svg role="img">` with its title and description.
pub fn svg(cx: &Cx, s: &Strip) -> Markup {
    let lang = cx.lang;
    let l = Layout::of(s, lang);
    let id = &s.id;
    let mut desc = String::new();
    for row in &s.rows {
        let _ = write!(desc, "{} ", row_text(lang, row));
    }
    let preg = lang.pick("grav.", "preg.");
    let preg_title = lang.pick("under graviditeten", "during pregnancy");
    html! {
        svg.diagrambild id=(id) xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby={ (id) "-titel" } aria-describedby={ (id) "-beskrivning" }
            viewBox={ "0 0 " (n(l.width)) " " (n(l.height)) } width=(n(l.width * SCALE)) height=(n(l.height * SCALE))
            font-family=(FONTS) font-size=(n(FONT)) fill=(TEXT.hex()) data-picture="coverage" {
            title id={ (id) "-titel" } { (s.title) }
            desc id={ (id) "-beskrivning" } { (desc.trim_end()) }
            (defs(id))
            // The ages along the top.
            g font-size=(n(SMALL)) text-anchor="middle" {
                @if l.labels_left {
                    text x=(n(l.grid_x - 6.0)) y=(n(l.header_y)) text-anchor="end" { (age_heading(lang)) }
                } @else {
                    text x=(n(l.grid_x)) y=(n(l.header_y - LINE)) text-anchor="start" { (age_heading(lang)) " (" (lang.pick("år", "years")) ")" }
                }
                @for age in PRENATAL..=MAX_AGE {
                    @let (x, w) = l.cell(age);
                    @let chosen = s.highlight == Some(age);
                    text x=(n(x + w / 2.0)) y=(n(l.header_y)) font-weight=[chosen.then_some("700")] {
                        @if age == PRENATAL { (preg) title { (preg_title) } } @else { (age) }
                    }
                }
            }
            @for (i, (row, (top, above))) in s.rows.iter().zip(&l.rows).enumerate() {
                g data-row=(row.label) data-kommun=[row.kommun.as_deref()] data-level=[row.level] data-round=[row.round.as_deref()] {
                    @if let Some(name) = above {
                        text x=(n(l.grid_x)) y=(n(top - 4.0)) font-weight="700" { (name) }
                    }
                    @if let (true, Some(g), true) = (l.groups_left, &row.group, starts_group(&s.rows, i)) {
                        text x=(n(l.group_x)) y=(n(top + ROW - 4.0)) font-weight="700" { (g) }
                    }
                    @if l.labels_left {
                        text x=(n(l.label_x)) y=(n(top + ROW - 4.0)) font-weight=[row.group.is_none().then_some("700")] { (row.label) }
                    }
                    (row_cells(lang, id, &l, row, *top))
                }
            }
            @if let Some(age) = s.highlight {
                @let (x, w) = l.cell(age);
                rect x=(n(x - 1.5)) y="2" width=(n(w + 3.0)) height=(n(l.height - 3.0)) fill="none" stroke=(FRAME.hex()) stroke-width="2.5" data-highlight=(age) {}
            }
        }
    }
}

/// Whether row `i` starts a group (its group differs from the row before's).
fn starts_group(rows: &[Row], i: usize) -> bool {
    rows[i].group.is_some() && (i == 0 || rows[i - 1].group != rows[i].group)
}

fn row_cells(lang: Lang, prefix: &str, cols: &Layout, row: &Row, top: f64) -> Markup {
    let name = row.name();
    let (lc, change) = match &row.cells {
        Cells::Ages(lc) => (*lc, None),
        Cells::Change { now, before, .. } => (*now, Some(*before)),
        Cells::Note { short, long } => {
            let (x, _) = cols.cell(PRENATAL);
            let w = cols.width - MARGIN - x;
            return html! {
                rect x=(n(x)) y=(n(top)) width=(n(w)) height=(n(ROW)) fill=(PAGE.hex()) stroke=(OUTLINE.hex()) stroke-width="0.75" stroke-dasharray="3 2" data-state="not_comparable" {
                    title { (name) ": " (long) }
                }
                text x=(n(x + w / 2.0)) y=(n(top + ROW - 4.0)) text-anchor="middle" font-style="italic" font-size=(n(SMALL)) { (short) }
            };
        }
    };
    // Runs of one state; pregnancy is a cell of its own.
    let mut runs: Vec<(i8, i8, AgeState)> = vec![(PRENATAL, PRENATAL, lc.state(PRENATAL))];
    for a in 0..=MAX_AGE {
        let s = lc.state(a);
        match runs.last_mut() {
            Some((from, to, t)) if *t == s && *from >= 0 => *to = a,
            _ => runs.push((a, a, s)),
        }
    }
    let (x0, _) = cols.cell(0);
    // Thin lines between the ages inside a run, so each age can be counted.
    let mut ticks = String::new();
    for (from, to, _) in runs.iter().filter(|(f, _, _)| *f >= 0) {
        for a in from + 1..=*to {
            let _ = write!(
                ticks,
                "M{} {}v{}",
                n(x0 + CELL * f64::from(a)),
                n(top + 1.5),
                n(ROW - 3.0)
            );
        }
    }
    let marks = change.map(|before| Change::between(before, lc));
    html! {
        // The outline is the group's, said once (a long region has thousands of cells).
        g stroke=(OUTLINE.hex()) stroke-width="0.75" {
            @for (from, to, s) in &runs {
                @let (x, _) = cols.cell(*from);
                @let (x_end, w_end) = cols.cell(*to);
                rect x=(n(x)) y=(n(top)) width=(n(x_end + w_end - x)) height=(n(ROW)) fill=(fill(prefix, palette::age_swatch(*s)))
                    data-state=(s.code()) data-from=(from) data-to=(to) {
                    title { (name) ", " (ages_text(lang, &(*from..=*to).collect::<Vec<_>>())) ": " (state_word(lang, *s)) }
                }
            }
        }
        @if !ticks.is_empty() {
            path d=(ticks) stroke="#c8c8c8" stroke-width="0.75" fill="none" {}
        }
        @if let Some(m) = marks {
            @for (ages, mark, glyph, colour) in [(&m.gained, "gained", "+", palette::FULL.text), (&m.lost, "lost", "−", palette::NONE.text)] {
                @for a in ages {
                    @let (x, w) = cols.cell(*a);
                    text x=(n(x + w / 2.0)) y=(n(top + ROW - 3.5)) text-anchor="middle" font-weight="700" font-size="13" fill=(colour.hex()) data-mark=(mark) data-age=(a) { (glyph) }
                }
            }
        }
    }
}

/// How many rows (kommuner) one picture of a long region holds: a picture is one piece on paper,
/// so the overview and the lägesbild come in parts, each with its headings.
pub const PART: usize = 30;

/// One cell of a grid of steps: its swatch, the word written in it, its full text (the title),
/// and what it is for the `data-` attributes.
#[derive(Clone)]
pub struct Step {
    pub swatch: &'static Swatch,
    pub word: String,
    pub title: String,
    pub state: &'static str,
    pub count: Option<usize>,
    /// The fact kan vara inaktuell (not confirmed within the review period).
    pub due: bool,
}

/// A column of a grid of steps: its heading, what it measures (`data-measure`), its name in a
/// sentence (each cell's title, the description), and its full name (the heading's title).
#[derive(Clone)]
pub struct Measure {
    pub heading: String,
    pub key: String,
    pub title: String,
    pub full: String,
}

/// A grid of steps: rows (kommuner) × measures, each cell a swatch with its word (the
/// lägesbild).
pub struct Grid {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub measures: Vec<Measure>,
    /// Per row: the kommun's name, its code, and a step per measure.
    pub rows: Vec<(String, String, Vec<Step>)>,
}

/// The grid as `<svg role="img">`.
pub fn grid_svg(g: &Grid) -> Markup {
    const PAD: f64 = 8.0;
    const H: f64 = 18.0;
    let name_w = g
        .rows
        .iter()
        .map(|(name, _, _)| text_width(name, FONT, true))
        .fold(0.0, f64::max)
        + PAD;
    let widths: Vec<f64> = g
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| {
            g.rows
                .iter()
                .map(|(_, _, steps)| text_width(&steps[i].word, SMALL, false))
                .chain([text_width(&m.heading, SMALL, true)])
                .fold(0.0, f64::max)
                + PAD
        })
        .collect();
    let mut xs = Vec::with_capacity(widths.len());
    let mut x = MARGIN + name_w;
    for w in &widths {
        xs.push(x);
        x += w + 3.0;
    }
    let width = x + MARGIN;
    let top = HEADER + 2.0;
    let height = top + (H + 3.0) * g.rows.len() as f64 + MARGIN;
    let id = &g.id;
    html! {
        svg.diagrambild.lagesbild id=(id) xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby={ (id) "-titel" } aria-describedby={ (id) "-beskrivning" }
            viewBox={ "0 0 " (n(width)) " " (n(height)) } width=(n(width * SCALE)) height=(n(height * SCALE))
            font-family=(FONTS) font-size=(n(SMALL)) fill=(TEXT.hex()) data-picture="steps" {
            title id={ (id) "-titel" } { (g.title) }
            desc id={ (id) "-beskrivning" } { (g.desc) }
            (defs(id))
            g font-weight="700" {
                @for (m, (x, w)) in g.measures.iter().zip(xs.iter().zip(&widths)) {
                    text x=(n(x + w / 2.0)) y=(n(HEADER - 5.0)) text-anchor="middle" data-measure=(m.key) { (m.heading) title { (m.full) } }
                }
            }
            @for (i, (name, code, steps)) in g.rows.iter().enumerate() {
                @let y = top + (H + 3.0) * i as f64;
                g data-kommun=(code) {
                    text x=(n(MARGIN)) y=(n(y + H - 5.0)) font-weight="700" font-size=(n(FONT)) { (name) }
                    @let cells: Vec<_> = steps.iter().zip(&g.measures).zip(xs.iter().zip(&widths)).collect();
                    // What every cell, every dark word and every light word share, said once.
                    g stroke=(OUTLINE.hex()) stroke-width="0.75" {
                        @for ((step, m), (x, w)) in &cells {
                            rect x=(n(**x)) y=(n(y)) width=(n(**w)) height=(n(H)) fill=(fill(id, step.swatch))
                                data-measure=(m.key) data-state=(step.state) data-count=[step.count] { title { (name) ", " (m.title) ": " (step.title) } }
                        }
                    }
                    // The words in their swatch's text colour; on a pattern with a halo of the
                    // page's white, to stay readable.
                    @for (halo, colour) in [(false, TEXT), (false, PAGE), (true, TEXT)] {
                        g text-anchor="middle" fill=(colour.hex()) stroke=[halo.then(|| PAGE.hex())] stroke-width=[halo.then_some("3")] stroke-linejoin=[halo.then_some("round")] paint-order=[halo.then_some("stroke")] {
                            @for ((step, m), (x, w)) in cells.iter().filter(|((s, _), _)| s.swatch.patterned() == halo && s.swatch.text == colour) {
                                text x=(n(**x + **w / 2.0)) y=(n(y + H - 5.5)) data-measure=(m.key) { (step.word) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One entry of a legend: a swatch (or a glyph) and its words.
pub enum Key {
    Swatch(&'static Swatch, String),
    Glyph(&'static str, String),
    Frame(String),
    Dashed(String),
}

/// The legend of a picture: the four states, and the marks, notes and frame it uses.
pub fn legend_items(cx: &Cx, s: &Strip) -> Vec<Key> {
    let lang = cx.lang;
    let mut items: Vec<Key> = [
        AgeState::Covered,
        AgeState::NotCovered,
        AgeState::Unknown,
        AgeState::NoProgramme,
    ]
    .into_iter()
    .map(|st| {
        let word = match st {
            AgeState::Unknown => lang.pick("okänt – svar saknas", "unknown – no answer"),
            st => state_word(lang, st),
        };
        Key::Swatch(palette::age_swatch(st), word.into())
    })
    .collect();
    if s.rows
        .iter()
        .any(|r| matches!(r.cells, Cells::Change { .. }))
    {
        items.push(Key::Glyph(
            "+",
            lang.pick(
                "nytt täckt (bekräftat i båda omgångarna)",
                "newly covered (confirmed in both)",
            )
            .into(),
        ));
        items.push(Key::Glyph(
            "−",
            lang.pick(
                "inte längre täckt (bekräftat i båda omgångarna)",
                "no longer covered (confirmed in both)",
            )
            .into(),
        ));
    }
    if s.rows.iter().any(|r| matches!(r.cells, Cells::Note { .. })) {
        items.push(Key::Dashed(
            lang.pick(
                "kan inte jämföras – inga uppgifter",
                "cannot be compared – no data",
            )
            .into(),
        ));
    }
    if let Some(age) = s.highlight {
        items.push(Key::Frame(format!(
            "{}: {}",
            lang.pick("vald ålder", "chosen age"),
            ages_text(lang, &[age])
        )));
    }
    items
}

/// A legend: each entry's swatch drawn as in the picture, and its words.
pub fn legend(cx: &Cx, id: &str, items: &[Key]) -> Markup {
    let prefix = format!("{id}-f");
    html! {
        ul.diagramforklaring aria-label=(cx.t("Teckenförklaring", "Key")) {
            @for item in items {
                li {
                    svg.ruta-bild xmlns="http://www.w3.org/2000/svg" width="24" height="16" viewBox="0 0 24 16" aria-hidden="true" focusable="false" {
                        @match item {
                            Key::Swatch(s, _) => {
                                @if s.patterned() {
                                    defs { (pattern(&prefix, s)) }
                                }
                                rect x="1" y="1" width="22" height="14" fill=(fill(&prefix, s)) stroke=(OUTLINE.hex()) stroke-width="1" {}
                            }
                            Key::Glyph(g, _) => {
                                @let dark = *g == "+";
                                rect x="1" y="1" width="22" height="14" fill=(if dark { palette::FULL.ground.hex() } else { PAGE.hex() }) stroke=(OUTLINE.hex()) stroke-width="1" {}
                                text x="12" y="13" text-anchor="middle" font-weight="700" font-size="14" font-family=(FONTS) fill=(if dark { palette::FULL.text.hex() } else { TEXT.hex() }) { (g) }
                            }
                            Key::Frame(_) => {
                                rect x="2" y="2" width="20" height="12" fill="none" stroke=(FRAME.hex()) stroke-width="2.5" {}
                            }
                            Key::Dashed(_) => {
                                rect x="1" y="1" width="22" height="14" fill=(PAGE.hex()) stroke=(OUTLINE.hex()) stroke-width="1" stroke-dasharray="3 2" {}
                            }
                        }
                    }
                    @match item {
                        Key::Swatch(_, w) | Key::Glyph(_, w) | Key::Frame(w) | Key::Dashed(w) => span { (w) },
                    }
                }
            }
        }
    }
}

/// One swatch's `<pattern>`, with its id under `prefix`.
fn pattern(prefix: &str, s: &Swatch) -> Markup {
    match s.pattern {
        Pattern::Hatch { period, width } => html! {
            pattern id={ (prefix) "-" (s.key) } patternUnits="userSpaceOnUse" width=(n(period)) height=(n(period)) patternTransform="rotate(45)" {
                rect width=(n(period)) height=(n(period)) fill=(s.ground.hex()) {}
                rect width=(n(width)) height=(n(period)) fill=(s.ink.hex()) {}
            }
        },
        Pattern::Dots { period, radius } => html! {
            pattern id={ (prefix) "-" (s.key) } patternUnits="userSpaceOnUse" width=(n(period)) height=(n(period)) {
                rect width=(n(period)) height=(n(period)) fill=(s.ground.hex()) {}
                circle cx=(n(period / 2.0)) cy=(n(period / 2.0)) r=(n(radius)) fill=(s.ink.hex()) {}
            }
        },
        Pattern::Solid => html! {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::AgeSet;

    #[test]
    fn ages_read_as_runs_in_both_languages() {
        assert_eq!(
            ages_text(Lang::Sv, &[0, 1, 2, 5, 13, 14, 15, 16, 17]),
            "0–2, 5 och 13–17 år"
        );
        assert_eq!(ages_text(Lang::En, &[0, 1, 2, 5]), "0–2 and 5 years");
        assert_eq!(ages_text(Lang::Sv, &[-1]), "under graviditeten");
        assert_eq!(
            ages_text(Lang::Sv, &[-1, 0, 1]),
            "under graviditeten och 0–1 år"
        );
        assert_eq!(
            ages_text(Lang::Sv, &[-1, 0, 3]),
            "under graviditeten, 0 och 3 år"
        );
        assert_eq!(ages_text(Lang::En, &[1]), "1 year");
        assert_eq!(ages_text(Lang::Sv, &[13]), "13 år");
        assert_eq!(ages_text(Lang::Sv, &[]), "");
    }

    fn lc(covered: (i8, i8), unknown: (i8, i8), catalogue: (i8, i8)) -> LevelCoverage {
        LevelCoverage {
            covered: AgeSet::range(covered.0, covered.1),
            unknown: AgeSet::range(unknown.0, unknown.1),
            catalogue: AgeSet::range(catalogue.0, catalogue.1),
        }
    }

    #[test]
    fn a_change_is_confirmed_only_between_confirmed_states() {
        // Before: 3–8 covered, 9–11 okänt, the rest of 0–17 not covered, pregnancy none.
        let before = lc((3, 8), (9, 11), (0, 17));
        // Now: 0–5 covered, 6–7 okänt, 8–17 not covered.
        let now = lc((0, 5), (6, 7), (0, 17));
        let c = Change::between(&before, &now);
        assert_eq!(c.gained, vec![0, 1, 2]);
        assert_eq!(c.lost, vec![8]);
        // 6–7 were covered and are okänt now; 9–11 were okänt and are not covered now.
        assert_eq!(c.unsure, vec![6, 7, 9, 10, 11]);
        assert_eq!(
            c.text(Lang::Sv),
            "nytt täckt 0–2 år; inte längre täckt 8 år; okänt i den ena omgången, så förändringen är okänd: 6–7 och 9–11 år"
        );
        let same = Change::between(&now, &now);
        assert_eq!(same.text(Lang::Sv), "ingen bekräftad förändring");
    }

    #[test]
    fn coverage_text_names_every_state_and_keeps_pregnancy_apart() {
        let c = lc((3, 12), (0, 1), (0, 17));
        assert_eq!(
            coverage_text(Lang::Sv, &c),
            "täckt: 3–12 år; inte täckt: 2 och 13–17 år; okänt: 0–1 år; inget program i katalogen: under graviditeten"
        );
        assert!(
            coverage_text(Lang::En, &c)
                .starts_with("covered: 3–12 years; not covered: 2 and 13–17 years")
        );
    }
}
