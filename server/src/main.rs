//! The `dunwell` binary.
#![forbid(unsafe_code)]

use clap::Parser;
use dunwell::cli;
use dunwell::config::Cli;
use std::process::ExitCode;

/// mimalloc instead of glibc's malloc: a server page allocates and frees many small
/// values across the runtime's threads, and glibc's arenas spent ~18% of the signed-in
/// portal page's CPU in malloc, free and consolidation (`perf`, 2 cores).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
