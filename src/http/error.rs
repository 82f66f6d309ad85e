//! The one error of a request: a 4xx status, a code and a Swedish message that names the
//! parameter and the problem. The API and exports send it as `{"error": {"code", "message"}}`,
//! OGC in its exception shape, pages as an HTML page. Call sites use the named constructors, so
//! each kind of problem has one code and one wording.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct RequestError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// More members of the error object (the write API's `fields`, `current`), after `code` and
    /// `message`.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl RequestError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> RequestError {
        RequestError {
            status,
            code,
            message: message.into(),
            extra: serde_json::Map::new(),
        }
    }

    /// A malformed value: 400.
    fn bad(code: &'static str, message: impl Into<String>) -> RequestError {
        RequestError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// Something named that does not exist: 404.
    fn not_found(code: &'static str, message: impl Into<String>) -> RequestError {
        RequestError::new(StatusCode::NOT_FOUND, code, message)
    }

    /// The same error with one more member in its error object.
    pub fn with(mut self, name: &str, value: serde_json::Value) -> RequestError {
        self.extra.insert(name.to_string(), value);
        self
    }
}

impl RequestError {
    /// No or an unknown API token: 401.
    pub fn unauthorized(message: impl Into<String>) -> RequestError {
        RequestError::new(StatusCode::UNAUTHORIZED, "inte_inloggad", message)
    }

    /// The person may not change this: 403.
    pub fn forbidden(message: impl Into<String>) -> RequestError {
        RequestError::new(StatusCode::FORBIDDEN, "behorighet_saknas", message)
    }

    /// The store cannot answer now: 503.
    pub fn unavailable(message: impl Into<String>) -> RequestError {
        RequestError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "lagret_svarar_inte",
            message,
        )
    }
}

/// The write API's refusals (`/api/v1/admin`).
impl RequestError {
    /// A request body that is not the JSON the route takes: 400. `message` says where.
    pub fn bad_body(message: impl Into<String>) -> RequestError {
        RequestError::bad("ogiltig_json", message)
    }

    /// A body sent as something other than JSON: 415.
    pub fn not_json() -> RequestError {
        RequestError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "inte_json",
            "Skicka kroppen som JSON: Content-Type: application/json.",
        )
    }

    /// A body over the limit: 413.
    pub fn too_large(limit: usize) -> RequestError {
        RequestError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "for_stor",
            format!(
                "Kroppen är större än {} KiB: dela upp ändringen.",
                limit / 1024
            ),
        )
    }

    /// A method the address does not take: 405.
    pub fn wrong_method(message: impl Into<String>) -> RequestError {
        RequestError::new(StatusCode::METHOD_NOT_ALLOWED, "fel_metod", message)
    }

    /// A change without the version it is based on (`If-Match`): 428.
    pub fn version_required(message: impl Into<String>) -> RequestError {
        RequestError::new(StatusCode::PRECONDITION_REQUIRED, "version_saknas", message)
    }

    /// A change based on a version that is no longer the record's: 412. The caller adds the
    /// record as it is now.
    pub fn stale_version(message: impl Into<String>) -> RequestError {
        RequestError::new(StatusCode::PRECONDITION_FAILED, "versionskonflikt", message)
    }

    /// A change that meets a later one (a revert of fields changed since): 409.
    pub fn conflict(message: impl Into<String>) -> RequestError {
        RequestError::new(StatusCode::CONFLICT, "konflikt", message)
    }

    /// A change of an answer in a closed (frozen) round: 409.
    pub fn closed_round(message: impl Into<String>) -> RequestError {
        RequestError::new(StatusCode::CONFLICT, "omgang_stangd", message)
    }

    /// A change the data's rules refuse: 422. The caller adds the `fields` it names.
    pub fn refused_change(message: impl Into<String>) -> RequestError {
        RequestError::new(StatusCode::UNPROCESSABLE_ENTITY, "ogiltig_andring", message)
    }

    pub fn unknown_kind(name: &str, kinds: &[&str]) -> RequestError {
        RequestError::not_found(
            "okand_posttyp",
            format!("Posttypen ”{name}” finns inte {}.", known(kinds)),
        )
    }

    /// A record, or a logged change, that does not exist; `message` names it.
    pub fn unknown_record(message: impl Into<String>) -> RequestError {
        RequestError::not_found("okand_post", message)
    }
}

