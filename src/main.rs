use std::process::ExitCode;

use clap::Parser;
use skaraborgskartan::config::{Cli, Command, UserCommand};
use skaraborgskartan::{commands, server};

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    match cli.command {
        Command::User(UserCommand::Add {
            role,
            kommun,
            name,
            email,
            state,
        }) => run(commands::user_add(
            &state.state,
            &role,
            &kommun,
            name.as_deref(),
            &email,
        )),
        Command::ExportData { dir, state } => run(commands::export_data(&state.state, &dir)),
        Command::Backup { file, state } => run(commands::backup(&state.state, &file)),
        Command::Remind {
            state,
            region,
            public_url,
            mail,
            dry_run,
        } => run(commands::remind(
            &state.state,
            region.as_deref(),
            &public_url,
            &mail,
            dry_run,
        )),
        Command::Check { dir, region } => match server::build(&dir, region.as_deref()) {
            Ok(atlas) => {
                let a = &atlas.inventory;
                println!(
                    "{}: inga problem ({}, region {}: {} kommuner, {} program, {} omgångar, {} svar).",
                    dir.display(),
                    a.dataset.config.kind.label(),
                    a.dataset.region().name,
                    atlas.kommuner().len(),
                    a.programmes.len(),
                    a.rounds.len(),
                    a.offerings.len()
                );
                ExitCode::SUCCESS
            }
            Err(problems) => {
                print!("{}", server::report(&problems));
                ExitCode::FAILURE
            }
        },
        Command::Serve(args) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("tokio runtime");
            let served = runtime.block_on(server::serve(*args));
            // Stop at once: a warm-up still compressing bodies in the background is only a
            // cache, and waiting for it made a SIGTERM take seconds for all of Sweden.
            runtime.shutdown_background();
            match served {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Runs a store command to its end and prints its report (or its error, with exit status 1).
fn run(task: impl std::future::Future<Output = Result<String, String>>) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(task) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
