//! Command line and environment: every flag is also an environment variable, and a bad
//! value stops the process with one line naming the setting.
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use url::Url;

/// `dunwell`: the self-hosted billing customer portal.
#[derive(Debug, Parser)]
#[command(
    name = "dunwell",
    version,
    about = "Dunwell: the self-hosted billing customer portal and the admin console that configures it."
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings shared by every command.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database URL: `sqlite://path/to/file.db` (created if missing) or `postgres://…`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/dunwell.db",
        global = true
    )]
    pub database_url: String,
    /// The address customers and staff use to reach this server; every absolute link
    /// (emails, portal URLs) is built from it.
    #[arg(
        long,
        env = "PUBLIC_URL",
        default_value = "http://127.0.0.1:3000",
        global = true
    )]
    pub public_url: String,
    /// SMTP server for outgoing email, e.g. `smtp://user:pass@host:587` or
    /// `smtps://host:465`. Without it, emails stay in the outbox (`dunwell outbox list`).
    #[arg(long, env = "SMTP_URL", global = true)]
    pub smtp_url: Option<String>,
    /// Demo mode: loads demo data into an empty database on start and enables the
    /// console's test clock and outbox pages.
    #[arg(long, env = "DUNWELL_DEMO", default_value_t = false, global = true, value_parser = parse_flag)]
    pub demo: bool,
    /// Where to listen; defaults to the `site-addr` of the Leptos configuration.
    #[arg(long, env = "DUNWELL_LISTEN", global = true)]
    pub listen: Option<SocketAddr>,
    /// The bearer token that `/metrics` requires (`Authorization: Bearer …`). Without it,
    /// `/metrics` is not served at all.
    #[arg(
        long,
        env = "DUNWELL_METRICS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,
    /// The key that seals secrets Dunwell must read back (webhook signing secrets): 32 bytes
    /// in base64. Without it, the key in `DUNWELL_SECRET_KEY_FILE` is used (made if missing).
    #[arg(
        long,
        env = "DUNWELL_SECRET_KEY",
        global = true,
        hide_env_values = true
    )]
    pub secret_key: Option<String>,
    /// Where the secret key is kept when `DUNWELL_SECRET_KEY` is not set; made (mode 0600)
    /// on first start. Back it up with the database: sealed secrets need it.
    #[arg(
        long,
        env = "DUNWELL_SECRET_KEY_FILE",
        default_value = "data/secret.key",
        global = true
    )]
    pub secret_key_file: std::path::PathBuf,
    /// Tests only: lets webhook endpoints be `http://` and internal addresses (loopback,
    /// private networks), which are otherwise refused.
    #[arg(long, env = "DUNWELL_WEBHOOK_ALLOW_INSECURE", default_value_t = false, global = true, value_parser = parse_flag)]
    pub webhook_allow_insecure: bool,
    #[command(flatten)]
    pub limits: LimitSettings,
}

