//! Work spread over the processor's cores where the build has threads, with results that
//! do not depend on it.
//!
//! With the cargo feature `threads` (the native command line turns it on; the browser's
//! wasm has no threads, and the app leaves it off) [`map_ranges`] runs its ranges on scoped
//! threads; without it, one after the other on the caller's thread. Either way a caller
//! gets the results of the ranges in order, and the callers are written so that nothing
//! depends on where the cuts fall: each range computes values that belong to its own
//! indices only, and every sum over them is then made on one thread in index order. The
//! result of an analysis is therefore the same to the last bit with or without threads,
//! on any number of cores.

use std::ops::Range;

/// Threads to use: the available cores (at most 8), 1 without the `threads` feature.
pub fn threads() -> usize {
    #[cfg(feature = "threads")]
    {
        static N: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *N.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(8))
    }
    #[cfg(not(feature = "threads"))]
    {
        1
    }
}

/// Cuts `0..n` into at most `parts` consecutive ranges of about equal length (one range,
/// possibly empty, when `parts` ≤ 1).
pub fn cut(n: usize, parts: usize) -> Vec<Range<usize>> {
    let parts = parts.clamp(1, n.max(1));
    (0..parts).map(|k| n * k / parts..n * (k + 1) / parts).collect()
}

/// `f` on consecutive ranges that cover `0..n`, each at least `min_len` long (but one),
/// on up to [`threads`] threads; the results in the order of the ranges.
pub fn map_ranges<T: Send>(n: usize, min_len: usize, f: impl Fn(Range<usize>) -> T + Sync) -> Vec<T> {
    let parts = threads().min(n / min_len.max(1)).max(1);
    if parts == 1 {
        return vec![f(0..n)];
    }
    let ranges = cut(n, parts);
    #[cfg(feature = "threads")]
    {
        let f = &f;
        std::thread::scope(|s| {
            let handles: Vec<_> = ranges[1..].iter().map(|r| s.spawn(move || f(r.clone()))).collect();
            let mut out = Vec::with_capacity(ranges.len());
            out.push(f(ranges[0].clone()));
            for (h, r) in handles.into_iter().zip(&ranges[1..]) {
                // A range whose thread could not finish is done again here.
                out.push(h.join().unwrap_or_else(|_| f(r.clone())));
            }
            out
        })
    }
    #[cfg(not(feature = "threads"))]
    {
        ranges.into_iter().map(f).collect()
    }
}

/// `a()` and `b()`, on two threads where there are threads.
pub fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(feature = "threads")]
    if threads() > 1 {
        return std::thread::scope(|s| {
            let hb = s.spawn(b);
            let ra = a();
            // A panic in `b` is passed on as it would be on one thread.
            let rb = hb.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            (ra, rb)
        });
    }
    (a(), b())
}

/// `f(i)` for every `i` in `0..n`, in order (computed in ranges as [`map_ranges`] does).
pub fn map<T: Send>(n: usize, min_len: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let parts = map_ranges(n, min_len, |r| r.map(&f).collect::<Vec<T>>());
    let mut out = Vec::with_capacity(n);
    for p in parts {
        out.extend(p);
    }
    out
}

/// `out[i] = f(i)` for every `i`, in consecutive ranges (each at least `min_len` long, but
/// one) on up to [`threads`] threads. Each value belongs to its own index, so the result
/// is the same on any number of threads.
pub fn fill<T: Send>(out: &mut [T], min_len: usize, f: impl Fn(usize) -> T + Sync) {
    let parts = threads().min(out.len() / min_len.max(1)).max(1);
    let run = |start: usize, part: &mut [T]| {
        for (k, o) in part.iter_mut().enumerate() {
            *o = f(start + k);
        }
    };
    if parts == 1 {
        run(0, out);
        return;
    }
    #[cfg(feature = "threads")]
    {
        let ranges = cut(out.len(), parts);
        let run = &run;
        std::thread::scope(|s| {
            let (first, mut rest) = out.split_at_mut(ranges[0].len());
            for r in &ranges[1..] {
                let (part, tail) = rest.split_at_mut(r.len());
                rest = tail;
                let start = r.start;
                s.spawn(move || run(start, part));
            }
            run(0, first);
        });
    }
    #[cfg(not(feature = "threads"))]
    run(0, out);
}

#[cfg(test)]
mod tests;
