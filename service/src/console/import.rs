//! CSV import of customers and subscriptions, for the console page and `dunwell import`.
//!
//! A file is read as a stream, in batches of [`BATCH`] rows, twice: the check reads every row
//! with `domain`'s rules and the database's (emails taken, prices, customers) and collects
//! every problem; only a file without problems is written, in a second pass, one transaction
//! per batch. A row whose `external_id` the organization already has is left as it is, so
//! importing the same file again changes nothing. Within the file, keys and emails are
//! remembered as 64-bit hashes, so memory stays flat however long the file is.
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::entity::{customer, import, organization, plan, subscription};
use crate::secret::random_bytes;
use chrono::{DateTime, NaiveTime, Utc};
use domain::ImportStatus;
use domain::{
    BillingAddress, CustomerId, DisplayName, EmailAddress, ExternalId, HeaderProblem, ImportHeader,
    ImportId, ImportKind, Locale, MAX_IMPORT_BYTES, PlanId, Quantity, SubscriptionId,
    SubscriptionStatus, VatNumber,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Read;
use std::path::PathBuf;
use wire::console::{ImportCode, ImportProblem, ImportView, MAX_IMPORT_PROBLEMS};
use wire::error::{Conflict, FieldCode};

/// Rows per batch: one lookup per batch in the check, one transaction per batch in the run.
pub const BATCH: usize = 500;

/// Where a file is read from (twice: the check, then the run).
#[derive(Debug, Clone)]
pub enum ImportSource {
    /// The bytes (an upload).
    Bytes(std::sync::Arc<Vec<u8>>),
    /// A file on disk (the CLI), streamed.
    File(PathBuf),
}

impl ImportSource {
    fn open(&self) -> std::io::Result<Box<dyn Read + Send + '_>> {
        Ok(match self {
            ImportSource::Bytes(b) => Box::new(std::io::Cursor::new(b.as_slice())),
            ImportSource::File(path) => Box::new(std::io::BufReader::with_capacity(
                64 * 1024,
                std::fs::File::open(path)?,
            )),
        })
    }

    fn len(&self) -> std::io::Result<u64> {
        Ok(match self {
            ImportSource::Bytes(b) => b.len() as u64,
            ImportSource::File(path) => std::fs::metadata(path)?.len(),
        })
    }

    /// The first line (at most 64 KiB of it), for the delimiter.
    fn first_line(&self) -> std::io::Result<Vec<u8>> {
        let mut head = Vec::new();
        self.open()?.take(64 * 1024).read_to_end(&mut head)?;
        let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
        head.truncate(end);
        Ok(head)
    }
}

/// What a check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCheck {
    /// Data rows.
    pub rows: u64,
    /// Rows with a new `external_id`.
    pub new_rows: u64,
    /// Rows imported before.
    pub existing_rows: u64,
    /// The first [`MAX_IMPORT_PROBLEMS`] problems, in file order.
    pub problems: Vec<ImportProblem>,
    /// Problems beyond those.
    pub more_problems: u64,
}

impl ImportCheck {
    /// Whether the file can be imported.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, line: u64, column: Option<&str>, code: ImportCode) {
        if self.problems.len() < MAX_IMPORT_PROBLEMS {
            self.problems.push(ImportProblem {
                line,
                column: column.map(str::to_owned),
                code,
            });
        } else {
            self.more_problems += 1;
        }
    }
}

/// How a run reports its progress.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// Not at all.
    Silent,
    /// A line on standard error per 10,000 rows (the CLI).
    Stderr,
    /// In the import's row, which the console page shows (`imports.id`).
    Row(i64),
}

/// A customer row that passed.
struct CustomerRow {
    external_id: ExternalId,
    email: EmailAddress,
    name: DisplayName,
    locale: Locale,
    address: BillingAddress,
    tax_id: Option<VatNumber>,
}

/// A subscription row that passed the file's own rules.
struct SubscriptionRow {
    line: u64,
    external_id: ExternalId,
    customer: String,
    price: PlanId,
    quantity: Quantity,
    period_end: DateTime<Utc>,
}

/// A batch's rows that are new and passed.
enum Fresh {
    Customers(Vec<CustomerRow>),
    Subscriptions(Vec<(SubscriptionRow, i64, i64)>),
}

