//! Highlighted blocks kept on disk between builds (`.djguide-cache/` under
//! the site root unless `--no-cache`).
//!
//! One file, `highlight.bin`, holds every block the last build used, keyed
//! by a 128-bit hash of the block (code and fence attributes) and of
//! everything else that shapes its HTML (see [`fingerprint`]). A build reads
//! it whole on its first block, and writes it whole (a temporary file
//! renamed over the old one) only when it rendered something new or, after
//! a full build, when some entry went unused: two builds at once each leave
//! a complete file, and a crash leaves the old one. A file that is
//! truncated, corrupt (checksum), of another format or from another
//! fingerprint is an empty cache, never an error.
//!
//! Layout, integers little-endian:
//! `MAGIC`, format `u32`, fingerprint `u128`, checksum `u128` (of what
//! follows), entry count `u32`, then per entry: key `u128`, length `u32`, HTML.

use std::collections::HashMap;
use std::hash::Hash;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use siphasher::sip128::{Hasher128, SipHasher13};

use super::Palette;
use crate::config::VerifiedVersions;

/// The default cache folder, relative to the site root.
pub const DEFAULT_DIR: &str = ".djguide-cache";

/// The file name inside the cache folder.
const FILE: &str = "highlight.bin";
const MAGIC: &[u8; 24] = b"djguide highlight cache\n";
/// Bump when the file layout or the key's contents change.
const FORMAT: u32 = 1;
const HEADER: usize = MAGIC.len() + 4 + 16 + 16 + 4;

/// Everything the highlighter's output depends on besides the block: the
/// versions of every dependency (syntect's grammars and two-face's themes
/// among them, through `Cargo.lock`), the highlighter's own source, and the
/// settings (the palette's themes and class table, `verified_with`).
pub(super) fn fingerprint(palette: &Palette, verified_with: &[VerifiedVersions]) -> u128 {
    const SOURCES: [&str; 8] = [
        env!("CARGO_PKG_VERSION"),
        include_str!("../../Cargo.lock"),
        include_str!("mod.rs"),
        include_str!("cache.rs"),
        include_str!("classes.rs"),
        include_str!("theme_css.rs"),
        include_str!("../html.rs"),
        include_str!("../languages.rs"),
    ];
    let mut hasher = SipHasher13::new();
    FORMAT.hash(&mut hasher);
    SOURCES.hash(&mut hasher);
    palette.hash_identity(&mut hasher);
    verified_with.hash(&mut hasher);
    hasher.finish128().as_u128()
}

/// The key of one block under `fingerprint`.
pub(super) fn key(fingerprint: u128, block: &impl Hash) -> u128 {
    let mut hasher = SipHasher13::new();
    fingerprint.hash(&mut hasher);
    block.hash(&mut hasher);
    hasher.finish128().as_u128()
}

/// Blocks by key.
pub(super) type Entries = HashMap<u128, Arc<str>>;

/// The cache file of one build.
#[derive(Debug)]
pub struct DiskCache {
    path: PathBuf,
    fingerprint: u128,
    /// Drop entries this build did not use when saving: only right when
    /// the build rendered every page (not in `serve`, which re-renders
    /// only what changed).
    prune: bool,
    loaded: OnceLock<Arc<Entries>>,
    /// Where what was read or written is remembered between builds, if anywhere.
    files: Option<CacheFiles>,
}

/// What a long-running process (`serve`) last read from or wrote to each
/// cache file, with the file's size and modification time then. `serve`
/// builds many times, and reading the file again (megabytes) on every
/// rebuild cost as much as the rebuild's Markdown; with this, a build reads
/// it again only when it changed on disk. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct CacheFiles(Arc<Mutex<HashMap<PathBuf, Known>>>);

#[derive(Debug)]
struct Known {
    stamp: Stamp,
    fingerprint: u128,
    entries: Arc<Entries>,
}

type Stamp = (u64, std::time::SystemTime);

fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.len(), metadata.modified().ok()?))
}

impl CacheFiles {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Known>> {
        // Entries are replaced whole, so a map left by a panic is still sound.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl DiskCache {
    /// The cache in `dir` (nothing is read until the first lookup).
    pub(super) fn new(
        dir: &Path,
        fingerprint: u128,
        prune: bool,
        files: Option<CacheFiles>,
    ) -> Self {
        DiskCache {
            path: dir.join(FILE),
            fingerprint,
            prune,
            loaded: OnceLock::new(),
            files,
        }
    }

