//! One log line per reason, not one per dropped stream: the digest of the
//! `dropped inbound particle: …` lines (sans-IO: the caller passes the time).
//!
//! A flood (200 streams that never send a byte, a peer sending the same bad frame in a
//! loop) used to give one line per stream. Now the first drop of a reason from a peer is
//! logged at once; further drops of that reason from that peer within [`WINDOW_MS`] are
//! counted, and when the window ends one more line says how many there were:
//! `dropped inbound particle: <reason> (<n> more in the 10 s after the first)`.
//! Then the next drop of that reason is logged at once again. A reason therefore costs a
//! peer at most two lines per window, and every drop is accounted for.

use libp2p::PeerId;

/// How long drops of one reason from one peer are counted before their line.
pub const WINDOW_MS: u64 = 10_000;

/// Reasons counted at once, over all peers. Past it (a peer sending a different bad frame
/// each time), a drop is logged on its own line, as before the digest.
pub const MAX_REASONS: usize = 256;

/// What a drop asks the caller to log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// Log `dropped inbound particle: <reason>`.
    First,
    /// Counted; the line comes when the window ends ([`DropLog::flush`]).
    Counted,
}

#[derive(Debug)]
struct Window {
    peer: PeerId,
    reason: String,
    /// When the window ends (Unix ms).
    ends: u64,
    /// Drops counted since the first.
    more: u64,
}

/// The digest. At [`DropLog::poll_timeout`], and before each [`DropLog::record`] (so the
/// lines come in order), [`DropLog::flush`].
#[derive(Debug, Default)]
pub struct DropLog {
    /// At most [`MAX_REASONS`], in the order they opened: the order of their ends too (a
    /// wall clock set back only delays a line behind the ones opened before it).
    windows: Vec<Window>,
}

impl DropLog {
    /// An empty digest.
    pub fn new() -> Self {
        Self::default()
    }

    /// A stream from `peer` was dropped for `reason` at `now`.
    pub fn record(&mut self, peer: PeerId, reason: &str, now: u64) -> Line {
        match self
            .windows
            .iter_mut()
            .find(|w| w.peer == peer && w.reason == reason)
        {
            Some(w) if now < w.ends => {
                w.more += 1;
                Line::Counted
            }
            // Ended, its flush still to come: this drop gets a line of its own.
            Some(_) => Line::First,
            None => {
                if self.windows.len() < MAX_REASONS {
                    self.windows.push(Window {
                        peer,
                        reason: reason.to_string(),
                        ends: now.saturating_add(WINDOW_MS),
                        more: 0,
                    });
                }
                Line::First
            }
        }
    }

    /// When the earliest window ends, if any.
    pub fn poll_timeout(&self) -> Option<u64> {
        self.windows.first().map(|w| w.ends)
    }

    /// Closes the windows that ended by `now`: for each with drops counted, the peer, the
    /// reason and their number, to log as
    /// `dropped inbound particle: <reason> (<n> more in the 10 s after the first)`.
    pub fn flush(&mut self, now: u64) -> Vec<(PeerId, String, u64)> {
        let ended = self.windows.iter().take_while(|w| w.ends <= now).count();
        self.windows
            .drain(..ended)
            .filter(|w| w.more > 0)
            .map(|w| (w.peer, w.reason, w.more))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_one_reason_is_two_lines_per_window_and_every_drop_is_counted() {
        let (a, b) = (PeerId::random(), PeerId::random());
        let mut log = DropLog::new();
        assert_eq!(log.poll_timeout(), None);
        assert_eq!(log.record(a, "no complete frame", 1_000), Line::First);
        for t in 1_001..1_200 {
            assert_eq!(log.record(a, "no complete frame", t), Line::Counted);
        }
        // Another reason, another peer: lines of their own.
        assert_eq!(log.record(a, "garbage", 1_500), Line::First);
        assert_eq!(log.record(b, "no complete frame", 1_600), Line::First);
        assert_eq!(log.poll_timeout(), Some(11_000));
        assert_eq!(log.flush(10_999), vec![]);
        assert_eq!(
            log.flush(11_000),
            vec![(a, "no complete frame".to_string(), 199)]
        );
        assert_eq!(log.poll_timeout(), Some(11_500));
        // Windows without a second drop end without a line.
        assert_eq!(log.flush(20_000), vec![]);
        assert_eq!(log.poll_timeout(), None);
        // After its window, a reason is logged at once again.
        assert_eq!(log.record(a, "no complete frame", 20_001), Line::First);
    }

    #[test]
    fn a_drop_after_the_window_but_before_the_flush_is_not_lost() {
        let a = PeerId::random();
        let mut log = DropLog::new();
        assert_eq!(log.record(a, "r", 0), Line::First);
        assert_eq!(log.record(a, "r", 5), Line::Counted);
        // The window ended at 10,000; the flush has not run yet.
        assert_eq!(log.record(a, "r", 10_000), Line::First);
        assert_eq!(log.flush(10_000), vec![(a, "r".to_string(), 1)]);
        assert_eq!(log.poll_timeout(), None);
    }

    #[test]
    fn past_the_reason_bound_every_drop_gets_its_own_line() {
        let a = PeerId::random();
        let mut log = DropLog::new();
        for i in 0..MAX_REASONS {
            assert_eq!(log.record(a, &format!("r{i}"), 0), Line::First);
        }
        assert_eq!(log.record(a, "one more", 1), Line::First);
        assert_eq!(log.record(a, "one more", 2), Line::First);
        assert_eq!(log.flush(WINDOW_MS), vec![]);
        assert_eq!(log.record(a, "one more", WINDOW_MS + 1), Line::First);
        assert_eq!(log.record(a, "one more", WINDOW_MS + 2), Line::Counted);
    }
}
