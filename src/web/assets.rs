//! The site's stylesheet, script and icon, compiled into the binary: the pages work offline and
//! behind any proxy, with no CDN or font service. Their names carry a digest of their content,
//! so browsers may keep them for a year and still see a new release at once.

use std::sync::LazyLock;

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    body: &'static [u8],
    content_type: &'static str,
}

const ASSETS: [Asset; 3] = [
    Asset {
        name: "site.css",
        body: include_bytes!("../../assets/web/site.css"),
        content_type: "text/css; charset=utf-8",
    },
    Asset {
        name: "site.js",
        body: include_bytes!("../../assets/web/site.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        name: "icon.svg",
        body: include_bytes!("../../assets/web/icon.svg"),
        content_type: "image/svg+xml",
    },
];

/// `name` → `/assets/<digest>/name`, computed once.
static PATHS: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let digest = hex::encode(&Sha256::digest(a.body)[..6]);
            (a.name, format!("/assets/{digest}/{}", a.name))
        })
        .collect()
});

/// The address a page links `name` by.
pub fn path(name: &str) -> &'static str {
    PATHS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, p)| p.as_str())
        .unwrap_or("/assets/missing")
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/assets/{digest}/{name}").get(serve))
        .service(web::resource("/favicon.ico").get(favicon));
}

/// Where clients that read no page (feed readers, bookmarks) look for the site's icon.
async fn favicon() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((LOCATION, path("icon.svg")))
        .finish()
}

async fn serve(path: web::Path<(String, String)>) -> HttpResponse {
    let (_, name) = path.into_inner();
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, asset.content_type))
            .insert_header((CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .body(asset.body),
        None => HttpResponse::NotFound().finish(),
    }
}
