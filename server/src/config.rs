//! Command line and environment: every flag is also an environment variable, and a bad
//! value stops the process with one line naming the setting.
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use url::Url;

/// `dunwell`: the self-hosted billing customer portal.
#[derive(Debug, Parser)]
#[command(name = "dunwell", version, about)]
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
    /// Load the demo data into an empty database; refuses a database that has data.
    Demo,
    /// The test clock: move an organization's time forward, running what falls due.
    #[command(subcommand)]
    Clock(ClockCommand),
    /// The email outbox.
    #[command(subcommand)]
    Outbox(OutboxCommand),
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
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=366))]
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
        Ok(Config {
            database_url,
            public_url,
            smtp_url,
            demo: self.demo,
            listen: self.listen,
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
        let cases: [(Mutation, &str); 4] = [
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
