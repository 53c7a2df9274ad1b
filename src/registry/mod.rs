//! The cross-border registry — the ground floor other areas stand on: jurisdictions, places,
//! qualification frameworks, qualifications, equivalence rules and their resolution,
//! work-authorisation bases and the skills taxonomy.

pub mod fit;
pub mod fold;
pub mod model;
pub mod resolve;
pub mod route;
pub mod route_check;
pub mod routes;
pub mod seed;
pub mod service;
pub mod snapshot;
pub mod store;
#[cfg(test)]
pub(crate) mod test_rows;
pub mod views;

use std::time::Duration;

use tokio::sync::watch;

use crate::db::Db;
use crate::error::AppError;
pub use snapshot::{Registry, RegistryHandle};

/// Loads the shipped reference data (when it changed) and the first snapshot.
pub async fn open(db: &Db) -> anyhow::Result<RegistryHandle> {
    let seeded = db
        .write(|conn| seed::apply(conn).map_err(AppError::Unexpected))
        .await?;
    if seeded {
        tracing::info!("registry reference data loaded");
    }
    Ok(RegistryHandle::new(load(db).await?))
}

async fn load(db: &Db) -> Result<Registry, AppError> {
    db.read(|conn| {
        let version = store::current_version(conn)?;
        Ok(Registry::load(conn, version)?)
    })
    .await
}

/// Reloads this node's snapshot after a registry write.
pub async fn refresh(db: &Db, handle: &RegistryHandle) -> Result<(), AppError> {
    handle.replace(load(db).await?);
    Ok(())
}

/// Follows registry writes made by other nodes: checks the version and reloads when it moved.
pub async fn follow_changes(
    db: Db,
    handle: std::sync::Arc<RegistryHandle>,
    every: Duration,
    shutdown: watch::Receiver<bool>,
) {
    crate::background::every(every, shutdown, || {
        let (db, handle) = (db.clone(), handle.clone());
        async move {
            let known = handle.get().version;
            match db.read(|conn| Ok(store::current_version(conn)?)).await {
                Ok(version) if version != known => match load(&db).await {
                    Ok(registry) => handle.replace(registry),
                    Err(error) => tracing::warn!(%error, "cannot reload the registry"),
                },
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot read the registry version"),
            }
        }
    })
    .await
}
