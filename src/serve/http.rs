//! Answering requests from the latest good build held in memory: files by
//! their tree key with their content type, folders redirected to their
//! slash form, the site's 404 page for everything else, and the live-reload
//! script added to every HTML response.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use tiny_http::{Header, Request, Response, StatusCode};

use super::events::{self, Hub};
use super::host::AllowedHosts;
use super::paths::{self, Target};
use crate::html::escape;

/// Where the page script listens for rebuilds.
pub const EVENTS_PATH: &str = "/__djguide/events";

const LIVERELOAD_JS: &str = include_str!("livereload.js");

/// One complete build, as served.
pub struct Snapshot {
    /// Every file but the search index's.
    pub pages: Arc<BTreeMap<String, Vec<u8>>>,
    /// The search index's files: for a moment after a rebuild, the previous
    /// build's (whole and self-consistent) until the new index is made.
    pub search: Arc<BTreeMap<String, Vec<u8>>>,
    /// Counts successful builds from 1; pages carry it so they know when to reload.
    pub build: u64,
}

impl Snapshot {
    fn get_key_value(&self, path: &str) -> Option<(&String, &Vec<u8>)> {
        self.pages
            .get_key_value(path)
            .or_else(|| self.search.get_key_value(path))
    }

    fn contains_key(&self, path: &str) -> bool {
        self.get_key_value(path).is_some()
    }
}

/// What the request handlers share with the rebuild loop.
#[derive(Default)]
pub struct Shared {
    /// The latest good build, replaced whole after each successful rebuild,
    /// so a request sees one build or the next, never a mix. `None` until a
    /// first build succeeds.
    current: RwLock<Option<Arc<Snapshot>>>,
    pub hub: Hub,
}

impl Shared {
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        // A poisoned lock still holds a whole snapshot: it is only ever swapped.
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Serve `snapshot` from now on and reload every open page.
    /// Serve `snapshot` and tell open pages to reload.
    pub fn publish(&self, snapshot: Snapshot) {
        let build = snapshot.build;
        self.replace(snapshot);
        self.hub.reloaded(build);
    }

    /// Serve `snapshot` without a reload: it completes the build already
    /// announced (its search index), and pages fetch that on demand.
    pub fn replace(&self, snapshot: Snapshot) {
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(snapshot));
    }
}

