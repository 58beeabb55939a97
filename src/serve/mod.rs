//! `djguide serve`: build the site into memory, serve it on a local port,
//! rebuild incrementally when a source changes and reload open pages.
//!
//! Threads: this one runs the rebuild loop; a few workers answer requests
//! from the latest good build ([`http`]); each live-reload stream has its
//! own ([`events`]); the file watcher ([`watch`]) and the Ctrl-C handler only
//! send messages to the rebuild loop.

mod events;
mod host;
mod http;
mod memo;
mod paths;
mod rebuild;
mod watch;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;

use crate::build::{BuildFailure, BuildOptions, StagedBuild};
use crate::diagnostics::{Diagnostics, Style, escape_control};
use crate::output;
use http::{Shared, Snapshot};
use rebuild::{Rebuilder, Rebuilt};
use watch::{Change, Watcher};

/// Threads answering page requests; event streams do not occupy them.
const WORKERS: usize = 4;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub include_drafts: bool,
    /// The highlight cache's folder ([`BuildOptions::cache_dir`]).
    pub cache_dir: Option<PathBuf>,
}

/// Why the server could not start. Content errors never stop it.
#[derive(Debug)]
pub struct ServeError(pub String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

enum Message {
    Changed(Change),
    Stop,
}

/// Serve until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = std::path::absolute(&options.root)
        .map_err(|error| ServeError(format!("{}: {error}", options.root.display())))?;
    let server = tiny_http::Server::http((options.bind, options.port)).map_err(|error| {
        ServeError(format!(
            "cannot listen on {}:{}: {error} (try another --port, or --port 0 for any free one)",
            options.bind, options.port
        ))
    })?;
    let address = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| ServeError("the server has no IP address".into()))?;
    let base_url = format!("http://{address}/");
    let server = Arc::new(server);

    let (sender, messages) = mpsc::channel();
    let stop = sender.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    })
    .map_err(|error| ServeError(format!("cannot handle Ctrl-C: {error}")))?;

    let mut loop_state = RebuildLoop {
        rebuilder: Rebuilder::new(BuildOptions {
            root: root.clone(),
            base_url: Some(base_url.clone()),
            include_drafts: options.include_drafts,
            cache_dir: options.cache_dir.clone(),
            ..BuildOptions::default()
        }),
        shared: Arc::new(Shared::default()),
        builds: 0,
        root: root.clone(),
        output: root.join("public"),
        search: Arc::default(),
    };
    loop_state.rebuild(&[]);

    let mut watcher = Watcher::start(&root, &loop_state.output, move |change| {
        let _ = sender.send(Message::Changed(change));
    })
    .map_err(|error| ServeError(format!("cannot watch {}: {error}", root.display())))?;

    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&loop_state.shared);
        let hosts = host::AllowedHosts::new(options.bind);
        // Workers live until the process exits, after the rebuild loop ends.
        std::thread::spawn(move || {
            loop {
                match server.recv() {
                    Ok(request) => http::handle(request, &shared, hosts),
                    // A failed accept (e.g. out of file descriptors) is
                    // transient; wait a little rather than spin.
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
                }
            }
        });
    }
    announce(&format!("serving {base_url}"));

    while let Ok(Message::Changed(change)) = messages.recv() {
        let mut changed = Vec::new();
        let mut stop = false;
        collect(change, &mut changed);
        // Everything that arrived during the last rebuild goes into this one.
        while let Ok(message) = messages.try_recv() {
            match message {
                Message::Changed(change) => collect(change, &mut changed),
                Message::Stop => stop = true,
            }
        }
        if stop {
            break;
        }
        if changed.is_empty() {
            continue;
        }
        watcher.refresh(&changed);
        loop_state.rebuild(&changed);
    }

    drop(watcher);
    announce("stopped serving");
    Ok(())
}

fn collect(change: Change, changed: &mut Vec<PathBuf>) {
    match change {
        Change::Paths(paths) => changed.extend(paths),
        Change::Error(error) => eprintln!(
            "warning: file watching: {}",
            escape_control(&error.to_string())
        ),
    }
}

/// The rebuild loop's state: the caches, and what the request threads see.
struct RebuildLoop {
    rebuilder: Rebuilder,
    shared: Arc<Shared>,
    /// Successful builds so far.
    builds: u64,
    root: PathBuf,
    /// The output folder of the last good build, which the watcher ignores.
    output: PathBuf,
    /// The search index of the last good build.
    search: Arc<BTreeMap<String, Vec<u8>>>,
}

