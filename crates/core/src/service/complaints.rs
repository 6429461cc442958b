//! Complaints (stub).