/// One pass over a file.
struct Pass<'a> {
    kind: ImportKind,
    org: &'a organization::Model,
    now: DateTime<Utc>,
    header: Option<ImportHeader>,
    /// The header's number of values.
    width: usize,
    /// Rows the write pass has been through.
    done: u64,
    check: ImportCheck,
    seen_keys: HashSet<u64>,
    seen_emails: HashSet<u64>,
    /// The organization's prices by public id (a catalog is small).
    plans: HashMap<String, plan::Model>,
    /// The currency each customer pays in, as this file or earlier subscriptions set it.
    currency: HashMap<i64, String>,
}

fn hash(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl ConsoleService {
    /// Checks a file: every problem (line, column, why), and how many rows are new. Writes
    /// nothing.
    pub async fn check_import(
        &self,
        actor: &AdminActor,
        kind: ImportKind,
        source: &ImportSource,
    ) -> Result<ImportCheck, ConsoleError> {
        actor.require_change()?;
        let (org, now) = self.org_and_now(actor).await?;
        self.pass(&org, now, kind, source, None).await
    }

    /// Checks a file and, when it has no problem, writes its new rows in batches. A file
    /// with problems is refused with them (`Err(Ok(check))`) and nothing is written.
    pub async fn run_import(
        &self,
        actor: &AdminActor,
        kind: ImportKind,
        source: &ImportSource,
        progress: Progress,
    ) -> Result<ImportCheck, Result<ImportCheck, ConsoleError>> {
        actor.require_change().map_err(Err)?;
        let (org, now) = self.org_and_now(actor).await.map_err(Err)?;
        let check = self
            .pass(&org, now, kind, source, None)
            .await
            .map_err(Err)?;
        if !check.is_clean() {
            return Err(Ok(check));
        }
        let written = self
            .pass(&org, now, kind, source, Some(progress))
            .await
            .map_err(Err)?;
        if !written.is_clean() {
            // The database changed between the passes (an email taken meanwhile): the
            // batches before stay written, and importing again resumes.
            return Err(Ok(written));
        }
        let details = format!(
            "{}: {} created, {} already there",
            kind.as_str(),
            written.new_rows,
            written.existing_rows
        );
        self.refresh_stats().await.map_err(Err)?;
        let action = format!("import.{}", kind.as_str());
        audit::record(&self.db, actor, &action, details, self.now())
            .await
            .map_err(Err)?;
        Ok(written)
    }

    /// Reads the file once; with `write`, writes each clean batch as it goes.
    async fn pass(
        &self,
        org: &organization::Model,
        now: DateTime<Utc>,
        kind: ImportKind,
        source: &ImportSource,
        write: Option<Progress>,
    ) -> Result<ImportCheck, ConsoleError> {
        let internal = |e: std::io::Error| ConsoleError::Internal(format!("import file: {e}"));
        let mut pass = Pass {
            kind,
            org,
            now,
            header: None,
            width: 0,
            done: 0,
            check: ImportCheck::default(),
            seen_keys: HashSet::new(),
            seen_emails: HashSet::new(),
            plans: HashMap::new(),
            currency: HashMap::new(),
        };
        if source.len().map_err(internal)? > MAX_IMPORT_BYTES {
            pass.check.problem(1, None, ImportCode::TooLarge);
            return Ok(pass.check);
        }
        self.refresh_stats().await?;
        if kind == ImportKind::Subscriptions {
            pass.plans = plan::Entity::find()
                .filter(plan::Column::OrganizationId.eq(org.id))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|p| (p.public_id.clone(), p))
                .collect();
        }
        let delimiter = domain::detect_delimiter(&source.first_line().map_err(internal)?);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(source.open().map_err(internal)?);
        let mut record = csv::StringRecord::new();
        let mut batch: Vec<(u64, csv::StringRecord)> = Vec::with_capacity(BATCH);
        loop {
            let more = match reader.read_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    let line = e.position().map_or(1, csv::Position::line);
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        return Err(ConsoleError::Internal(format!("import file: {e}")));
                    }
                    pass.check.problem(line, None, ImportCode::Unreadable);
                    if line == 1 {
                        return Ok(pass.check);
                    }
                    continue;
                }
            };
            if !more {
                break;
            }
            let line = record.position().map_or(1, csv::Position::line);
            if pass.header.is_none() {
                match ImportHeader::parse(kind, record.iter()) {
                    Ok(h) => pass.header = Some(h),
                    Err(problems) => {
                        for p in problems {
                            let (column, code) = match &p {
                                HeaderProblem::Missing(c) => (*c, ImportCode::ColumnMissing),
                                HeaderProblem::Unknown(c) => {
                                    (c.as_str(), ImportCode::ColumnUnknown)
                                }
                                HeaderProblem::Repeated(c) => {
                                    (c.as_str(), ImportCode::ColumnRepeated)
                                }
                            };
                            pass.check.problem(line, Some(column), code);
                        }
                        return Ok(pass.check);
                    }
                }
                pass.width = record.len();
                continue;
            }
            batch.push((line, std::mem::take(&mut record)));
            if batch.len() == BATCH {
                self.batch(&mut pass, &mut batch, write).await?;
            }
        }
        if !batch.is_empty() {
            self.batch(&mut pass, &mut batch, write).await?;
        }
        if pass.header.is_none() || pass.check.rows == 0 {
            pass.check.problem(1, None, ImportCode::Empty);
        }
        // A batch's database checks come after its rows' own: back to file order.
        pass.check.problems.sort_by_key(|p| p.line);
        Ok(pass.check)
    }
}

