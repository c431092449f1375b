//! What each command does.
use crate::billing::{BillingEngine, PaymentGateway, SandboxGateway, SystemClock};
use crate::config::{
    Cli, ClockCommand, Command, Config, CreateAdmin, ImportArgs, ImportKindArg, Init,
    OutboxCommand, RoleArg,
};
use crate::console::{
    ConsoleError, ConsoleService, FirstOrganization, ImportCheck, ImportProgress, ImportSource,
    SetupAuthority, SetupForm,
};
use crate::portal::PortalDirectory;
use crate::state::AppState;
use crate::workers::{self, Workers};
use crate::{billing, db, demo, http, leptos_config, staff, telemetry};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// A command's failure, printed as one line.
pub type CliError = Box<dyn std::error::Error + Send + Sync>;

/// Runs the command (`serve` when none is given).
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let config = cli.settings.parse()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            db::open(&config.database_url).await?;
            println!("database migrated: {}", db::redact(&config.database_url));
            Ok(())
        }
        Command::CreateAdmin(args) => create_admin(&config, args).await,
        Command::Init(args) => init(config, args).await,
        Command::Demo => {
            let db = db::open(&config.database_url).await?;
            let engine = build_engine(&db, &config);
            let loaded = demo::load_into_empty(&db, &config, &engine).await?;
            print_sign_in(&config, &loaded);
            Ok(())
        }
        Command::Clock(ClockCommand::Advance { org, days }) => {
            let db = db::open(&config.database_url).await?;
            let engine = build_engine(&db, &config);
            let report = engine.advance_clock(&org, days).await?;
            println!("{report}");
            Ok(())
        }
        Command::Import(args) => import(config, args).await,
        Command::Outbox(OutboxCommand::List) => {
            let db = db::open(&config.database_url).await?;
            for line in billing::list_outbox_json(&db, chrono::Utc::now()).await? {
                println!("{line}");
            }
            Ok(())
        }
    }
}

async fn serve(config: Config) -> Result<(), CliError> {
    let leptos_options = leptos_config::load()?;
    let db = db::open(&config.database_url).await?;
    let engine = build_engine(&db, &config);
    if config.demo {
        match demo::load_if_empty(&db, &config, &engine).await? {
            Some(loaded) => print_sign_in(&config, &loaded),
            None => println!(
                "demo data already present; sign in at {}/admin",
                config.public_url.as_str()
            ),
        }
    }
    let addr = config.listen.unwrap_or(leptos_options.site_addr);
    let mailer = workers::mailer(&config)?;
    // Without SMTP_URL emails stay queued in the outbox and are listed, not sent.
    let deliver = config.smtp_url.is_some().then_some(mailer);
    let webhooks = service::webhooks::WebhookDispatcher::new(
        db.clone(),
        config.secret_key.clone(),
        config.webhook_allow_insecure,
        config.public_url.as_str(),
    );
    let workers = Workers::start(db.clone(), engine.clone(), deliver, webhooks);
    let state = AppState::new(
        db,
        config,
        leptos_options,
        engine,
        telemetry::init_metrics(),
    );
    let listener = http::bind(addr).map_err(|e| format!("cannot listen on {addr} ({e})"))?;
    let background = state.background.clone();
    println!(
        "Dunwell is serving at {} (listening on {addr})",
        state.config.public_url.as_str()
    );
    // First run: while no organization exists, one address creates it (a new one each start).
    if let Some(token) = state.console.open_setup().await? {
        println!(
            "First run: create your organization at {}/setup?token={token} (works once)",
            state.config.public_url.as_str()
        );
    }
    let app = http::router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(http::shutdown_signal())
    .await
    .map_err(|e| format!("server error ({e})"))?;
    // Sign-in links requested just before the shutdown are still queued.
    background.idle().await;
    workers.stop().await;
    Ok(())
}

/// The billing engine with the embedded sandbox gateway and the system clock.
pub fn build_engine(db: &DatabaseConnection, config: &Config) -> BillingEngine {
    let gateway: Arc<dyn PaymentGateway> = Arc::new(SandboxGateway::new(db.clone()));
    BillingEngine::new(
        db.clone(),
        gateway,
        Arc::new(SystemClock),
        config.public_url.as_str(),
    )
}

