//! The dispatcher: a thread of `sirr serve` that fans new events out, claims due deliveries,
//! sends them a few at a time and records what happened (see the module above for the
//! guarantees). Every process may run one; on PostgreSQL they share the work row by row.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::store::{self, Attempt, Claimed};
use super::{EventType, mail, webhook};
use crate::config::Settings;
use sirr_store::status::DeliveryKind;
use sirr_store::{self as db, Pool};

/// A running dispatcher; [`Dispatcher::stop`] ends it after the batch in hand.
pub struct Dispatcher {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Dispatcher {
    /// Starts the dispatcher thread, unless `events.dispatch` is off.
    pub fn start(pool: Pool, settings: &Settings) -> Result<Option<Self>, String> {
        if !settings.events.dispatch {
            return Ok(None);
        }
        let timeout = settings.events.timeout_ms;
        let mailer =
            mail::Mailer::from_settings(&settings.smtp, timeout).map_err(|e| e.to_string())?;
        let work = Work {
            pool,
            events: settings.events.clone(),
            agent: webhook::agent(timeout, settings.events.concurrency),
            mailer,
        };
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::Builder::new()
            .name("event-dispatcher".into())
            .spawn({
                let stop = stop.clone();
                move || work.run(&stop)
            })
            .map_err(|e| format!("cannot start the event dispatcher: {e}"))?;
        Ok(Some(Self {
            stop,
            thread: Some(thread),
        }))
    }

    /// Stops the thread and waits for it (deliveries in flight finish or time out first).
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Work {
    pool: Pool,
    events: crate::config::EventsSettings,
    agent: ureq::Agent,
    mailer: Option<mail::Mailer>,
}

impl Work {
    fn run(&self, stop: &AtomicBool) {
        let mut last_scan: Option<Instant> = None;
        let poll = self.events.poll_interval_ms;
        let scan_every = self.events.due_scan_interval_s;
        while !stop.load(Ordering::Relaxed) {
            if last_scan.is_none_or(|t| t.elapsed() >= scan_every) {
                last_scan = Some(Instant::now());
                if let Err(e) = self.scan_due_plans() {
                    tracing::warn!(error = %e, "the action plan scan failed; it runs again later");
                }
            }
            let full = match self.round() {
                Ok(full) => full,
                Err(e) => {
                    tracing::warn!(error = %e, "event delivery round failed; retrying");
                    false
                }
            };
            if !full {
                // Sleep in short steps so that a stop is heard quickly.
                let until = Instant::now() + poll;
                while Instant::now() < until && !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(poll.min(Duration::from_millis(50)));
                }
            }
        }
    }

    fn scan_due_plans(&self) -> Result<(), String> {
        let mut conn = self.pool.get().map_err(|e| e.to_string())?;
        let today = chrono::Utc::now().date_naive();
        let written = store::scan_due_plans(&mut conn, today).map_err(|e| e.to_string())?;
        if written > 0 {
            tracing::info!(written, "action plans came due");
        }
        let digests = store::scan_digests(
            &mut conn,
            db::now(),
            crate::config::span(self.events.review_backlog_after_h),
            self.events.report_ready_day,
        )
        .map_err(|e| e.to_string())?;
        if digests > 0 {
            tracing::info!(digests, "e-mail digests written");
        }
        Ok(())
    }

    /// One round: fan out what is new, claim a batch, send it, record it. `true` when the batch
    /// was full (more may be waiting: go again at once).
    fn round(&self) -> Result<bool, String> {
        let window = crate::config::span(self.events.retry_window_s);
        let lease = crate::config::span(self.events.lease_s);
        let claimed = {
            let mut conn = self.pool.get().map_err(|e| e.to_string())?;
            if !store::has_work(&mut conn, db::now()).map_err(|e| e.to_string())? {
                return Ok(false);
            }
            while store::fan_out(&mut conn, self.mailer.is_some(), window)
                .map_err(|e| e.to_string())?
                > 0
            {}
            store::claim(&mut conn, i64::from(self.events.batch_size), lease)
                .map_err(|e| e.to_string())?
        };
        if claimed.is_empty() {
            return Ok(false);
        }
        let full = claimed.len() >= self.events.batch_size as usize;
        let results = self.deliver_all(claimed);
        let mut conn = self.pool.get().map_err(|e| e.to_string())?;
        store::record(&mut conn, &results).map_err(|e| e.to_string())?;
        Ok(full)
    }

