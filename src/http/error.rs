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
}

impl RequestError {
    /// A malformed value: 400.
    fn bad(code: &'static str, message: impl Into<String>) -> RequestError {
        RequestError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
        }
    }

    /// Something named that does not exist: 404.
    fn not_found(code: &'static str, message: impl Into<String>) -> RequestError {
        RequestError {
            status: StatusCode::NOT_FOUND,
            code,
            message: message.into(),
        }
    }
}

impl RequestError {
    /// No or an unknown API token: 401.
    pub fn unauthorized(message: impl Into<String>) -> RequestError {
        RequestError {
            status: StatusCode::UNAUTHORIZED,
            code: "inte_inloggad",
            message: message.into(),
        }
    }

    /// The person may not change this: 403.
    pub fn forbidden(message: impl Into<String>) -> RequestError {
        RequestError {
            status: StatusCode::FORBIDDEN,
            code: "behorighet_saknas",
            message: message.into(),
        }
    }

    /// The store cannot answer now: 503.
    pub fn unavailable(message: impl Into<String>) -> RequestError {
        RequestError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "lagret_svarar_inte",
            message: message.into(),
        }
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
        let body = json!({ "error": { "code": self.code, "message": self.message } });
        let mut r = (self.status, axum::Json(body)).into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}