async fn create_admin(config: &Config, args: CreateAdmin) -> Result<(), CliError> {
    let db: DatabaseConnection = db::open(&config.database_url).await?;
    let password = match std::env::var("DUNWELL_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => prompt_password()?,
    };
    let role = match args.role {
        RoleArg::Owner => domain::StaffRole::Owner,
        RoleArg::Admin => domain::StaffRole::Admin,
        RoleArg::Viewer => domain::StaffRole::Viewer,
    };
    let email = domain::EmailAddress::parse(&args.email).map_err(|e| format!("--email: {e}"))?;
    staff::create_staff(&db, &args.org, &email, &password, role).await?;
    println!(
        "created {} ({}) in organization `{}`",
        email.as_str(),
        role.as_str(),
        args.org
    );
    Ok(())
}

/// `dunwell init`: the first organization and its owner, as the setup page makes them.
async fn init(config: Config, args: Init) -> Result<(), CliError> {
    let db = db::open(&config.database_url).await?;
    let engine = build_engine(&db, &config);
    let public_url = config.public_url.as_str().to_owned();
    let console = ConsoleService::new(db, Arc::new(config), engine, PortalDirectory::default());
    let password = match std::env::var("DUNWELL_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => prompt_password()?,
    };
    let form = SetupForm {
        org_name: &args.org_name,
        slug: &args.slug,
        currency: &args.currency,
        country: &args.country,
        owner_email: &args.owner_email,
        password: &password,
    };
    let first = FirstOrganization::try_from(form).map_err(|errors| {
        let lines: Vec<String> = errors
            .0
            .iter()
            .map(|e| format!("  --{}: {}", e.field.replace('_', "-"), e.code))
            .collect();
        format!("nothing was created:\n{}", lines.join("\n"))
    })?;
    console
        .create_first_organization(SetupAuthority::Cli, first)
        .await
        .map_err(|e| match e {
            ConsoleError::Conflict(_) => {
                "an organization exists already: sign in to the console instead".to_owned()
            }
            other => other.to_string(),
        })?;
    println!(
        "created organization `{}` with owner {}; sign in at {public_url}/admin",
        args.slug.trim().to_ascii_lowercase(),
        args.owner_email.trim()
    );
    Ok(())
}

/// `dunwell import`: the same check and run as the console's import page.
async fn import(config: Config, args: ImportArgs) -> Result<(), CliError> {
    let db = db::open(&config.database_url).await?;
    let engine = build_engine(&db, &config);
    let console = ConsoleService::new(db, Arc::new(config), engine, PortalDirectory::default());
    let actor = console
        .operator(&args.org, args.staff.as_deref())
        .await
        .map_err(|e| match e {
            ConsoleError::NotFound => match &args.staff {
                Some(who) => format!("no staff member {who} in organization `{}`", args.org),
                None => format!("no organization `{}` (or it has no owner)", args.org),
            },
            other => other.to_string(),
        })?;
    let kind = match args.kind {
        ImportKindArg::Customers => domain::ImportKind::Customers,
        ImportKindArg::Subscriptions => domain::ImportKind::Subscriptions,
    };
    if !args.file.is_file() {
        return Err(format!("{}: no such file", args.file.display()).into());
    }
    let source = ImportSource::File(args.file.clone());
    let started = std::time::Instant::now();
    let result = if args.dry_run {
        console
            .check_import(&actor, kind, &source)
            .await
            .map_err(Err)
    } else {
        console
            .run_import(&actor, kind, &source, ImportProgress::Stderr)
            .await
    };
    match result {
        Ok(check) => {
            let verb = if args.dry_run {
                "would create"
            } else {
                "created"
            };
            println!(
                "{}: {} rows, {verb} {} {}, {} already imported ({:.1} s)",
                args.file.display(),
                check.rows,
                check.new_rows,
                kind.as_str(),
                check.existing_rows,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Err(Ok(check)) => Err(problems(&args.file, &check).into()),
        Err(Err(err)) => Err(err.to_string().into()),
    }
}

/// Every problem of a refused file, one per line.
fn problems(file: &std::path::Path, check: &ImportCheck) -> String {
    let mut out = format!(
        "{}: nothing was written; fix these and run again:",
        file.display()
    );
    for p in &check.problems {
        let column = p
            .column
            .as_deref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "\n  line {}{column}: {}",
            p.line,
            describe(&p.code)
        ));
    }
    if check.more_problems > 0 {
        out.push_str(&format!("\n  … and {} more", check.more_problems));
    }
    out
}

