//! matrix (being written).
