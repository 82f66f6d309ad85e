//! The front end the service serves itself (no CDN): the files of `web/` and Leaflet from
//! `web/node_modules`, each read once at start, with a fingerprint for cache-busting URLs; and the
//! page options (base-map tiles, who may frame the pages).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::http::body::Body;

/// The assets a page may link: (URL name, path below the web directory, content type).
const ASSETS: &[(&str, &str, &str)] = &[
    ("style.css", "style.css", "text/css; charset=utf-8"),
    ("app.js", "app.js", "text/javascript; charset=utf-8"),
    ("favicon.svg", "favicon.svg", "image/svg+xml"),
    (
        "leaflet.js",
        "node_modules/leaflet/dist/leaflet.js",
        "text/javascript; charset=utf-8",
    ),
    (
        "leaflet.css",
        "node_modules/leaflet/dist/leaflet.css",
        "text/css; charset=utf-8",
    ),
];

/// Options of the pages, from the command line.
#[derive(Debug, Clone, Default)]
pub struct PageOptions {
    /// A base-map tile URL template (`https://…/{z}/{x}/{y}.png`); none: polygons only.
    pub tiles: Option<String>,
    /// Origins allowed to embed the pages in a frame, besides the service itself and the data
    /// set's `embed_origins`.
    pub frame_ancestors: Vec<String>,
    /// The address people reach the service at (`https://karta.example.se`), printed on pages.
    pub public_url: Option<String>,
    /// The same, when it was configured (`--public-url`): the base of OGC links, which then
    /// does not depend on a client's `Host` header (nor can a client mint cache keys with one).
    pub configured_url: Option<String>,
    /// The e-mail address of the open data's contact point in the DCAT catalogue
    /// (`--contact-email`); none: the catalogue names no contact point.
    pub contact_email: Option<String>,
}

pub struct Site {
    assets: HashMap<&'static str, Arc<Body>>,
    pub options: PageOptions,
}

impl Site {
    /// Reads the assets of `dir`. A missing file is logged and left out: the pages work without
    /// script (and without the map) and say so, rather than the service refusing to start.
    pub fn load(dir: &Path, options: PageOptions) -> Site {
        let mut assets = HashMap::new();
        for (name, path, content_type) in ASSETS {
            match std::fs::read(dir.join(path)) {
                Ok(bytes) => {
                    // Served for as long as the process runs: compressed as small as possible,
                    // once, by `warm`.
                    let body = Body::new(content_type, bytes).prebuilt();
                    assets.insert(*name, Arc::new(body));
                }
                Err(e) => tracing::warn!(
                    "{}: kan inte läsas ({e}); sidorna visas utan den (kör `make run`, som installerar Leaflet)",
                    dir.join(path).display()
                ),
            }
        }
        Site { assets, options }
    }

    /// Compresses every asset now (off the request path, after start).
    pub fn warm(&self) {
        for body in self.assets.values() {
            body.warm();
        }
    }

    /// Content-Security-Policy for every page: frames allowed from the service, the data set's
    /// `embed_origins` (the region's kommuner and bodies) and the configured origins.
    pub fn csp(&self, embed_origins: &[String]) -> String {
        csp(&self.options, embed_origins)
    }

    pub fn asset(&self, name: &str) -> Option<Arc<Body>> {
        self.assets.get(name).cloned()
    }

    /// `/assets/NAME?v=FINGERPRINT`, or None when the asset is missing.
    pub fn url(&self, name: &str) -> Option<String> {
        self.assets
            .get(name)
            .map(|b| format!("/assets/{name}?v={}", b.digest()))
    }

    /// Whether the map can be drawn: Leaflet and the page script are both there.
    pub fn has_map(&self) -> bool {
        self.assets.contains_key("leaflet.js") && self.assets.contains_key("app.js")
    }
}

fn csp(options: &PageOptions, embed_origins: &[String]) -> String {
    let tiles = options
        .tiles
        .as_deref()
        .and_then(origin)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    let ancestors: String = embed_origins
        .iter()
        .chain(&options.frame_ancestors)
        .map(|o| format!(" {o}"))
        .collect();
    format!(
        "default-src 'self'; img-src 'self' data:{tiles}; style-src 'self'; script-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'{ancestors}"
    )
}

/// `https://host:port` of a URL template.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    // Tile templates often use {s} for subdomains: allow them all.
    let host = host.replace("{s}.", "*.");
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_allows_the_tile_origin_and_the_named_frame_ancestors() {
        let c = csp(
            &PageOptions {
                tiles: Some("https://{s}.tile.example.org/{z}/{x}/{y}.png".into()),
                frame_ancestors: vec!["https://www.skovde.se".into()],
                public_url: None,
                configured_url: None,
                contact_email: None,
            },
            &["https://tibro.se".into()],
        );
        assert!(
            c.contains("img-src 'self' data: https://*.tile.example.org;"),
            "{c}"
        );
        assert!(
            c.ends_with("frame-ancestors 'self' https://tibro.se https://www.skovde.se"),
            "{c}"
        );
        let plain = csp(&PageOptions::default(), &[]);
        assert!(plain.contains("img-src 'self' data:;"), "{plain}");
        assert!(plain.ends_with("frame-ancestors 'self'"), "{plain}");
    }
}