/// A problem in words (the console's page says the same in the person's language).
fn describe(code: &wire::console::ImportCode) -> String {
    use wire::console::ImportCode as C;
    use wire::error::FieldCode as F;
    match code {
        C::Field(F::EmailInvalid) => "not an email address".into(),
        C::Field(F::EmailTaken) => "another customer has this email".into(),
        C::Field(F::NameEmpty) => "the name is empty".into(),
        C::Field(F::NameTooLong) => "the name is too long".into(),
        C::Field(F::NameInvalid) => "the name has a character that is not allowed".into(),
        C::Field(F::LocaleInvalid) => "the language is not `en` or `it`".into(),
        C::Field(F::AddressInvalid) => "the address is too long or has a control character".into(),
        C::Field(F::TaxIdInvalid) => "not a VAT number".into(),
        C::Field(F::PriceUnknown) => "no such price (`plan_…`)".into(),
        C::Field(F::PriceArchived) => "the price is archived".into(),
        C::Field(F::CurrencyMismatch) => "the customer pays in another currency".into(),
        C::Field(F::QuantityInvalid) => "not a whole number from 1 to 10,000".into(),
        C::Field(other) => other.to_string(),
        C::ColumnMissing => "this column is missing".into(),
        C::ColumnUnknown => "unknown column".into(),
        C::ColumnRepeated => "this column appears twice".into(),
        C::TooManyValues => "more values than the header has columns".into(),
        C::Unreadable => "not UTF-8 or not CSV".into(),
        C::ExternalIdInvalid => "not 1 to 100 characters without control characters".into(),
        C::Duplicate => "an earlier line has the same value".into(),
        C::CustomerUnknown => "no customer with this external_id or email".into(),
        C::CustomerArchived => "the customer is archived".into(),
        C::BillingDateInvalid => "not a date (YYYY-MM-DD) from today to a year ahead".into(),
        C::Empty => "the file has no data lines".into(),
        C::TooLarge => "the file is larger than 32 MiB".into(),
    }
}

/// Reads a password from the terminal without echoing it.
fn prompt_password() -> Result<String, CliError> {
    use std::io::{BufRead, IsTerminal, Write};
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(
            "DUNWELL_ADMIN_PASSWORD: not set, and there is no terminal to ask for a password"
                .into(),
        );
    }
    eprint!("Password: ");
    std::io::stderr().flush()?;
    let _ = std::process::Command::new("stty").arg("-echo").status();
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    let _ = std::process::Command::new("stty").arg("echo").status();
    eprintln!();
    read?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn print_sign_in(config: &Config, loaded: &demo::DemoLoaded) {
    println!();
    println!("  Demo data loaded.");
    println!("  Console:   {}/admin", config.public_url.as_str());
    println!("  Sign in:   {}", loaded.owner_email);
    match &loaded.owner_password {
        Some(p) => {
            println!("  Password:  {p}   (shown once; set DUNWELL_ADMIN_PASSWORD to choose it)")
        }
        None => println!("  Password:  the value of DUNWELL_ADMIN_PASSWORD"),
    }
    println!(
        "  Viewer:    {} (sees everything, changes nothing)",
        loaded.viewer_email
    );
    match &loaded.viewer_password {
        Some(p) => {
            println!("  Password:  {p}   (shown once; set DUNWELL_VIEWER_PASSWORD to choose it)")
        }
        None => println!("  Password:  the value of DUNWELL_VIEWER_PASSWORD"),
    }
    println!("  Portal:    {}", loaded.portal_url);
    println!();
}
