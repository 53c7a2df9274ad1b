use clap::Parser;
use talentbridge::cli::{Cli, run};

#[actix_web::main]
async fn main() {
    if let Err(error) = run(Cli::parse()).await {
        eprintln!("talentbridge: {error:#}");
        std::process::exit(1);
    }
}
