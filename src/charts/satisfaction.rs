//! Charts of the satisfaction pages.
