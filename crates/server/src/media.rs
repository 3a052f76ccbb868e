//! Attachment content: the type by magic bytes, and images without their metadata.
//!
//! The type of an upload is decided by its first bytes, never by a file name or a
//! `Content-Type` header. Accepted: JPEG, PNG and WebP photos, and PDF receipts.
//!
//! Images are stored without metadata (SPEC §9.24): the phone reads the capture time and place
//! before it downscales and sends them as fields, so nothing in the file is needed afterwards.
//! Metadata is removed by rewriting the container, never by re-encoding, so the pixels stay
//! exactly as the phone sent them:
//!
//! - **JPEG**: drops APP1 (Exif, XMP), APP3–APP13, APP15, COM, APP2 segments other than an ICC
//!   profile (MPF, FlashPix: extra images and maker data), APP0 segments other than JFIF (JFXX
//!   thumbnails) and the thumbnail of a JFIF segment, and anything after EOI. Kept: the
//!   ICC profile (APP2 `ICC_PROFILE`) and APP14 `Adobe`, because they change how the pixels are
//!   rendered (colour space, colour transform), and every segment that carries the image itself
//!   (DQT, SOF, DHT, DRI, SOS and the entropy-coded data).
//! - **PNG**: keeps the critical chunks and the ancillary chunks that affect rendering
//!   (`tRNS`, `gAMA`, `cHRM`, `sRGB`, `iCCP`, `sBIT`, `bKGD`, `pHYs`, `cICP`, `mDCV`, `cLLI`
//!   and the APNG chunks); drops every other chunk, notably `tEXt`, `zTXt`, `iTXt`, `eXIf`,
//!   `tIME` and private chunks, and anything after `IEND`.
//! - **WebP**: drops the `EXIF` and `XMP ` chunks and unknown chunks, clears the matching
//!   `VP8X` flags and fixes the RIFF size.
//! - **HEIC/HEIF/AVIF** are refused. Their metadata (an Exif item located through `iloc`
//!   offsets) cannot be removed without rewriting the whole box structure, and storing them as
//!   they are would keep the GPS position. The app never sends them: it downscales through a
//!   canvas, which encodes JPEG or WebP.
//! - **PDF** receipts are parsed and written anew with lopdf (issue 16, finding 5: a receipt's
//!   Info dictionary named the shopper as its author and its XMP packet held a GPS position).
//!   Dropped: the trailer's `/Info` dictionary, every `/Metadata` entry (XMP packets of the
//!   document, its pages, images and fonts), `/PieceInfo` (application private data) and the
//!   objects only they referenced, and every earlier revision of an incrementally updated
//!   file (only the current objects are written). An encrypted receipt is decrypted with the
//!   empty password (the usual "no copying" protection) and stored unencrypted; one that needs a
//!   password is refused. The pages themselves are kept as they are.
//!
//! Everything here is a pure function over bytes; no I/O.

use std::fmt;

/// The kinds of content accepted as attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// JPEG photo.
    Jpeg,
    /// PNG image.
    Png,
    /// WebP image.
    Webp,
    /// PDF document (receipts).
    Pdf,
}

impl Kind {
    /// The media type stored and served.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
        }
    }

    /// Whether this is a photo (as opposed to a document).
    pub fn is_image(self) -> bool {
        !matches!(self, Self::Pdf)
    }

    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Webp => "WebP",
            Self::Pdf => "PDF",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why content was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// The content is of a type that is not accepted; `found` says what it looks like.
    #[error("unsupported content: {found}; accepted are JPEG, PNG, WebP and PDF")]
    Unsupported {
        /// What the content looks like (`an HTML document`, `a Windows executable`, …).
        found: String,
    },
    /// HEIC/HEIF (or AVIF) images, refused on purpose (see the module docs).
    #[error(
        "{found} images are not accepted: their metadata cannot be removed without re-encoding; \
         send JPEG or WebP (the app converts photos when it downscales them)"
    )]
    Heif {
        /// `HEIC`, `HEIF` or `AVIF`.
        found: &'static str,
    },
    /// The content starts like an accepted type but its structure is broken.
    #[error("malformed {kind}: {problem}")]
    Malformed {
        /// The type it claims to be.
        kind: Kind,
        /// What is wrong.
        problem: String,
    },
}

impl MediaError {
    fn malformed(kind: Kind, problem: impl Into<String>) -> Self {
        Self::Malformed {
            kind,
            problem: problem.into(),
        }
    }
}

