//! How often a live run is redrawn. Each poll of a run (every 16 ms) brings records, and
//! redrawing the page for each of them cost the program its cores: during a `Pool(2).map` of
//! 10,000 tasks on two cores the page's main thread was busy a quarter to nine tenths of the time
//! (a timeline of thousands of SVG elements whose scale moves as the run grows, the console
//! following its end, the browser's style, layout and garbage collection after them), while
//! the program's busy threads shared what was left of the two cores (profiled: BENCHMARKS.md).
//!
//! Paced, drawing a live run may take `SHARE` of the main thread's time, measured as a budget:
//! it grows with the time that passes, up to `BURST_MS`, and each redraw spends what it cost.
//! A small run is redrawn at every poll (its redraws cost less than the budget grows); a large
//! one a few times a second; the first lines of a run, within the burst, at once; and what
//! changes a run's status (its start, its end, a stop, a deadlock found) always at once.

/// The main thread's share a live run's redraws may take, over time.
pub const SHARE: f64 = 1.0 / 8.0;
/// The most the budget holds (ms of redrawing): a redraw after a quiet moment is not delayed.
pub const BURST_MS: f64 = 50.0;

/// Which version of a run the page shows, and the budget for showing newer ones.
#[derive(Debug)]
pub struct Pace {
    shown: u64,
    /// Redrawing time the page may spend now (ms); below zero after a costly redraw.
    budget_ms: f64,
    /// When `budget_ms` was last brought up to date.
    budget_at_ms: Option<f64>,
    /// When the redraw of `shown` began (ms), until it is reported done.
    drawing_since: Option<f64>,
}

impl Default for Pace {
    fn default() -> Self {
        Pace { shown: 0, budget_ms: BURST_MS, budget_at_ms: None, drawing_since: None }
    }
}

impl Pace {
    /// Whether to redraw now for version `newest`: at once unless `may_wait` (the run is live
    /// and its status did not change), else while the budget lasts. A version not drawn now is
    /// drawn with the next that is: a live run's poll brings one at least every 250 ms (its clock).
    pub fn draw(&mut self, newest: u64, may_wait: bool, now_ms: f64) -> bool {
        let since = self.budget_at_ms.unwrap_or(now_ms);
        self.budget_ms = (self.budget_ms + (now_ms - since).max(0.0) * SHARE).min(BURST_MS);
        self.budget_at_ms = Some(now_ms);
        let draw = newest != self.shown && (!may_wait || self.budget_ms > 0.0);
        if draw {
            self.shown = newest;
            self.drawing_since = Some(now_ms);
        }
        draw
    }

    /// The redraw asked for by [`Pace::draw`] is on the page: it spends what it cost.
    pub fn drawn(&mut self, now_ms: f64) {
        if let Some(since) = self.drawing_since.take() {
            self.budget_ms -= (now_ms - since).max(0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cheap_redraws_follow_every_poll() {
        let mut pace = Pace::default();
        for v in 1..1000 {
            let now = v as f64 * 16.0;
            assert!(pace.draw(v, true, now), "version {v}");
            pace.drawn(now + 1.9); // under 2 ms a redraw: the budget grows 2 ms a poll
        }
    }

    #[test]
    fn costly_redraws_take_an_eighth_of_the_time() {
        let mut pace = Pace::default();
        let (mut drawn, mut spent) = (0, 0.0);
        for v in 1..=1000u64 {
            let now = v as f64 * 16.0;
            if pace.draw(v, true, now) {
                drawn += 1;
                spent += 100.0;
                pace.drawn(now + 100.0); // 100 ms a redraw
            }
        }
        // 16 s: at most 2 s of redrawing, and the burst.
        assert!(spent <= 16_000.0 * SHARE + BURST_MS + 100.0, "{drawn} redraws");
        assert!(drawn >= 15, "{drawn} redraws: the run is still shown as it goes");
    }

    #[test]
    fn the_first_lines_of_a_run_are_drawn_at_once() {
        let mut pace = Pace::default();
        assert!(pace.draw(1, false, 0.0)); // the start
        pace.drawn(10.0);
        assert!(pace.draw(2, true, 16.0), "within the burst");
    }

    #[test]
    fn a_change_of_status_is_drawn_at_once() {
        let mut pace = Pace::default();
        assert!(pace.draw(1, true, 0.0));
        pace.drawn(200.0);
        assert!(!pace.draw(2, true, 210.0));
        assert!(pace.draw(3, false, 211.0), "e.g. the run ended: its last state, without waiting");
        assert!(!pace.draw(3, false, 212.0), "nothing new to draw");
    }

    #[test]
    fn a_redraw_never_reported_does_not_hold_the_page_back() {
        let mut pace = Pace::default();
        assert!(pace.draw(1, true, 0.0));
        assert!(pace.draw(2, true, 5.0));
    }
}
