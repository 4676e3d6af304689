//! Speed-up against the number of workers (issue 18's scaling story). The scaling program
//! splits the CPU job of one size into k equal parts run on k processes, k threads (GIL off)
//! and a rayon pool of k threads, for k = 1 up to the machine's cores; the page reads its rows
//! back as curves and fits Amdahl's law to each. Then the pool's per-task cost with as many
//! workers as cores against four times as many (the contention a 16-core machine would add,
//! provoked on this one by oversubscribing it).

use super::job::job_range;
use super::report;
use pp_multiprocessing::{Pool, Process, Queue};
use pp_platform::clock::Instant;
use pp_runtime::queue::Queue as ThreadQueue;
use pp_runtime::threading::Thread;
use pp_runtime::PyResult;
use std::collections::BTreeMap;

/// What carries the k parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Processes,
    Threads,
    Rayon,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Processes, Kind::Threads, Kind::Rayon];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Processes => "processes",
            Kind::Threads => "threads",
            Kind::Rayon => "rayon",
        }
    }

    fn row(self, workers: usize) -> String {
        format!("{PREFIX}{}_{workers}", self.as_str())
    }
}

const PREFIX: &str = "scaling_";

/// The k-th of `parts` equal parts of `0..n`.
fn part(n: u64, k: u64, parts: u64) -> (u64, u64) {
    (n * k / parts, n * (k + 1) / parts)
}

/// A process's part, sent back on `q`.
pub(super) fn part_into((q, from, to): (Queue<u128>, u64, u64)) -> PyResult<()> {
    q.put(&job_range(from, to))
}

fn on_processes(n: u64, workers: u64) -> PyResult<u128> {
    let q = Queue::new(0)?;
    let ps: Vec<Process> = (0..workers)
        .map(|k| {
            let (from, to) = part(n, k, workers);
            Process::new(part_into, (q.clone(), from, to))
        })
        .collect();
    ps.iter().try_for_each(Process::start)?;
    let mut sum = 0;
    for _ in 0..workers {
        sum += q.get()?;
    }
    ps.iter().try_for_each(|p| p.join(None))?;
    Ok(sum)
}

fn on_threads(n: u64, workers: u64) -> PyResult<u128> {
    let q = std::sync::Arc::new(ThreadQueue::new(0));
    let ts: Vec<Thread> = (0..workers)
        .map(|k| {
            let (q, (from, to)) = (q.clone(), part(n, k, workers));
            Thread::new(move || q.put(job_range(from, to)))
        })
        .collect();
    ts.iter().try_for_each(Thread::start)?;
    let sum = (0..workers).map(|_| q.get()).sum();
    ts.iter().try_for_each(|t| t.join(None))?;
    Ok(sum)
}

fn on_rayon(n: u64, workers: u64) -> PyResult<u128> {
    use rayon::prelude::*;
    let pool = pp_runtime::threading::rayon_pool(workers as usize)?;
    Ok(pool.install(|| {
        (0..workers)
            .into_par_iter()
            .map(|k| {
                let (from, to) = part(n, k, workers);
                job_range(from, to)
            })
            .sum()
    }))
}

/// Nanoseconds for the job of size `n` in `workers` parts on `kind`, start and end of the
/// workers included (a program pays them); the sum is checked against the job done in turn.
fn timed(kind: Kind, n: u64, workers: u64, expected: u128) -> PyResult<f64> {
    let start = Instant::now();
    let sum = match kind {
        Kind::Processes => on_processes(n, workers)?,
        Kind::Threads => on_threads(n, workers)?,
        Kind::Rayon => on_rayon(n, workers)?,
    };
    let ns = start.elapsed().as_nanos() as f64;
    assert_eq!(sum, expected, "{} in {workers} parts", kind.as_str());
    Ok(ns)
}

/// Per task of `Pool(workers).map(tiny, 10,000 tasks, chunksize=1)`.
fn pool_map_per_task(workers: usize) -> PyResult<()> {
    let pool = Pool::new(workers)?;
    report(&format!("{PREFIX}pool_map_chunksize_1_pool{workers}"), || {
        let start = Instant::now();
        let out = pool.map(super::processes::tiny, 0..10_000u32, Some(1)).expect("map");
        assert_eq!(out.len(), 10_000);
        start.elapsed().as_nanos() as f64 / 10_000.0
    });
    Ok(())
}

/// What this file's processes run.
pub(super) fn registered_targets() -> Vec<pp_multiprocessing::Target> {
    vec![pp_multiprocessing::Target::of(part_into)]
}

