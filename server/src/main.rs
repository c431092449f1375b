//! The `dunwell` binary.
#![forbid(unsafe_code)]

use clap::Parser;
use dunwell::cli;
use dunwell::config::Cli;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    dunwell::telemetry::init();
    match cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, no backtrace: what failed and where.
            eprintln!("dunwell: {err}");
            ExitCode::FAILURE
        }
    }
}
