//! `cognate`: a self-hosted identity service speaking Amazon Cognito's protocols.

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
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
    /// Manage the signing keys of user pools.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Print the monthly active users of each pool (users who signed up, signed in or
    /// refreshed a token in the month), from the database `serve` uses.
    Usage(UsageArgs),
}

#[derive(Debug, Args)]
struct UsageArgs {
    /// The calendar month (UTC) to report; the current month by default.
    #[arg(long, value_name = "YYYY-MM")]
    month: Option<String>,
    #[command(flatten)]
    settings: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Make new ID and access token keys for a pool and print their kids; the old keys stay
    /// published until the tokens they signed have expired. Uses the same database and master
    /// key settings as `serve`, and may run while servers are up.
    Rotate(RotateArgs),
}

#[derive(Debug, Args)]
struct RotateArgs {
    /// The user pool id.
    #[arg(long = "pool", value_name = "ID")]
    pool: String,
    #[command(flatten)]
    settings: ServeArgs,
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Serve(args)) => args,
        Some(Command::Keys(KeysCommand::Rotate(rotate))) => {
            let settings = rotate.settings.resolve()?;
            // Logs to stderr, so that stdout carries only the kids.
            tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
                )
                .init();
            for kid in cognate::keys::rotate(&settings, &rotate.pool).await? {
                println!("{kid}");
            }
            return Ok(());
        }
        Some(Command::Usage(usage)) => return print_usage(usage).await,
        None => ServeArgs::parse_default(),
    };
    let settings = args.resolve()?;
    init_logging(&settings.log_format);
    let server = cognate::app::start(settings).await?;
    server.wait().await
}

/// `cognate usage`: one tab-separated line per pool with active users in the month.
async fn print_usage(usage: UsageArgs) -> Result<()> {
    use cognate_core::clock::{Clock, SystemClock};
    use cognate_core::service::mau::{is_month, month_of};
    use cognate_core::store::Store;

    let settings = usage.settings.resolve()?;
    let month = usage
        .month
        .unwrap_or_else(|| month_of(SystemClock.now_millis()));
    if !is_month(&month) {
        anyhow::bail!("--month must be a month as YYYY-MM, not {month:?}");
    }
    let store = cognate_store::SqlStore::connect(&settings.database_url)
        .await
        .map_err(|e| anyhow::anyhow!("opening the database: {e}"))?;
    let counted = store.count_active_users(&month).await;
    store.close().await;
    let counted = counted.map_err(|e| anyhow::anyhow!("counting active users: {e}"))?;
    println!("month\tuser_pool_id\tmonthly_active_users");
    for (pool, users) in counted {
        println!("{month}\t{pool}\t{users}");
    }
    Ok(())
}

fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colour only for a person at a terminal, not in log files.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
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
