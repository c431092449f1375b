//! Invoice lines, totals and per-organization invoice numbers.

use crate::{Money, MoneyError};

/// One line of an invoice: `quantity` × `unit`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InvoiceLine {
    /// What is being charged, e.g. "Pro plan, March 2026".
    pub description: String,
    /// How many units.
    pub quantity: u32,
    /// The price of one unit.
    pub unit: Money,
}

impl InvoiceLine {
    /// `quantity × unit`, checked.
    pub fn amount(&self) -> Result<Money, MoneyError> {
        self.unit.checked_mul(i64::from(self.quantity))
    }
}

/// The sums of an invoice. A discount is a line of its own (a negative amount) and there is
/// no tax yet, so `total == subtotal`; both exist so callers and stored rows do not change
/// shape when tax arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InvoiceTotals {
    /// The sum of the line amounts.
    pub subtotal: Money,
    /// What the customer owes.
    pub total: Money,
}

impl InvoiceTotals {
    /// Sums `lines` with checked arithmetic. Errors when there are no lines
    /// ([`MoneyError::NoLines`]), when lines mix currencies, or on overflow.
    pub fn compute(lines: &[InvoiceLine]) -> Result<InvoiceTotals, MoneyError> {
        let first = lines.first().ok_or(MoneyError::NoLines)?;
        let subtotal = lines
            .iter()
            .try_fold(Money::zero(first.unit.currency), |sum, line| {
                sum.checked_add(line.amount()?)
            })?;
        Ok(InvoiceTotals {
            subtotal,
            total: subtotal,
        })
    }
}

/// A human-facing invoice number such as `ACME-000042`, unique within an organization.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct InvoiceNumber(String);

impl InvoiceNumber {
    /// Formats `prefix` (upper-cased) and `seq` zero-padded to 6 digits: `ACME-000042`.
    /// Numbers past 999 999 simply grow (`ACME-1000000`); an empty prefix gives `000042`.
    pub fn format(prefix: &str, seq: u64) -> String {
        let prefix = prefix.trim().to_uppercase();
        if prefix.is_empty() {
            format!("{seq:06}")
        } else {
            format!("{prefix}-{seq:06}")
        }
    }

    /// The invoice number for `seq` under `prefix`; see [`InvoiceNumber::format`].
    pub fn new(prefix: &str, seq: u64) -> InvoiceNumber {
        InvoiceNumber(Self::format(prefix, seq))
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Display for InvoiceNumber {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest prefix derived from a slug; invoice numbers must stay short on a PDF.
pub const MAX_INVOICE_PREFIX_LEN: usize = 10;

/// An invoice prefix staff typed: 1 to [`MAX_INVOICE_PREFIX_LEN`] ASCII letters and digits,
/// upper-cased (`" acme "` → `ACME`); empty means "from the slug" (`Ok(None)`).
pub fn parse_invoice_prefix(input: &str) -> Result<Option<String>, InvalidInvoicePrefix> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    if input.len() > MAX_INVOICE_PREFIX_LEN || !input.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(InvalidInvoicePrefix);
    }
    Ok(Some(input.to_ascii_uppercase()))
}

/// An invoice prefix that is not 1 to 10 ASCII letters and digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidInvoicePrefix;

/// Derives an invoice prefix from an organization slug: ASCII letters and digits only,
/// upper-cased, at most [`MAX_INVOICE_PREFIX_LEN`] characters (`"acme"` → `"ACME"`,
/// `"caffè-roma"` → `"CAFFROMA"`). Falls back to `"INV"` when nothing usable is left.
pub fn invoice_prefix_from_slug(slug: &str) -> String {
    let prefix: String = slug
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(MAX_INVOICE_PREFIX_LEN)
        .collect();
    if prefix.is_empty() {
        "INV".to_owned()
    } else {
        prefix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_prefixes_are_short_ascii_and_upper_case() {
        assert_eq!(
            parse_invoice_prefix(" rossi24 "),
            Ok(Some("ROSSI24".into()))
        );
        assert_eq!(parse_invoice_prefix(""), Ok(None));
        for bad in ["ROSSI-24", "CAFFÈ", "ABCDEFGHIJK", "A B"] {
            assert_eq!(
                parse_invoice_prefix(bad),
                Err(InvalidInvoicePrefix),
                "{bad}"
            );
        }
    }
    use crate::Currency;

    fn line(quantity: u32, minor: i64, currency: Currency) -> InvoiceLine {
        InvoiceLine {
            description: "Pro plan".to_owned(),
            quantity,
            unit: Money::new(minor, currency),
        }
    }

    #[test]
    fn computes_totals() {
        let eur = |m| Money::new(m, Currency::Eur);
        let cases: &[(Vec<InvoiceLine>, Result<Money, MoneyError>)] = &[
            (vec![line(1, 2900, Currency::Eur)], Ok(eur(2900))),
            (
                vec![line(2, 2900, Currency::Eur), line(3, 100, Currency::Eur)],
                Ok(eur(6100)),
            ),
            (vec![line(0, 2900, Currency::Eur)], Ok(eur(0))),
            (
                vec![line(1, 2900, Currency::Eur), line(1, -500, Currency::Eur)],
                Ok(eur(2400)),
            ),
            (vec![], Err(MoneyError::NoLines)),
            (
                vec![line(1, 2900, Currency::Eur), line(1, 100, Currency::Usd)],
                Err(MoneyError::CurrencyMismatch {
                    left: Currency::Eur,
                    right: Currency::Usd,
                }),
            ),
            (
                vec![line(u32::MAX, i64::MAX / 2, Currency::Eur)],
                Err(MoneyError::Overflow),
            ),
            (
                vec![line(1, i64::MAX, Currency::Eur), line(1, 1, Currency::Eur)],
                Err(MoneyError::Overflow),
            ),
        ];
        for (lines, expected) in cases {
            let got = InvoiceTotals::compute(lines);
            assert_eq!(got.map(|t| t.subtotal), *expected);
            if let Ok(totals) = got {
                assert_eq!(totals.total, totals.subtotal);
            }
        }
    }

    #[test]
    fn formats_invoice_numbers() {
        let cases: &[(&str, u64, &str)] = &[
            ("ACME", 42, "ACME-000042"),
            ("acme", 1, "ACME-000001"),
            ("Acme", 999_999, "ACME-999999"),
            ("ACME", 1_000_000, "ACME-1000000"),
            ("ACME", 0, "ACME-000000"),
            ("", 42, "000042"),
        ];
        for (prefix, seq, expected) in cases {
            assert_eq!(InvoiceNumber::format(prefix, *seq), *expected);
        }
        assert_eq!(InvoiceNumber::new("acme", 42).to_string(), "ACME-000042");
    }

    #[test]
    fn derives_prefixes_from_slugs() {
        let cases: &[(&str, &str)] = &[
            ("acme", "ACME"),
            ("acme-corp", "ACMECORP"),
            ("caffè-roma", "CAFFROMA"),
            ("a-very-long-organization", "AVERYLONGO"),
            ("---", "INV"),
            ("", "INV"),
        ];
        for (slug, expected) in cases {
            assert_eq!(invoice_prefix_from_slug(slug), *expected, "slug {slug:?}");
        }
    }
}
