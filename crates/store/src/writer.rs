//! SQLite's one writer: this process's write transactions run on one connection and thread,
//! several to a commit (group commit).
//!
//! SQLite lets one connection write at a time. Handing the lock from request to request costs a
//! thread wake-up per transaction, and every commit appends each page it touched to the WAL,
//! so transactions that touch the same pages (the last leaf of each table and index) write
//! them again and again. Here each transaction runs in a savepoint of a batch transaction that
//! takes whatever is waiting, up to [`MAX_BATCH`]: a failing transaction rolls back to its own
//! savepoint without touching the others, and nobody hears "done" before the batch's commit.
//! When requests come one at a time a batch is one transaction, so nothing waits for company.
//!
//! PostgreSQL needs none of this (row locks, its own group commit): there
//! the server runs write transactions on the pool (`AppState::db_write`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;

use diesel::Connection;

use crate::{DbConnection, Manager, StoreError};

/// Most transactions committed together.
pub const MAX_BATCH: usize = 64;

/// What the writer thread does with a transaction: run it, and later tell it whether the batch
/// committed.
type Job = Box<dyn FnOnce(&mut DbConnection) -> Finish + Send>;
type Finish = Box<dyn FnOnce(Result<(), String>) + Send>;

/// The handle requests send their write transactions to.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the writer's own connection and starts its thread.
    pub fn start(manager: &Manager) -> Result<Self, StoreError> {
        let mut conn = manager.open()?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn({
                let manager = manager.clone();
                move || run(&manager, &mut conn, &queue)
            })
            .map_err(|e| StoreError::Pool(format!("cannot start the writer: {e}")))?;
        Ok(Self { jobs })
    }

    /// Runs `f` as one transaction (a savepoint of the batch) and answers once it is committed.
    /// `f`'s own error comes back as it is; the writer's failures come as [`StoreError`].
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + From<diesel::result::Error> + Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    {
        let (done, outcome) = tokio::sync::oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |conn| {
            let result = conn.transaction(f);
            Box::new(move |committed| {
                let answer = match (result, committed) {
                    (Ok(value), Ok(())) => Ok(value),
                    (Ok(_), Err(e)) => Err(StoreError::Commit(e).into()),
                    (Err(e), _) => Err(e),
                };
                // The request may have gone away meanwhile; its transaction stands.
                let _ = done.send(answer);
            })
        });
        self.jobs.send(job).map_err(|_| StoreError::WriterStopped)?;
        // The answer is dropped unsent only when the transaction panicked: its batch rolled back.
        outcome.await.map_err(|_| StoreError::Abandoned)?
    }
}

/// The writer thread: takes what is queued, runs it in one transaction, commits, answers.
fn run(manager: &Manager, conn: &mut DbConnection, queue: &mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut finishes = Vec::with_capacity(batch.len());
        let mut panicked = false;
        let outcome = conn.transaction::<_, diesel::result::Error, _>(|conn| {
            // The write lock first: a batch that read before it wrote could find its snapshot
            // stale (another process wrote) and fail as a whole instead of waiting its turn.
            crate::lock_for_write(conn)?;
            for job in batch {
                match catch_unwind(AssertUnwindSafe(|| job(conn))) {
                    Ok(finish) => finishes.push(finish),
                    // Its answer channel is gone with it, so its request hears an error; the
                    // batch rolls back, since its savepoint may still be open.
                    Err(_) => panicked = true,
                }
            }
            if panicked {
                Err(diesel::result::Error::RollbackTransaction)
            } else {
                Ok(())
            }
        });
        let committed = outcome.map_err(|e| {
            tracing::error!(error = %e, "a batch of write transactions was rolled back");
            if panicked {
                "a transaction in the same batch panicked; nothing of the batch was stored".into()
            } else {
                e.to_string()
            }
        });
        let failed = committed.is_err();
        for finish in finishes {
            finish(committed.clone());
        }
        if failed {
            reopen_if_broken(manager, conn);
        }
    }
}

/// A connection whose transaction state is broken would fail every later batch: replace it.
fn reopen_if_broken(manager: &Manager, conn: &mut DbConnection) {
    use diesel::r2d2::R2D2Connection;
    if conn.is_broken() {
        match manager.open() {
            Ok(fresh) => *conn = fresh,
            Err(e) => tracing::error!(error = %e, "cannot reopen the writer's connection"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::time::Duration;

    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    use super::*;

    /// A migrated SQLite file with a table `t (x INTEGER PRIMARY KEY)`, and a writer on it.
    fn writer_on_fresh_file(dir: &std::path::Path) -> (Manager, Writer) {
        let url = dir.join("writer.db").display().to_string();
        let pool = crate::connect(&url, 1, Duration::from_secs(5)).unwrap();
        pool.get()
            .unwrap()
            .batch_execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
            .unwrap();
        let manager = Manager::new(&url, Duration::from_secs(5));
        let writer = Writer::start(&manager).unwrap();
        (manager, writer)
    }

    /// A runtime that can spawn tasks, as each of the server's workers has.
    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    fn stored(manager: &Manager) -> Vec<i64> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            x: i64,
        }
        let rows: Vec<Row> = diesel::sql_query("SELECT x FROM t ORDER BY x")
            .load(&mut manager.open().unwrap())
            .unwrap();
        rows.into_iter().map(|r| r.x).collect()
    }

    #[test]
    fn each_transaction_commits_or_rolls_back_alone_within_a_batch() {
        let dir = tempfile::tempdir().unwrap();
        let (manager, writer) = writer_on_fresh_file(dir.path());
        // 40 transactions at once, so they share batches; every second one inserts a row that
        // another already inserted and fails, and the one with 13 panics.
        let results: Vec<(i64, Result<i64, StoreError>)> = runtime().block_on(async {
            let handles: Vec<_> = (0..40_i64)
                .map(|i| {
                    let writer = writer.clone();
                    tokio::spawn(async move {
                        let result = writer
                            .write(move |conn| {
                                diesel::sql_query(format!("INSERT INTO t VALUES ({})", i / 2))
                                    .execute(conn)?;
                                assert_ne!(i, 13, "a transaction that panics");
                                Ok(i)
                            })
                            .await;
                        (i, result)
                    })
                })
                .collect();
            let mut results = Vec::new();
            for handle in handles {
                results.push(handle.await.unwrap());
            }
            results
        });
        let committed: Vec<i64> = results
            .iter()
            .filter_map(|(i, r)| r.as_ref().ok().map(|_| i / 2))
            .collect();
        // Exactly what was reported committed is stored, each row once.
        let mut expected = committed.clone();
        expected.sort_unstable();
        assert_eq!(stored(&manager), expected, "{results:?}");
        assert!(results[13].1.is_err(), "the panicking one failed");
        // A duplicate fails alone: it is a conflict, not the batch's fault.
        assert!(
            results.iter().any(|(_, r)| matches!(
                r,
                Err(StoreError::Query(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _
                )))
            )),
            "{results:?}"
        );
        // Work goes on after a panic.
        let after = runtime().block_on(writer.write(|conn| {
            diesel::sql_query("INSERT INTO t VALUES (1000)").execute(conn)?;
            Ok::<_, StoreError>(())
        }));
        assert!(after.is_ok(), "{after:?}");
        assert!(stored(&manager).contains(&1000));
    }
}
