//! workflow (being written).