/// Limits against abuse; every one has a safe default.
#[derive(Debug, Clone, Args)]
pub struct LimitSettings {
    /// Refused payment methods a portal customer may try per hour, then a cool-down.
    #[arg(long, env = "DUNWELL_PM_DECLINES_PER_CUSTOMER", default_value_t = domain::PaymentMethodLimits::default().declines_per_customer, global = true, value_parser = clap::value_parser!(u32).range(1..))]
    pub pm_declines_per_customer: u32,
    /// Refused payment methods one client address may try per hour, across customers.
    #[arg(long, env = "DUNWELL_PM_DECLINES_PER_CLIENT", default_value_t = domain::PaymentMethodLimits::default().declines_per_client, global = true, value_parser = clap::value_parser!(u32).range(1..))]
    pub pm_declines_per_client: u32,
    /// Payment methods a customer may keep saved.
    #[arg(long, env = "DUNWELL_PM_MAX_SAVED", default_value_t = domain::PaymentMethodLimits::default().max_saved, global = true, value_parser = clap::value_parser!(u32).range(1..))]
    pub pm_max_saved: u32,
    /// Failed staff sign-ins accepted per minute across all addresses; past it, sign-ins
    /// are refused (429) without checking the password until the minute is over.
    #[arg(long, env = "DUNWELL_FAILED_SIGN_INS_PER_MINUTE", default_value_t = domain::FailedSignInBudget::default().per_window, global = true, value_parser = clap::value_parser!(u32).range(1..))]
    pub failed_sign_ins_per_minute: u32,
    /// Password hashes computed at once (each uses one core for ~20 ms); the default is
    /// one less than the cores, at least one, so requests keep a core.
    #[arg(long, env = "DUNWELL_PASSWORD_HASH_CONCURRENCY", global = true, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub password_hash_concurrency: Option<u32>,
    /// Merchant API requests one key may make per second, sustained (per instance); past
    /// it, 429 with `Retry-After`.
    #[arg(long, env = "DUNWELL_API_REQUESTS_PER_SECOND", default_value_t = domain::RequestRate::default().per_second, global = true, value_parser = clap::value_parser!(u32).range(1..))]
    pub api_requests_per_second: u32,
    /// Merchant API requests one key may make at once, above the sustained rate.
    #[arg(long, env = "DUNWELL_API_BURST", default_value_t = domain::RequestRate::default().burst, global = true, value_parser = clap::value_parser!(u32).range(1..))]
    pub api_burst: u32,
}

impl Default for LimitSettings {
    fn default() -> Self {
        let pm = domain::PaymentMethodLimits::default();
        Self {
            pm_declines_per_customer: pm.declines_per_customer,
            pm_declines_per_client: pm.declines_per_client,
            pm_max_saved: pm.max_saved,
            failed_sign_ins_per_minute: domain::FailedSignInBudget::default().per_window,
            password_hash_concurrency: None,
            api_requests_per_second: domain::RequestRate::default().per_second,
            api_burst: domain::RequestRate::default().burst,
        }
    }
}

/// The commands; without one, `serve`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the console and the portals.
    Serve,
    /// Migrate the database and exit.
    Migrate,
    /// Create a staff account. The password comes from `DUNWELL_ADMIN_PASSWORD` or a prompt.
    CreateAdmin(CreateAdmin),
    /// Create the first organization and its owner on an empty database (what the setup
    /// page does). The password comes from `DUNWELL_ADMIN_PASSWORD` or a prompt.
    Init(Init),
    /// Load the demo data into an empty database; refuses a database that has data.
    Demo,
    /// The test clock: move an organization's time forward, running what falls due.
    #[command(subcommand)]
    Clock(ClockCommand),
    /// The email outbox.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Import customers or subscriptions from a CSV file (columns in the README): checks
    /// every row first and writes nothing while any is bad; rows whose `external_id` is
    /// known already are left as they are.
    Import(ImportArgs),
}

/// `dunwell import customers|subscriptions FILE --org SLUG`
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(value_enum)]
    pub kind: ImportKindArg,
    /// The CSV file (UTF-8, with or without BOM; `,` or `;`).
    pub file: std::path::PathBuf,
    /// The organization's slug.
    #[arg(long)]
    pub org: String,
    /// The staff member the import is audited as (default: the first owner).
    #[arg(long = "as")]
    pub staff: Option<String>,
    /// Only check the file: print every problem and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// What an import file holds, as the command line spells it.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportKindArg {
    /// One customer per row.
    Customers,
    /// One subscription per row.
    Subscriptions,
}

/// `dunwell clock …`
#[derive(Debug, Subcommand)]
pub enum ClockCommand {
    /// Advance an organization's test clock by N days, running every renewal, retry and
    /// reminder due in between, in order, and print what happened.
    Advance {
        /// The organization's slug.
        #[arg(long)]
        org: String,
        /// How many days (1–366).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(domain::ClockDays::MAX)))]
        days: u32,
    },
}