/// Answer one request. Event streams are handed to a thread of their own.
pub fn handle(request: Request, shared: &Shared, hosts: AllowedHosts) {
    let host_values = request
        .headers()
        .iter()
        .filter(|header| header.field.equiv("Host"))
        .map(|header| header.value.as_str());
    if !hosts.allows(host_values) {
        // 421: this server is not the one the name in `Host` is for.
        let response = Response::from_string(
            "misdirected request: djguide serve answers only to localhost and the address it listens on\n",
        )
        .with_status_code(421)
        .with_header(fixed_header("Content-Type", "text/plain; charset=utf-8"));
        let _ = request.respond(response);
        return;
    }
    let method = request.method().as_str();
    if method != "GET" && method != "HEAD" {
        let response = Response::from_string("method not allowed")
            .with_status_code(405)
            .with_header(fixed_header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    let url = request.url().to_string();
    if url == EVENTS_PATH || url.starts_with(&format!("{EVENTS_PATH}?")) {
        let since = url
            .split_once("since=")
            .and_then(|(_, value)| value.split('&').next()?.parse().ok())
            .unwrap_or(0);
        let receiver = shared.hub.subscribe(since);
        std::thread::spawn(move || events::stream(request, receiver));
        return;
    }
    let response = match shared.current() {
        Some(snapshot) => respond_from(&snapshot, &url),
        None => failure_page(shared.hub.failure().unwrap_or_default()),
    };
    // The client may have gone away; nothing to do about it.
    let _ = request.respond(response);
}

type Answer = Response<std::io::Cursor<Vec<u8>>>;

fn respond_from(snapshot: &Snapshot, url: &str) -> Answer {
    let found = match paths::resolve(url) {
        Target::Index(key) => snapshot.get_key_value(&key),
        Target::Path {
            file,
            index,
            location,
        } => match snapshot.get_key_value(&file) {
            Some(found) => Some(found),
            // A location that is not plain ASCII cannot be a header; such a
            // path gets the 404 page instead of a redirect.
            None if snapshot.contains_key(&index) => {
                if let Ok(header) = Header::from_bytes(&b"Location"[..], location.as_bytes()) {
                    return Response::from_string(format!("moved to {location}"))
                        .with_status_code(301)
                        .with_header(header);
                }
                None
            }
            None => None,
        },
        Target::Refused => None,
    };
    match found {
        Some((key, contents)) => file_response(key, contents, snapshot.build, 200),
        None => match snapshot.pages.get("404.html") {
            Some(page) => file_response("404.html", page, snapshot.build, 404),
            None => Response::from_string("not found").with_status_code(404),
        },
    }
}

fn file_response(key: &str, contents: &[u8], build: u64, status: u16) -> Answer {
    let content_type = paths::content_type(key);
    let body = if content_type.starts_with("text/html") {
        inject(contents, build)
    } else {
        contents.to_vec()
    };
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(fixed_header("Content-Type", content_type))
        // Always ask again: the next rebuild may change any file.
        .with_header(fixed_header("Cache-Control", "no-cache"))
}

/// The page shown while no build has succeeded yet: the diagnostics, and the
/// script that reloads it once the files are fixed.
fn failure_page(text: String) -> Answer {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Build failed</title></head>\n<body>\n<h1>Build failed</h1>\n\
         <p>Fix the files below and save: this page reloads by itself.</p>\n\
         <pre>{}</pre>\n</body></html>\n",
        escape(&text)
    );
    Response::from_data(inject(page.as_bytes(), 0))
        .with_status_code(500)
        .with_header(fixed_header("Content-Type", "text/html; charset=utf-8"))
        .with_header(fixed_header("Cache-Control", "no-store"))
}

/// Add the live-reload script before the last `</body>`, or at the end.
fn inject(html: &[u8], build: u64) -> Vec<u8> {
    let script = format!("<script data-djguide-build=\"{build}\">{LIVERELOAD_JS}</script>\n");
    let at = html
        .windows(7)
        .rposition(|window| window.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A header spelt in this file: ASCII constants, so building it cannot fail.
fn fixed_header(name: &'static str, value: &'static str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("constant ASCII header")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = inject(b"<body><p>x</p></BODY></html>", 7);
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("<body><p>x</p><script data-djguide-build=\"7\">"));
        assert!(out.ends_with("</script>\n</BODY></html>"));
        let bare = String::from_utf8(inject(b"<p>no body</p>", 1)).unwrap();
        assert!(bare.starts_with("<p>no body</p><script"));
    }

    #[test]
    fn the_script_cannot_end_its_element_early() {
        assert!(!LIVERELOAD_JS.contains("</"));
    }

    fn snapshot() -> Snapshot {
        let mut tree = BTreeMap::new();
        tree.insert("index.html".to_string(), b"<body>home</body>".to_vec());
        tree.insert("orm/index.html".to_string(), b"<body>orm</body>".to_vec());
        tree.insert("404.html".to_string(), b"<body>missing</body>".to_vec());
        tree.insert("robots.txt".to_string(), b"User-agent: *".to_vec());
        let mut search = BTreeMap::new();
        search.insert("search/meta.json".to_string(), b"{}".to_vec());
        Snapshot {
            pages: Arc::new(tree),
            search: Arc::new(search),
            build: 1,
        }
    }

    fn answer(url: &str) -> (u16, String) {
        let response = respond_from(&snapshot(), url);
        let status = response.status_code().0;
        let mut body = String::new();
        std::io::Read::read_to_string(&mut response.into_reader(), &mut body).unwrap();
        (status, body)
    }

    #[test]
    fn files_folders_redirects_and_the_404_page() {
        assert_eq!(answer("/robots.txt"), (200, "User-agent: *".into()));
        let (status, body) = answer("/orm/");
        assert_eq!(status, 200);
        assert!(body.starts_with("<body>orm<script"));
        assert_eq!(answer("/orm").0, 301);
        let (status, body) = answer("/nope/");
        assert_eq!(status, 404);
        assert!(body.starts_with("<body>missing<script"));
        assert_eq!(answer("/../index.html").0, 404);
        assert_eq!(answer("/search/meta.json"), (200, "{}".into()));
    }
}
