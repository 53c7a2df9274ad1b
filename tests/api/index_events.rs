//! Index events and clocks: events are stamped by the database, and pruning, which goes by age,
//! removes only the start of the log — so events stamped out of order (by nodes whose clocks
//! disagreed) never leave a hole that a lagging node would skip.

use std::sync::Arc;

use diesel::prelude::*;
use talentbridge::db::schema::index_events;
use talentbridge::index_events as events;
use talentbridge::search::Search;
use talentbridge::search::indexing::{indexer, prune};

use crate::fixtures::{HK_NUMBER, officer, open_job, verified_employer};
use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends! {
    async fn a_skewed_clock_costs_a_lagging_node_no_event(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let db = app.db().await;
        let registry = Arc::new(talentbridge::registry::open(&db).await.unwrap());
        let rates = || talentbridge::money::Rates::new(&app.settings.rates);
        let newest = async || db.read(|c| Ok(events::newest(c)?)).await.unwrap();

        // The event of a publish carries the database's time.
        open_job(&app, &owner, &employer, "hk-wan-chai", "HKD").await;
        let (stamped, database_now) = db
            .read(|c| {
                let stamped: chrono::NaiveDateTime = index_events::table
                    .order(index_events::id.desc())
                    .select(index_events::created_at)
                    .first(c)?;
                let now: chrono::NaiveDateTime = diesel::select(diesel::dsl::now).get_result(c)?;
                Ok((stamped, now))
            })
            .await
            .unwrap();
        assert!((database_now - stamped).num_seconds().abs() < 60, "{stamped} vs {database_now}");

        // A lagging node has applied the log this far.
        let lagging_dir = tempfile::tempdir().unwrap();
        let lagging = Arc::new(Search::open(lagging_dir.path(), rates()).unwrap());
        indexer::catch_up(&db, &lagging, &registry).await.unwrap();
        let position = lagging.jobs().applied_through().min(lagging.candidates().applied_through());
        assert_eq!(position, newest().await);

        // Three more jobs; the middle one's events were stamped a month early, as by a node whose
        // clock ran behind (what every node's clock did before events took the database's).
        open_job(&app, &owner, &employer, "hk-wan-chai", "HKD").await;
        let before_skewed = newest().await;
        let skewed_job = open_job(&app, &owner, &employer, "hk-wan-chai", "HKD").await;
        let skewed_through = newest().await;
        open_job(&app, &owner, &employer, "hk-wan-chai", "HKD").await;
        let month_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(30);
        db.write(move |conn| {
            // What the lagging node applied is a month old too, and may go.
            let aged = diesel::update(
                index_events::table.filter(
                    index_events::id
                        .le(position)
                        .or(index_events::id.between(before_skewed + 1, skewed_through)),
                ),
            )
            .set(index_events::created_at.eq(month_ago))
            .execute(conn)?;
            assert!(aged as i64 > skewed_through - before_skewed, "{aged}");
            Ok(())
        })
        .await
        .unwrap();

        // A node that has applied everything prunes with a week's retention: the start of the
        // log goes, the skewed events after younger ones stay.
        let current_dir = tempfile::tempdir().unwrap();
        let current = Arc::new(Search::open(current_dir.path(), rates()).unwrap());
        indexer::catch_up(&db, &current, &registry).await.unwrap();
        let pruned = prune::prune(&db, &current, chrono::Duration::days(7)).await.unwrap();
        assert!(pruned > 0);
        let (oldest, skewed_kept) = db
            .read(move |c| {
                let skewed: i64 = index_events::table
                    .filter(index_events::id.between(before_skewed + 1, skewed_through))
                    .count()
                    .get_result(c)?;
                Ok((events::oldest(c)?, skewed))
            })
            .await
            .unwrap();
        assert_eq!(oldest, position + 1, "everything the lagging node applied went, nothing after");
        assert_eq!(skewed_kept, skewed_through - before_skewed, "the skewed events stay");

        // The lagging node replays every event: all four jobs, the skewed one among them.
        indexer::catch_up(&db, &lagging, &registry).await.unwrap();
        let searcher = lagging.jobs().reader.searcher();
        assert_eq!(searcher.num_docs(), 4, "no job lost");
        let id_field = lagging.job_fields.id;
        let hit = tantivy::Term::from_field_text(id_field, &skewed_job);
        assert_eq!(searcher.doc_freq(&hit).unwrap(), 1, "{skewed_job} is searchable on the lagging node");
    }
}
