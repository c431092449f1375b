//! The demo organization's logo: a 200×50 transparent PNG drawn in code, so the demo
//! ships no binary asset and exercises the same upload checks as a real logo.
use image::{ImageBuffer, ImageFormat, Rgba};
use std::io::Cursor;

/// 5×7 bitmaps of the letters the logo needs, one row per string.
const GLYPHS: [(char, [&str; 7]); 4] = [
    (
        'A',
        [
            ".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#",
        ],
    ),
    (
        'C',
        [
            ".####", "#....", "#....", "#....", "#....", "#....", ".####",
        ],
    ),
    (
        'M',
        [
            "#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#",
        ],
    ),
    (
        'E',
        [
            "#####", "#....", "#....", "####.", "#....", "#....", "#####",
        ],
    ),
];

/// Encodes the logo: a rounded mark in `color` and the word ACME, on transparency.
pub fn acme_logo_png(color: [u8; 3]) -> Vec<u8> {
    let (w, h) = (200u32, 50u32);
    let ink = Rgba([color[0], color[1], color[2], 255]);
    let mut img: ImageBuffer<Rgba<u8>, Vec<u8>> = ImageBuffer::from_pixel(w, h, Rgba([0, 0, 0, 0]));
    // The mark: a 40×40 rounded square with a lighter inner bar.
    for y in 5..45u32 {
        for x in 4..44u32 {
            let (dx, dy) = (x.min(43 - x + 4) as i32 - 4, y.min(44 - y + 5) as i32 - 5);
            if dx < 6 && dy < 6 && (6 - dx).pow(2) + (6 - dy).pow(2) > 36 {
                continue;
            }
            let inner = (14..34).contains(&x) && (20..30).contains(&y);
            img.put_pixel(
                x,
                y,
                if inner {
                    Rgba([255, 255, 255, 230])
                } else {
                    ink
                },
            );
        }
    }
    // The word, each glyph cell scaled 4× (20×28 px), from x = 56.
    let scale = 4u32;
    let mut origin_x = 56u32;
    for letter in "ACME".chars() {
        let rows = GLYPHS
            .iter()
            .find(|(c, _)| *c == letter)
            .map(|(_, r)| r)
            .expect("glyph defined");
        for (row, bits) in rows.iter().enumerate() {
            for (col, bit) in bits.chars().enumerate() {
                if bit != '#' {
                    continue;
                }
                for sy in 0..scale {
                    for sx in 0..scale {
                        img.put_pixel(
                            origin_x + col as u32 * scale + sx,
                            11 + row as u32 * scale + sy,
                            ink,
                        );
                    }
                }
            }
        }
        origin_x += 6 * scale + 4;
    }
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)
        .expect("encoding a PNG into memory succeeds");
    out.into_inner()
}

#[cfg(test)]
mod tests {
    #[test]
    fn logo_is_a_transparent_200_by_50_png() {
        let png = super::acme_logo_png([15, 118, 110]);
        let img = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(img.dimensions(), (200, 50));
        assert_eq!(img.get_pixel(0, 0).0[3], 0, "corner is transparent");
        assert_eq!(img.get_pixel(20, 10).0, [15, 118, 110, 255]);
    }
}