/// Content ready to store: its kind and the bytes without metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The detected kind.
    pub kind: Kind,
    /// The bytes to store.
    pub bytes: Vec<u8>,
}

/// Detects the kind of `bytes` and removes image metadata.
///
/// # Errors
/// [`MediaError`] when the content is not accepted or is malformed.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, MediaError> {
    let kind = detect(bytes)?;
    let bytes = match kind {
        Kind::Jpeg => strip_jpeg(bytes)?,
        Kind::Png => strip_png(bytes)?,
        Kind::Webp => strip_webp(bytes)?,
        Kind::Pdf => strip_pdf(bytes)?,
    };
    Ok(Prepared { kind, bytes })
}

/// Removes `/Metadata` and `/PieceInfo` entries from `object` and everything directly inside it.
fn scrub_pdf_object(object: &mut lopdf::Object) {
    let dict = match object {
        lopdf::Object::Dictionary(dict) => dict,
        lopdf::Object::Stream(stream) => &mut stream.dict,
        lopdf::Object::Array(items) => {
            items.iter_mut().for_each(scrub_pdf_object);
            return;
        }
        _ => return,
    };
    dict.remove(b"Metadata");
    dict.remove(b"PieceInfo");
    for (_, value) in dict.iter_mut() {
        scrub_pdf_object(value);
    }
}

/// A PDF without its document information, XMP metadata and earlier revisions (see the
/// module docs).
///
/// # Errors
/// [`MediaError::Malformed`] when the PDF cannot be read, needs a password or cannot be written.
pub fn strip_pdf(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let bad = |problem: String| MediaError::malformed(Kind::Pdf, problem);
    // lopdf is a parser of untrusted input: a panic in it refuses the file, never the server.
    let loaded = std::panic::catch_unwind(|| lopdf::Document::load_mem(bytes))
        .map_err(|_| bad("the file cannot be read".to_owned()))?;
    let mut doc = loaded.map_err(|e| bad(format!("the file cannot be read ({e})")))?;
    if doc.is_encrypted() {
        doc.decrypt("")
            .map_err(|_| bad("the file needs a password; send it without one".to_owned()))?;
    }
    doc.encryption_state = None;
    doc.trailer.remove(b"Encrypt");
    doc.trailer.remove(b"Info");
    for object in doc.objects.values_mut() {
        scrub_pdf_object(object);
    }
    doc.prune_objects();
    let mut out = Vec::with_capacity(bytes.len());
    let saved = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.save_to(&mut out)))
        .map_err(|_| bad("the file cannot be rewritten".to_owned()))?;
    saved.map_err(|e| bad(format!("the file cannot be rewritten ({e})")))?;
    Ok(out)
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The kind of `bytes`, by magic bytes only.
///
/// # Errors
/// [`MediaError::Unsupported`] naming what was found, or [`MediaError::Heif`].
pub fn detect(bytes: &[u8]) -> Result<Kind, MediaError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Kind::Jpeg);
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        return Ok(Kind::Png);
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(Kind::Webp);
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(Kind::Pdf);
    }
    if let Some(found) = heif_brand(bytes) {
        return Err(MediaError::Heif { found });
    }
    Err(MediaError::Unsupported {
        found: describe(bytes),
    })
}

/// `HEIC`, `HEIF` or `AVIF` when `bytes` is an ISO media file with such a brand.
fn heif_brand(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() < 16 || &bytes[4..8] != b"ftyp" {
        return None;
    }
    let size = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let end = size.clamp(16, bytes.len());
    // The major brand, then (after the minor version) the compatible brands.
    let brands = std::iter::once(&bytes[8..12]).chain(bytes[16..end].chunks_exact(4));
    let mut found = None;
    for brand in brands {
        match brand {
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"hevm" | b"hevs" => {
                return Some("HEIC");
            }
            b"avif" | b"avis" => return Some("AVIF"),
            b"mif1" | b"msf1" => found = Some("HEIF"),
            _ => {}
        }
    }
    found
}

