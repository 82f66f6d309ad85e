//! A response body serialised once: its bytes, a strong ETag, and gzip and brotli forms made at
//! most once (lazily, or up front by `warm`). Serving one is a lookup and a write: the headers
//! are made with the body, not per response.

use std::io::Write;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};

pub const JSON: &str = "application/json";
pub const GEOJSON: &str = "application/geo+json";
pub const TEXT: &str = "text/plain; charset=utf-8";

/// Bodies smaller than this are sent as they are: compressing them saves nothing.
const MIN_COMPRESS: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

pub struct Body {
    content_type: &'static str,
    identity: Bytes,
    /// Hex digest of the identity bytes; each encoding's ETag adds a suffix.
    digest: String,
    /// The ETag of each encoding (identity, gzip, brotli), as header values.
    etags: [HeaderValue; 3],
    /// Made once per snapshot and served many times: worth the smallest compression. A body
    /// built for one query is compressed fast instead, since a cache miss pays for it. Fixed per
    /// body, so the bytes behind an encoding's ETag never differ.
    prebuilt: bool,
    /// Headers that belong to this body in every response, 304s included (OGC's `Link`, a
    /// wider `Vary`); set after the standard ones, so they may replace them.
    extra: Vec<(header::HeaderName, HeaderValue)>,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
}

impl Body {
    pub fn new(content_type: &'static str, bytes: Vec<u8>) -> Body {
        let hash = Sha256::digest(&bytes);
        let digest: String = hash[..12].iter().map(|b| format!("{b:02x}")).collect();
        let etag = |suffix: &str| {
            HeaderValue::from_str(&format!("\"{digest}{suffix}\""))
                .expect("hex ETag is a valid header")
        };
        Body {
            content_type,
            identity: Bytes::from(bytes),
            etags: [etag(""), etag("-gzip"), etag("-br")],
            digest,
            prebuilt: false,
            extra: Vec::new(),
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
    }

    /// Marks a body made once per snapshot: compressed as small as possible (off the request
    /// path, by `warm`).
    pub fn prebuilt(self) -> Body {
        Body {
            prebuilt: true,
            ..self
        }
    }

    pub fn json(value: &impl serde::Serialize) -> Body {
        Body::new(
            JSON,
            serde_json::to_vec(value).expect("JSON values always serialise"),
        )
    }

    pub fn geojson(value: &impl serde::Serialize) -> Body {
        Body::new(
            GEOJSON,
            serde_json::to_vec(value).expect("JSON values always serialise"),
        )
    }

    /// A header sent with every response of this body.
    pub fn with_header(mut self, name: header::HeaderName, value: HeaderValue) -> Body {
        self.extra.push((name, value));
        self
    }

    /// The content's hex digest: the ETag without quotes or encoding suffix.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    pub fn bytes(&self) -> &Bytes {
        &self.identity
    }

    fn compressible(&self) -> bool {
        self.identity.len() >= MIN_COMPRESS
    }

    /// Makes both compressed forms now (called off the request path after a snapshot is built).
    pub fn warm(&self) {
        if self.compressible() {
            self.encoded(Encoding::Gzip);
            self.encoded(Encoding::Brotli);
        }
    }

    fn encoded(&self, encoding: Encoding) -> &Bytes {
        match encoding {
            Encoding::Identity => &self.identity,
            Encoding::Gzip => self.gzip.get_or_init(|| {
                // A body made once is compressed as small as it gets. One built for a query that
                // may never come again gets level 1: several times faster than 6, a little larger
                // (level 9 was 0.3 % smaller than 6 and eight times slower on OGC pages).
                let level = if self.prebuilt { 9 } else { 1 };
                let mut e =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
                e.write_all(&self.identity)
                    .expect("writing to a Vec cannot fail");
                Bytes::from(e.finish().expect("writing to a Vec cannot fail"))
            }),
            Encoding::Brotli => self.brotli.get_or_init(|| {
                // Quality 11 is slow on megabyte bodies; 9 is within a few per cent of it. A
                // body built for one request gets 3: quality 1 came out larger than gzip's
                // level 1 on pages (the lägesbild 21.3 kB against 12.6 kB, a kommun page 12.0
                // against 10.6), and browsers prefer brotli; 3 gives 8.9 and 7.8 kB in about
                // 0.3–0.5 ms (release build, December 2026).
                let quality = match (self.prebuilt, self.identity.len() > 256 * 1024) {
                    (false, _) => 3,
                    (true, true) => 9,
                    (true, false) => 11,
                };
                let mut out = Vec::new();
                let params = brotli::enc::BrotliEncoderParams {
                    quality,
                    lgwin: 22,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &self.identity[..], &mut out, &params)
                    .expect("compressing from memory cannot fail");
                Bytes::from(out)
            }),
        }
    }

    fn etag(&self, encoding: Encoding) -> &HeaderValue {
        &self.etags[encoding as usize]
    }

