//! Small real photos for the demo (SPEC §10.41): every photo answer and every piece of evidence
//! of a demo visit is a JPEG that any viewer decodes — a tile of coloured 8 × 8 blocks whose
//! colours and pattern follow from the attachment id, so no two visits look alike.
//!
//! The encoder is the smallest baseline JPEG there is: every 8 × 8 block is one flat colour,
//! so each block's DCT has a DC coefficient only (8 × (value − 128), quantised by 1) and the
//! entropy-coded data is the DC difference plus an end-of-block code per block and component
//! (YCbCr, no subsampling). The Huffman table for DC is the standard luminance one of ITU T.81
//! Annex K; the AC table holds the one symbol used (EOB). A 96 × 72 tile is about 600 bytes.
//! The server has no image encoder otherwise (uploads are stored as the phone encoded them, see
//! [`crate::media`]), and this needs none: the pixels are made here.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// Width and height of a demo photo in 8 × 8 blocks (96 × 72 pixels).
const BLOCKS: (usize, usize) = (12, 9);

/// Code lengths 1..=16 of the standard DC luminance table (ITU T.81 Table K.3).
const DC_BITS: [u8; 16] = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
/// Its symbols: the categories 0..=11.
const DC_VALUES: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/// A JPEG for the attachment `seed` (its id): deterministic, one of `LOOKS` pictures. `failed`
/// tints it red, as a photo of something wrong might be.
pub fn photo(seed: &str, failed: bool) -> Vec<u8> {
    // The demo has about ten thousand photos, and encoding each one took most of a debug
    // demo start; a few dozen looks tell visits apart just as well, so each is encoded once.
    static ENCODED: std::sync::Mutex<BTreeMap<(u8, bool), Vec<u8>>> =
        std::sync::Mutex::new(BTreeMap::new());
    let look = Sha256::digest(seed.as_bytes())[0] % LOOKS;
    let mut encoded = ENCODED.lock().unwrap_or_else(|e| e.into_inner());
    encoded
        .entry((look, failed))
        .or_insert_with(|| render(look, failed))
        .clone()
}

/// How many different pictures the demo's photos share.
const LOOKS: u8 = 64;

/// The picture number `look` (a tile pattern in two colours), red-tinted when `failed`.
fn render(look: u8, failed: bool) -> Vec<u8> {
    let hash = Sha256::digest([look]);
    let base = hsv(f64::from(hash[0]) / 255.0 * 360.0, 0.45, 0.85);
    let accent = if failed {
        [200.0, 40.0, 40.0]
    } else {
        hsv(f64::from(hash[1]) / 255.0 * 360.0, 0.7, 0.55)
    };
    let pattern = hash[2] % 4;
    let (w, h) = BLOCKS;
    let mut blocks = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let on = match pattern {
                0 => (x + y) % 2 == 0,                               // checkers
                1 => (x / 2) % 2 == 0,                               // stripes
                2 => x.abs_diff(w / 2) + y.abs_diff(h / 2) <= 3,     // a diamond
                _ => (x + 2 * y + usize::from(hash[3] % 5)) % 5 < 2, // diagonals
            };
            // A soft gradient so the tile is not two flat colours.
            let shade = 0.8 + 0.2 * (y as f64 / h as f64);
            let rgb = if on { accent } else { base };
            blocks.push(rgb.map(|c| (c * shade).clamp(0.0, 255.0)));
        }
    }
    encode(w, h, &blocks)
}

/// RGB in 0..=255 from hue (degrees), saturation and value.
fn hsv(hue: f64, s: f64, v: f64) -> [f64; 3] {
    let c = v * s;
    let x = c * (1.0 - ((hue / 60.0) % 2.0 - 1.0).abs());
    let m = v - c;
    let (r, g, b) = match (hue / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    [(r + m) * 255.0, (g + m) * 255.0, (b + m) * 255.0]
}

/// Canonical Huffman codes (code, length) by symbol, from the code-length counts.
fn codes(bits: &[u8; 16], values: &[u8]) -> [(u16, u8); 256] {
    let mut out = [(0u16, 0u8); 256];
    let mut code = 0u16;
    let mut k = 0;
    for (len, &count) in bits.iter().enumerate() {
        for _ in 0..count {
            out[usize::from(values[k])] = (code, len as u8 + 1);
            code += 1;
            k += 1;
        }
        code <<= 1;
    }
    out
}

/// Writes bits most significant first, with JPEG's byte stuffing (0xFF → 0xFF 0x00).
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u8,
}

