//! scores (being written).