/// What unaccepted content looks like, for the error message.
fn describe(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "an empty body".to_owned();
    }
    let head = &bytes[..bytes.len().min(512)];
    let lower: Vec<u8> = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    let known: &[(&[u8], &str)] = &[
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"BM", "a BMP image"),
        (b"II*\0", "a TIFF image"),
        (b"MM\0*", "a TIFF image"),
        (b"MZ", "a Windows executable"),
        (b"\x7fELF", "an ELF executable"),
        (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"\0\0\x01\0", "an icon"),
        (b"\xd0\xcf\x11\xe0", "a legacy Office document"),
        (b"OggS", "an Ogg media file"),
        (b"ID3", "an MP3 audio file"),
        (b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
    ];
    for (magic, name) in known {
        if bytes.starts_with(magic) {
            return (*name).to_owned();
        }
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" {
        return format!(
            "a RIFF file of type '{}' (not WebP)",
            String::from_utf8_lossy(&bytes[8..12])
        );
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return format!(
            "an ISO media file (video or audio, brand '{}')",
            String::from_utf8_lossy(&bytes[8..12]).trim()
        );
    }
    for (prefix, name) in [
        (&b"<!doctype html"[..], "an HTML document"),
        (b"<html", "an HTML document"),
        (b"<svg", "an SVG image"),
        (b"<?xml", "an XML document"),
        (b"{", "JSON or text"),
        (b"[", "JSON or text"),
    ] {
        if lower.starts_with(prefix) {
            if prefix == b"<?xml" && lower.windows(4).any(|w| w == b"<svg") {
                return "an SVG image".to_owned();
            }
            return name.to_owned();
        }
    }
    if std::str::from_utf8(head)
        .is_ok_and(|s| !s.chars().any(|c| c.is_control() && !c.is_whitespace()))
    {
        return "plain text".to_owned();
    }
    let hex: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("unrecognised content starting with bytes {}", hex.join(" "))
}

// ---------------------------------------------------------------------------------------------
// JPEG

/// Markers of segments that carry no length (RSTn, TEM, SOI, EOI).
fn standalone(marker: u8) -> bool {
    matches!(marker, 0x01 | 0xD0..=0xD9)
}

/// Whether a JPEG segment (marker and payload without the length) is kept.
fn keep_jpeg_segment(marker: u8, payload: &[u8]) -> bool {
    match marker {
        // APP0: JFIF only (JFXX carries thumbnails).
        0xE0 => payload.starts_with(b"JFIF\0"),
        // APP2: the ICC profile only (MPF and FlashPix carry extra images and maker data).
        0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
        // APP14: Adobe's colour transform flag decides how the decoder converts colours.
        0xEE => payload.starts_with(b"Adobe"),
        // APP1 (Exif, XMP), APP3..APP13, APP15, COM.
        0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
        _ => true,
    }
}

/// A JFIF payload without its embedded thumbnail (`JFIF\0`, version, units, density, 0×0).
fn jfif_without_thumbnail(payload: &[u8]) -> Option<Vec<u8>> {
    if payload.len() >= 14 && (payload[12] != 0 || payload[13] != 0 || payload.len() > 14) {
        let mut p = payload[..14].to_vec();
        p[12] = 0;
        p[13] = 0;
        Some(p)
    } else {
        None
    }
}

fn push_segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    // The payload came from a segment whose length fitted in u16, or is shorter.
    let len = (payload.len() + 2) as u16;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
}

