//! What every admin form shares: the values it shows (a record's, or what was typed, so an
//! error never loses anyone's work), its errors by field, the error summary at the top that
//! links to each field, and labelled inputs with their hint and error tied to them
//! (`aria-describedby`, `aria-invalid`). Browser validation is off (`novalidate`): every check is
//! the server's, in Swedish, next to the field.

use std::collections::BTreeMap;

use maud::{Markup, html};

/// A form's values by name; a name may repeat (a group of checkboxes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(Vec<(String, String)>);

impl Values {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Values {
        Values(pairs)
    }

    pub fn from_fields(fields: &BTreeMap<String, String>) -> Values {
        Values(fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    /// The first value of `name` ("" when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Replaces every value of `name` with one.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.retain(|(k, _)| k != name);
        self.0.push((name.to_string(), value.into()));
    }

    /// Adds a value of `name` (a group of checkboxes has several).
    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_string(), value.into()));
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

/// A form's errors: per field (by input name), and those that belong to no field.
#[derive(Debug, Clone, Default)]
pub struct Errors {
    fields: Vec<(String, String)>,
    general: Vec<String>,
}

impl Errors {
    pub fn field(&mut self, name: &str, message: impl Into<String>) {
        self.fields.push((name.to_string(), message.into()));
    }

    pub fn general(&mut self, message: impl Into<String>) {
        self.general.push(message.into());
    }

    /// The message for a field (several joined).
    pub fn of(&self, name: &str) -> Option<String> {
        let ms: Vec<&str> = self
            .fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, m)| m.as_str())
            .collect();
        (!ms.is_empty()).then(|| ms.join(" "))
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }

    pub fn count(&self) -> usize {
        self.fields.len() + self.general.len()
    }
}

/// The id of a field's input (for a group, of its first input): what labels and the error
/// summary point to.
pub fn id(name: &str) -> String {
    format!("f-{name}")
}

/// "Formuläret har 2 fel", each a link to its field, above the form. `label` names a field for
/// people.
pub fn summary(errors: &Errors, label: impl Fn(&str) -> String) -> Markup {
    if errors.is_empty() {
        return html! {};
    }
    let n = errors.count();
    html! {
        div.felsammanfattning #felsammanfattning role="alert" aria-labelledby="fel-rubrik" tabindex="-1" {
            h2 #fel-rubrik { "Ändringen sparades inte: " (if n == 1 { "1 fel".to_string() } else { format!("{n} fel") }) " att rätta" }
            ul {
                @for (name, message) in &errors.fields {
                    li { a href={ "#" (id(name)) } { (label(name)) ": " (message) } }
                }
                @for message in &errors.general {
                    li { (message) }
                }
            }
        }
    }
}

/// What a field is for people: its label, an optional hint, whether it must be filled in.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub hint: Option<&'a str>,
    pub required: bool,
}

