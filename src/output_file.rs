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
