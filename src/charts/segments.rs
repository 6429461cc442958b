//! Charts of the segments pages.
