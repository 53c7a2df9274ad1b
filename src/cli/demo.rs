//! `seed-demo` and `serve --demo`: the demo market, written in bulk, then one index build.

use clap::Args;

use super::progress::Bars;
use crate::demo::{self, DEMO_PASSWORD, Seeded, Size};
use crate::settings::Settings;
use crate::startup::open_database;

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Jobs to write (about 90% open; one employer per 25 jobs).
    #[arg(long, default_value_t = 10_000)]
    pub jobs: usize,
    /// Candidates to write, each with an account.
    #[arg(long, default_value_t = 2_000)]
    pub candidates: usize,
    /// The same seed writes the same market.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

impl SeedArgs {
    pub fn size(&self) -> Size {
        Size {
            jobs: self.jobs,
            candidates: self.candidates,
            seed: self.seed,
        }
    }
}

/// The size `serve --demo` writes on first start: quick, yet enough to search and match.
const FIRST_START: Size = Size {
    jobs: 2_000,
    candidates: 500,
    seed: 2026,
};

pub async fn seed_demo(settings: &Settings, size: Size) -> anyhow::Result<()> {
    let seeded = seed(settings, size).await?;
    print_seeded(&seeded);
    Ok(())
}

/// For `serve --demo`: writes the demo market unless it is there already.
pub async fn seed_once(settings: &Settings) -> anyhow::Result<()> {
    let db = open_database(settings).await?;
    if demo::present(&db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        println!("Demo data present; every demo account's password is {DEMO_PASSWORD}");
        return Ok(());
    }
    println!("First start with --demo: writing a demo market");
    seed_demo(settings, FIRST_START).await
}

async fn seed(settings: &Settings, size: Size) -> anyhow::Result<Seeded> {
    let db = open_database(settings).await?;
    let registry = crate::registry::open(&db).await?.get();
    // Cases are opened from their checklist templates.
    crate::cases::templates::open(&db).await?;
    let bars = Bars::default();
    let started = std::time::Instant::now();
    let seeded = demo::seed(&db, registry.clone(), size, &bars)
        .await
        .map_err(|e| anyhow::anyhow!("cannot write the demo data: {e}"))?;
    println!(
        "wrote {} employers, {} jobs, {} candidates, {} applications, {} cases in {:.1} s",
        seeded.employers,
        seeded.jobs,
        seeded.candidates,
        seeded.applications,
        seeded.cases,
        started.elapsed().as_secs_f64()
    );
    let rates = crate::money::Rates::new(&settings.rates);
    crate::search::indexing::rebuild::rebuild(&db, &settings.application.data_dir, registry, &rates, &bars)
        .await?;
    Ok(seeded)
}

fn print_seeded(seeded: &Seeded) {
    println!("\nDemo accounts (password {DEMO_PASSWORD}):");
    for account in &seeded.accounts {
        println!("  {:<15} {:<42} {}", account.role, account.email, account.note);
    }
}
