//! `hoso serve`: runs the service. With no arguments: SQLite under
//! `./hoso-data`, the demo (TEST) trust store, on 127.0.0.1:8080.

use std::net::SocketAddr;
use std::path::PathBuf;

use hoso_server::config::Config;

use crate::{EXIT_REFUSED, Failure};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// `sqlite:PATH` or `postgres://USER@HOST/DB` (default: hoso.db in the
    /// data directory).
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    /// Where attachments and the default database live (default ./hoso-data).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// A JSON configuration file (officers, trust, holidays, limits); the
    /// options above override it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub fn run(args: ServeArgs) -> Result<(), Failure> {
    let mut config = match &args.config {
        Some(path) => Config::from_file(path).map_err(|e| Failure::usage(e.to_string()))?,
        None => Config::default(),
    };
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(database) = args.database {
        config.database = Some(database);
    }
    if let Some(dir) = args.data_dir {
        config.data_dir = dir;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::message(EXIT_REFUSED, format!("cannot start the runtime: {e}")))?;
    runtime
        .block_on(hoso_server::app::serve(config))
        .map_err(|e| Failure::message(EXIT_REFUSED, e.to_string()))
}
