//! The caches `djguide serve` keeps between rebuilds: one map from a key
//! (page key or output path) to the fingerprint of the inputs it was made
//! from and the result. The build stages compute the fingerprints; this
//! module only stores, counts and forgets.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::markdown::Heading;
use crate::pages::PageCache;
use crate::search::{DocumentTerms, TermsCache};
use crate::site::{CachedRender, MarkdownCache};

struct Entry<V> {
    fingerprint: u64,
    value: V,
    /// Asked for during the current build; entries left unused are swept.
    used: bool,
}

/// A thread-safe memo table (the stages run under rayon).
pub struct Memo<V> {
    entries: Mutex<HashMap<String, Entry<V>>>,
    misses: AtomicUsize,
}

impl<V: Clone> Memo<V> {
    pub fn new() -> Self {
        Memo {
            entries: Mutex::new(HashMap::new()),
            misses: AtomicUsize::new(0),
        }
    }

    fn get(&self, key: &str, fingerprint: u64) -> Option<V> {
        let mut entries = self.lock();
        match entries.get_mut(key) {
            Some(entry) if entry.fingerprint == fingerprint => {
                entry.used = true;
                Some(entry.value.clone())
            }
            _ => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    fn put(&self, key: &str, fingerprint: u64, value: V) {
        let entry = Entry {
            fingerprint,
            value,
            used: true,
        };
        self.lock().insert(key.to_string(), entry);
    }

    /// End of a build: return how many results had to be computed afresh
    /// and, when the build was complete, forget entries no page asked for
    /// (deleted or renamed pages).
    pub fn sweep(&self, forget_unused: bool) -> usize {
        if forget_unused {
            let mut entries = self.lock();
            entries.retain(|_, entry| std::mem::take(&mut entry.used));
        }
        self.misses.swap(0, Ordering::Relaxed)
    }

    pub fn clear(&self) {
        self.lock().clear();
        self.misses.store(0, Ordering::Relaxed);
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry<V>>> {
        // A panic while holding the lock leaves a map that is still consistent
        // (every operation is a single insert or lookup), so keep using it.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl<V: Clone> Default for Memo<V> {
    fn default() -> Self {
        Memo::new()
    }
}

/// Markdown work: rendered pages, and every page's headings.
#[derive(Default)]
pub struct MarkdownMemo {
    rendered: Memo<CachedRender>,
    headings: Memo<Vec<Heading>>,
}

impl MarkdownMemo {
    pub fn clear(&self) {
        self.rendered.clear();
        self.headings.clear();
    }

    /// [`Memo::sweep`] both; returns how many pages were rendered afresh.
    pub fn sweep(&self, forget_unused: bool) -> usize {
        self.headings.sweep(forget_unused);
        self.rendered.sweep(forget_unused)
    }
}

impl MarkdownCache for MarkdownMemo {
    fn get(&self, key: &str, fingerprint: u64) -> Option<CachedRender> {
        self.rendered.get(key, fingerprint)
    }

    fn put(&self, key: &str, fingerprint: u64, entry: &CachedRender) {
        self.rendered.put(key, fingerprint, entry.clone());
    }

    fn headings(&self, key: &str, fingerprint: u64) -> Option<Vec<Heading>> {
        self.headings.get(key, fingerprint)
    }

    fn put_headings(&self, key: &str, fingerprint: u64, headings: &[Heading]) {
        self.headings.put(key, fingerprint, headings.to_vec());
    }
}

impl TermsCache for Memo<DocumentTerms> {
    fn get(&self, key: &str, fingerprint: u64) -> Option<DocumentTerms> {
        Memo::get(self, key, fingerprint)
    }

    fn put(&self, key: &str, fingerprint: u64, terms: &DocumentTerms) {
        Memo::put(self, key, fingerprint, terms.clone());
    }
}

impl PageCache for Memo<Vec<u8>> {
    fn get(&self, path: &str, fingerprint: u64) -> Option<Vec<u8>> {
        Memo::get(self, path, fingerprint)
    }

    fn put(&self, path: &str, fingerprint: u64, contents: &[u8]) {
        Memo::put(self, path, fingerprint, contents.to_vec());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_only_on_the_same_fingerprint() {
        let memo: Memo<Vec<u8>> = Memo::new();
        assert_eq!(PageCache::get(&memo, "a", 1), None);
        PageCache::put(&memo, "a", 1, b"one");
        assert_eq!(PageCache::get(&memo, "a", 1), Some(b"one".to_vec()));
        assert_eq!(PageCache::get(&memo, "a", 2), None);
        assert_eq!(memo.sweep(true), 2);
    }

    #[test]
    fn sweep_forgets_what_the_last_build_did_not_use() {
        let memo: Memo<Vec<u8>> = Memo::new();
        PageCache::put(&memo, "kept", 1, b"k");
        PageCache::put(&memo, "gone", 1, b"g");
        memo.sweep(true);
        assert!(PageCache::get(&memo, "kept", 1).is_some());
        memo.sweep(true);
        assert_eq!(memo.len(), 1);
        assert!(PageCache::get(&memo, "gone", 1).is_none());
    }
}
