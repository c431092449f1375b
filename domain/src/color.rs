//! The portal's primary colour, and whether text on it stays readable (WCAG 2.x contrast).

/// The WCAG 2.x AA minimum contrast for normal-size text; the button text must meet it.
pub const MIN_TEXT_CONTRAST: f64 = 4.5;

/// An opaque sRGB colour, written `#rrggbb`.
///
/// Any red/green/blue triple is a valid colour, so [`HexColor::from_rgb`] is infallible;
/// text input goes through [`HexColor::parse`]. On the wire it is the `#rrggbb` string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HexColor {
    r: u8,
    g: u8,
    b: u8,
}

/// Why a string is not a hex colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HexColorError {
    /// Nothing was entered.
    #[error("the colour is empty")]
    Empty,
    /// Not 3 or 6 hex digits.
    #[error("a colour has 3 or 6 hex digits, like #1a73e8")]
    WrongLength,
    /// Something other than `0-9a-f` after the optional `#`.
    #[error("a colour may only contain the digits 0-9 and letters a-f")]
    InvalidCharacter,
}

impl HexColor {
    /// Pure white, `#ffffff`.
    pub const WHITE: HexColor = HexColor::from_rgb(255, 255, 255);
    /// Pure black, `#000000`.
    pub const BLACK: HexColor = HexColor::from_rgb(0, 0, 0);
    /// The brand colour of a new organization, `#1f5fbf` (white text on it passes AA).
    /// `style/main.css` uses the same value as the portal's fallback `--brand`.
    pub const DEFAULT_BRAND: HexColor = HexColor::from_rgb(0x1f, 0x5f, 0xbf);

    /// A colour from its channels.
    pub const fn from_rgb(r: u8, g: u8, b: u8) -> HexColor {
        HexColor { r, g, b }
    }

    /// Parses `#RRGGBB`, `RRGGBB`, `#RGB` or `RGB`, case-insensitively, ignoring
    /// surrounding whitespace (what a colour picker or a pasted value gives).
    pub fn parse(input: &str) -> Result<HexColor, HexColorError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(HexColorError::Empty);
        }
        let digits = trimmed.strip_prefix('#').unwrap_or(trimmed);
        let nibbles: Vec<u8> = digits
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()
            .ok_or(HexColorError::InvalidCharacter)?;
        match nibbles.as_slice() {
            // #abc is shorthand for #aabbcc: each nibble is repeated.
            [r, g, b] => Ok(HexColor::from_rgb(r * 17, g * 17, b * 17)),
            [r1, r2, g1, g2, b1, b2] => {
                Ok(HexColor::from_rgb(r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2))
            }
            _ => Err(HexColorError::WrongLength),
        }
    }

    /// The red channel.
    pub const fn r(&self) -> u8 {
        self.r
    }

    /// The green channel.
    pub const fn g(&self) -> u8 {
        self.g
    }

    /// The blue channel.
    pub const fn b(&self) -> u8 {
        self.b
    }

    /// The canonical lowercase `#rrggbb` form (for CSS and storage).
    pub fn to_hex(&self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// WCAG 2.x relative luminance, from 0.0 (black) to 1.0 (white).
    pub fn relative_luminance(&self) -> f64 {
        fn linear(channel: u8) -> f64 {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// White or black, whichever contrasts more with this background (white on a tie).
    pub fn readable_text_color(&self) -> HexColor {
        if contrast_ratio(*self, HexColor::WHITE) >= contrast_ratio(*self, HexColor::BLACK) {
            HexColor::WHITE
        } else {
            HexColor::BLACK
        }
    }
}

/// The WCAG contrast ratio between two colours, from 1.0 (same) to 21.0 (black on white).
/// Symmetric: the order of the arguments does not matter.
pub fn contrast_ratio(a: HexColor, b: HexColor) -> f64 {
    let (la, lb) = (a.relative_luminance(), b.relative_luminance());
    let (lighter, darker) = if la >= lb { (la, lb) } else { (lb, la) };
    (lighter + 0.05) / (darker + 0.05)
}

/// How readable `text` is on `background`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ContrastCheck {
    /// The WCAG contrast ratio, 1.0 to 21.0.
    pub ratio: f64,
    /// Whether the ratio reaches [`MIN_TEXT_CONTRAST`].
    pub passes: bool,
    /// The text colour to use: `text` itself when it passes, otherwise white or black,
    /// whichever reads better on the background.
    pub suggested_text: HexColor,
}

/// Checks `text` on `background` against [`MIN_TEXT_CONTRAST`] and suggests a fix.
pub fn check_text_contrast(background: HexColor, text: HexColor) -> ContrastCheck {
    let ratio = contrast_ratio(background, text);
    let passes = ratio >= MIN_TEXT_CONTRAST;
    ContrastCheck {
        ratio,
        passes,
        suggested_text: if passes {
            text
        } else {
            background.readable_text_color()
        },
    }
}

impl core::fmt::Display for HexColor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl core::str::FromStr for HexColor {
    type Err = HexColorError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HexColor::parse(s)
    }
}

impl TryFrom<String> for HexColor {
    type Error = HexColorError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        HexColor::parse(&value)
    }
}

