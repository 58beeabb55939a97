//! The unit every page-producing stage returns: a file of the built site.
//! It lives apart from `output` (which writes files to disk) so that the
//! stages below `output` in the layer list can produce files without
//! depending on it.

/// A file of the built site, at a `/`-separated path relative to its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: Vec<u8>,
}

/// Where the stages put the files they produce, as soon as each is ready:
/// the staging folder for `djguide build` (so the output never has to fit
/// in memory), a map for `djguide serve`, nothing for `djguide check`.
/// Called from many threads at once.
pub trait Sink: Sync {
    /// Take `file`. Writing can fail; a sink keeps its first error for the
    /// caller to collect once the stages are done, so the stages need no
    /// error path of their own.
    fn put(&self, file: OutputFile);
}