/// A JPEG without metadata segments; the image data is copied byte for byte.
///
/// # Errors
/// [`MediaError::Malformed`] when the segment structure is broken or the image has no frame,
/// no scan or no end.
pub fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let bad = |p: &str| MediaError::malformed(Kind::Jpeg, p);
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(bad("missing the start-of-image marker"));
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let (mut frame, mut scan) = (false, false);
    let mut i = 2;
    loop {
        // A marker: 0xFF, optional fill bytes 0xFF, then the marker code.
        if i >= bytes.len() || bytes[i] != 0xFF {
            return Err(bad(&format!("expected a marker at byte {i}")));
        }
        while i < bytes.len() && bytes[i] == 0xFF {
            i += 1;
        }
        let Some(&marker) = bytes.get(i) else {
            return Err(bad("truncated before the end-of-image marker"));
        };
        i += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                break;
            }
            m if standalone(m) => {
                out.extend_from_slice(&[0xFF, m]);
                continue;
            }
            0x00 => return Err(bad(&format!("stray 0xFF00 at byte {}", i - 2))),
            _ => {}
        }
        if i + 2 > bytes.len() {
            return Err(bad("truncated segment length"));
        }
        let len = u16::from_be_bytes([bytes[i], bytes[i + 1]]) as usize;
        if len < 2 || i + len > bytes.len() {
            return Err(bad(&format!(
                "segment 0xFF{marker:02X} at byte {} runs past the end",
                i - 2
            )));
        }
        let payload = &bytes[i + 2..i + len];
        i += len;
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            frame = true;
        }
        if marker == 0xE0
            && payload.starts_with(b"JFIF\0")
            && let Some(p) = jfif_without_thumbnail(payload)
        {
            push_segment(&mut out, marker, &p);
            continue;
        }
        if keep_jpeg_segment(marker, payload) {
            out.extend_from_slice(&bytes[i - len - 2..i]);
        }
        if marker == 0xDA {
            if !frame {
                return Err(bad("a scan before the frame header"));
            }
            scan = true;
            // Entropy-coded data up to the next marker that is neither stuffing nor RSTn.
            let start = i;
            loop {
                if i + 1 >= bytes.len() {
                    return Err(bad("truncated scan data (no end-of-image marker)"));
                }
                if bytes[i] == 0xFF
                    && bytes[i + 1] != 0x00
                    && !(0xD0..=0xD7).contains(&bytes[i + 1])
                {
                    break;
                }
                i += 1;
            }
            out.extend_from_slice(&bytes[start..i]);
        }
    }
    if !frame {
        return Err(bad("no frame header (SOF)"));
    }
    if !scan {
        return Err(bad("no image data (SOS)"));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// PNG

/// Ancillary chunks kept because they change how the image renders (or animate it).
const PNG_KEPT_ANCILLARY: [&[u8; 4]; 14] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"pHYs", b"cICP", b"mDCV",
    b"cLLI", b"acTL", b"fcTL", b"fdAT",
];