    /// Answers a GET or HEAD: negotiates the encoding, and answers 304 when the client's
    /// `If-None-Match` names this body (in any encoding: the content is the same).
    pub fn respond(&self, request: &HeaderMap, cache_control: &'static str) -> Response {
        self.respond_with_status(StatusCode::OK, request, cache_control)
    }

    pub fn respond_with_status(
        &self,
        status: StatusCode,
        request: &HeaderMap,
        cache_control: &'static str,
    ) -> Response {
        let encoding = if self.compressible() {
            negotiate(request)
        } else {
            Encoding::Identity
        };
        let not_modified = status.is_success() && self.matches(request);
        let mut r = if not_modified {
            let mut r = Response::new(axum::body::Body::empty());
            *r.status_mut() = StatusCode::NOT_MODIFIED;
            r
        } else {
            let mut r = Response::new(axum::body::Body::from(self.encoded(encoding).clone()));
            *r.status_mut() = status;
            r
        };
        // Written straight into the response's own map, with room for what the layers above
        // add (CORS, the pages' security headers), so it is neither copied nor grown.
        let headers = r.headers_mut();
        headers.reserve(12);
        headers.insert(header::ETAG, self.etag(encoding).clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        for (name, value) in &self.extra {
            headers.insert(name.clone(), value.clone());
        }
        if not_modified {
            return r;
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        match encoding {
            Encoding::Identity => {}
            Encoding::Gzip => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            Encoding::Brotli => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            }
        }
        r
    }

    fn matches(&self, request: &HeaderMap) -> bool {
        request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|list| {
                list.split(',').map(str::trim).any(|tag| {
                    let tag = tag.strip_prefix("W/").unwrap_or(tag);
                    tag == "*"
                        || tag
                            .strip_prefix('"')
                            .and_then(|t| t.strip_suffix('"'))
                            .is_some_and(|t| t.split('-').next() == Some(self.digest.as_str()))
                })
            })
    }
}

/// The items of an `Accept`-style header, lowercased, each with its `q` (1 when not given).
pub fn quality_list(value: &str) -> impl Iterator<Item = (String, f32)> + '_ {
    value.split(',').map(|item| {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        (name, q)
    })
}

/// The best encoding the client accepts: brotli, then gzip, then none. `q=0` refuses one.
pub fn negotiate(request: &HeaderMap) -> Encoding {
    let mut best = (Encoding::Identity, 0.0_f32);
    for value in request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for (name, q) in quality_list(value) {
            let encoding = match name.as_str() {
                "br" => Encoding::Brotli,
                "gzip" | "x-gzip" => Encoding::Gzip,
                _ => continue,
            };
            // Prefer higher q; on a tie prefer brotli (smaller).
            if q > 0.0 && (q > best.1 || (q == best.1 && encoding == Encoding::Brotli)) {
                best = (encoding, q);
            }
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn negotiates_by_quality() {
        assert_eq!(
            negotiate(&headers(&[(header::ACCEPT_ENCODING, "gzip, deflate, br")])),
            Encoding::Brotli
        );
        assert_eq!(
            negotiate(&headers(&[(header::ACCEPT_ENCODING, "gzip")])),
            Encoding::Gzip
        );
        assert_eq!(
            negotiate(&headers(&[(header::ACCEPT_ENCODING, "br;q=0.5, gzip")])),
            Encoding::Gzip
        );
        assert_eq!(
            negotiate(&headers(&[(header::ACCEPT_ENCODING, "br;q=0")])),
            Encoding::Identity
        );
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_forms_decompress_to_the_same_bytes() {
        let body = Body::new(JSON, "[1,2,3],".repeat(500).into_bytes());
        let gz = body.encoded(Encoding::Gzip).clone();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .unwrap();
        assert_eq!(out.as_bytes(), &body.identity[..]);
        let mut br = Vec::new();
        brotli::BrotliDecompress(&mut &body.encoded(Encoding::Brotli)[..], &mut br).unwrap();
        assert_eq!(br, &body.identity[..]);
        assert!(gz.len() < body.identity.len() / 10);
    }

    #[test]
    fn if_none_match_matches_any_encoding_of_the_same_content() {
        let body = Body::new(JSON, vec![b'x'; 1000]);
        let tag = body.etag(Encoding::Gzip).to_str().unwrap().to_string();
        assert!(body.matches(&headers(&[(header::IF_NONE_MATCH, &tag)])));
        assert!(body.matches(&headers(&[(
            header::IF_NONE_MATCH,
            &format!("\"other\", W/{tag}")
        )])));
        assert!(!body.matches(&headers(&[(header::IF_NONE_MATCH, "\"abc\"")])));
        let r = body.respond(&headers(&[(header::IF_NONE_MATCH, &tag)]), "no-cache");
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    }
}
