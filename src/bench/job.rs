//! The CPU-bound job the benchmark's speed-ups measure: the tutorial's In [63], the sum of
//! i + i**2 + i**3 for i below n, in parts any kind of worker can take.

/// The tutorial's job (In [63]): the sum of i + i**2 + i**3 for i < n. `black_box` keeps
/// the compiler from replacing the loop by its closed form: the point is to do the work.
///
/// The loop runs in slices of one separate function because V8 first runs wasm with its
/// baseline compiler and swaps in optimized code only at a function's next call (there is no
/// on-stack replacement for wasm): one long call would stay on baseline code for its whole
/// second, at a speed that depends on whether an earlier run already warmed the function.
/// Slices make both sides of the comparison run the same optimized code after a few ms.
pub(super) fn job(n: u64) -> u128 {
    job_range(0, n)
}

/// The job's terms for i in `from..to`: a part of it, as a worker of the scaling sweep does.
pub(super) fn job_range(from: u64, to: u64) -> u128 {
    const SLICE: u64 = 1 << 20;
    let starts = (from..to).step_by(SLICE as usize);
    starts.map(|start| job_slice(start, (start + SLICE).min(to))).sum()
}

/// In the arithmetic wasm has: 64-bit multiplies and adds, no carry flag. i² fits in 64 bits
/// for every i below 2^32; i³ is i² times i taken as the two 32-bit halves of i², each product
/// fitting in 64 bits. Every product is then cut into 32-bit halves and each half summed in a
/// 64-bit accumulator by its weight (2^0, 2^32, 2^64): a slice's at most 2^20 terms add under
/// 2^54 to each, and the 128-bit sum is formed once per slice. (A `u128 * u128` has no wasm
/// instruction: it is a call of compiler-rt's `__multi3`, two per term, and made wasm 4.5x
/// native; a 128-bit add is five wasm instructions, a carry computed by a compare.)
#[inline(never)]
fn job_slice(from: u64, to: u64) -> u128 {
    const LOW: u64 = 0xffff_ffff;
    assert!(to <= 1 << 32, "i² must fit in 64 bits");
    assert!(to.saturating_sub(from) <= 1 << 20, "each accumulator must stay under 2^64");
    let (mut units, mut of_2_32, mut of_2_64) = (0u64, 0u64, 0u64);
    for i in from..to {
        let i = std::hint::black_box(i);
        let square = i * i;
        let (high, low) = ((square >> 32) * i, (square & LOW) * i);
        // i + i² + i³, by weight: i³ = high·2^32 + low.
        units += i + (square & LOW) + (low & LOW);
        of_2_32 += (square >> 32) + (high & LOW) + (low >> 32);
        of_2_64 += high >> 32;
    }
    u128::from(units) + (u128::from(of_2_32) << 32) + (u128::from(of_2_64) << 64)
}

#[cfg(test)]
mod tests {
    use super::{job, job_range, job_slice};

    fn naive(from: u64, to: u64) -> u128 {
        (u128::from(from)..u128::from(to)).map(|i| i + i * i + i * i * i).sum()
    }

    #[test]
    fn the_job_in_64_bit_pieces_sums_what_128_bit_arithmetic_does() {
        assert_eq!(job(0), 0);
        assert_eq!(job(3_000_000), naive(0, 3_000_000)); // i³ outgrows 64 bits at 2,642,246
        assert_eq!(job_range(1_000_000, 3_100_000), naive(1_000_000, 3_100_000));
        // A whole slice at the top: each accumulator at its largest.
        assert_eq!(job_slice((1 << 32) - (1 << 20), 1 << 32), naive((1 << 32) - (1 << 20), 1 << 32));
    }
}