/// A PNG without text, time, Exif and private chunks; image chunks are copied as they are.
///
/// # Errors
/// [`MediaError::Malformed`] when the chunk structure is broken or `IHDR`/`IEND` is missing.
pub fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let bad = |p: String| MediaError::malformed(Kind::Png, p);
    if !bytes.starts_with(PNG_SIGNATURE) {
        return Err(bad("missing the PNG signature".into()));
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut i = PNG_SIGNATURE.len();
    let mut first = true;
    loop {
        if i + 12 > bytes.len() {
            return Err(bad("truncated before the IEND chunk".into()));
        }
        let len = u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
        let kind: [u8; 4] = [bytes[i + 4], bytes[i + 5], bytes[i + 6], bytes[i + 7]];
        let end = i
            .checked_add(12)
            .and_then(|e| e.checked_add(len))
            .filter(|e| *e <= bytes.len())
            .ok_or_else(|| {
                bad(format!(
                    "chunk '{}' at byte {i} runs past the end",
                    String::from_utf8_lossy(&kind)
                ))
            })?;
        if first && &kind != b"IHDR" {
            return Err(bad("the first chunk is not IHDR".into()));
        }
        first = false;
        let critical = kind[0].is_ascii_uppercase();
        if critical || PNG_KEPT_ANCILLARY.contains(&&kind) {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
        if &kind == b"IEND" {
            break;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// WebP

const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;

/// A WebP without `EXIF`, `XMP ` and unknown chunks, with the `VP8X` flags to match.
///
/// # Errors
/// [`MediaError::Malformed`] when the RIFF structure is broken or there is no image chunk.
pub fn strip_webp(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let bad = |p: String| MediaError::malformed(Kind::Webp, p);
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return Err(bad("missing the RIFF/WEBP header".into()));
    }
    let riff = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let total = riff
        .checked_add(8)
        .filter(|t| *t <= bytes.len())
        .ok_or_else(|| bad("the RIFF size runs past the end".into()))?;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut vp8x_at = None;
    let mut image = false;
    let mut i = 12;
    while i < total {
        if i + 8 > total {
            return Err(bad(format!("truncated chunk header at byte {i}")));
        }
        let fourcc: [u8; 4] = [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]];
        let len =
            u32::from_le_bytes([bytes[i + 4], bytes[i + 5], bytes[i + 6], bytes[i + 7]]) as usize;
        let padded = len + (len & 1);
        let end = (i + 8)
            .checked_add(padded)
            .filter(|e| *e <= total)
            .ok_or_else(|| {
                bad(format!(
                    "chunk '{}' at byte {i} runs past the end",
                    String::from_utf8_lossy(&fourcc)
                ))
            })?;
        match &fourcc {
            b"VP8X" => {
                if len < 10 {
                    return Err(bad("VP8X chunk too short".into()));
                }
                vp8x_at = Some(out.len() + 8);
                out.extend_from_slice(&bytes[i..end]);
            }
            b"VP8 " | b"VP8L" | b"ANMF" => {
                image = true;
                out.extend_from_slice(&bytes[i..end]);
            }
            b"ALPH" | b"ANIM" | b"ICCP" => out.extend_from_slice(&bytes[i..end]),
            // EXIF, "XMP " and chunks this format does not define.
            _ => {}
        }
        i = end;
    }
    if !image {
        return Err(bad("no image data (VP8, VP8L or ANMF chunk)".into()));
    }
    if let Some(at) = vp8x_at {
        out[at] &= !(VP8X_EXIF | VP8X_XMP);
    }
    let size = u32::try_from(out.len() - 8).map_err(|_| bad("too large".into()))?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    /// A baseline 8×8 greyscale JPEG (structure as a camera writes it) with Exif carrying a GPS
    /// position, XMP, a comment and an MPF segment.
    fn jpeg_with_exif() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend(segment(0xE0, b"JFIF\0\x01\x01\x00\x00\x48\x00\x48\x00\x00"));
        let mut exif = b"Exif\0\0MM\0*\0\0\0\x08".to_vec();
        exif.extend_from_slice(b"GPSLatitude 24.7136 N GPSLongitude 46.6753 E Model Pixel");
        j.extend(segment(0xE1, &exif));
        j.extend(segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPS 24.7136</x:xmpmeta>",
        ));
        j.extend(segment(0xE2, b"MPF\0II*\0secondimage"));
        j.extend(segment(0xFE, b"shot by shopper 41"));
        j.extend(image_segments());
        j
    }

    /// DQT, SOF0, DHT, SOS, scan data (with stuffing and a restart marker) and EOI.
    fn image_segments() -> Vec<u8> {
        let mut j = Vec::new();
        let mut dqt = vec![0x00];
        dqt.extend(std::iter::repeat_n(1u8, 64));
        j.extend(segment(0xDB, &dqt));
        j.extend(segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
        j.extend(segment(
            0xC4,
            &[0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ));
        j.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
        j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn types_are_told_by_their_first_bytes() {
        assert_eq!(detect(&jpeg_with_exif()), Ok(Kind::Jpeg));
        assert_eq!(detect(&png_with_text()), Ok(Kind::Png));
        assert_eq!(detect(&webp_with_exif()), Ok(Kind::Webp));
        assert_eq!(detect(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"), Ok(Kind::Pdf));
    }

    #[test]
    fn refusals_name_what_was_found() {
        let found = |b: &[u8]| match detect(b) {
            Err(MediaError::Unsupported { found }) => found,
            other => panic!("{other:?}"),
        };
        assert_eq!(found(b"<!DOCTYPE html><html><body>hi"), "an HTML document");
        assert_eq!(found(b"  <html>"), "an HTML document");
        assert_eq!(found(b"MZ\x90\0\x03\0\0\0"), "a Windows executable");
        assert_eq!(found(b"GIF89a\x01\0"), "a GIF image");
        assert_eq!(
            found(b"<?xml version='1.0'?><svg xmlns=''/>"),
            "an SVG image"
        );
        assert_eq!(found(b""), "an empty body");
        assert_eq!(found(b"hello"), "plain text");
        assert_eq!(
            found(b"\0\0\0\x18ftypisom\0\0\0\0isommp42"),
            "an ISO media file (video or audio, brand 'isom')"
        );
        assert_eq!(
            found(&[0x00, 0x01, 0x02, 0x03, 0xFA]),
            "unrecognised content starting with bytes 00 01 02 03 fa"
        );
        // A JPEG name with another body is not a JPEG.
        let message = detect(b"<html>").unwrap_err().to_string();
        assert!(message.contains("HTML") && message.contains("JPEG, PNG, WebP and PDF"));
    }

    #[test]
    fn heic_and_avif_are_refused_with_the_reason() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(detect(heic), Err(MediaError::Heif { found: "HEIC" }));
        let heif = b"\0\0\0\x14ftypmif1\0\0\0\0mif1";
        assert_eq!(detect(heif), Err(MediaError::Heif { found: "HEIF" }));
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
        assert_eq!(detect(avif), Err(MediaError::Heif { found: "AVIF" }));
        let message = detect(heic).unwrap_err().to_string();
        assert!(
            message.contains("HEIC") && message.contains("metadata"),
            "{message}"
        );
    }

    #[test]
    fn jpeg_loses_exif_xmp_comments_and_mpf_but_keeps_the_image() {
        let original = jpeg_with_exif();
        let stripped = prepare(&original).unwrap();
        assert_eq!(stripped.kind, Kind::Jpeg);
        let out = stripped.bytes;
        assert!(contains(&original, b"GPSLatitude"));
        for gone in [
            &b"Exif"[..],
            b"GPS",
            b"xmpmeta",
            b"MPF",
            b"shopper",
            b"Pixel",
        ] {
            assert!(
                !contains(&out, gone),
                "{} survived",
                String::from_utf8_lossy(gone)
            );
        }
        assert!(!out.windows(2).any(|w| w == [0xFF, 0xE1]));
        assert!(out.starts_with(&[0xFF, 0xD8]), "SOI first");
        assert!(out.ends_with(&[0xFF, 0xD9]), "EOI last");
        assert!(
            contains(&out, &segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0])),
            "SOF kept"
        );
        assert!(
            out.ends_with(&image_segments()),
            "tables, scan and data byte for byte"
        );
        assert!(contains(&out, b"JFIF\0"));
        // Stripping is idempotent.
        assert_eq!(strip_jpeg(&out).unwrap(), out);
    }

    #[test]
    fn jpeg_keeps_colour_segments_and_drops_thumbnails_and_trailers() {
        let mut j = vec![0xFF, 0xD8];
        // JFIF with a 1×1 RGB thumbnail.
        j.extend(segment(
            0xE0,
            b"JFIF\0\x01\x02\x00\x00\x01\x00\x01\x01\x01\xAA\xBB\xCC",
        ));
        j.extend(segment(0xE0, b"JFXX\0\x10thumbnail"));
        j.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01profile"));
        j.extend(segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"));
        j.extend(segment(0xED, b"Photoshop 3.0\0IPTC city"));
        j.extend(image_segments());
        j.extend_from_slice(b"trailing data after EOI");
        let out = strip_jpeg(&j).unwrap();
        assert!(contains(&out, b"ICC_PROFILE\0\x01\x01profile"));
        assert!(contains(&out, b"Adobe\0\x64"));
        assert!(contains(
            &out,
            &segment(0xE0, b"JFIF\0\x01\x02\x00\x00\x01\x00\x01\x00\x00")
        ));
        for gone in [&b"JFXX"[..], b"\xAA\xBB\xCC", b"IPTC", b"trailing"] {
            assert!(
                !contains(&out, gone),
                "{} survived",
                String::from_utf8_lossy(gone)
            );
        }
        assert!(out.ends_with(&image_segments()));
    }

    #[test]
    fn broken_jpegs_are_malformed_not_stored() {
        let good = jpeg_with_exif();
        let truncated = &good[..good.len() - 4];
        assert!(matches!(
            strip_jpeg(truncated),
            Err(MediaError::Malformed { .. })
        ));
        let no_frame = [vec![0xFF, 0xD8], segment(0xFE, b"x"), vec![0xFF, 0xD9]].concat();
        assert_eq!(
            strip_jpeg(&no_frame).unwrap_err().to_string(),
            "malformed JPEG: no frame header (SOF)"
        );
        let mut overlong = vec![0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF];
        overlong.extend_from_slice(b"short");
        assert!(matches!(
            prepare(&overlong),
            Err(MediaError::Malformed {
                kind: Kind::Jpeg,
                ..
            })
        ));
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        c.extend_from_slice(&crc32(&crc_input).to_be_bytes());
        c
    }

    /// A 1×1 grey PNG with text, time, Exif and a private chunk.
    fn png_with_text() -> Vec<u8> {
        let mut p = PNG_SIGNATURE.to_vec();
        p.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        p.extend(chunk(b"gAMA", &45455u32.to_be_bytes()));
        p.extend(chunk(b"tEXt", b"Comment\0GPS 24.7136,46.6753"));
        p.extend(chunk(b"zTXt", b"Author\0\0x"));
        p.extend(chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>"));
        p.extend(chunk(b"eXIf", b"MM\0*GPS"));
        p.extend(chunk(b"tIME", &[7, 234, 11, 24, 12, 0, 0]));
        p.extend(chunk(b"prVt", b"private"));
        p.extend(png_image_chunks());
        p
    }

    /// IDAT (zlib stream of the single row `0x00 0x80`) and IEND.
    fn png_image_chunks() -> Vec<u8> {
        let mut p = chunk(
            b"IDAT",
            &[
                0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0x00, 0x80, 0x00, 0x82, 0x00, 0x81,
            ],
        );
        p.extend(chunk(b"IEND", b""));
        p
    }

    #[test]
    fn png_loses_text_time_exif_and_private_chunks() {
        let mut original = png_with_text();
        original.extend_from_slice(b"appended after IEND");
        let out = prepare(&original).unwrap();
        assert_eq!(out.kind, Kind::Png);
        let out = out.bytes;
        for gone in [
            &b"tEXt"[..],
            b"zTXt",
            b"iTXt",
            b"eXIf",
            b"tIME",
            b"GPS",
            b"prVt",
            b"appended",
        ] {
            assert!(
                !contains(&out, gone),
                "{} survived",
                String::from_utf8_lossy(gone)
            );
        }
        let mut expected = PNG_SIGNATURE.to_vec();
        expected.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        expected.extend(chunk(b"gAMA", &45455u32.to_be_bytes()));
        expected.extend(png_image_chunks());
        assert_eq!(out, expected);
    }

    #[test]
    fn broken_pngs_are_malformed() {
        let good = png_with_text();
        assert!(matches!(
            strip_png(&good[..good.len() - 6]),
            Err(MediaError::Malformed { .. })
        ));
        let mut no_ihdr = PNG_SIGNATURE.to_vec();
        no_ihdr.extend(chunk(b"IEND", b""));
        assert_eq!(
            strip_png(&no_ihdr).unwrap_err().to_string(),
            "malformed PNG: the first chunk is not IHDR"
        );
    }

    fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = fourcc.to_vec();
        c.extend_from_slice(&(data.len() as u32).to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut w = b"RIFF".to_vec();
        w.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        w.extend_from_slice(b"WEBP");
        w.extend(body);
        w
    }

    const VP8L: &[u8] = &[
        0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0,
    ];

    /// An extended-format 1×1 WebP with ICC, EXIF and XMP chunks and their flags set.
    fn webp_with_exif() -> Vec<u8> {
        let flags = 0x20 | VP8X_EXIF | VP8X_XMP;
        riff(&[
            riff_chunk(b"VP8X", &[flags, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            riff_chunk(b"ICCP", b"icc"),
            riff_chunk(b"VP8L", VP8L),
            riff_chunk(b"EXIF", b"MM\0*GPS 24.7136"),
            riff_chunk(b"XMP ", b"<x:xmpmeta>GPS</x:xmpmeta>"),
        ])
    }

    #[test]
    fn webp_loses_exif_and_xmp_and_their_flags() {
        let out = prepare(&webp_with_exif()).unwrap();
        assert_eq!(out.kind, Kind::Webp);
        let expected = riff(&[
            riff_chunk(b"VP8X", &[0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            riff_chunk(b"ICCP", b"icc"),
            riff_chunk(b"VP8L", VP8L),
        ]);
        assert_eq!(out.bytes, expected);
        // A simple-format WebP is unchanged.
        let simple = riff(&[riff_chunk(b"VP8L", VP8L)]);
        assert_eq!(strip_webp(&simple).unwrap(), simple);
        // No image chunk: refused.
        let empty = riff(&[riff_chunk(b"EXIF", b"x")]);
        assert!(matches!(
            strip_webp(&empty),
            Err(MediaError::Malformed { .. })
        ));
    }

    /// A one-page receipt whose Info dictionary names its author and whose XMP packet holds
    /// a GPS position, as a phone's PDF scanner writes them.
    pub(crate) fn receipt_with_metadata() -> Vec<u8> {
        use lopdf::{Document, Object, Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(Stream::new(
            dictionary! {},
            b"BT /F1 12 Tf 20 100 Td (TOTAL 42.00 SAR) Tj ET".to_vec(),
        ));
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let image_xmp = doc.add_object(Stream::new(
            dictionary! {"Type" => "Metadata", "Subtype" => "XML"},
            b"<x:xmpmeta><exif:GPSLongitude>46,40.5E</exif:GPSLongitude></x:xmpmeta>".to_vec(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 200.into(), 200.into()],
            "Contents" => content,
            "Resources" => dictionary! {"Font" => dictionary! {"F1" => font}},
            "Metadata" => image_xmp,
            "PieceInfo" => dictionary! {"Scanner" => dictionary! {"Private" => Object::string_literal("device owner Noura")}},
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let xmp = doc.add_object(Stream::new(
            dictionary! {"Type" => "Metadata", "Subtype" => "XML"},
            b"<x:xmpmeta><dc:creator>Noura Al-Harbi</dc:creator>\
              <exif:GPSLatitude>24,42.7N</exif:GPSLatitude></x:xmpmeta>"
                .to_vec(),
        ));
        let catalog = doc.add_object(dictionary! {
            "Type" => "Catalog", "Pages" => pages_id, "Metadata" => xmp,
        });
        let info = doc.add_object(dictionary! {
            "Author" => Object::string_literal("Noura Al-Harbi"),
            "Creator" => Object::string_literal("ScanApp on Noura's phone"),
            "Title" => Object::string_literal("receipt"),
        });
        doc.trailer.set("Root", catalog);
        doc.trailer.set("Info", info);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn pdf_loses_info_xmp_and_private_data_but_keeps_its_page() {
        let pdf = receipt_with_metadata();
        for needle in [&b"Noura"[..], b"GPSLatitude", b"GPSLongitude", b"/Author"] {
            assert!(contains(&pdf, needle), "the fixture has {needle:?}");
        }
        let out = prepare(&pdf).unwrap();
        assert_eq!(out.kind, Kind::Pdf);
        assert_eq!(out.kind.content_type(), "application/pdf");
        assert!(!out.kind.is_image());
        for needle in [
            &b"Noura"[..],
            b"GPS",
            b"xmpmeta",
            b"/Author",
            b"/Info",
            b"/Metadata",
            b"/PieceInfo",
        ] {
            assert!(!contains(&out.bytes, needle), "{needle:?} is left");
        }
        let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        assert!(contains(&out.bytes, b"TOTAL 42.00 SAR"));
        // Stripping is idempotent.
        assert_eq!(prepare(&out.bytes).unwrap().bytes.len(), out.bytes.len());
    }

    #[test]
    fn unreadable_pdfs_are_malformed() {
        for pdf in [
            &b"%PDF-1.4\n"[..],
            b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n",
            b"%PDF-\xff\xff\xff",
        ] {
            assert!(
                matches!(
                    prepare(pdf),
                    Err(MediaError::Malformed {
                        kind: Kind::Pdf,
                        ..
                    })
                ),
                "{pdf:?}"
            );
        }
    }

    fn samples() -> Vec<Vec<u8>> {
        vec![
            jpeg_with_exif(),
            png_with_text(),
            webp_with_exif(),
            receipt_with_metadata(),
            include_bytes!("../../../tests/fixtures/receipts/receipt-with-metadata.pdf").to_vec(),
        ]
    }

    /// No panic and bounded time; and whatever is accepted is accepted again unchanged in kind.
    fn survives(bytes: &[u8]) -> Result<(), proptest::test_runner::TestCaseError> {
        let started = std::time::Instant::now();
        let out = prepare(bytes);
        let took = started.elapsed();
        proptest::prop_assert!(took < std::time::Duration::from_secs(5), "{took:?}");
        if let Ok(out) = out {
            proptest::prop_assert_eq!(detect(&out.bytes), Ok(out.kind));
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// Random bytes behind each accepted signature (and none): refused or cleaned, never a
        /// panic (a panic in lopdf is caught and refuses the file).
        #[test]
        fn random_content_never_panics(
            head in proptest::sample::select(vec![
                &b""[..], b"\xFF\xD8\xFF", b"\x89PNG\r\n\x1a\n", b"RIFF\0\0\0\0WEBP", b"%PDF-1.7\n",
                b"\0\0\0\x18ftypheic",
            ]),
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1024),
        ) {
            let mut bytes = head.to_vec();
            bytes.extend(tail);
            survives(&bytes)?;
        }

        /// Real files with random damage: flipped bytes, cuts, insertions.
        #[test]
        fn damaged_real_files_never_panic(
            file in proptest::prelude::any::<proptest::sample::Index>(),
            flips in proptest::collection::vec(
                (proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<u8>()), 0..8),
            cut in proptest::option::of(proptest::prelude::any::<proptest::sample::Index>()),
        ) {
            let files = samples();
            let mut bytes = file.get(&files).clone();
            for (at, byte) in flips {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len()).max(1));
            }
            survives(&bytes)?;
        }
    }
}
