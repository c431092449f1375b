//! CSV import rules: which columns each kind of file has, how the header is read, the
//! delimiter, the `external_id` key and the next billing date of an imported subscription.
//! The reading itself (the `csv` crate) and the database checks live in the service.
use chrono::NaiveDate;

string_enum! {
    /// What a file imports.
    pub enum ImportKind {
        /// One customer per row.
        Customers => "customers",
        /// One subscription per row, for a customer imported before (or with an email on file).
        Subscriptions => "subscriptions",
    }
}

string_enum! {
    /// Where a console import stands.
    pub enum ImportStatus {
        /// The check found problems: nothing was or will be written.
        Invalid => "invalid",
        /// Checked without problems; waits for "Import".
        Ready => "ready",
        /// Being written, in batches.
        Running => "running",
        /// Written.
        Done => "done",
        /// Stopped by an error; importing again resumes (rows written are kept).
        Failed => "failed",
    }
}

/// The largest file an import reads (32 MiB: about 300,000 customer rows).
pub const MAX_IMPORT_BYTES: u64 = 32 * 1024 * 1024;

/// A column of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportColumn {
    /// Its name in the header (lower case; the header is matched case-insensitively).
    pub name: &'static str,
    /// Whether the header must have it.
    pub required: bool,
}

const fn col(name: &'static str, required: bool) -> ImportColumn {
    ImportColumn { name, required }
}

const CUSTOMER_COLUMNS: &[ImportColumn] = &[
    col("external_id", true),
    col("email", true),
    col("name", true),
    col("language", false),
    col("billing_address", false),
    col("tax_id", false),
];

const SUBSCRIPTION_COLUMNS: &[ImportColumn] = &[
    col("external_id", true),
    col("customer", true),
    col("price", true),
    col("quantity", false),
    col("next_billing_date", true),
];

impl ImportKind {
    /// The documented columns, in the order the README lists them.
    pub const fn columns(self) -> &'static [ImportColumn] {
        match self {
            ImportKind::Customers => CUSTOMER_COLUMNS,
            ImportKind::Subscriptions => SUBSCRIPTION_COLUMNS,
        }
    }
}

/// What is wrong with a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    /// A required column is not there.
    Missing(&'static str),
    /// A column this kind of file does not have (a typo, most often).
    Unknown(String),
    /// A column named twice.
    Repeated(String),
}

/// A header read against a kind's columns: where each known column is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportHeader {
    kind: ImportKind,
    positions: Vec<Option<usize>>,
}

impl ImportHeader {
    /// Reads the header's names (trimmed, any case). Every problem is reported at once.
    pub fn parse<'a>(
        kind: ImportKind,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<ImportHeader, Vec<HeaderProblem>> {
        let columns = kind.columns();
        let mut positions = vec![None; columns.len()];
        let mut problems = Vec::new();
        for (at, raw) in names.into_iter().enumerate() {
            let name = raw.trim().to_ascii_lowercase();
            if name.is_empty() {
                continue; // a trailing delimiter
            }
            match columns.iter().position(|c| c.name == name) {
                Some(i) if positions[i].is_some() => problems.push(HeaderProblem::Repeated(name)),
                Some(i) => positions[i] = Some(at),
                None => problems.push(HeaderProblem::Unknown(
                    raw.trim().chars().take(40).collect(),
                )),
            }
        }
        for (c, p) in columns.iter().zip(&positions) {
            if c.required && p.is_none() {
                problems.push(HeaderProblem::Missing(c.name));
            }
        }
        if problems.is_empty() {
            Ok(ImportHeader { kind, positions })
        } else {
            Err(problems)
        }
    }