    /// Sends a batch, `events.concurrency` at a time.
    fn deliver_all(&self, claimed: Vec<Claimed>) -> Vec<(Claimed, Attempt)> {
        let next = AtomicUsize::new(0);
        let workers = self.events.concurrency.min(claimed.len()).max(1);
        let mut results: Vec<(Claimed, Attempt)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(d) = claimed.get(i) else { break };
                            mine.push((d.clone(), self.deliver(d)));
                        }
                        mine
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        results.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        results
    }

    fn deliver(&self, d: &Claimed) -> Attempt {
        let at = db::now();
        let started = Instant::now();
        let (status_code, error, skipped) = match d.kind {
            DeliveryKind::Webhook => self.send_webhook(d),
            DeliveryKind::Email => self.send_mail(d),
        };
        if let Some(e) = &error
            && !skipped
        {
            tracing::info!(delivery = %d.id, event = %d.event_id, error = %e, attempt = d.attempts + 1,
                           "delivery failed; it will be retried");
        }
        Attempt {
            at,
            duration_ms: started.elapsed().as_millis() as i64,
            status_code,
            error,
            skipped,
            retry_in: backoff(&self.events, d.attempts),
        }
    }

    fn send_webhook(&self, d: &Claimed) -> (Option<u16>, Option<String>, bool) {
        let (Some(url), Some(secret)) = (&d.url, &d.secret) else {
            return (None, Some("the webhook was removed".into()), true);
        };
        let key = match super::sign::key_of(secret) {
            Ok(key) => key,
            Err(e) => {
                return (
                    None,
                    Some(format!("the stored secret is not usable: {e}")),
                    false,
                );
            }
        };
        let outcome = webhook::send(&self.agent, url, &key, &d.event_id, &store::body(d));
        (outcome.status, outcome.error, false)
    }

    fn send_mail(&self, d: &Claimed) -> (Option<u16>, Option<String>, bool) {
        let Some(mailer) = &self.mailer else {
            return (None, Some("no SMTP server is configured".into()), true);
        };
        let (Some(user), Some(kind)) = (&d.recipient_id, EventType::parse(&d.event_type)) else {
            return (None, Some("no recipient".into()), true);
        };
        let data: serde_json::Value = serde_json::from_str(&d.data).unwrap_or_default();
        let letter = self
            .pool
            .get()
            .map_err(|e| e.to_string())
            .and_then(|mut conn| {
                let Some(to) = mail::letter_for(&mut conn, user).map_err(|e| e.to_string())? else {
                    return Ok(None);
                };
                if !to.notifications || !to.active {
                    return Ok(None);
                }
                let text =
                    mail::compose(&mut conn, kind, &data, to.lang).map_err(|e| e.to_string())?;
                Ok(text.map(|(subject, body)| (to, subject, body)))
            });
        match letter {
            Err(e) => (None, Some(e), false),
            Ok(None) => (None, Some("the recipient takes no e-mail now".into()), true),
            Ok(Some((to, subject, body))) => {
                match mailer.send_localized(&to.email, to.lang, &subject, &body) {
                    Ok(()) => (None, None, false),
                    Err(e) => (None, Some(e.to_string()), false),
                }
            }
        }
    }
}

/// The wait before the next attempt after `attempts` earlier ones failed: the first retry after
/// `retry_first_ms`, doubling each time up to `retry_max_s`, each ±25 % at random so that many
/// failed deliveries do not come back at the same moment.
pub fn backoff(events: &crate::config::EventsSettings, attempts: i32) -> chrono::Duration {
    let base = events.retry_first_ms.as_millis() as f64 * 2f64.powi(attempts.clamp(0, 30));
    let capped = base.min(events.retry_max_s.as_millis() as f64);
    let mut random = [0u8; 4];
    let unit = if getrandom::fill(&mut random).is_ok() {
        f64::from(u32::from_le_bytes(random)) / f64::from(u32::MAX)
    } else {
        0.5
    };
    chrono::Duration::milliseconds((capped * (0.75 + 0.5 * unit)) as i64)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn settings() -> crate::config::EventsSettings {
        let all: Settings = figment::Figment::new()
            .merge(
                <figment::providers::Toml as figment::providers::Format>::string(
                    crate::config::DEFAULT_TOML,
                ),
            )
            .extract()
            .unwrap();
        all.events
    }

    #[test]
    fn the_first_retry_comes_within_30_s_and_later_ones_back_off_to_the_cap() {
        let events = settings();
        for _ in 0..100 {
            let first = backoff(&events, 0).num_milliseconds();
            assert!((3750..=6250).contains(&first), "{first}");
            let tenth = backoff(&events, 9).num_milliseconds();
            assert!((1_920_000..=3_200_000).contains(&tenth), "{tenth}");
            let late = backoff(&events, 40).num_milliseconds();
            assert!((2_700_000..=4_500_000).contains(&late), "{late}");
        }
    }
}
