//! Kommun boundaries from a GeoJSON FeatureCollection, validated feature by feature.

use std::collections::HashMap;
use std::fmt;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::geometry::{self, InvalidKind, Invalidity};
use crate::problem::{Problem, line_column};

/// One kommun's boundary.
#[derive(Debug, Clone)]
pub struct Boundary {
    pub code: String,
    pub name: String,
    pub lan: String,
    pub shape: MultiPolygon<f64>,
    /// 1-based line of the feature in the file.
    pub line: usize,
}

/// Parse a GeoJSON FeatureCollection of kommun boundaries. Returns every boundary that parsed and
/// every problem found (all of them, not just the first). A feature with a problem is not
/// returned; its kommunkod (when readable) is in the third list, so that other files may still
/// refer to that kommun without a second problem. Problems about a feature point at the
/// feature's first character.
pub fn parse_boundaries(file: &str, text: &str) -> (Vec<Boundary>, Vec<Problem>, Vec<String>) {
    let mut boundaries = Vec::new();
    let mut problems = Vec::new();

    // serde_json rejects a byte order mark as "expected value", which would puzzle anyone.
    if text.starts_with('\u{feff}') {
        problems.push(Problem::new(
            file,
            1,
            1,
            "ogiltig JSON: filen börjar med en BOM (byte order mark), spara den som UTF-8 utan BOM",
        ));
        return (boundaries, problems, Vec::new());
    }
    let at = |offset: usize, message: &str| {
        let (line, column) = line_column(text, offset);
        Problem::new(file, line, column, message)
    };
    let syntax = |e: &serde_json::Error| {
        let (line, column) = json_error_position(text, e);
        Problem::new(file, line, column, json_error_message(e))
    };
    // Where the top-level value starts (in valid JSON only these four can come before it).
    let top = text.len() - text.trim_start_matches([' ', '\t', '\n', '\r']).len();
    let parsed = serde_json::from_str::<Top>(text);
    if let Err(e) = &parsed {
        // A syntax error is reported alone, even one after what stopped the parse (a repeated key).
        let syntax_error = if e.is_syntax() || e.is_eof() {
            Some(syntax(e))
        } else {
            serde_json::from_str::<IgnoredAny>(text)
                .err()
                .map(|e| syntax(&e))
        };
        if let Some(problem) = syntax_error {
            problems.push(problem);
            return (boundaries, problems, Vec::new());
        }
    }
    // (A list parses as Top too, field by field.)
    if !text[top..].starts_with('{') {
        problems.push(at(
            top,
            "filen är inte en GeoJSON FeatureCollection (inte ett objekt)",
        ));
        return (boundaries, problems, Vec::new());
    }
    let top_object = match parsed {
        Ok(t) => t,
        Err(e) => {
            // The only other error serde reports for this shape of object.
            let message = match e.to_string().strip_prefix("duplicate field `") {
                Some(rest) => format!(
                    "filen är inte en FeatureCollection: nyckeln \"{}\" finns mer än en gång",
                    rest.split('`').next().unwrap_or_default()
                ),
                None => "filen är inte en FeatureCollection".to_string(),
            };
            problems.push(at(top, &message));
            return (boundaries, problems, Vec::new());
        }
    };

    match &top_object.kind {
        Some(Value::String(t)) if t == "FeatureCollection" => {}
        Some(v) => problems.push(at(
            top,
            &format!("filen är inte en FeatureCollection (type är {v})"),
        )),
        None => problems.push(at(top, "filen är inte en FeatureCollection (type saknas)")),
    }
    let features = match top_object.features {
        Some(Features::List(list)) => list,
        Some(Features::NotList) => {
            // Parsed again only on this error path, for where the value starts.
            let offset = serde_json::from_str::<FeaturesAt>(text)
                .map_or(top, |f| offset_in(text, f.features));
            problems.push(at(
                offset,
                "filen är inte en FeatureCollection: features är inte en lista",
            ));
            Vec::new()
        }
        None => {
            problems.push(at(
                top,
                "filen är inte en FeatureCollection: features saknas",
            ));
            return (boundaries, problems, Vec::new());
        }
    };

    // Features come in file order, so line and column are counted incrementally (the source
    // files have everything on one line, where counting from the start each time is slow).
    let mut cursor = Cursor {
        text,
        offset: 0,
        line: 1,
        column: 1,
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for raw in features {
        let (line, column) = cursor.advance(offset_in(text, raw));
        // RawFeature reads only objects; anything else is reported.
        let feature =
            serde_json::from_str::<RawFeature>(raw.get()).map_err(|_| raw.get().starts_with('{'));
        let mut messages = Vec::new();
        let code = feature
            .as_ref()
            .ok()
            .and_then(RawFeature::code)
            .map(str::to_string);
        let parsed = match feature {
            Ok(f) => check_feature(f, &mut messages),
            // serde_json refuses numbers too large for f64, e.g. 1e999.
            Err(true) => {
                messages.push(
                    "featuren har ett tal som inte är ett ändligt flyttal (för stort)".into(),
                );
                None
            }
            Err(false) => {
                messages.push("elementet i features är inte ett objekt (en Feature)".into());
                None
            }
        };
        if let Some(code) = code {
            if let Some(first) = seen.get(&code) {
                messages.push(format!(
                    "kommun {code}: kommunkoden finns redan på rad {first}"
                ));
            } else {
                seen.insert(code, line);
            }
        }
        if messages.is_empty()
            && let Some((code, name, lan, shape)) = parsed
        {
            boundaries.push(Boundary {
                code,
                name,
                lan,
                shape,
                line,
            });
        }
        problems.extend(
            messages
                .into_iter()
                .map(|m| Problem::new(file, line, column, m)),
        );
    }
    let mut rejected: Vec<String> = seen
        .into_keys()
        .filter(|c| !boundaries.iter().any(|b| &b.code == c))
        .collect();
    rejected.sort();
    (boundaries, problems, rejected)
}

fn is_kommunkod(code: &str) -> bool {
    code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Check one feature; push a Swedish message per problem. Returns its fields when they parsed.
fn check_feature(
    feature: RawFeature,
    messages: &mut Vec<String>,
) -> Option<(String, String, String, MultiPolygon<f64>)> {
    if feature.kind.as_ref().and_then(Value::as_str) != Some("Feature") {
        messages.push("elementet i features har inte \"type\": \"Feature\"".into());
    }
    let props = match &feature.properties {
        Some(Value::Object(p)) => Some(p),
        _ => {
            messages.push("properties saknas eller är inte ett objekt".into());
            None
        }
    };
    let prop = |name: &str| props.and_then(|p| p.get(name));

    let code = match prop("kommunkod") {
        None => {
            messages.push("kommunkod saknas".into());
            None
        }
        Some(Value::String(c)) if is_kommunkod(c) => Some(c.clone()),
        Some(Value::String(c)) => {
            messages.push(format!("kommunkod \"{c}\" är inte fyra siffror"));
            None
        }
        Some(v) => {
            messages.push(format!("kommunkod är inte en textsträng ({v})"));
            None
        }
    };
    // Later messages name the kommun when its code is known.
    let who = code
        .as_deref()
        .map_or(String::new(), |c| format!("kommun {c}: "));

    let name = match prop("namn") {
        Some(Value::String(n)) if !n.trim().is_empty() => Some(n.clone()),
        Some(Value::String(_)) => {
            messages.push(format!("{who}namn är tomt"));
            None
        }
        Some(v) => {
            messages.push(format!("{who}namn är inte en textsträng ({v})"));
            None
        }
        None => {
            messages.push(format!("{who}namn saknas"));
            None
        }
    };

    let lan = match (prop("lan"), &code) {
        (None, _) => {
            messages.push(format!("{who}lan saknas"));
            None
        }
        (Some(Value::String(l)), Some(c)) if *l == c[..2] => Some(l.clone()),
        (Some(Value::String(l)), Some(c)) => {
            messages.push(format!(
                "{who}lan \"{l}\" är inte kommunkodens två första siffror ({})",
                &c[..2]
            ));
            None
        }
        (Some(Value::String(l)), None) => Some(l.clone()),
        (Some(v), _) => {
            messages.push(format!("{who}lan är inte en textsträng ({v})"));
            None
        }
    };

    if let (Some(id), Some(c)) = (&feature.id, &code)
        && id.as_str() != Some(c.as_str())
    {
        messages.push(format!("{who}id {id} är inte samma som kommunkoden"));
    }

    let shape = check_geometry(feature.geometry, &who, messages);
    Some((code?, name?, lan?, shape?))
}

/// Parse and validate a Polygon or MultiPolygon geometry.
fn check_geometry(
    geometry: RawGeometry,
    who: &str,
    messages: &mut Vec<String>,
) -> Option<MultiPolygon<f64>> {
    let (kind, coordinates) = match geometry {
        RawGeometry::Missing => {
            messages.push(format!("{who}geometri saknas"));
            return None;
        }
        RawGeometry::NotObject => {
            messages.push(format!("{who}geometry är inte ett objekt"));
            return None;
        }
        RawGeometry::Object { kind, coordinates } => (kind, coordinates),
    };
    let kind = match &kind {
        Some(Value::String(k)) => k.as_str(),
        Some(v) => {
            messages.push(format!(
                "{who}geometritypen {v} stöds inte (ska vara Polygon eller MultiPolygon)"
            ));
            return None;
        }
        None => {
            messages.push(format!(
                "{who}geometrin saknar type (ska vara Polygon eller MultiPolygon)"
            ));
            return None;
        }
    };
    let polygons: Vec<Coordinates> = match (kind, coordinates) {
        ("Polygon", Some(c @ Coordinates::List(_))) => vec![c],
        ("MultiPolygon", Some(Coordinates::List(parts))) => parts,
        ("Polygon" | "MultiPolygon", None) => {
            messages.push(format!("{who}geometrin saknar coordinates"));
            return None;
        }
        ("Polygon" | "MultiPolygon", Some(_)) => {
            messages.push(format!("{who}coordinates har fel form för en {kind}"));
            return None;
        }
        (other, _) => {
            messages.push(format!(
                "{who}geometritypen \"{other}\" stöds inte (ska vara Polygon eller MultiPolygon)"
            ));
            return None;
        }
    };
    if polygons.is_empty() {
        messages.push(format!("{who}geometrin är tom"));
        return None;
    }

    let multi = polygons.len() > 1;
    let before = messages.len();
    let mut parts = Vec::with_capacity(polygons.len());
    for (p, polygon) in polygons.into_iter().enumerate() {
        let rings = match polygon {
            Coordinates::List(rings) if !rings.is_empty() => rings,
            _ => {
                messages.push(format!("{who}del {} är inte en lista av ringar", p + 1));
                continue;
            }
        };
        let mut lines = Vec::with_capacity(rings.len());
        for (r, ring) in rings.into_iter().enumerate() {
            let ring_name = ring_name(multi, p, r);
            let Some(coords) = ring_positions(ring) else {
                messages.push(format!(
                    "{who}{ring_name} är inte en lista av positioner [lon, lat]"
                ));
                continue;
            };
            let outside: Vec<&Coord> = coords
                .iter()
                .filter(|c| !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y))
                .collect();
            if let Some(c) = outside.first() {
                messages.push(format!(
                    "{who}{ring_name} har {} koordinater utanför longitud −180..180 / latitud −90..90 \
                     eller som inte är ändliga tal, den första är [{}, {}]",
                    outside.len(),
                    c.x,
                    c.y
                ));
            }
            if coords.len() < 4 {
                messages.push(format!(
                    "{who}{ring_name} har {} positioner, minst 4 krävs",
                    coords.len()
                ));
            } else if coords.first() != coords.last() {
                messages.push(format!(
                    "{who}{ring_name} är inte sluten (första och sista positionen skiljer sig)"
                ));
            }
            lines.push(LineString(coords));
        }
        if !lines.is_empty() {
            let exterior = lines.remove(0);
            parts.push(Polygon::new(exterior, lines));
        }
    }
    if messages.len() > before {
        return None;
    }
    let shape = MultiPolygon(parts);
    let invalid = geometry::validate(&shape);
    if !invalid.is_empty() {
        for problem in invalid {
            messages.push(format!(
                "{who}ogiltig geometri: {}",
                invalid_message(&problem, multi)
            ));
        }
        return None;
    }
    Some(shape)
}

/// A Swedish description of why a shape is invalid; `multi` says whether to name the part.
pub(crate) fn invalid_message(problem: &Invalidity, multi: bool) -> String {
    let ring = |part: usize, ring: usize| ring_name(multi, part, ring);
    let at = format!("({:.6}, {:.6})", problem.at.x, problem.at.y);
    match &problem.kind {
        InvalidKind::NonFinite { part, ring: r } => {
            format!(
                "{} har en koordinat som inte är ett ändligt tal",
                ring(*part, *r)
            )
        }
        InvalidKind::TooFewPoints { part, ring: r } => {
            format!("{} har färre än tre olika positioner", ring(*part, *r))
        }
        InvalidKind::SelfIntersection { part, ring: r } => {
            format!("{} skär eller nuddar sig själv vid {at}", ring(*part, *r))
        }
        InvalidKind::RingsCross {
            part,
            ring_a,
            ring_b,
        } => format!(
            "{} och {} korsar varandra eller går längs varandra vid {at}",
            ring(*part, *ring_a),
            ring(*part, *ring_b)
        ),
        InvalidKind::HoleOutside { part, ring: r } => {
            format!("{} ligger utanför den yttre ringen", ring(*part, *r))
        }
        InvalidKind::HolesNested {
            part,
            ring_a,
            ring_b,
        } => format!(
            "{} och {} överlappar varandra",
            ring(*part, *ring_a),
            ring(*part, *ring_b)
        ),
        InvalidKind::PartsOverlap { part_a, part_b } => format!(
            "del {} och del {} överlappar varandra eller går längs varandra vid {at}",
            part_a + 1,
            part_b + 1
        ),
    }
}

/// "yttre ringen", "hål 2", with " i del 3" when the shape has several parts (all 1-based).
fn ring_name(multi: bool, part: usize, ring: usize) -> String {
    let name = if ring == 0 {
        "yttre ringen".to_string()
    } else {
        format!("hål {ring}")
    };
    if multi {
        format!("{name} i del {}", part + 1)
    } else {
        name
    }
}

/// The positions of a ring, or None when it is not a list of [lon, lat] positions.
fn ring_positions(ring: Coordinates) -> Option<Vec<Coord>> {
    match ring {
        Coordinates::Ring(coords) => Some(coords),
        Coordinates::List(items) => items
            .iter()
            .map(|item| match item {
                Coordinates::Position(c) => Some(*c),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The top level: each feature is kept as raw text first, for where it starts in the file.
// ---------------------------------------------------------------------------------------------

/// The FeatureCollection object. Both fields accept any JSON so that problems can be reported.
#[derive(serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
struct Top<'a> {
    #[serde(rename = "type", default, deserialize_with = "present")]
    kind: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    features: Option<Features<'a>>,
}

/// A key that is there, even with null as its value (plain `Option` would read null as absent).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

enum Features<'a> {
    List(Vec<&'a RawValue>),
    NotList,
}

impl<'de: 'a, 'a> Deserialize<'de> for Features<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FeaturesVisitor;
        impl<'de> Visitor<'de> for FeaturesVisitor {
            type Value = Features<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of features")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Features<'de>, A::Error> {
                let mut list = Vec::new();
                while let Some(raw) = seq.next_element::<&'de RawValue>()? {
                    list.push(raw);
                }
                Ok(Features::List(list))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Features<'de>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Features::NotList)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Features<'de>, E> {
                Ok(Features::NotList)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Features<'de>, E> {
                Ok(Features::NotList)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Features<'de>, E> {
                Ok(Features::NotList)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Features<'de>, E> {
                Ok(Features::NotList)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Features<'de>, E> {
                Ok(Features::NotList)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Features<'de>, E> {
                Ok(Features::NotList)
            }
        }
        deserializer.deserialize_any(FeaturesVisitor)
    }
}

/// Where the value of "features" starts, for the one problem that needs it.
#[derive(serde::Deserialize)]
struct FeaturesAt<'a> {
    #[serde(borrow)]
    features: &'a RawValue,
}

