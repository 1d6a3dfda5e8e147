//! `cognate`: a self-hosted identity service speaking Amazon Cognito's protocols.

use anyhow::Result;
use clap::{Parser, Subcommand};
use cognate::config::ServeArgs;

#[derive(Debug, Parser)]
#[command(
    name = "cognate",
    version,
    about = "Self-hosted Amazon Cognito-compatible identity service"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve(ServeArgs),
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Serve(args)) => args,
        None => ServeArgs::parse_default(),
    };
    let settings = args.resolve()?;
    init_logging(&settings.log_format);
    let server = cognate::app::start(settings).await?;
    server.wait().await
}

fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

trait ParseDefault {
    fn parse_default() -> Self;
}

impl ParseDefault for ServeArgs {
    /// `cognate` with no subcommand serves with settings from the environment only.
    fn parse_default() -> Self {
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            args: ServeArgs,
        }
        Only::parse_from(["cognate"]).args
    }
}
