//! Shake mode: seeded random pauses at the runtime's own scheduling points (before and after
//! an acquire, before a release, a wait, a notify, a set, a put or get, a print) and, with the
//! GIL on, a seeded random switch interval and (in the Python tab) seeded hand-overs of the
//! GIL at the learner's own points, so that the GIL changes hands between two bytecodes
//! where it usually would not. Running one program under many seeds hunts for the
//! interleaving that breaks it (the page's Shake and Prove it).
//!
//! A thread's pauses are a function of the run's seed and the thread (its id and generation,
//! see `my_token`): the same seed gives each thread the same pauses. The interleaving they
//! lead to also depends on the machine's own timing: a seed makes a failure likely to come
//! back, not certain, and the page says so.
//!
//! Off (seed 0), a scheduling point costs a thread-local read and one relaxed load. The
//! pauses themselves are taken where the GIL is (`gil::scheduling_point`): a pause lets the
//! GIL go.

use super::table::ever_paused;
use super::watched::current;
use std::cell::Cell;
use std::time::Duration;

/// What a thread does at one scheduling point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pause {
    None,
    /// Lets the GIL go and takes it again (another thread may run in between).
    Yield,
    /// Lets the GIL go and sleeps this many microseconds.
    Sleep(u32),
}

/// A thread's pause generator: splitmix64 over (seed, thread token).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pauses {
    state: u64,
}

impl Pauses {
    pub fn new(seed: u32, token: u32) -> Pauses {
        Pauses { state: (u64::from(seed) << 32 | u64::from(token)) ^ 0x9E37_79B9_7F4A_7C15 }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The next point's pause: none half of the time, a yield a quarter, a sleep of up to
    /// 300 µs a quarter.
    pub fn next_pause(&mut self) -> Pause {
        let r = self.next_u64();
        match r % 4 {
            0 | 1 => Pause::None,
            2 => Pause::Yield,
            _ => Pause::Sleep(1 + (r >> 8) as u32 % 300),
        }
    }

    /// Whether the GIL changes hands at this point of the learner's program: at one point in
    /// 2^k, k from 6 to 11 by the seed, so that some seeds switch often and some seldom (a
    /// race whose window a thread must reach alone is found by a seldom one). Not more often:
    /// a switch costs a wake of another worker, tens of µs in the browser, and one in 16
    /// made a shaken run of pitfall-race's Python (4 threads x 100,000) take 5 s.
    pub fn switch_here(&mut self, seed: u32) -> bool {
        let k = 6 + seed.wrapping_sub(1) % 6;
        self.next_u64() & ((1 << k) - 1) == 0
    }

    /// A GIL switch interval: 20 µs to 1 ms.
    pub fn next_interval(&mut self) -> Duration {
        Duration::from_micros(20 + self.next_u64() % 980)
    }
}

thread_local! {
    /// The calling thread's generator, and the (seed, token) it was made for.
    static PAUSES: Cell<Option<(u32, u32, Pauses)>> = const { Cell::new(None) };
}

/// Runs `f` on the calling thread's generator and its run's seed, if its run is shaken.
fn with_pauses<R>(f: impl FnOnce(&mut Pauses, u32) -> R) -> Option<R> {
    let (table, token) = current()?;
    let seed = table.shake_seed();
    if seed == 0 {
        return None;
    }
    PAUSES.with(|cell| {
        let mut pauses = match cell.get() {
            Some((s, t, p)) if (s, t) == (seed, token) => p,
            _ => Pauses::new(seed, token),
        };
        let out = f(&mut pauses, seed);
        cell.set(Some((seed, token, pauses)));
        Some(out)
    })
}

/// Whether the calling thread's run is shaken.
#[inline]
pub fn active() -> bool {
    ever_paused() && current().is_some_and(|(table, _)| table.shake_seed() != 0)
}

/// The calling thread's next pause, if its run is shaken.
pub fn next_pause() -> Option<Pause> {
    with_pauses(|p, _| p.next_pause())
}

/// Whether a shaken run's GIL changes hands at the calling thread's present point (of the
/// learner's program: see `gil::point_checkpoint`).
pub fn switch_here() -> bool {
    with_pauses(Pauses::switch_here).unwrap_or(false)
}

/// The GIL's switch interval for the calling thread's next wait: `default`, or a seeded
/// random one if the run is shaken.
pub fn switch_interval(default: Duration) -> Duration {
    with_pauses(|p, _| p.next_interval()).unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(seed: u32, token: u32) -> Vec<Pause> {
        let mut p = Pauses::new(seed, token);
        (0..64).map(|_| p.next_pause()).collect()
    }

    #[test]
    fn a_seed_gives_each_thread_the_same_pauses() {
        assert_eq!(plan(7, 1025), plan(7, 1025));
        assert_ne!(plan(7, 1025), plan(8, 1025), "another seed");
        assert_ne!(plan(7, 1025), plan(7, 1026), "another thread");
        let kinds = plan(7, 1025);
        assert!(kinds.contains(&Pause::None) && kinds.contains(&Pause::Yield));
        assert!(kinds.iter().any(|p| matches!(p, Pause::Sleep(1..=300))));
    }

    #[test]
    fn a_seed_sets_how_often_the_gil_changes_hands() {
        let switches = |seed| {
            let mut p = Pauses::new(seed, 1025);
            (0..1 << 18).filter(|_| p.switch_here(seed)).count()
        };
        // 2^18 points: one in 64 for seed 1 (and 7), one in 2048 for seed 6.
        assert!((3700..4500).contains(&switches(1)), "{}", switches(1));
        assert!((3700..4500).contains(&switches(7)), "{}", switches(7));
        assert!((80..180).contains(&switches(6)), "{}", switches(6));
    }
}