impl Bits {
    fn put(&mut self, value: u16, len: u8) {
        for i in (0..len).rev() {
            self.acc = (self.acc << 1) | u32::from((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                let byte = self.acc as u8;
                self.out.push(byte);
                if byte == 0xFF {
                    self.out.push(0);
                }
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    /// Pads the last byte with ones.
    fn finish(mut self) -> Vec<u8> {
        while self.n != 0 {
            self.put(1, 1);
        }
        self.out
    }
}

fn segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend([0xFF, marker]);
    out.extend(((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
}

/// A baseline JPEG of `w` × `h` flat 8 × 8 blocks (RGB, row by row).
fn encode(w: usize, h: usize, blocks: &[[f64; 3]]) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    segment(
        &mut out,
        0xE0,
        b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00",
    );
    // One quantisation table of ones: the DC coefficient is stored as computed.
    let mut dqt = vec![0u8];
    dqt.extend([1u8; 64]);
    segment(&mut out, 0xDB, &dqt);
    let (pw, ph) = ((w * 8) as u16, (h * 8) as u16);
    let mut sof = vec![8];
    sof.extend(ph.to_be_bytes());
    sof.extend(pw.to_be_bytes());
    sof.push(3);
    for id in 1..=3u8 {
        sof.extend([id, 0x11, 0]);
    }
    segment(&mut out, 0xC0, &sof);
    let mut dht = vec![0x00];
    dht.extend(DC_BITS);
    dht.extend(DC_VALUES);
    // AC table 0: one code of length 1 for EOB (0x00).
    dht.push(0x10);
    let mut ac_bits = [0u8; 16];
    ac_bits[0] = 1;
    dht.extend(ac_bits);
    dht.push(0x00);
    segment(&mut out, 0xC4, &dht);
    segment(&mut out, 0xDA, &[3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]);

    let dc = codes(&DC_BITS, &DC_VALUES);
    let mut bits = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    let mut previous = [0i32; 3];
    for rgb in blocks.iter().take(w * h) {
        let [r, g, b] = *rgb;
        let ycc = [
            0.299 * r + 0.587 * g + 0.114 * b,
            128.0 - 0.168_736 * r - 0.331_264 * g + 0.5 * b,
            128.0 + 0.5 * r - 0.418_688 * g - 0.081_312 * b,
        ];
        for (c, value) in ycc.into_iter().enumerate() {
            // DC of a flat block: 8 × (value − 128), in −1024..=1016.
            let coefficient = (8.0 * (value.clamp(0.0, 255.0) - 128.0)).round() as i32;
            let diff = coefficient - previous[c];
            previous[c] = coefficient;
            let magnitude = diff.unsigned_abs();
            let category = (32 - magnitude.leading_zeros()) as u8;
            let (code, len) = dc[usize::from(category)];
            bits.put(code, len);
            if category > 0 {
                // Negative differences are written as diff − 1 in `category` bits.
                let extra = if diff < 0 { diff - 1 } else { diff };
                bits.put((extra as u32 & ((1 << category) - 1)) as u16, category);
            }
            // End of block: no AC coefficients.
            bits.put(0, 1);
        }
    }
    out.extend(bits.finish());
    out.extend([0xFF, 0xD9]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_small_distinct_jpegs_the_server_accepts() {
        let a = photo("att-v-000001-1", false);
        let b = photo("att-v-000002-1", false);
        let c = photo("att-v-000001-1", true);
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, photo("att-v-000001-1", false), "deterministic");
        for p in [&a, &b, &c] {
            assert!(p.len() < 4096, "{} bytes", p.len());
            assert_eq!(&p[..2], &[0xFF, 0xD8]);
            assert_eq!(&p[p.len() - 2..], &[0xFF, 0xD9]);
            // What an upload goes through: typed by its bytes, stripped to the same bytes.
            let prepared = crate::media::prepare(p).unwrap();
            assert_eq!(prepared.kind, crate::media::Kind::Jpeg);
            assert_eq!(&prepared.bytes, p, "nothing to strip");
        }
    }
}