impl Field<'_> {
    fn hint_id(&self) -> String {
        format!("{}-hjalp", id(self.name))
    }

    fn error_id(&self) -> String {
        format!("{}-fel", id(self.name))
    }

    /// `aria-describedby`: the hint and the error, when there are any.
    fn described_by(&self, error: bool) -> Option<String> {
        let ids: Vec<String> = [
            self.hint.map(|_| self.hint_id()),
            error.then(|| self.error_id()),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    fn label_text(&self) -> Markup {
        html! {
            (self.label)
            @if self.required { " " span.obligatoriskt { "(måste fyllas i)" } }
        }
    }

    fn notes(&self, error: Option<&str>) -> Markup {
        html! {
            @if let Some(h) = self.hint { span.hjalptext id=(self.hint_id()) { (h) } }
            @if let Some(e) = error { span.felmeddelande id=(self.error_id()) { span.dold { "Fel: " } (e) } }
        }
    }
}

/// A one-line input: `kind` is text, url, date or number.
pub fn input(f: &Field, kind: &str, values: &Values, errors: &Errors) -> Markup {
    suggested(f, kind, values, errors, &[])
}

/// [`input`] with values the browser suggests as the person types (a `datalist`: value and
/// what it is); any other value can still be typed.
pub fn suggested(
    f: &Field,
    kind: &str,
    values: &Values,
    errors: &Errors,
    suggestions: &[(&str, String)],
) -> Markup {
    let error = errors.of(f.name);
    let list = format!("{}-forslag", id(f.name));
    html! {
        div.falt.faltrad {
            label for=(id(f.name)) { (f.label_text()) }
            (f.notes(error.as_deref()))
            input type=(kind) id=(id(f.name)) name=(f.name) value=(values.get(f.name))
                inputmode=[(kind == "number").then_some("numeric")]
                list=[(!suggestions.is_empty()).then_some(&list)]
                required[f.required]
                aria-describedby=[f.described_by(error.is_some())]
                aria-invalid=[error.is_some().then_some("true")];
            @if !suggestions.is_empty() {
                datalist id=(list) {
                    @for (value, label) in suggestions { option value=(value) { (label) } }
                }
            }
        }
    }
}

pub fn area(f: &Field, values: &Values, errors: &Errors) -> Markup {
    let error = errors.of(f.name);
    html! {
        div.falt.faltrad {
            label for=(id(f.name)) { (f.label_text()) }
            (f.notes(error.as_deref()))
            textarea id=(id(f.name)) name=(f.name) rows="3"
                required[f.required]
                aria-describedby=[f.described_by(error.is_some())]
                aria-invalid=[error.is_some().then_some("true")] { (values.get(f.name)) }
        }
    }
}

/// One choice of several, as radio buttons in a fieldset (every option visible: a choice such
/// as okänt is as easy to make as any other).
pub fn radios(f: &Field, options: &[(&str, &str)], values: &Values, errors: &Errors) -> Markup {
    let error = errors.of(f.name);
    let chosen = values.get(f.name);
    html! {
        fieldset.falt.faltrad.val aria-describedby=[f.described_by(error.is_some())] {
            legend { (f.label_text()) }
            (f.notes(error.as_deref()))
            @for (i, (code, label)) in options.iter().enumerate() {
                @let oid = if i == 0 { id(f.name) } else { format!("{}-{code}", id(f.name)) };
                div.valrad {
                    input type="radio" id=(oid) name=(f.name) value=(code) checked[chosen == *code]
                        aria-invalid=[error.is_some().then_some("true")];
                    label for=(oid) { (label) }
                }
            }
        }
    }
}

/// Several choices (a programme's levels): checkboxes in a fieldset.
pub fn checkboxes(f: &Field, options: &[(&str, &str)], values: &Values, errors: &Errors) -> Markup {
    let error = errors.of(f.name);
    let chosen = values.all(f.name);
    html! {
        fieldset.falt.faltrad.val aria-describedby=[f.described_by(error.is_some())] {
            legend { (f.label_text()) }
            (f.notes(error.as_deref()))
            @for (i, (code, label)) in options.iter().enumerate() {
                @let oid = if i == 0 { id(f.name) } else { format!("{}-{code}", id(f.name)) };
                div.valrad {
                    input type="checkbox" id=(oid) name=(f.name) value=(code) checked[chosen.contains(code)]
                        aria-invalid=[error.is_some().then_some("true")];
                    label for=(oid) { (label) }
                }
            }
        }
    }
}

/// A yes/no fact as one checkbox (value `true`; unticked sends nothing).
pub fn flag(f: &Field, values: &Values, errors: &Errors) -> Markup {
    let error = errors.of(f.name);
    html! {
        div.falt.faltrad.valrad {
            input type="checkbox" id=(id(f.name)) name=(f.name) value="true" checked[values.get(f.name) == "true"]
                aria-describedby=[f.described_by(error.is_some())]
                aria-invalid=[error.is_some().then_some("true")];
            label for=(id(f.name)) { (f.label) }
            (f.notes(error.as_deref()))
        }
    }
}

/// One choice from a longer list, as a select.
pub fn select(f: &Field, options: &[(&str, &str)], values: &Values, errors: &Errors) -> Markup {
    let error = errors.of(f.name);
    let chosen = values.get(f.name);
    html! {
        div.falt.faltrad {
            label for=(id(f.name)) { (f.label_text()) }
            (f.notes(error.as_deref()))
            select id=(id(f.name)) name=(f.name)
                aria-describedby=[f.described_by(error.is_some())]
                aria-invalid=[error.is_some().then_some("true")] {
                @if !options.iter().any(|(c, _)| *c == chosen) { option value="" selected { "Välj…" } }
                @for (code, label) in options {
                    option value=(code) selected[chosen == *code] { (label) }
                }
            }
        }
    }
}

/// The hidden fields of every state-changing form: the session's CSRF token.
pub fn csrf(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// The version a form was made from (empty: a new record), checked when it is saved.
pub fn version(version: Option<i64>) -> Markup {
    html! { input type="hidden" name="version" value=(version.map(|v| v.to_string()).unwrap_or_default()); }
}

/// The `version` field of a posted form: None for a new record; an error for anything but a
/// number.
pub fn posted_version(values: &Values) -> Result<Option<i64>, String> {
    match values.get("version").trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| format!("formulärets version ”{v}” är inget tal")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_field_is_described_by_its_error_and_the_summary_links_to_it() {
        let mut errors = Errors::default();
        errors.field("source", "ange en källa");
        let f = Field {
            name: "source",
            label: "Källa",
            hint: Some("En webbadress eller ett dokuments namn"),
            required: true,
        };
        let values = Values::from_pairs(vec![("source".into(), "<b>".into())]);
        let html = input(&f, "text", &values, &errors).into_string();
        assert!(
            html.contains(r#"aria-describedby="f-source-hjalp f-source-fel""#),
            "{html}"
        );
        assert!(html.contains(r#"aria-invalid="true""#), "{html}");
        assert!(html.contains(r#"value="&lt;b&gt;""#), "{html}");
        let s = summary(&errors, |_| "Källa".into()).into_string();
        assert!(
            s.contains(r##"href="#f-source""##) && s.contains("Källa: ange en källa"),
            "{s}"
        );
        assert_eq!(posted_version(&values), Ok(None));
        let bad = Values::from_pairs(vec![("version".into(), "x".into())]);
        assert!(posted_version(&bad).is_err());
    }
}