/// `dunwell outbox …`
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Print every email, one JSON object per line (to, subject, text, kind, status).
    List,
}

/// Arguments of `dunwell create-admin`.
#[derive(Debug, Args)]
pub struct CreateAdmin {
    /// The staff member's email address.
    #[arg(long)]
    pub email: String,
    /// The organization's slug (created if it does not exist yet).
    #[arg(long)]
    pub org: String,
    /// The staff member's role.
    #[arg(long, value_enum, default_value_t = RoleArg::Admin)]
    pub role: RoleArg,
}

/// Arguments of `dunwell init`.
#[derive(Debug, Args)]
pub struct Init {
    /// The business's name.
    #[arg(long)]
    pub org_name: String,
    /// The organization's short name: 2–32 of a-z, 0-9 and -.
    #[arg(long)]
    pub slug: String,
    /// The owner's email address (their sign-in).
    #[arg(long)]
    pub owner_email: String,
    /// The currency new prices default to (ISO 4217).
    #[arg(long, default_value = "EUR")]
    pub currency: String,
    /// The country the business is in (ISO 3166-1 alpha-2).
    #[arg(long, default_value = "IT")]
    pub country: String,
}

/// Roles as the command line spells them.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Owner,
    Admin,
    Viewer,
}

/// Accepts the usual spellings of a boolean environment flag.
fn parse_flag(raw: &str) -> Result<bool, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => Err(format!(
            "expected true/false, 1/0, yes/no or on/off, got `{other}`"
        )),
    }
}

/// A setting that failed to parse: `setting` names it as the user would type it.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {message}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub message: String,
}

/// The parsed, checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub public_url: PublicUrl,
    pub smtp_url: Option<Url>,
    pub demo: bool,
    pub listen: Option<SocketAddr>,
    /// What `/metrics` requires; `None`: not served.
    pub metrics_token: Option<crate::secret::BearerSecret>,
    /// Seals secrets kept in the database.
    pub secret_key: crate::seal::SecretKey,
    /// Webhook endpoints may be `http://` and internal (tests only).
    pub webhook_allow_insecure: bool,
    pub limits: Limits,
}

/// The abuse limits in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub payment_methods: domain::PaymentMethodLimits,
    pub failed_sign_ins: domain::FailedSignInBudget,
    /// Password hashes computed at once.
    pub password_hash_concurrency: usize,
    /// Each API key's request rate.
    pub api_rate: domain::RequestRate,
}

impl Default for Limits {
    fn default() -> Self {
        LimitSettings::default().parse()
    }
}

impl LimitSettings {
    fn parse(&self) -> Limits {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Limits {
            payment_methods: domain::PaymentMethodLimits {
                declines_per_customer: self.pm_declines_per_customer,
                declines_per_client: self.pm_declines_per_client,
                max_saved: self.pm_max_saved,
                ..domain::PaymentMethodLimits::default()
            },
            failed_sign_ins: domain::FailedSignInBudget {
                per_window: self.failed_sign_ins_per_minute,
                ..domain::FailedSignInBudget::default()
            },
            password_hash_concurrency: self
                .password_hash_concurrency
                .map_or(cores.saturating_sub(1).max(1), |n| n as usize),
            api_rate: domain::RequestRate {
                per_second: self.api_requests_per_second,
                burst: self.api_burst,
            },
        }
    }
}

/// The public base URL without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// Parses an absolute http(s) URL with a host and no query or fragment.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = Url::parse(raw.trim()).map_err(|e| format!("`{raw}` is not a URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("`{raw}` must start with http:// or https://"));
        }
        if url.host_str().is_none() || url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "`{raw}` must be a plain base URL such as https://billing.example.com"
            ));
        }
        Ok(Self(url.as_str().trim_end_matches('/').to_owned()))
    }

    /// The base, e.g. `https://billing.example.com`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether cookies must be marked `Secure`.
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// An absolute URL for a path that starts with `/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }
}