// ---------------------------------------------------------------------------------------------
// Reading features without serde_json::Value for coordinates (allocating a Value per number
// made parsing the national file several times slower).
// ---------------------------------------------------------------------------------------------

/// A feature object as read. Every field accepts any JSON so that problems can be reported.
struct RawFeature {
    kind: Option<Value>,
    id: Option<Value>,
    properties: Option<Value>,
    geometry: RawGeometry,
}

impl RawFeature {
    fn code(&self) -> Option<&str> {
        let code = self.properties.as_ref()?.get("kommunkod")?.as_str()?;
        is_kommunkod(code).then_some(code)
    }
}

enum RawGeometry {
    Missing,
    NotObject,
    Object {
        kind: Option<Value>,
        coordinates: Option<Coordinates>,
    },
}

/// GeoJSON coordinates: nested lists with [lon, lat] (optionally altitude) positions at the bottom.
enum Coordinates {
    Number(f64),
    Position(Coord),
    /// A list of positions only.
    Ring(Vec<Coord>),
    List(Vec<Coordinates>),
    Invalid,
}

impl<'de> Deserialize<'de> for RawFeature {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FeatureVisitor;
        impl<'de> Visitor<'de> for FeatureVisitor {
            type Value = RawFeature;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a GeoJSON Feature object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFeature, A::Error> {
                let mut feature = RawFeature {
                    kind: None,
                    id: None,
                    properties: None,
                    geometry: RawGeometry::Missing,
                };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "type" => feature.kind = Some(map.next_value()?),
                        "id" => feature.id = Some(map.next_value()?),
                        "properties" => feature.properties = Some(map.next_value()?),
                        "geometry" => feature.geometry = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(feature)
            }
        }
        deserializer.deserialize_map(FeatureVisitor)
    }
}

