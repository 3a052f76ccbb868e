//! attachments (being written).
