//! Where two processes start to pay: the crossover program's rows (`processes`), read back
//! as points, and the smallest n at which two processes beat the job done twice in turn.

/// One size of the sweep: n as a power of two, and the two medians (ns).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub log2_n: u32,
    pub sequential_ns: f64,
    pub two_processes_ns: f64,
}

use std::collections::BTreeMap;

const SEQUENTIAL: &str = "crossover_sequential_2pow";
const TWO_PROCESSES: &str = "crossover_two_processes_2pow";

/// The sweep's points among the benchmark's rows (name, median ns), by n; a size with only
/// one of its two rows is left out.
pub fn points<'a>(rows: impl IntoIterator<Item = (&'a str, f64)>) -> Vec<Point> {
    let mut sizes: BTreeMap<u32, (Option<f64>, Option<f64>)> = BTreeMap::new();
    for (name, ns) in rows {
        let size = |prefix| name.strip_prefix(prefix).and_then(|k| k.parse::<u32>().ok());
        if let Some(k) = size(SEQUENTIAL) {
            sizes.entry(k).or_default().0.get_or_insert(ns);
        } else if let Some(k) = size(TWO_PROCESSES) {
            sizes.entry(k).or_default().1.get_or_insert(ns);
        }
    }
    sizes
        .into_iter()
        .filter_map(|(log2_n, pair)| match pair {
            (Some(sequential_ns), Some(two_processes_ns)) => Some(Point { log2_n, sequential_ns, two_processes_ns }),
            _ => None,
        })
        .collect()
}

/// The smallest n from which on two processes are faster at every size measured (a single
/// lucky size below a slower one does not count); `None` if they never are.
pub fn crossover_n(points: &[Point]) -> Option<u64> {
    let faster = |p: &Point| p.two_processes_ns < p.sequential_ns;
    let first = points.iter().rposition(|p| !faster(p)).map_or(0, |i| i + 1);
    points.get(first).map(|p| 1u64 << p.log2_n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crossover_is_where_two_processes_stay_faster() {
        let rows = [
            ("crossover_sequential_2pow14", 1.0e6),
            ("crossover_two_processes_2pow14", 30.0e6),
            ("crossover_sequential_2pow15", 2.0e6),
            ("crossover_two_processes_2pow15", 1.9e6), // a lucky pass
            ("crossover_sequential_2pow16", 4.0e6),
            ("crossover_two_processes_2pow16", 31.0e6),
            ("crossover_sequential_2pow17", 60.0e6),
            ("crossover_two_processes_2pow17", 40.0e6),
            ("lock_uncontended", 20.0),
            ("crossover_two_processes_2pow18", 50.0e6), // its pair missing
        ];
        let ps = points(rows.iter().copied());
        assert_eq!(ps.iter().map(|p| p.log2_n).collect::<Vec<_>>(), [14, 15, 16, 17]);
        assert_eq!(crossover_n(&ps), Some(1 << 17));
        assert_eq!(crossover_n(&ps[..3]), None, "never stays faster");
        assert_eq!(crossover_n(&[]), None);
    }
}
