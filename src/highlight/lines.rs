//! Highlighted lines remembered across blocks.
//!
//! Parsing a line is a pure function of the line and the parser's state
//! before it (syntect's `ParseState` and the scope stack), and so is the
//! line's HTML for one palette. Code repeats line by line far more than
//! block by block (imports, `class Meta:`, blank lines, closing brackets),
//! so a line seen before in the same state is copied instead of parsed: on
//! the guide about half the lines of its unique blocks are repeats.
//!
//! Entries are looked up by the line's text, then compared by state; a
//! line that appears in many states keeps one entry per state.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use syntect::parsing::{ParseState, ScopeStack};

/// The parser's state between two lines.
pub(super) type LineState = (ParseState, ScopeStack);

/// About how many bytes a thread's memo may hold, so a site with an unusual
/// amount of unique code cannot grow it without bound; once full, it still
/// serves the lines it has.
const MAX_BYTES: usize = 32 << 20;

/// A rough size of the two parser states an entry keeps (a few stack
/// levels, each with its own allocations).
const STATES_BYTES: usize = 512;

thread_local! {
    /// One memo per thread: a parser state holds regex match data that
    /// cannot move between threads.
    static MEMO: RefCell<Entries> = RefCell::default();
}

/// A highlighter's handle on the memo. The HTML of a line depends on the
/// highlighter's palette, so each highlighter has its own generation and a
/// thread's memo starts over when another highlighter uses it.
#[derive(Debug)]
pub(super) struct LineMemo {
    generation: u64,
}

impl Default for LineMemo {
    fn default() -> Self {
        static GENERATIONS: AtomicU64 = AtomicU64::new(1);
        LineMemo {
            generation: GENERATIONS.fetch_add(1, Ordering::Relaxed),
        }
    }
}

#[derive(Default)]
struct Entries {
    generation: u64,
    by_line: HashMap<String, Vec<Entry>, ahash::RandomState>,
    bytes: usize,
}

struct Entry {
    before: LineState,
    html: String,
    after: LineState,
}

impl LineMemo {
    /// The HTML of `line` parsed from `state`, and the state after it, if
    /// this thread highlighted this line from this state before.
    pub(super) fn get(&self, line: &str, state: &LineState) -> Option<(String, LineState)> {
        self.with_entries(|entries| {
            let entry = entries
                .by_line
                .get(line)?
                .iter()
                .find(|entry| entry.before == *state)?;
            Some((entry.html.clone(), entry.after.clone()))
        })
    }

    /// Remember that `line`, parsed from `before`, gave `html` and `after`.
    pub(super) fn insert(&self, line: &str, before: LineState, html: &str, after: &LineState) {
        self.with_entries(|entries| {
            if entries.bytes >= MAX_BYTES {
                return;
            }
            entries
                .by_line
                .entry(line.to_string())
                .or_default()
                .push(Entry {
                    before,
                    html: html.to_string(),
                    after: after.clone(),
                });
            entries.bytes += line.len() + html.len() + STATES_BYTES;
        });
    }

    fn with_entries<R>(&self, use_entries: impl FnOnce(&mut Entries) -> R) -> R {
        MEMO.with_borrow_mut(|entries| {
            if entries.generation != self.generation {
                *entries = Entries {
                    generation: self.generation,
                    ..Entries::default()
                };
            }
            use_entries(entries)
        })
    }
}