impl Settings {
    /// Checks every setting; the first bad one is reported by name.
    pub fn parse(&self) -> Result<Config, ConfigError> {
        let database_url = self.database_url.trim().to_owned();
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError {
                setting: "DATABASE_URL",
                message: format!("`{database_url}` must start with sqlite:// or postgres://"),
            });
        }
        let public_url = PublicUrl::parse(&self.public_url).map_err(|message| ConfigError {
            setting: "PUBLIC_URL",
            message,
        })?;
        let smtp_url = match self.smtp_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                let url = Url::parse(raw).map_err(|e| ConfigError {
                    setting: "SMTP_URL",
                    message: format!("not a URL ({e})"),
                })?;
                if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none() {
                    return Err(ConfigError {
                        setting: "SMTP_URL",
                        message: "must look like smtp://host:port or smtps://host:port".into(),
                    });
                }
                Some(url)
            }
        };
        let metrics_token = match self.metrics_token.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) if raw.len() < 16 => {
                return Err(ConfigError {
                    setting: "DUNWELL_METRICS_TOKEN",
                    message: "must be at least 16 characters".into(),
                });
            }
            Some(raw) => Some(crate::secret::BearerSecret::new(raw)),
        };
        let secret_key = match self.secret_key.as_deref().map(str::trim) {
            Some(raw) if !raw.is_empty() => {
                crate::seal::SecretKey::parse(raw).map_err(|message| ConfigError {
                    setting: "DUNWELL_SECRET_KEY",
                    message,
                })?
            }
            _ => crate::seal::SecretKey::load_or_create(&self.secret_key_file).map_err(
                |message| ConfigError {
                    setting: "DUNWELL_SECRET_KEY_FILE",
                    message,
                },
            )?,
        };
        Ok(Config {
            database_url,
            public_url,
            smtp_url,
            demo: self.demo,
            listen: self.listen,
            metrics_token,
            secret_key,
            webhook_allow_insecure: self.webhook_allow_insecure,
            limits: self.limits.parse(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            database_url: "sqlite://data/dunwell.db".into(),
            public_url: "http://127.0.0.1:3000/".into(),
            smtp_url: None,
            demo: false,
            listen: None,
            metrics_token: None,
            secret_key: Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into()),
            secret_key_file: "unused.key".into(),
            webhook_allow_insecure: false,
            limits: LimitSettings::default(),
        }
    }

    #[test]
    fn defaults_parse_and_trailing_slash_is_dropped() {
        let config = settings().parse().unwrap();
        assert_eq!(config.public_url.as_str(), "http://127.0.0.1:3000");
        assert_eq!(
            config.public_url.join("/portal/x"),
            "http://127.0.0.1:3000/portal/x"
        );
        assert!(!config.public_url.is_https());
    }

    #[test]
    fn each_bad_setting_is_named() {
        type Mutation = fn(&mut Settings);
        let cases: [(Mutation, &str); 5] = [
            (
                |s| s.metrics_token = Some("short".into()),
                "DUNWELL_METRICS_TOKEN",
            ),
            (|s| s.database_url = "mysql://x".into(), "DATABASE_URL"),
            (|s| s.public_url = "ftp://example.com".into(), "PUBLIC_URL"),
            (|s| s.public_url = "not a url".into(), "PUBLIC_URL"),
            (|s| s.smtp_url = Some("http://mail".into()), "SMTP_URL"),
        ];
        for (mutate, name) in cases {
            let mut s = settings();
            mutate(&mut s);
            let err = s.parse().unwrap_err();
            assert_eq!(err.setting, name, "{err}");
        }
    }

    #[test]
    fn flags_accept_common_spellings() {
        assert_eq!(parse_flag("on"), Ok(true));
        assert_eq!(parse_flag("0"), Ok(false));
        assert!(parse_flag("maybe").is_err());
    }
}
