//! A signed-in person's requests to the admin pages through the router: the session made in the
//! store directly (sign-in has its own tests), forms posted with the session's CSRF token.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use skaraborgskartan::{AppState, router};
use tower::ServiceExt;

/// A signed-in person: the account, the Cookie header and the session's CSRF token.
pub struct Person {
    pub id: i64,
    pub cookie: String,
    pub csrf: String,
}

pub async fn person(state: &AppState, email: &str, role: &str, kommuner: &[&str]) -> Person {
    let id = super::account(state, email, role, kommuner).await;
    let (cookie, csrf) = super::session_for(state, id).await;
    Person { id, cookie, csrf }
}

/// An answer: status, Location (for a redirect), the body as text and as bytes (a download).
pub struct Page {
    pub status: StatusCode,
    pub location: String,
    pub text: String,
    pub bytes: Vec<u8>,
}

pub async fn send(state: &AppState, req: Request<Body>) -> Page {
    let res = router(state.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Page {
        status,
        location,
        text: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

pub async fn get(state: &AppState, uri: &str, who: &Person) -> Page {
    let req = Request::builder()
        .uri(uri)
        .header("cookie", &who.cookie)
        .body(Body::empty())
        .unwrap();
    send(state, req).await
}

/// Posts a form with the person's CSRF token.
pub async fn post(state: &AppState, uri: &str, who: &Person, pairs: &[(&str, &str)]) -> Page {
    let mut all = vec![("csrf", who.csrf.as_str())];
    all.extend_from_slice(pairs);
    post_form(state, uri, who, &all).await
}

/// Posts a form without a CSRF token (to see it refused).
pub async fn post_without_csrf(
    state: &AppState,
    uri: &str,
    who: &Person,
    pairs: &[(&str, &str)],
) -> Page {
    post_form(state, uri, who, pairs).await
}

async fn post_form(state: &AppState, uri: &str, who: &Person, pairs: &[(&str, &str)]) -> Page {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    let req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header("cookie", &who.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(s.finish()))
        .unwrap();
    send(state, req).await
}

/// The value of the first hidden input `name` in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let i = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no input {name} in:\n{html}"));
    let rest = &html[i + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}