/// The value of a column in a row.
fn value<'r>(pass: &Pass<'_>, row: &'r [&'r str], column: &str) -> &'r str {
    pass.header.as_ref().map_or("", |h| h.get(row, column))
}

/// Whether a row has values past the header's columns (trailing empty ones are fine).
fn too_wide(pass: &Pass<'_>, row: &[&str]) -> bool {
    row.len() > pass.width && row[pass.width..].iter().any(|v| !v.trim().is_empty())
}

impl ConsoleService {
    /// Checks a batch and, in the write pass of a clean file, writes it.
    async fn batch(
        &self,
        pass: &mut Pass<'_>,
        rows: &mut Vec<(u64, csv::StringRecord)>,
        write: Option<Progress>,
    ) -> Result<(), ConsoleError> {
        let fresh = match pass.kind {
            ImportKind::Customers => Fresh::Customers(self.customer_batch(pass, rows).await?),
            ImportKind::Subscriptions => {
                Fresh::Subscriptions(self.subscription_batch(pass, rows).await?)
            }
        };
        let seen = rows.len() as u64;
        rows.clear();
        match write {
            Some(progress) if pass.check.is_clean() => {
                pass.done += seen;
                self.write(pass, fresh, progress).await?;
                if (pass.done / BATCH as u64) % ANALYZE_EVERY == 1 {
                    self.refresh_stats().await?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    async fn customer_batch(
        &self,
        pass: &mut Pass<'_>,
        rows: &[(u64, csv::StringRecord)],
    ) -> Result<Vec<CustomerRow>, ConsoleError> {
        let default_locale = if pass.org.country == "IT" {
            Locale::It
        } else {
            Locale::En
        };
        let mut parsed = Vec::with_capacity(rows.len());
        for (line, record) in rows {
            let line = *line;
            pass.check.rows += 1;
            let row: Vec<&str> = record.iter().collect();
            if too_wide(pass, &row) {
                pass.check.problem(line, None, ImportCode::TooManyValues);
                continue;
            }
            let before = pass.check.problems.len() as u64 + pass.check.more_problems;
            let external_id = ExternalId::parse(value(pass, &row, "external_id"));
            let email = EmailAddress::parse(value(pass, &row, "email")).ok();
            let name = DisplayName::parse(value(pass, &row, "name"));
            let language = value(pass, &row, "language").trim();
            let locale = if language.is_empty() {
                Some(default_locale)
            } else {
                Locale::parse(&language.to_ascii_lowercase()).ok()
            };
            let address = BillingAddress::parse(value(pass, &row, "billing_address")).ok();
            let tax_id = VatNumber::parse(value(pass, &row, "tax_id")).ok();
            let c = &mut pass.check;
            check_key(c, &mut pass.seen_keys, line, external_id.as_ref());
            match &email {
                None => c.problem(line, Some("email"), field(FieldCode::EmailInvalid)),
                Some(e) if !pass.seen_emails.insert(hash(&e.as_str().to_lowercase())) => {
                    c.problem(line, Some("email"), ImportCode::Duplicate);
                }
                Some(_) => {}
            }
            if let Err(e) = &name {
                c.problem(line, Some("name"), field((*e).into()));
            }
            if locale.is_none() {
                c.problem(line, Some("language"), field(FieldCode::LocaleInvalid));
            }
            if address.is_none() {
                c.problem(
                    line,
                    Some("billing_address"),
                    field(FieldCode::AddressInvalid),
                );
            }
            if tax_id.is_none() {
                c.problem(line, Some("tax_id"), field(FieldCode::TaxIdInvalid));
            }
            if c.problems.len() as u64 + c.more_problems != before {
                continue;
            }
            if let (
                Some(external_id),
                Some(email),
                Ok(name),
                Some(locale),
                Some(address),
                Some(tax_id),
            ) = (external_id, email, name, locale, address, tax_id)
            {
                parsed.push((
                    line,
                    CustomerRow {
                        external_id,
                        email,
                        name,
                        locale,
                        address,
                        tax_id,
                    },
                ));
            }
        }
        let known = known_keys::<customer::Entity>(
            &self.db,
            customer::Column::OrganizationId,
            customer::Column::ExternalId,
            pass.org.id,
            parsed
                .iter()
                .map(|(_, r)| r.external_id.as_str().to_owned()),
        )
        .await?;
        let (old, fresh): (Vec<_>, Vec<_>) = parsed
            .into_iter()
            .partition(|(_, r)| known.contains(r.external_id.as_str()));
        pass.check.existing_rows += old.len() as u64;
        let emails: Vec<String> = fresh
            .iter()
            .map(|(_, r)| r.email.as_str().to_lowercase())
            .collect();
        let taken: HashSet<String> = customer::Entity::find()
            .select_only()
            .column(customer::Column::Email)
            .filter(customer::Column::OrganizationId.eq(pass.org.id))
            .filter(customer::Column::Email.is_in(emails))
            .into_tuple::<String>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut out = Vec::with_capacity(fresh.len());
        for (line, row) in fresh {
            if taken.contains(&row.email.as_str().to_lowercase()) {
                pass.check
                    .problem(line, Some("email"), field(FieldCode::EmailTaken));
            } else {
                out.push(row);
            }
        }
        pass.check.new_rows += out.len() as u64;
        Ok(out)
    }

    /// The rows that passed, with their customer's and price's keys.
    async fn subscription_batch(
        &self,
        pass: &mut Pass<'_>,
        rows: &[(u64, csv::StringRecord)],
    ) -> Result<Vec<(SubscriptionRow, i64, i64)>, ConsoleError> {
        let today = pass.now.date_naive();
        let mut parsed = Vec::with_capacity(rows.len());
        for (line, record) in rows {
            let line = *line;
            pass.check.rows += 1;
            let row: Vec<&str> = record.iter().collect();
            if too_wide(pass, &row) {
                pass.check.problem(line, None, ImportCode::TooManyValues);
                continue;
            }
            let before = pass.check.problems.len() as u64 + pass.check.more_problems;
            let external_id = ExternalId::parse(value(pass, &row, "external_id"));
            let customer = value(pass, &row, "customer").trim().to_owned();
            let price = PlanId::parse(value(pass, &row, "price").trim()).ok();
            let quantity = Quantity::parse(value(pass, &row, "quantity"));
            let date =
                domain::parse_next_billing_date(value(pass, &row, "next_billing_date"), today);
            let c = &mut pass.check;
            check_key(c, &mut pass.seen_keys, line, external_id.as_ref());
            if customer.is_empty() {
                c.problem(line, Some("customer"), ImportCode::CustomerUnknown);
            }
            match price.as_ref().map(|p| pass.plans.get(p.as_str())) {
                None | Some(None) => c.problem(line, Some("price"), field(FieldCode::PriceUnknown)),
                Some(Some(p)) if p.archived_at.is_some() => {
                    c.problem(line, Some("price"), field(FieldCode::PriceArchived));
                }
                Some(Some(_)) => {}
            }
            if quantity.is_none() {
                c.problem(line, Some("quantity"), field(FieldCode::QuantityInvalid));
            }
            if date.is_none() {
                c.problem(
                    line,
                    Some("next_billing_date"),
                    ImportCode::BillingDateInvalid,
                );
            }
            if c.problems.len() as u64 + c.more_problems != before {
                continue;
            }
            if let (Some(external_id), Some(price), Some(quantity), Some(date)) =
                (external_id, price, quantity, date)
            {
                let period_end = date.and_time(NaiveTime::MIN).and_utc();
                parsed.push(SubscriptionRow {
                    line,
                    external_id,
                    customer,
                    price,
                    quantity,
                    period_end,
                });
            }
        }
        let known = known_keys::<subscription::Entity>(
            &self.db,
            subscription::Column::OrganizationId,
            subscription::Column::ExternalId,
            pass.org.id,
            parsed.iter().map(|r| r.external_id.as_str().to_owned()),
        )
        .await?;
        let (old, fresh): (Vec<_>, Vec<_>) = parsed
            .into_iter()
            .partition(|r| known.contains(r.external_id.as_str()));
        pass.check.existing_rows += old.len() as u64;
        // The customers named: by email when the value has an `@`, else by external_id.
        let mut emails = Vec::new();
        let mut keys = Vec::new();
        for r in &fresh {
            if r.customer.contains('@') {
                emails.push(r.customer.to_lowercase());
            } else {
                keys.push(r.customer.clone());
            }
        }
        // Only the lists that have values: an empty `IN ()` beside the other in an `OR` makes
        // SQLite scan every customer instead of using the two indexes.
        let mut named = sea_orm::Condition::any();
        if !emails.is_empty() {
            named = named.add(customer::Column::Email.is_in(emails));
        }
        if !keys.is_empty() {
            named = named.add(customer::Column::ExternalId.is_in(keys));
        }
        let customers = if named.is_empty() {
            Vec::new()
        } else {
            customer::Entity::find()
                .filter(customer::Column::OrganizationId.eq(pass.org.id))
                .filter(named)
                .all(&self.db)
                .await?
        };
        let mut by_ref: HashMap<String, &customer::Model> = HashMap::new();
        for c in &customers {
            by_ref.insert(c.email.clone(), c);
            if let Some(k) = &c.external_id {
                by_ref.insert(k.clone(), c);
            }
        }
        let unseen: Vec<i64> = customers
            .iter()
            .map(|c| c.id)
            .filter(|id| !pass.currency.contains_key(id))
            .collect();
        if !unseen.is_empty() {
            let plan_currency: HashMap<i64, &str> = pass
                .plans
                .values()
                .map(|p| (p.id, p.currency.as_str()))
                .collect();
            let paying: Vec<(i64, i64)> = subscription::Entity::find()
                .select_only()
                .column(subscription::Column::CustomerId)
                .column(subscription::Column::PlanId)
                .filter(subscription::Column::CustomerId.is_in(unseen))
                .filter(subscription::Column::Status.ne(SubscriptionStatus::Canceled.as_str()))
                .into_tuple()
                .all(&self.db)
                .await?;
            for (customer_id, plan_id) in paying {
                if let Some(cur) = plan_currency.get(&plan_id) {
                    pass.currency.insert(customer_id, (*cur).to_owned());
                }
            }
        }
        let mut out = Vec::with_capacity(fresh.len());
        for row in fresh {
            let line = row.line;
            let reference = if row.customer.contains('@') {
                row.customer.to_lowercase()
            } else {
                row.customer.clone()
            };
            let Some(customer) = by_ref.get(&reference) else {
                pass.check
                    .problem(line, Some("customer"), ImportCode::CustomerUnknown);
                continue;
            };
            if customer.archived_at.is_some() {
                pass.check
                    .problem(line, Some("customer"), ImportCode::CustomerArchived);
                continue;
            }
            let Some(plan) = pass.plans.get(row.price.as_str()) else {
                continue;
            };
            let plan_id = plan.id;
            match pass.currency.get(&customer.id) {
                Some(cur) if *cur != plan.currency => {
                    pass.check
                        .problem(line, Some("price"), field(FieldCode::CurrencyMismatch));
                    continue;
                }
                Some(_) => {}
                None => {
                    pass.currency.insert(customer.id, plan.currency.clone());
                }
            }
            out.push((row, customer.id, plan_id));
        }
        pass.check.new_rows += out.len() as u64;
        Ok(out)
    }

    /// Writes one batch's new rows, and the progress, in one transaction.
    async fn write(
        &self,
        pass: &Pass<'_>,
        fresh: Fresh,
        progress: Progress,
    ) -> Result<(), ConsoleError> {
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        match fresh {
            Fresh::Customers(rows) if !rows.is_empty() => {
                let models = rows.into_iter().map(|r| customer::ActiveModel {
                    public_id: Set(CustomerId::from_random(random_bytes()).as_str().to_owned()),
                    organization_id: Set(pass.org.id),
                    email: Set(r.email.as_str().to_lowercase()),
                    name: Set(r.name.as_str().to_owned()),
                    locale: Set(r.locale.as_str().to_owned()),
                    billing_address: Set(r.address.as_str().to_owned()),
                    tax_id: Set(r.tax_id.as_ref().map(|v| v.as_str().to_owned())),
                    archived_at: Set(None),
                    created_at: Set(now),
                    external_id: Set(Some(r.external_id.as_str().to_owned())),
                    ..Default::default()
                });
                // Each new customer is an API event (`customer.created`), in this batch's
                // transaction as every change's event is.
                let made = crate::db::insert_chunked_returning(&txn, models.collect()).await?;
                crate::events::customers_created(&txn, made, now).await?;
            }
            Fresh::Subscriptions(rows) if !rows.is_empty() => {
                let models =
                    rows.into_iter()
                        .map(|(r, customer_id, plan_id)| subscription::ActiveModel {
                            public_id: Set(SubscriptionId::from_random(random_bytes()).to_string()),
                            organization_id: Set(pass.org.id),
                            customer_id: Set(customer_id),
                            plan_id: Set(plan_id),
                            status: Set(SubscriptionStatus::Active.as_str().to_owned()),
                            current_period_start: Set(pass.now.min(r.period_end)),
                            current_period_end: Set(r.period_end),
                            cancel_at_period_end: Set(false),
                            cancel_reason: Set(None),
                            cancel_comment: Set(None),
                            canceled_at: Set(None),
                            created_at: Set(now),
                            updated_at: Set(now),
                            quantity: Set(i32::try_from(r.quantity.get()).unwrap_or(1)),
                            trial_end: Set(None),
                            external_id: Set(Some(r.external_id.as_str().to_owned())),
                            ..Default::default()
                        });
                let made = crate::db::insert_chunked_returning(&txn, models.collect()).await?;
                crate::events::subscriptions_created(&txn, made, now).await?;
            }
            Fresh::Customers(_) | Fresh::Subscriptions(_) => {}
        }
        match progress {
            Progress::Row(id) => {
                import::Entity::update_many()
                    .col_expr(import::Column::DoneRows, Expr::value(pass.done as i64))
                    .col_expr(import::Column::UpdatedAt, Expr::value(now))
                    .filter(import::Column::Id.eq(id))
                    .exec(&txn)
                    .await?;
            }
            Progress::Stderr if pass.done % 10_000 < BATCH as u64 => {
                eprintln!("{} rows written", pass.done);
            }
            Progress::Stderr | Progress::Silent => {}
        }
        txn.commit().await?;
        Ok(())
    }
}

/// Batches between two refreshes of PostgreSQL's statistics during a write pass.
const ANALYZE_EVERY: u64 = 20;

impl ConsoleService {
    /// On PostgreSQL, refreshes the planner's statistics of the tables an import reads and
    /// grows: a table filled in one run still looks empty to the planner until autovacuum
    /// gets to it, and each batch's lookups would then scan it. SQLite needs none.
    async fn refresh_stats(&self) -> Result<(), ConsoleError> {
        if self.db.get_database_backend() == sea_orm::DbBackend::Postgres {
            self.db
                .execute_unprepared("ANALYZE customers, subscriptions")
                .await?;
        }
        Ok(())
    }
}

/// A row's `external_id`: present, well formed and not seen earlier in the file.
fn check_key(c: &mut ImportCheck, seen: &mut HashSet<u64>, line: u64, key: Option<&ExternalId>) {
    match key {
        None => c.problem(line, Some("external_id"), ImportCode::ExternalIdInvalid),
        Some(k) if !seen.insert(hash(k.as_str())) => {
            c.problem(line, Some("external_id"), ImportCode::Duplicate);
        }
        Some(_) => {}
    }
}

fn field(code: FieldCode) -> ImportCode {
    ImportCode::Field(code)
}

/// Which of `keys` the organization already has in `column` of `entity`.
async fn known_keys<E: EntityTrait>(
    db: &impl ConnectionTrait,
    org_column: E::Column,
    key_column: E::Column,
    org_id: i64,
    keys: impl Iterator<Item = String>,
) -> Result<HashSet<String>, ConsoleError> {
    let keys: Vec<String> = keys.collect();
    if keys.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(E::find()
        .select_only()
        .column(key_column)
        .filter(org_column.eq(org_id))
        .filter(key_column.is_in(keys))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// How many recent imports the console lists.
const RECENT: u64 = 10;

fn view(row: import::Model, with_problems: bool) -> Result<ImportView, ConsoleError> {
    let bad = |what: &str| ConsoleError::Internal(format!("import {}: bad {what}", row.public_id));
    let problems = if with_problems {
        serde_json::from_str(&row.problems).map_err(|_| bad("problems"))?
    } else {
        Vec::new()
    };
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(ImportView {
        id: ImportId::parse(&row.public_id).map_err(|_| bad("id"))?,
        kind: ImportKind::parse(&row.kind).map_err(|_| bad("kind"))?,
        status: ImportStatus::parse(&row.status).map_err(|_| bad("status"))?,
        rows: count(row.rows),
        new_rows: count(row.new_rows),
        existing_rows: count(row.existing_rows),
        done_rows: count(row.done_rows),
        more_problems: count(row.more_problems),
        problems,
        created: row.created_at.format("%Y-%m-%d %H:%M").to_string(),
        file_name: row.file_name,
    })
}

fn problems_json(check: &ImportCheck) -> String {
    serde_json::to_string(&check.problems).unwrap_or_else(|_| "[]".to_owned())
}

impl ConsoleService {
    /// Stores an uploaded file and checks it: `ready` to import, or `invalid` with every
    /// problem. Writes no customer or subscription.
    pub async fn upload_import(
        &self,
        actor: &AdminActor,
        kind: ImportKind,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<ImportId, ConsoleError> {
        actor.require_change()?;
        if bytes.is_empty() {
            return Err(ConsoleError::field("file", FieldCode::FileMissing));
        }
        if bytes.len() as u64 > MAX_IMPORT_BYTES {
            return Err(ConsoleError::field("file", FieldCode::FileTooLarge));
        }
        let bytes = std::sync::Arc::new(bytes);
        let check = self
            .check_import(actor, kind, &ImportSource::Bytes(bytes.clone()))
            .await?;
        let status = if check.is_clean() {
            ImportStatus::Ready
        } else {
            ImportStatus::Invalid
        };
        let content = if check.is_clean() {
            std::sync::Arc::try_unwrap(bytes).unwrap_or_else(|b| b.as_ref().clone())
        } else {
            Vec::new()
        };
        let id = ImportId::from_random(random_bytes());
        let name: String = file_name
            .chars()
            .filter(|c| !c.is_control())
            .take(255)
            .collect();
        let now = self.now();
        import::ActiveModel {
            public_id: Set(id.as_str().to_owned()),
            organization_id: Set(actor.org_id()),
            kind: Set(kind.as_str().to_owned()),
            file_name: Set(if name.trim().is_empty() {
                format!("{}.csv", kind.as_str())
            } else {
                name
            }),
            content: Set(content),
            status: Set(status.as_str().to_owned()),
            rows: Set(check.rows as i64),
            new_rows: Set(check.new_rows as i64),
            existing_rows: Set(check.existing_rows as i64),
            done_rows: Set(0),
            problems: Set(problems_json(&check)),
            more_problems: Set(check.more_problems as i64),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&crate::db::writer(&self.db))
        .await?;
        Ok(id)
    }

    /// An import of the actor's organization, with its problems.
    pub async fn import(
        &self,
        actor: &AdminActor,
        id: &ImportId,
    ) -> Result<ImportView, ConsoleError> {
        actor.require_change()?;
        view(find_import(&self.db, actor, id).await?, true)
    }

    /// The organization's latest imports, newest first (without their problems).
    pub async fn recent_imports(
        &self,
        actor: &AdminActor,
    ) -> Result<Vec<ImportView>, ConsoleError> {
        actor.require_change()?;
        import::Entity::find()
            .filter(import::Column::OrganizationId.eq(actor.org_id()))
            .order_by_desc(import::Column::CreatedAt)
            .order_by_desc(import::Column::Id)
            .limit(RECENT)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| view(row, false))
            .collect()
    }

    /// Starts writing a checked import in the background (once: a second start is refused
    /// while it runs); the import's page follows its progress. A failed import can be
    /// started again: rows written before are skipped.
    pub async fn start_import(
        &self,
        actor: &AdminActor,
        id: &ImportId,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let row = find_import(&self.db, actor, id).await?;
        let started = import::Entity::update_many()
            .col_expr(
                import::Column::Status,
                Expr::value(ImportStatus::Running.as_str()),
            )
            .col_expr(import::Column::DoneRows, Expr::value(0i64))
            .col_expr(import::Column::UpdatedAt, Expr::value(self.now()))
            .filter(import::Column::Id.eq(row.id))
            .filter(
                import::Column::Status
                    .is_in([ImportStatus::Ready.as_str(), ImportStatus::Failed.as_str()]),
            )
            .exec(&crate::db::writer(&self.db))
            .await?;
        if started.rows_affected == 0 {
            return Err(ConsoleError::Conflict(Conflict::ImportNotReady));
        }
        let this = self.clone();
        let actor = actor.clone();
        self.background
            .spawn(async move { this.finish_import(actor, row).await });
        Ok(())
    }

    async fn finish_import(&self, actor: AdminActor, row: import::Model) {
        let id = row.id;
        let public_id = row.public_id.clone();
        let kind = ImportKind::parse(&row.kind).unwrap_or(ImportKind::Customers);
        let source = ImportSource::Bytes(std::sync::Arc::new(row.content));
        let outcome = self
            .run_import(&actor, kind, &source, Progress::Row(id))
            .await;
        let mut update = import::Entity::update_many()
            .col_expr(import::Column::UpdatedAt, Expr::value(self.now()))
            .filter(import::Column::Id.eq(id));
        update = match &outcome {
            Ok(check) => update
                .col_expr(
                    import::Column::Status,
                    Expr::value(ImportStatus::Done.as_str()),
                )
                .col_expr(import::Column::Content, Expr::value(Vec::<u8>::new()))
                .col_expr(import::Column::DoneRows, Expr::value(check.rows as i64))
                .col_expr(import::Column::NewRows, Expr::value(check.new_rows as i64))
                .col_expr(
                    import::Column::ExistingRows,
                    Expr::value(check.existing_rows as i64),
                ),
            Err(Ok(check)) => update
                .col_expr(
                    import::Column::Status,
                    Expr::value(ImportStatus::Failed.as_str()),
                )
                .col_expr(import::Column::Problems, Expr::value(problems_json(check)))
                .col_expr(
                    import::Column::MoreProblems,
                    Expr::value(check.more_problems as i64),
                ),
            Err(Err(err)) => {
                tracing::error!(import = %public_id, error = %err, "import failed");
                update.col_expr(
                    import::Column::Status,
                    Expr::value(ImportStatus::Failed.as_str()),
                )
            }
        };
        if let Err(err) = update.exec(&crate::db::writer(&self.db)).await {
            tracing::error!(import = %public_id, error = %err, "import status not saved");
        }
    }
}

/// The actor's organization's import with this id, or `NotFound`.
async fn find_import(
    db: &impl ConnectionTrait,
    actor: &AdminActor,
    id: &ImportId,
) -> Result<import::Model, ConsoleError> {
    import::Entity::find()
        .filter(import::Column::OrganizationId.eq(actor.org_id()))
        .filter(import::Column::PublicId.eq(id.as_str()))
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}