/// The scaling program: `BENCH scaling_{kind}_{k}` rows, k = 1 to `max` (0: the machine's
/// cores), each the median of `passes` passes, the kinds interleaved within a pass so that a
/// slow spell of a shared machine hits them alike; then the pool rows.
pub fn scaling_program(p: &crate::params::Params) -> PyResult<()> {
    let n = p.int("n") as u64;
    let max = match p.int("max") {
        0 => pp_multiprocessing::cpu_count(),
        m => m as usize,
    };
    let passes = p.int("passes") as usize;
    let expected = job_range(0, n);
    let mut samples: BTreeMap<(Kind, usize), Vec<f64>> = BTreeMap::new();
    for _ in 0..passes {
        for workers in 1..=max {
            for kind in Kind::ALL {
                let ns = timed(kind, n, workers as u64, expected)?;
                samples.entry((kind, workers)).or_default().push(ns);
            }
        }
    }
    for ((kind, workers), ns) in samples {
        super::print_line(&kind.row(workers), ns);
    }
    let cores = max.max(1);
    pool_map_per_task(cores)?;
    pool_map_per_task(4 * cores)?;
    Ok(())
}

/// One kind's measured speed-ups, by number of workers.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub kind: Kind,
    /// (workers, speed-up over one worker), by workers; one worker's is 1.
    pub points: Vec<(usize, f64)>,
    /// The parallel fraction of Amdahl's law fitted to the points (`amdahl_fit`).
    pub parallel: f64,
}

/// The scaling rows among the benchmark's (name, median ns), as one curve per kind that has
/// its one-worker row.
pub fn curves<'a>(rows: impl IntoIterator<Item = (&'a str, f64)>) -> Vec<Curve> {
    let mut by_kind: BTreeMap<Kind, BTreeMap<usize, f64>> = BTreeMap::new();
    for (name, ns) in rows {
        let Some(rest) = name.strip_prefix(PREFIX) else { continue };
        for kind in Kind::ALL {
            let workers = rest.strip_prefix(kind.as_str()).and_then(|r| r.strip_prefix('_'));
            if let Some(workers) = workers.and_then(|w| w.parse::<usize>().ok()) {
                by_kind.entry(kind).or_default().entry(workers).or_insert(ns);
            }
        }
    }
    by_kind
        .into_iter()
        .filter_map(|(kind, times)| {
            let one = *times.get(&1)?;
            let points: Vec<(usize, f64)> = times.into_iter().map(|(k, ns)| (k, one / ns)).collect();
            Some(Curve { kind, parallel: amdahl_fit(&points), points })
        })
        .collect()
}

/// The parallel fraction p of Amdahl's law, S(k) = 1 / ((1 - p) + p / k), that fits the
/// points best. Rewritten as 1 - 1/S = p (1 - 1/k) it is a line through the origin, so least
/// squares give p in closed form; clamped to [0, 1] (a noisy point can ask for more).
pub fn amdahl_fit(points: &[(usize, f64)]) -> f64 {
    let (xy, xx) = points.iter().fold((0.0, 0.0), |(xy, xx), &(k, s)| {
        let x = 1.0 - 1.0 / k as f64;
        (xy + x * (1.0 - 1.0 / s), xx + x * x)
    });
    if xx == 0.0 {
        return 0.0;
    }
    (xy / xx).clamp(0.0, 1.0)
}

/// Amdahl's speed-up on `workers` for the parallel fraction `p`.
pub fn amdahl(p: f64, workers: f64) -> f64 {
    1.0 / ((1.0 - p) + p / workers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amdahl_fit_recovers_the_fraction_it_was_drawn_from() {
        let points: Vec<(usize, f64)> = (1..=16).map(|k| (k, amdahl(0.9, k as f64))).collect();
        assert!((amdahl_fit(&points) - 0.9).abs() < 1e-9);
        assert_eq!(amdahl_fit(&[(1, 1.0)]), 0.0, "one worker says nothing");
        assert_eq!(amdahl_fit(&[(1, 1.0), (2, 2.5)]), 1.0, "clamped");
    }

    #[test]
    fn curves_are_speed_ups_over_one_worker_by_kind() {
        let rows = [
            ("scaling_processes_1", 100.0),
            ("scaling_processes_2", 55.0),
            ("scaling_threads_2", 50.0), // no one-worker row: left out
            ("scaling_rayon_1", 80.0),
            ("scaling_rayon_2", 40.0),
            ("scaling_pool_map_chunksize_1_pool2", 3000.0),
            ("crossover_sequential_2pow14", 1.0),
        ];
        let cs = curves(rows.iter().copied());
        assert_eq!(cs.iter().map(|c| c.kind).collect::<Vec<_>>(), [Kind::Processes, Kind::Rayon]);
        assert_eq!(cs[0].points, [(1, 1.0), (2, 100.0 / 55.0)]);
        assert_eq!(cs[1].parallel, 1.0);
    }

    #[test]
    fn parts_cover_the_job_exactly() {
        let n = 1_000_003;
        let parts: Vec<_> = (0..7).map(|k| part(n, k, 7)).collect();
        assert_eq!(parts[0].0, 0);
        assert_eq!(parts[6].1, n);
        assert!(parts.windows(2).all(|w| w[0].1 == w[1].0));
    }
}
