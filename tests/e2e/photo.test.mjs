// The phone's Exif reader (SPEC §9.24: capture time and place are read before downscaling drops
// them) on a hand-built JPEG header: DateTimeOriginal, OffsetTimeOriginal and GPS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readExif } from '../../crates/server/web/js/photo.js';

function exifJpeg() {
  const t = new DataView(new ArrayBuffer(197));
  const u16 = (o, v) => t.setUint16(o, v, true);
  const u32 = (o, v) => t.setUint32(o, v, true);
  const ascii = (o, s) => [...s].forEach((c, i) => t.setUint8(o + i, c.charCodeAt(0)));
  const entry = (o, tag, type, count, value) => { u16(o, tag); u16(o + 2, type); u32(o + 4, count); u32(o + 8, value); };
  ascii(0, 'II'); u16(2, 42); u32(4, 8);
  u16(8, 2); entry(10, 0x8769, 4, 1, 38); entry(22, 0x8825, 4, 1, 68); u32(34, 0);
  u16(38, 2); entry(40, 0x9003, 2, 20, 122); entry(52, 0x9011, 2, 7, 142); u32(64, 0);
  u16(68, 4);
  entry(70, 1, 2, 2, 0); ascii(78, 'N');
  entry(82, 2, 5, 3, 149);
  entry(94, 3, 2, 2, 0); ascii(102, 'E');
  entry(106, 4, 5, 3, 173); u32(118, 0);
  ascii(122, '2026:10:03 14:12:00'); ascii(142, '+03:00');
  [[24, 1], [42, 1], [4896, 100], [46, 1], [40, 1], [3108, 100]].forEach(([n, d], i) => { u32(149 + i * 8, n); u32(153 + i * 8, d); });
  const tiff = new Uint8Array(t.buffer);
  const app1 = [0xff, 0xe1, ((tiff.length + 8) >> 8) & 0xff, (tiff.length + 8) & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0];
  return new Uint8Array([0xff, 0xd8, ...app1, ...tiff, 0xff, 0xd9]).buffer;
}

test('capture time with its offset and place come from the Exif block', () => {
  const meta = readExif(exifJpeg());
  assert.equal(meta.capturedAt, '2026-10-03T14:12:00+03:00');
  assert.equal(meta.lat, 24.7136);
  assert.equal(meta.lon, 46.6753);
});

test('no Exif, or not a JPEG, is no metadata', () => {
  assert.deepEqual(readExif(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]).buffer), {});
  assert.deepEqual(readExif(new Uint8Array([0x89, 0x50, 0x4e, 0x47]).buffer), {});
  assert.deepEqual(readExif(new ArrayBuffer(1)), {});
});