    pub(super) fn get(&self, key: u128) -> Option<Arc<str>> {
        self.entries().get(&key).cloned()
    }

    fn entries(&self) -> &Entries {
        self.loaded.get_or_init(|| {
            let stamp = stamp(&self.path);
            if let Some(files) = &self.files
                && let Some(known) = files.lock().get(&self.path)
                && Some(known.stamp) == stamp
                && known.fingerprint == self.fingerprint
            {
                return Arc::clone(&known.entries);
            }
            let _span = crate::timings::span("highlight cache: read");
            let entries = Arc::new(
                std::fs::read(&self.path)
                    .ok()
                    .and_then(|bytes| decode(&bytes, self.fingerprint))
                    .unwrap_or_default(),
            );
            self.remember(stamp, &entries);
            entries
        })
    }

    fn remember(&self, stamp: Option<Stamp>, entries: &Arc<Entries>) {
        if let (Some(files), Some(stamp)) = (&self.files, stamp) {
            let known = Known {
                stamp,
                fingerprint: self.fingerprint,
                entries: Arc::clone(entries),
            };
            files.lock().insert(self.path.clone(), known);
        }
    }

    /// Write `used` (every block of this build) if the file would change.
    /// Failing to write is not the build's failure: the next build renders
    /// again.
    pub(super) fn save(&self, used: &Entries) {
        let loaded = self.entries();
        let rendered_new = used.keys().any(|key| !loaded.contains_key(key));
        let unused = loaded.keys().filter(|key| !used.contains_key(key)).count();
        if !rendered_new && (unused == 0 || !self.prune) {
            return;
        }
        let mut entries: Vec<(&u128, &Arc<str>)> = used.iter().collect();
        if !self.prune {
            entries.extend(loaded.iter().filter(|(key, _)| !used.contains_key(key)));
        }
        // Sorted: the same blocks always give the same file.
        entries.sort_unstable_by_key(|(key, _)| **key);
        if self.write(&encode(self.fingerprint, &entries)).is_ok() {
            let written: Entries = (entries.into_iter())
                .map(|(key, html)| (*key, Arc::clone(html)))
                .collect();
            self.remember(stamp(&self.path), &Arc::new(written));
        }
    }

    fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        create_dir(dir)?;
        let mut file = tempfile::Builder::new()
            .prefix(&format!(".{FILE}."))
            .tempfile_in(dir)?;
        file.write_all(bytes)?;
        file.persist(&self.path)?;
        Ok(())
    }
}

/// Create the cache folder, marked as a cache for backup tools and ignored
/// by git whatever the site's own `.gitignore` says.
fn create_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(".gitignore"), "# Created by djguide.\n*\n")?;
    std::fs::write(
        dir.join("CACHEDIR.TAG"),
        "Signature: 8a477f597d28d172789f06886806bc55\n\
         # This file is a cache directory tag created by djguide.\n\
         # For information about cache directory tags see https://bford.info/cachedir/\n",
    )
}

