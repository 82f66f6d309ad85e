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
    Serve(Box<ServeArgs>),
    /// Accounts of the desk (created by invitation; there is no self-registration).
    #[command(subcommand)]
    User(UserCommand),
    /// Write the store's data in the data-directory format (dataset.toml, CSV files, boundaries).
    ExportData {
        /// A new or empty directory to write to.
        dir: PathBuf,
        #[command(flatten)]
        state: StateArgs,
    },
    /// Copy the whole store (data, history, accounts) to a new file while the service runs.
    Backup {
        /// The backup file to create (must not exist).
        file: PathBuf,
        #[command(flatten)]
        state: StateArgs,
    },
    /// Send the e-mail reminders of facts that kan vara inaktuella that are due (to each
    /// redaktör who asked for them, at most once per 30 days), once: for cron. `serve` does the
    /// same daily when SMTP is set.
    Remind {
        #[command(flatten)]
        state: StateArgs,
        /// Region whose kommuner are named (default: the data's default region).
        #[arg(long, env = "SKK_REGION")]
        region: Option<String>,
        /// The address people reach the service at, for the links in the e-mail.
        #[arg(long, env = "SKK_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
        #[command(flatten)]
        mail: MailArgs,
        /// Print who would get what, send nothing and record nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Validate a data directory and print every problem; exit status 1 if there is any.
    Check {
        /// The data directory (with dataset.toml).
        dir: PathBuf,
        /// Region to check against (default: the directory's default region).
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Invite a person: creates the account and prints a one-time invitation link.
    Add {
        /// samordnare (the whole region) or redaktor (the kommuner given with --kommun).
        #[arg(long)]
        role: String,
        /// A kommun the redaktör may edit (kommunkod or name); repeat for more.
        #[arg(long)]
        kommun: Vec<String>,
        /// The person's name as shown in the history (default: the e-mail address).
        #[arg(long)]
        name: Option<String>,
        email: String,
        #[command(flatten)]
        state: StateArgs,
    },
}

/// Where the store lives.
#[derive(Debug, Clone, clap::Args)]
pub struct StateArgs {
    /// The state directory holding the store (skaraborgskartan.sqlite); created on first start
    /// and seeded from the data directory.
    #[arg(long, env = "SKK_STATE", default_value = "state")]
    pub state: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub state: StateArgs,
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
    /// The e-mail address of the contact point for the open data, named in the DCAT-AP-SE
    /// catalogue at /datasets/dcat (default: none, and then no contact point).
    #[arg(long, env = "SKK_CONTACT_EMAIL")]
    pub contact_email: Option<String>,
    #[command(flatten)]
    pub auth: AuthArgs,
    #[command(flatten)]
    pub mail: MailArgs,
}

/// The SMTP server the reminders are sent through (none: no e-mail is sent). The password, if
/// the server wants one, comes only from the environment: `SKK_SMTP_PASSWORD`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MailArgs {
    /// smtp://host:port (plain; add ?tls=required for STARTTLS) or smtps://host:465 (TLS), with
    /// the user name if the server wants one: smtps://karta@smtp.example.se.
    #[arg(long, env = "SKK_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of the reminders, e.g. "Skaraborgskartan <karta@example.se>".
    #[arg(long, env = "SKK_SMTP_FROM")]
    pub smtp_from: Option<String>,
}

/// How people sign in to the admin.
#[derive(Debug, Clone, clap::Args)]
pub struct AuthArgs {
    /// Sign-in with e-mail address, password and TOTP code (`--local-sign-in false`: OIDC only).
    #[arg(long, env = "SKK_LOCAL_SIGN_IN", default_value_t = true, action = clap::ArgAction::Set)]
    pub local_sign_in: bool,
    /// The organisation's OpenID provider, e.g. https://login.example.se/realms/vard (none: no
    /// OIDC sign-in). Its redirect URI for this service is <public-url>/admin/oidc/callback.
    #[arg(long, env = "SKK_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// The client id registered at the OpenID provider.
    #[arg(long, env = "SKK_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// The client secret (prefer the environment variable: arguments are visible to `ps`).
    #[arg(long, env = "SKK_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// Reverse proxies (IP addresses or CIDR ranges, comma-separated) whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed; from any other peer they are ignored.
    #[arg(long, env = "SKK_TRUSTED_PROXIES", value_delimiter = ',', num_args = 0..)]
    pub trusted_proxies: Vec<String>,
}

impl Default for AuthArgs {
    fn default() -> AuthArgs {
        AuthArgs {
            local_sign_in: true,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            trusted_proxies: Vec::new(),
        }
    }
}
