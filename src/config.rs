//! Command line, with environment-variable fallbacks.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "skaraborgskartan",
    version,
    about = "Karttjänst för föräldrastödsprogram, SAMBU och partssamverkan"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the map and the API.
    Serve(ServeArgs),
    /// Validate a data directory and print every problem; exit status 1 if there is any.
    Check {
        /// The data directory (with dataset.toml).
        dir: PathBuf,
        /// Region to check against (default: the directory's default region).
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SKK_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Data directory (with dataset.toml).
    #[arg(long, env = "SKK_DATA", default_value = "geodata")]
    pub data: PathBuf,
    /// Region to serve, as named in dataset.toml (default: the data's default region).
    #[arg(long, env = "SKK_REGION")]
    pub region: Option<String>,
}