fn encode(fingerprint: u128, entries: &[(&u128, &Arc<str>)]) -> Vec<u8> {
    let size: usize = entries.iter().map(|(_, html)| 20 + html.len()).sum();
    let mut body = Vec::with_capacity(4 + size);
    body.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (key, html) in entries {
        body.extend_from_slice(&key.to_le_bytes());
        body.extend_from_slice(&(html.len() as u32).to_le_bytes());
        body.extend_from_slice(html.as_bytes());
    }
    let mut bytes = Vec::with_capacity(HEADER + size);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&fingerprint.to_le_bytes());
    bytes.extend_from_slice(&checksum(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    bytes
}

/// The entries of a file written by [`encode`] under `fingerprint`; `None`
/// for anything else.
fn decode(bytes: &[u8], fingerprint: u128) -> Option<Entries> {
    let mut reader = Reader(bytes);
    if reader.take(MAGIC.len())? != MAGIC
        || reader.u32()? != FORMAT
        || reader.u128()? != fingerprint
    {
        return None;
    }
    let expected = reader.u128()?;
    if checksum(reader.0) != expected {
        return None;
    }
    let count = reader.u32()? as usize;
    // Each entry takes at least 20 bytes: a count the file cannot hold is
    // corruption, not a reason to reserve memory.
    let mut entries = Entries::with_capacity(count.min(reader.0.len() / 20));
    for _ in 0..count {
        let key = reader.u128()?;
        let len = reader.u32()? as usize;
        let html = std::str::from_utf8(reader.take(len)?).ok()?;
        entries.insert(key, Arc::from(html));
    }
    reader.0.is_empty().then_some(entries)
}

fn checksum(bytes: &[u8]) -> u128 {
    SipHasher13::new().hash(bytes).as_u128()
}

/// Reads fixed-size fields off the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        if self.0.len() < len {
            return None;
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entries {
        Entries::from([(1, Arc::from("<b>one</b>")), (2, Arc::from("two ✓"))])
    }

    fn sorted(entries: &Entries) -> Vec<(&u128, &Arc<str>)> {
        let mut list: Vec<_> = entries.iter().collect();
        list.sort_unstable_by_key(|(key, _)| **key);
        list
    }

    #[test]
    fn entries_round_trip() {
        let entries = sample();
        let bytes = encode(7, &sorted(&entries));
        assert_eq!(decode(&bytes, 7), Some(entries));
    }

    #[test]
    fn foreign_truncated_or_corrupt_files_are_empty() {
        let bytes = encode(7, &sorted(&sample()));
        assert_eq!(decode(&bytes, 8), None, "another fingerprint");
        for len in 0..bytes.len() {
            assert_eq!(decode(&bytes[..len], 7), None, "truncated at {len}");
        }
        for index in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[index] ^= 0x20;
            assert_eq!(decode(&flipped, 7), None, "byte {index} flipped");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer, 7), None, "trailing bytes");
        assert_eq!(decode(b"not a cache at all", 7), None);
    }

    #[test]
    fn saving_writes_only_changes_and_prunes_full_builds() {
        let temporary = tempfile::tempdir().unwrap();
        let dir = &temporary.path().join("cache");
        let cache = DiskCache::new(dir, 7, true, None);
        assert_eq!(cache.get(1), None, "no file yet");
        cache.save(&sample());
        assert!(dir.join(".gitignore").is_file());
        assert_eq!(
            DiskCache::new(dir, 7, true, None).get(2).as_deref(),
            Some("two ✓")
        );

        let only_one = Entries::from([(1, Arc::from("<b>one</b>"))]);
        let serving = DiskCache::new(dir, 7, false, None);
        serving.save(&only_one);
        assert!(DiskCache::new(dir, 7, true, None).get(2).is_some(), "kept");

        DiskCache::new(dir, 7, true, None).save(&only_one);
        let after = DiskCache::new(dir, 7, true, None);
        assert!(after.get(1).is_some());
        assert!(after.get(2).is_none(), "pruned");
    }

    #[test]
    fn remembered_files_are_read_again_only_when_they_change() {
        let temporary = tempfile::tempdir().unwrap();
        let dir = &temporary.path().join("cache");
        let path = dir.join(FILE);
        let files = CacheFiles::default();
        DiskCache::new(dir, 7, false, Some(files.clone())).save(&sample());

        // Same size and modification time: taken from memory, not read (the
        // bytes on disk are now garbage).
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        let length = std::fs::metadata(&path).unwrap().len() as usize;
        std::fs::write(&path, vec![b'x'; length]).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(modified).unwrap();
        let remembered = DiskCache::new(dir, 7, false, Some(files.clone()));
        assert_eq!(remembered.get(2).as_deref(), Some("two ✓"));
        assert_eq!(
            DiskCache::new(dir, 7, false, None).get(2),
            None,
            "without the record the garbage is read, and is no cache"
        );

        // Written by another process: read again.
        let other = Entries::from([(3, Arc::from("three"))]);
        DiskCache::new(dir, 7, true, None).save(&other);
        let reread = DiskCache::new(dir, 7, false, Some(files));
        assert_eq!(reread.get(3).as_deref(), Some("three"));
        assert_eq!(reread.get(2), None);
    }
}
