//! `poll_oneoff`, replaced: a guest may sleep, but not past its case's deadline.
//!
//! Sleeping is the one thing a guest can do inside a host call for as long as it likes, and
//! nothing interrupts a host call; wasmtime-wasi's own `poll_oneoff` sleeps
//! as long as it is asked. This one sleeps in slices and stops the guest at its deadline.

use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use wasmtime::{Caller, Extern, Trap};

use super::Guest;
use crate::runner::LimitHit;

/// Longest single sleep before the deadline is checked again.
const SLEEP_SLICE: Duration = Duration::from_millis(5);

// WASI preview 1 layouts.
const SUBSCRIPTION_SIZE: usize = 48;
const EVENT_SIZE: usize = 32;
const EVENT_CLOCK: u8 = 0;
const CLOCK_REALTIME: u32 = 0;
const CLOCK_MONOTONIC: u32 = 1;
const SUBSCRIPTION_CLOCK_ABSTIME: u16 = 1;
const ERRNO_SUCCESS: i32 = 0;
const ERRNO_FAULT: i32 = 21;
const ERRNO_INVAL: i32 = 28;
/// More subscriptions than any real program waits on at once.
const MAX_SUBSCRIPTIONS: usize = 1024;

/// WASI's `poll_oneoff`, for a guest whose only waiting is sleeping: stdin and stdout here are
/// in-memory pipes that are always ready, so descriptor subscriptions fire at once, and clock
/// subscriptions sleep in slices, stopping the guest at its wall-clock deadline.
pub(super) fn poll_oneoff(
    mut caller: Caller<'_, Guest>,
    subscriptions: u32,
    events: u32,
    count: u32,
    events_written: u32,
) -> wasmtime::Result<i32> {
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        return Ok(ERRNO_FAULT);
    };
    let count = count as usize;
    if count == 0 || count > MAX_SUBSCRIPTIONS {
        return Ok(ERRNO_INVAL);
    }
    let mut raw = vec![0u8; count * SUBSCRIPTION_SIZE];
    if memory
        .read(&caller, subscriptions as usize, &mut raw)
        .is_err()
    {
        return Ok(ERRNO_FAULT);
    }
    let guest = caller.data();
    let now = Instant::now();
    let mut ready = Vec::new();
    let mut wake: Option<Instant> = None;
    let mut clocks = Vec::new();
    for subscription in raw.chunks_exact(SUBSCRIPTION_SIZE) {
        let userdata = u64::from_le_bytes(subscription[0..8].try_into()?);
        let tag = subscription[8];
        if tag == EVENT_CLOCK {
            let id = u32::from_le_bytes(subscription[16..20].try_into()?);
            let timeout = u64::from_le_bytes(subscription[24..32].try_into()?);
            let flags = u16::from_le_bytes(subscription[40..42].try_into()?);
            let at = clock_deadline(id, timeout, flags, now, guest.clock_origin);
            wake = Some(wake.map_or(at, |w| w.min(at)));
            clocks.push((userdata, at));
        } else {
            // fd_read / fd_write on an in-memory pipe: ready now.
            ready.push((userdata, tag));
        }
    }
    if ready.is_empty() {
        let wake = wake.unwrap_or(now);
        // Sleeping may use what is left of the wall limit (this call's time so far counts, as
        // the call hook started timing it); the real-time net holds as well.
        let spent = guest.wall_spent(caller.get_fuel().unwrap_or(0), now);
        let left = guest
            .wall_budget
            .saturating_sub(spent)
            .min(guest.net.left(now));
        let deadline = now + left;
        loop {
            let now = Instant::now();
            if now >= wake {
                break;
            }
            if now >= deadline {
                caller.data_mut().stopped_by = Some(LimitHit::Wall);
                return Err(Trap::Interrupt.into());
            }
            thread::sleep((wake - now).min(deadline - now).min(SLEEP_SLICE));
        }
        let now = Instant::now();
        ready = clocks
            .into_iter()
            .filter(|(_, at)| *at <= now)
            .map(|(userdata, _)| (userdata, EVENT_CLOCK))
            .collect();
    }
    let mut out = Vec::with_capacity(ready.len() * EVENT_SIZE);
    for (userdata, kind) in &ready {
        let mut event = [0u8; EVENT_SIZE];
        event[0..8].copy_from_slice(&userdata.to_le_bytes());
        event[10] = *kind;
        out.extend_from_slice(&event);
    }
    let written = u32::try_from(ready.len())?.to_le_bytes();
    if memory.write(&mut caller, events as usize, &out).is_err()
        || memory
            .write(&mut caller, events_written as usize, &written)
            .is_err()
    {
        return Ok(ERRNO_FAULT);
    }
    Ok(ERRNO_SUCCESS)
}

/// When a clock subscription fires, on the host's clock.
fn clock_deadline(id: u32, timeout: u64, flags: u16, now: Instant, origin: Instant) -> Instant {
    let nanos = Duration::from_nanos;
    if flags & SUBSCRIPTION_CLOCK_ABSTIME == 0 {
        return now + nanos(timeout);
    }
    match id {
        CLOCK_MONOTONIC => origin + nanos(timeout),
        CLOCK_REALTIME => {
            let wall_now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            now + nanos(timeout).saturating_sub(wall_now)
        }
        _ => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_and_relative_sleeps_end_on_the_host_clock() {
        let origin = Instant::now();
        let now = origin + Duration::from_millis(10);
        assert_eq!(
            clock_deadline(CLOCK_MONOTONIC, 5_000_000, 0, now, origin),
            now + Duration::from_millis(5)
        );
        assert_eq!(
            clock_deadline(
                CLOCK_MONOTONIC,
                50_000_000,
                SUBSCRIPTION_CLOCK_ABSTIME,
                now,
                origin
            ),
            origin + Duration::from_millis(50)
        );
        // An absolute wall-clock time in the past fires at once.
        assert_eq!(
            clock_deadline(CLOCK_REALTIME, 0, SUBSCRIPTION_CLOCK_ABSTIME, now, origin),
            now
        );
    }
}