impl<'de> Deserialize<'de> for RawGeometry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct GeometryVisitor;
        impl<'de> Visitor<'de> for GeometryVisitor {
            type Value = RawGeometry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a GeoJSON geometry")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawGeometry, E> {
                Ok(RawGeometry::Missing)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawGeometry, E> {
                Ok(RawGeometry::NotObject)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawGeometry, E> {
                Ok(RawGeometry::NotObject)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawGeometry, E> {
                Ok(RawGeometry::NotObject)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawGeometry, E> {
                Ok(RawGeometry::NotObject)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<RawGeometry, E> {
                Ok(RawGeometry::NotObject)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawGeometry, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(RawGeometry::NotObject)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawGeometry, A::Error> {
                let (mut kind, mut coordinates) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "type" => kind = Some(map.next_value()?),
                        "coordinates" => coordinates = Some(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(RawGeometry::Object { kind, coordinates })
            }
        }
        deserializer.deserialize_any(GeometryVisitor)
    }
}

impl<'de> Deserialize<'de> for Coordinates {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CoordinatesVisitor;
        impl<'de> Visitor<'de> for CoordinatesVisitor {
            type Value = Coordinates;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("GeoJSON coordinates")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Coordinates, E> {
                Ok(Coordinates::Invalid)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Coordinates, E> {
                Ok(Coordinates::Invalid)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Coordinates, E> {
                Ok(Coordinates::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Coordinates, E> {
                Ok(Coordinates::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Coordinates, E> {
                Ok(Coordinates::Number(v))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Coordinates, E> {
                Ok(Coordinates::Invalid)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Coordinates, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Coordinates::Invalid)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coordinates, A::Error> {
                let Some(first) = seq.next_element::<Coordinates>()? else {
                    return Ok(Coordinates::List(Vec::new()));
                };
                match first {
                    Coordinates::Number(x) => {
                        // A position: two or three numbers (an altitude is allowed and ignored).
                        let (mut y, mut count, mut valid) = (0.0, 1, true);
                        while let Some(item) = seq.next_element::<Coordinates>()? {
                            match item {
                                Coordinates::Number(v) if count == 1 => y = v,
                                Coordinates::Number(_) => {}
                                _ => valid = false,
                            }
                            count += 1;
                        }
                        Ok(if valid && (count == 2 || count == 3) {
                            Coordinates::Position(Coord { x, y })
                        } else {
                            Coordinates::Invalid
                        })
                    }
                    Coordinates::Position(c) => {
                        // A ring: kept as plain coordinates, the common case by far.
                        let mut ring = vec![c];
                        let mut rest = Vec::new();
                        while let Some(item) = seq.next_element::<Coordinates>()? {
                            match item {
                                Coordinates::Position(c) if rest.is_empty() => ring.push(c),
                                other => rest.push(other),
                            }
                        }
                        if rest.is_empty() {
                            Ok(Coordinates::Ring(ring))
                        } else {
                            let mut items: Vec<Coordinates> =
                                ring.into_iter().map(Coordinates::Position).collect();
                            items.extend(rest);
                            Ok(Coordinates::List(items))
                        }
                    }
                    first => {
                        let mut items = vec![first];
                        while let Some(item) = seq.next_element::<Coordinates>()? {
                            items.push(item);
                        }
                        Ok(Coordinates::List(items))
                    }
                }
            }
        }
        deserializer.deserialize_any(CoordinatesVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Positions in the text
// ---------------------------------------------------------------------------------------------

/// Line and column of increasing byte offsets, same as `line_column` but without rescanning.
struct Cursor<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl Cursor<'_> {
    fn advance(&mut self, to: usize) -> (usize, usize) {
        let passed = &self.text[self.offset..to];
        match passed.rfind('\n') {
            Some(last) => {
                self.line += passed.bytes().filter(|&b| b == b'\n').count();
                self.column = passed[last + 1..].chars().count() + 1;
            }
            None => self.column += passed.chars().count(),
        }
        self.offset = to;
        (self.line, self.column)
    }
}

/// Byte offset of a raw value borrowed from `text`.
fn offset_in(text: &str, raw: &RawValue) -> usize {
    raw.get().as_ptr() as usize - text.as_ptr() as usize
}

/// serde_json counts columns in bytes; problems count characters.
fn json_error_position(text: &str, e: &serde_json::Error) -> (usize, usize) {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let mut offset = (line_start + e.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    line_column(text, offset)
}

fn json_error_message(e: &serde_json::Error) -> String {
    // serde_json's text is English; name the common cases in Swedish.
    let text = e.to_string();
    let detail = [
        ("EOF while parsing", "filen tar slut mitt i ett värde"),
        ("expected `,` or `}`", "väntade , eller }"),
        ("expected `,` or `]`", "väntade , eller ]"),
        ("expected `:`", "väntade :"),
        ("expected value", "väntade ett värde"),
        ("expected ident", "väntade true, false eller null"),
        ("trailing comma", "kommatecken före } eller ]"),
        ("trailing characters", "tecken efter JSON-värdet"),
        ("key must be a string", "nyckeln måste vara en textsträng"),
        ("control character", "kontrolltecken i en textsträng"),
        ("invalid escape", "ogiltig escape-sekvens i en textsträng"),
        ("invalid unicode", "ogiltig unicode-escape i en textsträng"),
        ("number out of range", "talet är för stort"),
        ("invalid number", "ogiltigt tal"),
        ("recursion limit", "för djup nästling"),
    ]
    .iter()
    .find(|(english, _)| text.starts_with(english))
    .map_or("syntaxfel", |(_, swedish)| swedish);
    format!("ogiltig JSON: {detail}")
}

/// The path of the project's own copy of a boundary file named as in the data sources (the tests
/// read nothing outside the project).
#[cfg(test)]
pub(crate) fn shipped(name: &str) -> String {
    let file = match name {
        "skaraborg_kommuner.geojson" => "kommuner.geojson",
        "sverige_kommuner.geojson" => "sverige/kommuner.geojson",
        other => other,
    };
    format!("{}/geodata/{file}", env!("CARGO_MANIFEST_DIR"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped_text(name: &str) -> String {
        let path = shipped(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    const SQUARE: &str = "[[[13.0,58.0],[13.1,58.0],[13.1,58.1],[13.0,58.1],[13.0,58.0]]]";

    fn feature(code: &str, name: &str, geometry: &str) -> String {
        format!(
            r#"{{"type":"Feature","id":"{code}","properties":{{"kommunkod":"{code}","namn":"{name}","lan":"{}"}},"geometry":{geometry}}}"#,
            &code[..2]
        )
    }

    fn polygon(coordinates: &str) -> String {
        format!(r#"{{"type":"Polygon","coordinates":{coordinates}}}"#)
    }

    /// A collection with the header on line 1 and each feature on its own line, indented by two
    /// spaces (so a feature on line n + 2 starts at column 3).
    fn collection(features: &[String]) -> String {
        format!(
            "{{\"type\": \"FeatureCollection\", \"features\": [\n  {}\n]}}\n",
            features.join(",\n  ")
        )
    }

    /// Parse a one-bad-feature collection (a valid feature first) and return its problems.
    fn problems_of(bad: String) -> Vec<Problem> {
        let text = collection(&[feature("1496", "Skövde", &polygon(SQUARE)), bad]);
        let (boundaries, problems, _) = parse_boundaries("test.geojson", &text);
        assert_eq!(
            boundaries.len(),
            1,
            "the good feature is still returned: {problems:?}"
        );
        assert_eq!(boundaries[0].code, "1496");
        assert_eq!(boundaries[0].line, 2);
        problems
    }

    /// Exactly one problem, on line 3 column 3, whose message contains every one of `words`.
    fn assert_one(problems: &[Problem], words: &[&str]) {
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = &problems[0];
        assert_eq!(
            (p.file.as_str(), p.line, p.column),
            ("test.geojson", 3, 3),
            "{p}"
        );
        for word in words {
            assert!(p.message.contains(word), "{:?} lacks {word:?}", p.message);
        }
    }

    #[test]
    fn shipped_files_parse_without_problems() {
        for (name, count) in [
            ("skaraborg_kommuner.geojson", 15),
            ("sverige_kommuner.geojson", 290),
        ] {
            let (boundaries, problems, _) = parse_boundaries(name, &shipped_text(name));
            assert!(problems.is_empty(), "{name}: {problems:?}");
            assert_eq!(boundaries.len(), count, "{name}");
            let skovde = boundaries
                .iter()
                .find(|b| b.code == "1496")
                .expect("Skövde");
            assert_eq!(
                (skovde.name.as_str(), skovde.lan.as_str()),
                ("Skövde", "14")
            );
            assert_eq!(skovde.shape.0.len(), 2, "Skövde has an exclave");
            let vertices: usize = skovde
                .shape
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(|r| r.0.len() - 1)
                .sum();
            assert_eq!(vertices, 963, "SOURCES.md vertex count");
        }
        let (all, _, _) = parse_boundaries("s", &shipped_text("sverige_kommuner.geojson"));
        assert!(
            all.windows(2).all(|w| w[0].code < w[1].code),
            "sorted by kommunkod"
        );
        assert_eq!(
            all.iter().find(|b| b.code == "0114").unwrap().name,
            "Upplands Väsby"
        );
    }

    /// The reformatted copies the service ships (one feature per line), when present.
    #[test]
    fn service_copies_parse_without_problems() {
        let dir = format!("{}/geodata", env!("CARGO_MANIFEST_DIR"));
        for (name, count) in [("kommuner.geojson", 15), ("sverige/kommuner.geojson", 290)] {
            let Ok(text) = std::fs::read_to_string(format!("{dir}/{name}")) else {
                continue;
            };
            let (boundaries, problems, _) = parse_boundaries(name, &text);
            assert!(problems.is_empty(), "{name}: {problems:?}");
            assert_eq!(boundaries.len(), count, "{name}");
            let mut lines: Vec<usize> = boundaries.iter().map(|b| b.line).collect();
            lines.dedup();
            assert_eq!(lines.len(), count, "{name}: one feature per line");
        }
    }

    #[test]
    fn invalid_json_uses_serde_position_in_characters() {
        // The stray quote after "Skövde" is character 36 but byte 37 of line 3.
        let text = "{\"type\": \"FeatureCollection\",\n \"features\": [\n  {\"properties\": {\"namn\": \"Skövde\" \"lan\": \"14\"}}\n]}";
        let (boundaries, problems, _) = parse_boundaries("test.geojson", text);
        assert!(boundaries.is_empty());
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (3, 36));
        assert_eq!(problems[0].message, "ogiltig JSON: väntade , eller }");

        let (_, problems, _) = parse_boundaries("t", "\u{feff}{}");
        assert_eq!((problems[0].line, problems[0].column), (1, 1));
        assert!(problems[0].message.contains("BOM"));

        let (_, problems, _) =
            parse_boundaries("t", "{\"type\": \"FeatureCollection\", \"features\": [");
        assert_eq!((problems[0].line, problems[0].column), (1, 43));
        assert!(problems[0].message.contains("ogiltig JSON"));
    }

    #[test]
    fn not_a_feature_collection() {
        let text = format!("\n  {}", feature("1496", "Skövde", &polygon(SQUARE)));
        let (_, problems, _) = parse_boundaries("test.geojson", &text);
        assert!(!problems.is_empty());
        assert!(
            problems.iter().all(|p| (p.line, p.column) == (2, 3)),
            "{problems:?}"
        );
        assert!(
            problems[0].message.contains("inte en FeatureCollection"),
            "{problems:?}"
        );

        let (_, problems, _) = parse_boundaries("t", "[1, 2]");
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (1, 1));
        assert!(
            problems[0]
                .message
                .contains("inte en GeoJSON FeatureCollection")
        );

        let (_, problems, _) =
            parse_boundaries("t", r#"{"type": "FeatureCollection", "features": {}}"#);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (1, 43));
        assert!(problems[0].message.contains("features är inte en lista"));
    }

    #[test]
    fn top_level_null_repeated_or_indented() {
        let one = |text: &str| {
            let (_, problems, _) = parse_boundaries("t", text);
            assert_eq!(problems.len(), 1, "{text}: {problems:?}");
            problems.into_iter().next().unwrap()
        };
        // null is a value, not a missing key.
        let p = one(r#"{"type": null, "features": []}"#);
        assert!(p.message.contains("type är null"), "{p}");
        let p = one(r#"{"type": "FeatureCollection", "features": null}"#);
        assert_eq!((p.line, p.column), (1, 43));
        assert!(p.message.contains("features är inte en lista"), "{p}");
        let p = one(r#"{"type": "FeatureCollection", "features": [], "features": []}"#);
        assert!(
            p.message
                .contains("nyckeln \"features\" finns mer än en gång"),
            "{p}"
        );
        // A syntax error after the repeated key is what is reported.
        let p = one(r#"{"features": [], "features": [] x}"#);
        assert!(p.message.starts_with("ogiltig JSON"), "{p}");
        let p = one("\n\n  [1]");
        assert_eq!((p.line, p.column), (3, 3));
        assert!(p.message.contains("inte ett objekt"), "{p}");
    }

    #[test]
    fn element_that_is_not_a_feature() {
        let problems = problems_of("[1, 2]".into());
        assert_one(&problems, &["inte ett objekt"]);
        let problems = problems_of(
            feature("1497", "Hjo", &polygon(SQUARE)).replace("\"Feature\"", "\"Fetaure\""),
        );
        assert_one(&problems, &["\"type\": \"Feature\""]);
    }

    #[test]
    fn kommunkod_missing_not_string_or_not_four_digits() {
        let good = feature("1497", "Hjo", &polygon(SQUARE));
        let cases = [
            (
                good.replace(r#""kommunkod":"1497","#, ""),
                "kommunkod saknas",
            ),
            (
                good.replace(r#""kommunkod":"1497""#, r#""kommunkod":1497"#),
                "kommunkod är inte en textsträng",
            ),
            (
                good.replace(r#""kommunkod":"1497""#, r#""kommunkod":"149""#),
                "kommunkod \"149\" är inte fyra siffror",
            ),
            (
                good.replace(r#""kommunkod":"1497""#, r#""kommunkod":"14a7""#),
                "kommunkod \"14a7\" är inte fyra siffror",
            ),
        ];
        for (bad, words) in cases {
            let text = bad.replace(r#""id":"1497","#, "");
            assert_one(&problems_of(text), &[words]);
        }
    }

    #[test]
    fn namn_missing() {
        let bad = feature("1497", "Hjo", &polygon(SQUARE)).replace(r#""namn":"Hjo","#, "");
        assert_one(&problems_of(bad), &["kommun 1497", "namn saknas"]);
        let bad = feature("1497", " ", &polygon(SQUARE));
        assert_one(&problems_of(bad), &["kommun 1497", "namn är tomt"]);
    }

    #[test]
    fn lan_must_be_the_first_two_digits() {
        let bad =
            feature("1497", "Hjo", &polygon(SQUARE)).replace(r#""lan":"14""#, r#""lan":"15""#);
        assert_one(
            &problems_of(bad),
            &["kommun 1497", "lan \"15\"", "två första siffror (14)"],
        );
        let bad = feature("1497", "Hjo", &polygon(SQUARE)).replace(r#","lan":"14""#, "");
        assert_one(&problems_of(bad), &["kommun 1497", "lan saknas"]);
    }

    #[test]
    fn id_must_match_kommunkod() {
        let bad =
            feature("1497", "Hjo", &polygon(SQUARE)).replace(r#""id":"1497""#, r#""id":"1498""#);
        assert_one(
            &problems_of(bad),
            &["kommun 1497", "id \"1498\" är inte samma som kommunkoden"],
        );
        // Without an id the feature is fine.
        let fine = feature("1497", "Hjo", &polygon(SQUARE)).replace(r#""id":"1497","#, "");
        let text = collection(&[fine]);
        let (boundaries, problems, _) = parse_boundaries("t", &text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(boundaries.len(), 1);
    }

    #[test]
    fn geometry_missing_or_wrong_type() {
        let good = feature("1497", "Hjo", &polygon(SQUARE));
        let cases = [
            (
                good.replace(&format!(r#","geometry":{}"#, polygon(SQUARE)), ""),
                "geometri saknas",
            ),
            (feature("1497", "Hjo", "null"), "geometri saknas"),
            (
                feature(
                    "1497",
                    "Hjo",
                    r#"{"type":"Point","coordinates":[13.0,58.0]}"#,
                ),
                "geometritypen \"Point\" stöds inte",
            ),
            (
                feature("1497", "Hjo", r#"{"type":"Polygon"}"#),
                "geometrin saknar coordinates",
            ),
            (
                feature(
                    "1497",
                    "Hjo",
                    r#"{"type":"Polygon","coordinates":[[13.0,58.0],[13.1,58.0]]}"#,
                ),
                "fel form",
            ),
        ];
        for (bad, words) in cases {
            assert_one(&problems_of(bad), &["kommun 1497", words]);
        }
    }

    #[test]
    fn ring_too_short_or_not_closed() {
        let short = polygon("[[[13.0,58.0],[13.1,58.0],[13.0,58.0]]]");
        assert_one(
            &problems_of(feature("1497", "Hjo", &short)),
            &["kommun 1497", "yttre ringen", "3 positioner, minst 4"],
        );
        let open = polygon("[[[13.0,58.0],[13.1,58.0],[13.1,58.1],[13.0,58.1]]]");
        assert_one(
            &problems_of(feature("1497", "Hjo", &open)),
            &["kommun 1497", "yttre ringen", "inte sluten"],
        );
        // In a MultiPolygon the part is named too.
        let multi = format!(
            r#"{{"type":"MultiPolygon","coordinates":[{SQUARE},[[[14.0,58.0],[14.1,58.0],[14.1,58.1],[14.0,58.1]]]]}}"#
        );
        assert_one(
            &problems_of(feature("1497", "Hjo", &multi)),
            &["yttre ringen i del 2 är inte sluten"],
        );
    }

    #[test]
    fn coordinates_out_of_range_or_not_finite() {
        let far = polygon("[[[13.0,58.0],[193.1,58.0],[13.1,58.1],[13.0,58.0]]]");
        assert_one(
            &problems_of(feature("1497", "Hjo", &far)),
            &["kommun 1497", "1 koordinater utanför", "[193.1, 58]"],
        );
        let polar = polygon("[[[13.0,58.0],[13.1,98.0],[13.1,58.1],[13.0,58.0]]]");
        assert_one(
            &problems_of(feature("1497", "Hjo", &polar)),
            &["utanför longitud −180..180 / latitud −90..90"],
        );
        // JSON has no NaN or infinity; a number too large for f64 is how a non-finite value arrives.
        let huge = polygon("[[[13.0,58.0],[1e999,58.0],[13.1,58.1],[13.0,58.0]]]");
        assert_one(
            &problems_of(feature("1497", "Hjo", &huge)),
            &["inte är ett ändligt flyttal"],
        );
    }

    #[test]
    fn invalid_geometry_is_reported() {
        let bowtie = polygon("[[[13.0,58.0],[13.1,58.1],[13.1,58.0],[13.0,58.1],[13.0,58.0]]]");
        assert_one(
            &problems_of(feature("1497", "Hjo", &bowtie)),
            &["kommun 1497", "ogiltig geometri", "yttre ringen skär"],
        );
        let hole_outside = polygon(
            "[[[13.0,58.0],[13.1,58.0],[13.1,58.1],[13.0,58.1],[13.0,58.0]],\
              [[14.0,58.0],[14.0,58.1],[14.1,58.1],[14.0,58.0]]]",
        );
        assert_one(
            &problems_of(feature("1497", "Hjo", &hole_outside)),
            &["hål 1 ligger utanför"],
        );
        let overlapping = format!(
            r#"{{"type":"MultiPolygon","coordinates":[{SQUARE},[[[13.05,58.05],[13.2,58.05],[13.2,58.2],[13.05,58.05]]]]}}"#
        );
        assert_one(
            &problems_of(feature("1497", "Hjo", &overlapping)),
            &["del 1 och del 2 överlappar"],
        );
    }

    #[test]
    fn duplicate_kommunkod_names_the_first_line() {
        let text = collection(&[
            feature("1496", "Skövde", &polygon(SQUARE)),
            feature("1497", "Hjo", &polygon(SQUARE)),
            feature("1496", "Skövde igen", &polygon(SQUARE)),
        ]);
        let (boundaries, problems, _) = parse_boundaries("test.geojson", &text);
        assert_eq!(
            boundaries
                .iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>(),
            ["Skövde", "Hjo"]
        );
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (4, 3));
        assert_eq!(
            problems[0].message,
            "kommun 1496: kommunkoden finns redan på rad 2"
        );
    }

    #[test]
    fn every_problem_is_reported_with_character_columns() {
        // Two bad features on one line after non-ASCII text: the second one's column counts
        // characters, and a feature with several problems reports all of them.
        let first =
            feature("1496", "Skövde", &polygon(SQUARE)).replace(r#""lan":"14""#, r#""lan":"15""#);
        let second = feature("1497", "Hjo", "null").replace(r#""namn":"Hjo","#, "");
        let text = format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{first}, {second}]}}");
        let (boundaries, problems, _) = parse_boundaries("test.geojson", &text);
        assert!(boundaries.is_empty());
        let positions: Vec<(usize, usize)> = problems.iter().map(|p| (p.line, p.column)).collect();
        let second_column = first.chars().count() + 3;
        assert_eq!(
            positions,
            [(2, 1), (2, second_column), (2, second_column)],
            "{problems:?}"
        );
        assert_eq!(
            line_column(&text, text.find(&second).unwrap()),
            (2, second_column)
        );
        assert!(problems[1].message.contains("namn saknas"));
        assert!(problems[2].message.contains("geometri saknas"));
    }

    #[test]
    fn altitude_is_ignored_and_cursor_matches_line_column() {
        let with_altitude = polygon(
            "[[[13.0,58.0,100],[13.1,58.0,100],[13.1,58.1,90],[13.0,58.1,0],[13.0,58.0,100]]]",
        );
        let text = collection(&[
            feature("1497", "Hjö", &with_altitude),
            feature("1496", "Skövde", &polygon(SQUARE)),
        ]);
        let (boundaries, problems, _) = parse_boundaries("t", &text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            boundaries[0].shape.0[0].exterior().0[1],
            Coord { x: 13.1, y: 58.0 }
        );
        let mut cursor = Cursor {
            text: &text,
            offset: 0,
            line: 1,
            column: 1,
        };
        for (i, _) in text.char_indices().step_by(7) {
            assert_eq!(cursor.advance(i), line_column(&text, i));
        }
    }
}
