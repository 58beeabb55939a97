//! Live reload over Server-Sent Events: the hub remembers the latest build
//! and the latest failure and tells every open page about each new one.
//!
//! Events on `/__djguide/events`:
//! - `reload` `{"build": N}`: build N is being served; pages from an older
//!   build reload.
//! - `build-error` `{"text": "..."}`: the latest rebuild failed; `text` is
//!   the diagnostics as the terminal shows them, without colour. (Not
//!   `error`: `EventSource` fires that name itself when the connection drops.)
//!
//! A page announces the build it came from (`?since=N`), so a rebuild that
//! finishes between serving the page and opening the stream still reloads it.

use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// Comment lines keep idle connections open through proxies and let a
/// closed tab be noticed (the write fails) so its thread ends.
const KEEPALIVE: Duration = Duration::from_secs(15);

#[derive(Default)]
pub struct Hub {
    state: Mutex<HubState>,
}

#[derive(Default)]
struct HubState {
    clients: Vec<Sender<String>>,
    build: u64,
    failure: Option<String>,
}

impl Hub {
    /// Build `build` is now served: clear any failure and reload every page.
    pub fn reloaded(&self, build: u64) {
        let mut state = self.lock();
        state.build = build;
        state.failure = None;
        let frame = reload_frame(build);
        state
            .clients
            .retain(|client| client.send(frame.clone()).is_ok());
    }

    /// The latest rebuild failed: show `text` over every page.
    pub fn failed(&self, text: String) {
        let mut state = self.lock();
        let frame = failure_frame(&text);
        state.failure = Some(text);
        state
            .clients
            .retain(|client| client.send(frame.clone()).is_ok());
    }

    /// The diagnostics of the latest rebuild, if it failed.
    pub fn failure(&self) -> Option<String> {
        self.lock().failure.clone()
    }

    /// A new stream for a page of build `since`: it first hears whatever
    /// that page missed, then every later event.
    pub fn subscribe(&self, since: u64) -> Receiver<String> {
        let (sender, receiver) = mpsc::channel();
        let mut state = self.lock();
        // Sends cannot fail: the receiver is still in hand.
        if since < state.build {
            let _ = sender.send(reload_frame(state.build));
        }
        if let Some(text) = &state.failure {
            let _ = sender.send(failure_frame(text));
        }
        state.clients.push(sender);
        receiver
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HubState> {
        // Every update is a single assignment or send: still consistent after a panic.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn reload_frame(build: u64) -> String {
    frame("reload", &serde_json::json!({ "build": build }))
}

fn failure_frame(text: &str) -> String {
    frame("build-error", &serde_json::json!({ "text": text }))
}

/// One event; JSON data never contains a newline, so it fits one `data:` line.
fn frame(event: &str, data: &serde_json::Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// Answer an `EventSource` request: the headers, then each event as it
/// comes, until the tab goes away or the server stops. Blocks; run it on a
/// thread of its own.
pub fn stream(request: tiny_http::Request, events: Receiver<String>) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\n\
                Content-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\n\
                Connection: close\r\n\
                \r\n\
                retry: 500\n\n";
    if send(&mut writer, head).is_err() {
        return;
    }
    loop {
        let text = match events.recv_timeout(KEEPALIVE) {
            Ok(frame) => frame,
            Err(RecvTimeoutError::Timeout) => ": keepalive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if send(&mut writer, &text).is_err() {
            return;
        }
    }
}

fn send(writer: &mut dyn Write, text: &str) -> std::io::Result<()> {
    writer.write_all(text.as_bytes())?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_page_hears_what_it_missed() {
        let hub = Hub::default();
        hub.reloaded(3);
        let stale = hub.subscribe(2);
        assert_eq!(
            stale.try_recv().unwrap(),
            "event: reload\ndata: {\"build\":3}\n\n"
        );
        let fresh = hub.subscribe(3);
        assert!(fresh.try_recv().is_err());
    }

    #[test]
    fn failures_are_shown_until_the_next_build() {
        let hub = Hub::default();
        let open = hub.subscribe(0);
        hub.failed("a.md:1:2: <b>bad</b>\nline two".into());
        let frame = open.try_recv().unwrap();
        assert!(frame.starts_with("event: build-error\ndata: {"));
        assert_eq!(frame.matches('\n').count(), 3, "one data line: {frame}");
        assert!(hub.subscribe(0).try_recv().unwrap().contains("a.md:1:2"));
        hub.reloaded(1);
        assert_eq!(hub.failure(), None);
        assert!(open.try_recv().unwrap().starts_with("event: reload"));
    }

    #[test]
    fn closed_streams_are_dropped() {
        let hub = Hub::default();
        drop(hub.subscribe(0));
        hub.reloaded(1);
        assert!(hub.lock().clients.is_empty());
    }
}