impl From<HexColor> for String {
    fn from(value: HexColor) -> String {
        value.to_hex()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hex(s: &str) -> HexColor {
        HexColor::parse(s).unwrap()
    }

    #[test]
    fn the_default_brand_colour_is_the_stylesheets_and_passes_aa_with_its_text() {
        let css = include_str!("../../style/main.css");
        assert!(
            css.contains(&format!("--brand: {};", HexColor::DEFAULT_BRAND.to_hex())),
            "style/main.css falls back to HexColor::DEFAULT_BRAND"
        );
        let text = HexColor::DEFAULT_BRAND.readable_text_color();
        assert_eq!(text, HexColor::WHITE);
        assert!(check_text_contrast(HexColor::DEFAULT_BRAND, text).passes);
    }

    #[test]
    fn parses_forms() {
        type Case = (&'static str, Result<(u8, u8, u8), HexColorError>);
        let cases: &[Case] = &[
            ("#1a73e8", Ok((0x1a, 0x73, 0xe8))),
            ("#1A73E8", Ok((0x1a, 0x73, 0xe8))),
            ("1a73e8", Ok((0x1a, 0x73, 0xe8))),
            ("  #ffffff ", Ok((255, 255, 255))),
            ("#fff", Ok((255, 255, 255))),
            ("#F0a", Ok((0xff, 0x00, 0xaa))),
            ("abc", Ok((0xaa, 0xbb, 0xcc))),
            ("", Err(HexColorError::Empty)),
            ("  ", Err(HexColorError::Empty)),
            ("#", Err(HexColorError::WrongLength)),
            ("#ffff", Err(HexColorError::WrongLength)),
            ("#1a73e80", Err(HexColorError::WrongLength)),
            ("#1a73e8ff", Err(HexColorError::WrongLength)),
            ("##fff", Err(HexColorError::InvalidCharacter)),
            ("#ggg", Err(HexColorError::InvalidCharacter)),
            ("red", Err(HexColorError::InvalidCharacter)),
            ("#ff ff ff", Err(HexColorError::InvalidCharacter)),
            ("rgb(1,2,3)", Err(HexColorError::InvalidCharacter)),
            ("#ｆｆｆ", Err(HexColorError::InvalidCharacter)),
        ];
        for (input, expected) in cases {
            let got = HexColor::parse(input).map(|c| (c.r(), c.g(), c.b()));
            assert_eq!(&got, expected, "input {input:?}");
        }
    }

    #[test]
    fn known_contrast_ratios() {
        let cases: &[(&str, &str, f64)] = &[
            ("#000000", "#ffffff", 21.0),
            ("#ffffff", "#000000", 21.0),
            ("#777777", "#ffffff", 4.48),
            ("#767676", "#ffffff", 4.54),
            ("#1a73e8", "#ffffff", 4.51),
            ("#ff0000", "#ffffff", 4.0),
            ("#123456", "#123456", 1.0),
        ];
        for (a, b, expected) in cases {
            let ratio = contrast_ratio(hex(a), hex(b));
            assert!((ratio - expected).abs() < 0.01, "{a} vs {b}: {ratio}");
        }
        assert_eq!(HexColor::BLACK.relative_luminance(), 0.0);
        assert!((HexColor::WHITE.relative_luminance() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn picks_readable_text() {
        let cases: &[(&str, HexColor)] = &[
            ("#000000", HexColor::WHITE),
            // White passes on this blue (4.51:1) but black contrasts more (4.66:1).
            ("#1a73e8", HexColor::BLACK),
            ("#0b57d0", HexColor::WHITE),
            ("#ffffff", HexColor::BLACK),
            ("#ffeb3b", HexColor::BLACK),
            ("#777777", HexColor::BLACK),
        ];
        for (bg, expected) in cases {
            assert_eq!(hex(bg).readable_text_color(), *expected, "bg {bg}");
        }
    }

    #[test]
    fn checks_text_contrast() {
        let ok = check_text_contrast(hex("#1a73e8"), HexColor::WHITE);
        assert!(ok.passes);
        assert_eq!(ok.suggested_text, HexColor::WHITE);

        let bad = check_text_contrast(hex("#777777"), HexColor::WHITE);
        assert!(!bad.passes);
        assert!((bad.ratio - 4.48).abs() < 0.01);
        assert_eq!(bad.suggested_text, HexColor::BLACK);

        let yellow = check_text_contrast(hex("#ffeb3b"), HexColor::WHITE);
        assert!(!yellow.passes);
        assert_eq!(yellow.suggested_text, HexColor::BLACK);
    }

    #[test]
    fn canonical_hex() {
        assert_eq!(hex("#ABC").to_hex(), "#aabbcc");
        assert_eq!(hex("0A0B0C").to_string(), "#0a0b0c");
        assert_eq!(String::from(hex("#fff")), "#ffffff");
    }

    proptest! {
        #[test]
        fn hex_round_trips_and_suggestion_passes(r: u8, g: u8, b: u8, junk in "\\PC{0,10}") {
            let color = HexColor::from_rgb(r, g, b);
            prop_assert_eq!(HexColor::parse(&color.to_hex()), Ok(color));
            prop_assert_eq!(HexColor::parse(&color.to_hex().to_uppercase()), Ok(color));
            let check = check_text_contrast(color, color);
            // Black or white always reaches at least ~4.58:1 on any background.
            prop_assert!(contrast_ratio(color, check.suggested_text) >= MIN_TEXT_CONTRAST);
            let _ = HexColor::parse(&junk);
        }
    }
}
