//! An ordered, bounded, parallel map over input chunks.
//!
//! In: a [`Splitter`] (or any items: Parquet row groups) and a function
//! from a chunk to its output. Out: the
//! outputs handed to a writer strictly in input order. One thread reads,
//! `threads` workers process, the caller's thread writes; bounded channels
//! keep memory constant whatever the input size.

use leadc::intake::chunk::{Chunk, Splitter};
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

/// What the writer says after each output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on.
    Continue,
    /// Stop reading and processing (e.g. `--strict` saw an error).
    Stop,
}

/// Runs `process` on every chunk with `threads` workers (each worker
/// calls `process()` once for its own chunk function, which may keep
/// buffers from chunk to chunk) and hands the
/// results to `write` in input order. Returns the reader's I/O error, if
/// any, or the writer's.
pub fn run_ordered<R, T, P, F, W>(
    mut splitter: Splitter<R>,
    threads: usize,
    process: P,
    write: W,
) -> io::Result<()>
where
    R: Read + Send,
    T: Send,
    P: Fn() -> F + Sync,
    F: FnMut(Chunk) -> T,
    W: FnMut(T) -> io::Result<Flow>,
{
    run_ordered_items(std::iter::from_fn(move || splitter.next_chunk().transpose()), threads, process, write)
}

/// [`run_ordered`] over any items: `items` is drawn on a thread of its
/// own (it reads), the workers map the items, `write` gets the results in
/// the items' order.
pub fn run_ordered_items<I, S, T, P, F, W>(
    items: S,
    threads: usize,
    process: P,
    mut write: W,
) -> io::Result<()>
where
    S: Iterator<Item = io::Result<I>> + Send,
    I: Send,
    T: Send,
    P: Fn() -> F + Sync,
    F: FnMut(I) -> T,
    W: FnMut(T) -> io::Result<Flow>,
{
    let threads = threads.max(1);
    let (item_tx, item_rx) = sync_channel::<(u64, I)>(threads * 2);
    let (out_tx, out_rx) = sync_channel::<(u64, T)>(threads * 2);
    let item_rx = Arc::new(Mutex::new(item_rx));
    thread::scope(|scope| {
        let reader = scope.spawn(move || read_all(items, item_tx));
        for _ in 0..threads {
            let item_rx = Arc::clone(&item_rx);
            let out_tx = out_tx.clone();
            let process = &process;
            scope.spawn(move || {
                let mut process = process();
                while let Some((seq, item)) = next(&item_rx) {
                    if out_tx.send((seq, process(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(out_tx);
        let written = write_in_order(&out_rx, &mut write);
        // Unblock the reader and workers if the writer stopped early.
        drop(out_rx);
        drop(item_rx);
        let read = reader.join().unwrap_or_else(|_| Err(io::Error::other("the input reader failed")));
        written.and(read)
    })
}

fn next<I>(rx: &Mutex<Receiver<(u64, I)>>) -> Option<(u64, I)> {
    rx.lock().ok()?.recv().ok()
}

fn read_all<I>(
    items: impl Iterator<Item = io::Result<I>>,
    tx: std::sync::mpsc::SyncSender<(u64, I)>,
) -> io::Result<()> {
    for (seq, item) in items.enumerate() {
        if tx.send((seq as u64, item?)).is_err() {
            break;
        }
    }
    Ok(())
}

fn write_in_order<T, W>(rx: &Receiver<(u64, T)>, write: &mut W) -> io::Result<()>
where
    W: FnMut(T) -> io::Result<Flow>,
{
    let mut waiting = BTreeMap::new();
    let mut expected = 0u64;
    for (seq, out) in rx.iter() {
        waiting.insert(seq, out);
        while let Some(out) = waiting.remove(&expected) {
            expected += 1;
            if write(out)? == Flow::Stop {
                return Ok(());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use leadc::intake::chunk::Framing;

    #[test]
    fn output_order_is_input_order_for_any_thread_count() {
        let input: String = (0..200_000).map(|i| format!("{i}\n")).collect();
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            let splitter = Splitter::new(input.as_bytes(), Framing::Lines);
            run_ordered(
                splitter,
                threads,
                || |c: Chunk| c.bytes,
                |b| {
                    seen.extend(b);
                    Ok(Flow::Continue)
                },
            )
            .unwrap();
            assert_eq!(seen, input.as_bytes(), "threads = {threads}");
        }
    }

    #[test]
    fn stop_ends_early_without_hanging() {
        let input: String = (0..200_000).map(|i| format!("{i}\n")).collect();
        let mut calls = 0;
        let splitter = Splitter::new(input.as_bytes(), Framing::Lines);
        run_ordered(
            splitter,
            2,
            || |c: Chunk| c.seq,
            |_| {
                calls += 1;
                Ok(Flow::Stop)
            },
        )
        .unwrap();
        assert_eq!(calls, 1);
    }
}