impl RebuildLoop {
    /// Rebuild; on success serve the new build and reload every page, on
    /// failure report it in the terminal and over every page.
    fn rebuild(&mut self, changed: &[PathBuf]) {
        let cause = describe(&self.root, changed);
        match self.rebuilder.rebuild() {
            Ok(rebuilt) => {
                self.builds += 1;
                let summary = self.summary(&cause, &rebuilt);
                self.publish(rebuilt.staged);
                announce(&summary);
            }
            Err(failure) => {
                let text = failure_text(failure);
                let _ = std::io::stdout().flush();
                eprint!("{}", text.terminal);
                let mut plain = text.plain;
                if self.builds > 0 {
                    plain.push_str("still serving the last good build\n");
                    eprintln!("{cause}build failed; still serving the last good build");
                } else {
                    eprintln!("{cause}build failed; serving the errors until they are fixed");
                }
                self.shared.hub.failed(plain);
            }
        }
    }

    /// Serve the pages at once, with the previous search index, and reload;
    /// then make the new index and serve it too.
    fn publish(&mut self, mut staged: StagedBuild) {
        let warnings = std::mem::take(&mut staged.built.warnings);
        Diagnostics::print_to_stderr(warnings);
        self.output = staged.built.output_dir.clone();
        let pages = Arc::new(std::mem::take(&mut staged.built.tree));
        self.shared.publish(Snapshot {
            pages: Arc::clone(&pages),
            search: Arc::clone(&self.search),
            build: self.builds,
        });
        let files = self.rebuilder.search_files(&staged);
        let paths = pages.keys().map(String::as_str);
        match output::check_paths(paths.chain(files.iter().map(|file| file.path.as_str()))) {
            Ok(_) => {
                let search = files.into_iter().map(|file| (file.path, file.contents));
                self.search = Arc::new(search.collect());
                self.shared.replace(Snapshot {
                    pages,
                    search: Arc::clone(&self.search),
                    build: self.builds,
                });
            }
            Err(error) => eprintln!("warning: {error}; serving the previous search index"),
        }
    }

    fn summary(&self, cause: &str, rebuilt: &Rebuilt) -> String {
        let ms = rebuilt.elapsed.as_millis();
        if self.builds == 1 {
            return format!(
                "built {} pages ({} questions in {} topics) in {ms} ms",
                rebuilt.staged.built.pages,
                rebuilt.staged.built.questions,
                rebuilt.staged.built.topics
            );
        }
        let scope = if rebuilt.full {
            "site.toml or theme changed: re-rendered everything".to_string()
        } else {
            format!(
                "re-rendered {} of {} pages ({} Markdown)",
                rebuilt.page_renders, rebuilt.staged.built.pages, rebuilt.markdown_renders
            )
        };
        format!("{cause}{scope} in {ms} ms")
    }
}

/// `content/orm/a.md changed: `, from the watcher's absolute paths.
fn describe(root: &Path, changed: &[PathBuf]) -> String {
    let Some(first) = changed.first() else {
        return String::new();
    };
    // A file name is the author's text too.
    let shown = first.strip_prefix(root).unwrap_or(first).to_string_lossy();
    let shown = escape_control(&shown);
    match changed.len() {
        1 => format!("{shown} changed: "),
        n => format!("{shown} and {} more changed: ", n - 1),
    }
}

struct FailureText {
    /// For the terminal, coloured when it is one.
    terminal: String,
    /// For the browser overlay.
    plain: String,
}

fn failure_text(failure: BuildFailure) -> FailureText {
    match failure {
        BuildFailure::Content(diagnostics) => {
            let style = Style::for_stderr();
            let mut terminal = String::new();
            let mut plain = String::new();
            let errors = diagnostics.error_count();
            for diagnostic in diagnostics.sorted() {
                terminal.push_str(&diagnostic.render(&style));
                terminal.push('\n');
                plain.push_str(&diagnostic.render(&Style::plain()));
                plain.push('\n');
            }
            let count = format!(
                "error: build failed with {errors} error{}\n",
                if errors == 1 { "" } else { "s" }
            );
            plain.push_str(&count);
            FailureText { terminal, plain }
        }
        BuildFailure::Output(error) => {
            let text = format!("error: {}\n", escape_control(&error.to_string()));
            FailureText {
                terminal: text.clone(),
                plain: text,
            }
        }
    }
}

/// A status line on stdout, flushed at once: tests and scripts wait for them.
fn announce(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
}
