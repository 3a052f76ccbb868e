// Photos from the camera: read the capture time and place from the original's Exif (SPEC §9.24:
// downscaling drops them, and the server keeps them as fields for its plausibility checks),
// then downscale to at most 1600 px as JPEG on the device before anything is uploaded.

const MAX_SIDE = 1600;

function localOffset(d = new Date()) {
  const m = -d.getTimezoneOffset();
  const sign = m >= 0 ? '+' : '-';
  const a = Math.abs(m);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Now as RFC 3339 with the phone's own offset (the server keeps the offset: SPEC §9.14). */
export function nowLocal() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${localOffset(d)}`;
}

/** {capturedAt?, lat?, lon?} from a JPEG's Exif; {} when there is none or it cannot be read. */
export function readExif(buf) {
  try {
    const v = new DataView(buf);
    if (v.getUint16(0) !== 0xffd8) return {};
    let off = 2;
    while (off + 4 < v.byteLength) {
      const marker = v.getUint16(off);
      const len = v.getUint16(off + 2);
      if (marker === 0xffe1 && v.getUint32(off + 4) === 0x45786966) return tiff(v, off + 10);
      if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) break;
      off += 2 + len;
    }
  } catch { /* a broken Exif block is just no Exif */ }
  return {};
}

function tiff(v, start) {
  const le = v.getUint16(start) === 0x4949;
  const u16 = (o) => v.getUint16(start + o, le);
  const u32 = (o) => v.getUint32(start + o, le);
  const ifd = (o) => {
    const tags = new Map();
    const n = u16(o);
    for (let i = 0; i < n; i++) {
      const e = o + 2 + i * 12;
      tags.set(u16(e), { type: u16(e + 2), count: u32(e + 4), at: e + 8 });
    }
    return tags;
  };
  const ascii = (tag) => {
    if (!tag) return undefined;
    const at = tag.count > 4 ? u32(tag.at) : tag.at;
    let s = '';
    for (let i = 0; i < tag.count - 1; i++) s += String.fromCharCode(v.getUint8(start + at + i));
    return s;
  };
  const rationals = (tag) => {
    const at = u32(tag.at);
    return [0, 1, 2].map((i) => u32(at + i * 8) / (u32(at + i * 8 + 4) || 1));
  };
  const out = {};
  const ifd0 = ifd(u32(4));
  const exifPtr = ifd0.get(0x8769);
  if (exifPtr) {
    const exif = ifd(u32(exifPtr.at));
    const dt = ascii(exif.get(0x9003)) || ascii(ifd0.get(0x0132));
    const m = dt && /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(dt);
    if (m) {
      const offset = ascii(exif.get(0x9011));
      const when = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
      // Without OffsetTimeOriginal the camera's clock is taken to be in the phone's zone.
      out.capturedAt = when + (offset && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : localOffset(new Date(when)));
    }
  }
  const gpsPtr = ifd0.get(0x8825);
  if (gpsPtr) {
    const gps = ifd(u32(gpsPtr.at));
    if (gps.get(2) && gps.get(4)) {
      const deg = (d) => d[0] + d[1] / 60 + d[2] / 3600;
      const lat = deg(rationals(gps.get(2))) * (ascii(gps.get(1)) === 'S' ? -1 : 1);
      const lon = deg(rationals(gps.get(4))) * (ascii(gps.get(3)) === 'W' ? -1 : 1);
      if (Number.isFinite(lat) && Number.isFinite(lon)) { out.lat = +lat.toFixed(6); out.lon = +lon.toFixed(6); }
    }
  }
  return out;
}

/** Downscales an image file to a JPEG Blob of at most MAX_SIDE pixels on its long side. */
export async function downscale(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d').drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encode'))), 'image/jpeg', 0.82));
}

/** Exif fields and the downscaled JPEG of a picked file. */
export async function preparePhoto(file) {
  const meta = readExif(await file.arrayBuffer());
  const blob = await downscale(file);
  return { ...meta, blob };
}
