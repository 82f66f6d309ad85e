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
    /// Directory of the front end (style, script, and Leaflet in node_modules).
    #[arg(long, env = "SKK_WEB", default_value = "web")]
    pub web: PathBuf,
    /// Base-map tile URL template, e.g. https://tiles.example.se/{z}/{x}/{y}.png (default: none;
    /// the map shows the kommun polygons only).
    #[arg(long, env = "SKK_TILES")]
    pub tiles: Option<String>,
    /// Origins (space-separated) allowed to embed the pages in a frame, besides those in the data
    /// set's `embed_origins`, e.g. https://intranat.skovde.se.
    #[arg(long, env = "SKK_FRAME_ANCESTORS", value_delimiter = ' ', num_args = 0..)]
    pub frame_ancestors: Vec<String>,
    /// The address people reach the service at, printed on pages (default: http://ADDR).
    #[arg(long, env = "SKK_PUBLIC_URL")]
    pub public_url: Option<String>,
}
