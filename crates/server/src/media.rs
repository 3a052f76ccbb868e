//! Attachment content: the type by magic bytes, and images without their metadata.