/// `name: ` before a message about a parameter, or nothing for a path segment.
fn prefix(param: Option<&str>) -> String {
    param.map(|n| format!("{n}: ")).unwrap_or_default()
}

/// "(finns: a, b, c)".
fn known(keys: &[&str]) -> String {
    format!("(finns: {})", keys.join(", "))
}

impl RequestError {
    /// A value that is not what the parameter takes; `message` names the parameter.
    pub fn invalid(message: impl Into<String>) -> RequestError {
        RequestError::bad("ogiltig_parameter", message)
    }

    /// A required parameter that is missing; `message` names it and gives an example.
    pub fn missing(message: impl Into<String>) -> RequestError {
        RequestError::bad("parameter_saknas", message)
    }

    pub fn unknown_parameter(name: &str, allowed: &[&str]) -> RequestError {
        let allowed = if allowed.is_empty() {
            "inga".to_string()
        } else {
            allowed.join(", ")
        };
        RequestError::bad(
            "okand_parameter",
            format!("Okänd parameter ”{name}”. Tillåtna parametrar här: {allowed}."),
        )
    }

    pub fn repeated_parameter(name: &str) -> RequestError {
        RequestError::bad(
            "dubbel_parameter",
            format!("Parametern ”{name}” får bara anges en gång."),
        )
    }

    /// A kommunkod that is no kommun of the region; `message` says why (outside the region, or
    /// no kommun at all).
    pub fn unknown_kommun(message: String) -> RequestError {
        RequestError::not_found("okand_kommun", message)
    }

    pub fn unknown_programme(param: Option<&str>, slug: &str) -> RequestError {
        let what = if param.is_some() {
            "programmet"
        } else {
            "Programmet"
        };
        RequestError::not_found(
            "okant_program",
            format!(
                "{}{what} ”{slug}” finns inte i katalogen (se /api/v1/programmes).",
                prefix(param)
            ),
        )
    }

    pub fn unknown_round(param: &str, id: &str, rounds: &[&str]) -> RequestError {
        RequestError::not_found(
            "okand_omgang",
            format!("{param}: omgången ”{id}” finns inte {}.", known(rounds)),
        )
    }

    pub fn unknown_document(param: &str, slug: &str, documents: &[&str]) -> RequestError {
        RequestError::not_found(
            "okant_dokument",
            format!(
                "{param}: dokumentet ”{slug}” finns inte {}.",
                known(documents)
            ),
        )
    }

    pub fn unknown_layer(message: &str) -> RequestError {
        RequestError::not_found("okant_lager", format!("Lagret finns inte: {message}."))
    }

    pub fn unknown_export(name: &str, exports: &[&str]) -> RequestError {
        RequestError::not_found(
            "okand_export",
            format!("Exporten ”{name}” finns inte {}.", known(exports)),
        )
    }

    pub fn unknown_region(region: &str, served: &str) -> RequestError {
        RequestError::not_found(
            "okand_region",
            format!(
                "region: ”{region}” serveras inte här (den här tjänsten visar regionen ”{served}”)."
            ),
        )
    }

    pub fn outside_region(lat: f64, lon: f64, region: &str) -> RequestError {
        RequestError::not_found(
            "utanfor_regionen",
            format!("Punkten lat={lat}, lon={lon} ligger inte i någon kommun i regionen {region}."),
        )
    }

    pub fn unknown_file(name: &str) -> RequestError {
        RequestError::not_found("okand_fil", format!("Filen ”{name}” finns inte."))
    }

    /// A path no route serves.
    pub fn unknown_path() -> RequestError {
        RequestError::not_found(
            "okand_adress",
            "Adressen finns inte. API:t beskrivs på /api/v1/region och i README.",
        )
    }
}

impl IntoResponse for RequestError {
    fn into_response(self) -> Response {
        let mut error = serde_json::Map::new();
        error.insert("code".into(), self.code.into());
        error.insert("message".into(), self.message.into());
        error.extend(self.extra);
        let body = json!({ "error": error });
        let mut r = (self.status, axum::Json(body)).into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}