    /// The value of column `name` in a row (`""` when the header lacks the optional column
    /// or the row is short).
    pub fn get<'r>(&self, row: &'r [&'r str], name: &str) -> &'r str {
        self.kind
            .columns()
            .iter()
            .position(|c| c.name == name)
            .and_then(|i| self.positions[i])
            .and_then(|at| row.get(at).copied())
            .unwrap_or("")
    }
}

/// The delimiter of a file from its first line: `;` when it has more semicolons than commas
/// (spreadsheets in Italian save so), else `,`.
pub fn detect_delimiter(first_line: &[u8]) -> u8 {
    let count = |b: u8| first_line.iter().filter(|&&c| c == b).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// The merchant's own key of an imported row: 1 to 100 characters, no control characters.
/// Re-importing a row whose key is already known changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternalId(String);

impl ExternalId {
    /// The longest key, in characters.
    pub const MAX_CHARS: usize = 100;

    /// Trims and checks a key.
    pub fn parse(input: &str) -> Option<ExternalId> {
        let s = input.trim();
        let ok = !s.is_empty()
            && s.chars().count() <= Self::MAX_CHARS
            && !s.chars().any(char::is_control);
        ok.then(|| ExternalId(s.to_owned()))
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The next billing date of an imported subscription (`YYYY-MM-DD`): the day its next invoice
/// is made, from today to a year ahead. Its current period runs until then.
pub fn parse_next_billing_date(input: &str, today: NaiveDate) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").ok()?;
    (0..=crate::SubscriptionStart::MAX_AHEAD_DAYS)
        .contains(&(date - today).num_days())
        .then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_matches_columns_in_any_order_and_case() {
        let h = ImportHeader::parse(
            ImportKind::Customers,
            [" Email", "NAME", "external_id", "tax_id"],
        )
        .unwrap();
        let row = ["a@b.it", "Anna", "c-1", "IT12345678903"];
        assert_eq!(h.get(&row, "email"), "a@b.it");
        assert_eq!(h.get(&row, "external_id"), "c-1");
        assert_eq!(h.get(&row, "language"), "");
    }

    #[test]
    fn a_header_names_every_missing_unknown_and_repeated_column() {
        let problems =
            ImportHeader::parse(ImportKind::Customers, ["email", "e-mail", "email"]).unwrap_err();
        assert!(problems.contains(&HeaderProblem::Missing("external_id")));
        assert!(problems.contains(&HeaderProblem::Missing("name")));
        assert!(problems.contains(&HeaderProblem::Unknown("e-mail".into())));
        assert!(problems.contains(&HeaderProblem::Repeated("email".into())));
    }

    #[test]
    fn subscriptions_need_a_customer_a_price_and_a_billing_date() {
        let problems = ImportHeader::parse(ImportKind::Subscriptions, ["external_id"]).unwrap_err();
        assert_eq!(
            problems,
            vec![
                HeaderProblem::Missing("customer"),
                HeaderProblem::Missing("price"),
                HeaderProblem::Missing("next_billing_date"),
            ]
        );
    }

    #[test]
    fn the_delimiter_is_the_more_frequent_of_comma_and_semicolon() {
        assert_eq!(detect_delimiter(b"external_id;email;name"), b';');
        assert_eq!(detect_delimiter(b"external_id,email,name"), b',');
        assert_eq!(detect_delimiter(b"external_id"), b',');
    }

    #[test]
    fn external_ids_are_trimmed_bounded_and_printable() {
        assert_eq!(ExternalId::parse(" c-1 ").unwrap().as_str(), "c-1");
        assert!(ExternalId::parse("").is_none());
        assert!(ExternalId::parse("a\u{7}b").is_none());
        assert!(ExternalId::parse(&"x".repeat(101)).is_none());
        assert!(ExternalId::parse(&"è".repeat(100)).is_some());
    }

    #[test]
    fn a_next_billing_date_is_today_to_a_year_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(parse_next_billing_date("2026-12-03", today), Some(today));
        assert!(parse_next_billing_date("2027-12-04", today).is_some());
        for bad in ["2026-12-02", "2027-12-05", "03/12/2026", "", "soon"] {
            assert_eq!(parse_next_billing_date(bad, today), None, "{bad:?}");
        }
    }
}
