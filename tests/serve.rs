//! `djguide serve` as an author uses it: the real binary on a free loopback
//! port over a copy of a fixture site, spoken to with a minimal HTTP/1.1
//! client. Every server is killed by a drop guard and every wait has a
//! deadline, so a failure never hangs the suite.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Site;

/// Generous: the first build of a debug binary loads every grammar.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const EVENT_TIMEOUT: Duration = Duration::from_secs(20);
const IO_TIMEOUT: Duration = Duration::from_secs(20);

/// A running `djguide serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    stdout: Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_djguide"))
            .args(["serve", "--root", root, "--port", "0"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start djguide serve");
        let (sender, stdout) = mpsc::channel();
        let out = child.stdout.take().expect("piped stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().expect("piped stderr");
        let collected = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut text = collected.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        let mut server = Server {
            child,
            port: 0,
            stdout,
            stderr,
        };
        let line = server.wait_for_line("serving ", START_TIMEOUT);
        let url = line.trim_start_matches("serving ");
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
            "{line}"
        );
        server.port = url["http://127.0.0.1:".len()..url.len() - 1]
            .parse()
            .expect("port in the serving line");
        server
    }

    /// The next stdout line starting with `prefix`.
    fn wait_for_line(&self, prefix: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => {}
                Err(_) => panic!(
                    "no `{prefix}` line from djguide serve; stderr:\n{}",
                    self.stderr()
                ),
            }
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Response {
        request(self.port, "GET", path)
    }

    fn events(&self, since: u64) -> Events {
        Events::open(self.port, since)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// One request on its own connection, sent byte for byte as given (so
/// `/../x` reaches the server unnormalized).
fn request(port: u16, method: &str, path: &str) -> Response {
    request_as(port, method, path, &["Host: 127.0.0.1"])
}

/// [`request`] with these header lines instead of the usual `Host`.
fn request_as(port: u16, method: &str, path: &str, headers: &[&str]) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    let headers: String = headers.iter().map(|line| format!("{line}\r\n")).collect();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("complete response");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status code");
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// The live-reload stream, read on a thread: `(event, data)` pairs.
struct Events {
    events: Receiver<(String, String)>,
}

impl Events {
    fn open(port: u16, since: u64) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_read_timeout(Some(EVENT_TIMEOUT * 3)).unwrap();
        write!(
            stream,
            "GET /__djguide/events?since={since} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).expect("status line");
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("header line");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.contains("text/event-stream"), "{head}");
        let (sender, events) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in reader.lines().map_while(Result::ok) {
                if let Some(value) = line.strip_prefix("event: ") {
                    name = value.to_string();
                } else if let Some(value) = line.strip_prefix("data: ") {
                    data = value.to_string();
                } else if line.is_empty() && !name.is_empty() {
                    let event = (std::mem::take(&mut name), std::mem::take(&mut data));
                    if sender.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        Events { events }
    }

    /// The next event named `name`, as JSON; earlier events of other names are skipped.
    fn next(&self, name: &str, server: &Server) -> serde_json::Value {
        let deadline = Instant::now() + EVENT_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok((event, data)) if event == name => {
                    return serde_json::from_str(&data).expect("event data is JSON");
                }
                Ok(_) => {}
                Err(_) => panic!("no `{name}` event; server stderr:\n{}", server.stderr()),
            }
        }
    }

    fn nothing_within(&self, wait: Duration) -> bool {
        self.events.recv_timeout(wait).is_err()
    }
}

#[test]
fn edits_reload_pages_and_errors_show_until_fixed() {
    let site = Site::copy_of("basic");
    let server = Server::start(site.root());

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("<script data-djguide-build=\"1\">"));
    assert!(home.body.contains("/__djguide/events"));
    let page = server.get("/orm/lazy-querysets/");
    assert!(page.body.contains("Building a queryset costs nothing"));
    assert!(
        page.body
            .contains(&format!("http://127.0.0.1:{}/", server.port)),
        "the base URL is the server's"
    );

    let events = server.events(1);
    let question = "content/orm/lazy-querysets.md";
    let original = common::read(&site.path(question));
    site.write(
        question,
        &original.replace("costs nothing", "costs nothing at all"),
    );
    assert_eq!(events.next("reload", &server)["build"], 2);
    let page = server.get("/orm/lazy-querysets/");
    assert!(
        page.body.contains("costs nothing at all"),
        "new content is served"
    );
    assert!(page.body.contains("data-djguide-build=\"2\""));
    search_index_becomes_a_builds(&site, &server);

    // A broken edit: the error reaches the terminal and every page, and the
    // last good build is still served.
    site.write(
        question,
        &original.replace("level = \"junior\"", "level = \"junir\""),
    );
    let failure = events.next("build-error", &server);
    let text = failure["text"].as_str().expect("text");
    let headline = "content/orm/lazy-querysets.md:3:9: unknown level `junir`";
    assert!(text.contains(headline), "{text}");
    assert!(text.contains("did you mean `junior`?"), "{text}");
    // The terminal copy is read from a pipe by another thread: allow it a moment.
    let deadline = Instant::now() + EVENT_TIMEOUT;
    while !server.stderr().contains(headline) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(server.stderr().contains(headline), "{}", server.stderr());
    let page = server.get("/orm/lazy-querysets/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("costs nothing at all"));
    let opened_later = server.events(2);
    let shown = opened_later.next("build-error", &server);
    assert!(
        shown["text"]
            .as_str()
            .unwrap_or_default()
            .contains(headline)
    );

    // Fixing the file clears it: every page reloads.
    site.write(question, &original);
    assert_eq!(events.next("reload", &server)["build"], 3);
    assert_eq!(opened_later.next("reload", &server)["build"], 3);
    let page = server.get("/orm/lazy-querysets/");
    assert!(page.body.contains("costs nothing;"));
    assert!(!page.body.contains("costs nothing at all"));
    assert!(events.nothing_within(Duration::from_millis(300)));
}

/// Pages are served before the search index is made: within moments, every
/// file of the served index is the one `djguide build` writes for the site.
fn search_index_becomes_a_builds(site: &Site, server: &Server) {
    let output = tempfile::tempdir().unwrap();
    let base_url = format!("http://127.0.0.1:{}/", server.port);
    let out = output.path().join("public");
    let built = common::djguide(&[
        "build",
        "--root",
        site.root(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        &base_url,
    ]);
    assert!(built.success, "{}", built.stderr);
    let index: Vec<_> = common::tree(&out)
        .into_iter()
        // The index's data; `search/index.html` is the search page.
        .filter(|(path, _)| {
            path.starts_with("search") && path.extension().is_some_and(|e| e == "json")
        })
        .collect();
    assert!(!index.is_empty(), "the build writes a search index");
    let deadline = Instant::now() + EVENT_TIMEOUT;
    for (path, contents) in index {
        let url = format!("/{}", path.to_string_lossy().replace('\\', "/"));
        let expected = String::from_utf8(contents).unwrap();
        while server.get(&url).body != expected {
            assert!(Instant::now() < deadline, "{url} is not the built one");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn a_page_opened_before_a_rebuild_still_hears_of_it() {
    let site = Site::copy_of("basic");
    let server = Server::start(site.root());
    site.write(
        "content/views/cbv.md",
        &common::read(&site.path("content/views/cbv.md")).replace("returns a response", "replies"),
    );
    server.wait_for_line("content/views/cbv.md changed", EVENT_TIMEOUT);
    // The page came from build 1; its stream opens after build 2.
    let events = server.events(1);
    assert_eq!(events.next("reload", &server)["build"], 2);
}

#[test]
fn requests_for_other_host_names_are_refused() {
    let site = Site::copy_of("basic");
    let server = Server::start(site.root());
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("[::1]:{port}"),
    ] {
        let answer = request_as(port, "GET", "/", &[&format!("Host: {host}")]);
        assert_eq!(answer.status, 200, "Host: {host}");
    }
    // DNS rebinding: an attacker's name resolved to 127.0.0.1.
    for headers in [
        vec!["Host: evil.example".to_string()],
        vec![format!("Host: evil.example:{port}")],
        vec![format!("Host: 127.0.0.1.evil.example:{port}")],
        vec![
            format!("Host: localhost:{port}"),
            "Host: evil.example".to_string(),
        ],
    ] {
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        for path in ["/", "/orm/", "/__djguide/events?since=0", "/robots.txt"] {
            let answer = request_as(port, "GET", path, &headers);
            assert_eq!(answer.status, 421, "{headers:?} {path}");
            assert_eq!(
                answer.header("Content-Type"),
                Some("text/plain; charset=utf-8")
            );
            assert!(
                answer.body.starts_with("misdirected request"),
                "{}",
                answer.body
            );
            assert!(!answer.body.contains("<"), "{}", answer.body);
        }
    }
    let answer = request_as(port, "HEAD", "/", &["Host: evil.example"]);
    assert_eq!(answer.status, 421);
}

#[test]
fn only_files_of_the_site_are_served() {
    let site = Site::copy_of("basic");
    site.write("secret.txt", "do not serve me");
    let server = Server::start(site.root());
    let not_found = server.get("/no/such/page/");
    assert_eq!(not_found.status, 404);
    assert!(
        not_found.body.contains("Page not found"),
        "the site's 404 page"
    );
    for attempt in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/site.toml",
        "/..%2fsite.toml",
        "/%2e%2e%2fsite.toml",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/orm/../../site.toml",
        "/..\\site.toml",
        "/..%5csite.toml",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/index.html%00.txt",
        "/content/orm/n-plus-one.md",
        "/site.toml",
    ] {
        let response = server.get(attempt);
        assert_eq!(response.status, 404, "{attempt}");
        assert!(
            !response.body.contains("base_url") && !response.body.contains("do not serve"),
            "{attempt}"
        );
    }

    let folder = server.get("/orm");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("Location"), Some("/orm/"));
    assert_eq!(request(server.port, "POST", "/").status, 405);

    let home = server.get("/").body;
    let stylesheet = home
        .split('"')
        .find(|part| part.contains("/assets/style.") && part.ends_with(".css"))
        .expect("stylesheet link");
    let path = stylesheet.trim_start_matches(&format!("http://127.0.0.1:{}", server.port));
    for (path, content_type) in [
        (path, "text/css; charset=utf-8"),
        ("/atom.xml", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/favicon.ico", "image/x-icon"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.header("Content-Type"),
            Some(content_type),
            "{path}"
        );
        assert!(!response.body.contains("data-djguide-build"), "{path}");
    }
}

#[test]
fn a_first_build_that_fails_shows_the_errors_until_fixed() {
    let site = Site::copy_of("basic");
    let question = "content/views/cbv.md";
    let original = common::read(&site.path(question));
    site.write(
        question,
        &original.replace("level = \"junior\"", "levle = \"junior\""),
    );
    let server = Server::start(site.root());

    let page = server.get("/");
    assert_eq!(page.status, 500);
    assert!(
        page.body
            .contains("content/views/cbv.md:3:1: unknown key `levle`"),
        "{}",
        page.body
    );
    assert!(page.body.contains("data-djguide-build=\"0\""));
    let events = server.events(0);
    events.next("build-error", &server);

    site.write(question, &original);
    assert_eq!(events.next("reload", &server)["build"], 1);
    assert_eq!(server.get("/").status, 200);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = Site::copy_of("basic");
    let mut server = Server::start(site.root());
    let interrupted = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(interrupted.success());
    server.wait_for_line("stopped serving", EVENT_TIMEOUT);
    let deadline = Instant::now() + EVENT_TIMEOUT;
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}
