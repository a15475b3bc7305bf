//! The client's connection to its relay as a sans-IO state machine: dial, dial timeout,
//! exponential backoff, reconnect, particles waiting while disconnected, state changes and
//! `disconnect()` — the policy every client host (browser page, worker, Node, native)
//! follows, with no socket and no clock of its own.
//!
//! **Call order.** The host calls [`Session::start`] once, then feeds what happens —
//! [`Session::connected`], [`Session::dial_failed`], [`Session::connection_lost`],
//! [`Session::disconnect`], [`Session::send`] for each particle the engine wants sent, and
//! [`Session::handle_timeout`] at the instant [`Session::poll_timeout`] names — and after
//! each call drains [`Session::poll_action`] until it is `None`, acting on every
//! [`Action`]. Time comes in as Unix milliseconds on every call.
//!
//! **States.** `Connecting` (the first dial) → `Connected`; a first dial that fails or
//! times out ends in `Disconnected` with [`Action::ConnectFailed`] (the app's `connect`
//! rejects: nothing is retried before the app has a client). From `Connected` a lost
//! connection goes to `Reconnecting` (or `Disconnected` when reconnecting is off); each
//! failed or timed-out redial doubles the wait, from [`SessionConfig::backoff_min_ms`] up to
//! [`SessionConfig::backoff_max_ms`]; a success resets it. [`Session::disconnect`] goes
//! through `Disconnecting` to `Disconnected` from any state, a dial in progress included.
//!
//! **Particles.** While connected, [`Session::send`] passes a particle straight through
//! ([`Action::Send`]). Otherwise it waits, in order, until the connection is back (then all
//! waiting particles are released, oldest first) or until its deadline, when it is dropped
//! (the engine rejects its caller with `TTL_EXPIRED` at the same instant). At most
//! [`SessionConfig::max_waiting`] wait; one more is refused ([`Action::Refused`]).

use std::collections::VecDeque;
use std::fmt;

use crate::engine::SendToken;
use crate::particle::Particle;

/// The relay connection's state, as apps see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionState {
    /// The first dial is in progress.
    Connecting,
    /// Connected to the relay.
    Connected,
    /// The connection was lost; redialing with backoff.
    Reconnecting,
    /// `disconnect()` is in progress.
    Disconnecting,
    /// Not connected and not trying (after `disconnect()`, a failed first dial, or a lost
    /// connection with reconnecting off).
    Disconnected,
}

impl ConnectionState {
    /// The string JS sees: `"connecting"`, `"connected"`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Connecting => "connecting",
            ConnectionState::Connected => "connected",
            ConnectionState::Reconnecting => "reconnecting",
            ConnectionState::Disconnecting => "disconnecting",
            ConnectionState::Disconnected => "disconnected",
        }
    }
}

impl fmt::Display for ConnectionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Session settings.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// How long one dial may take before it counts as failed.
    pub dial_timeout_ms: u64,
    /// Whether a lost connection is redialed.
    pub reconnect: bool,
    /// The first wait before a redial.
    pub backoff_min_ms: u64,
    /// The longest wait between redials.
    pub backoff_max_ms: u64,
    /// Most particles waiting for the connection.
    pub max_waiting: usize,
}

impl Default for SessionConfig {
    /// 10 s dial timeout, reconnect on, backoff 0.5 s → 10 s, 4096 particles waiting.
    fn default() -> Self {
        SessionConfig {
            dial_timeout_ms: 10_000,
            reconnect: true,
            backoff_min_ms: 500,
            backoff_max_ms: 10_000,
            max_waiting: 4096,
        }
    }
}

/// What the host must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Dial the relay (a dial that is still in progress may be left to finish: its
    /// outcome is reported as usual and a late success is taken).
    Dial,
    /// Close the relay connection, if there is one (after `disconnect()`).
    Close,
    /// Send this particle to the relay now.
    Send {
        /// The particle.
        particle: Particle,
        /// Its engine token.
        token: SendToken,
    },
    /// This particle cannot wait (the waiting queue is full, or the session is
    /// disconnected for good): report it to the engine with `send_failed`.
    Refused {
        /// The engine token.
        token: SendToken,
        /// Why.
        reason: String,
    },
    /// The state changed: tell the app's listeners.
    StateChanged(ConnectionState),
    /// The first connection is up: the app's `connect` resolves.
    Ready,
    /// The first dial failed or timed out: the app's `connect` rejects with this message.
    ConnectFailed(String),
}

/// The relay connection policy. See the module documentation.
#[derive(Debug)]
pub struct Session {
    config: SessionConfig,
    state: ConnectionState,
    /// A dial is in progress, counted as failed at this instant.
    dial_deadline: Option<u64>,
    /// The next redial.
    redial_at: Option<u64>,
    backoff_ms: u64,
    failures_in_a_row: u32,
    /// (deadline, token, particle), oldest first.
    waiting: VecDeque<(u64, SendToken, Particle)>,
    actions: VecDeque<Action>,
    started: bool,
}

impl Session {
    /// A session that has not dialed yet (state `Connecting`).
    pub fn new(config: SessionConfig) -> Self {
        let backoff_ms = config.backoff_min_ms;
        Session {
            config,
            state: ConnectionState::Connecting,
            dial_deadline: None,
            redial_at: None,
            backoff_ms,
            failures_in_a_row: 0,
            waiting: VecDeque::new(),
            actions: VecDeque::new(),
            started: false,
        }
    }

    /// The current state.
    pub fn state(&self) -> ConnectionState {
        self.state
    }

    /// How many particles wait for the connection.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// Failed dials since the last connection.
    pub fn failures_in_a_row(&self) -> u32 {
        self.failures_in_a_row
    }

    /// The wait before the next redial after one more failure.
    pub fn backoff_ms(&self) -> u64 {
        self.backoff_ms
    }

    /// Starts the first dial. Later calls do nothing.
    pub fn start(&mut self, now: u64) {
        if self.started {
            return;
        }
        self.started = true;
        self.dial(now);
    }

    /// The relay connection is up.
    pub fn connected(&mut self, _now: u64) {
        match self.state {
            ConnectionState::Disconnecting | ConnectionState::Disconnected => {
                // A dial that finished after disconnect(): close it again.
                self.actions.push_back(Action::Close);
                return;
            }
            ConnectionState::Connected => return,
            ConnectionState::Connecting => self.actions.push_back(Action::Ready),
            ConnectionState::Reconnecting => {}
        }
        self.dial_deadline = None;
        self.redial_at = None;
        self.backoff_ms = self.config.backoff_min_ms;
        self.failures_in_a_row = 0;
        self.set(ConnectionState::Connected);
        for (_, token, particle) in std::mem::take(&mut self.waiting) {
            self.actions.push_back(Action::Send { particle, token });
        }
    }

    /// The dial in progress failed.
    pub fn dial_failed(&mut self, now: u64, error: &str) {
        if self.dial_deadline.is_none() {
            return; // not dialing (a stale report, or after disconnect())
        }
        self.failed_attempt(now, error);
    }

    /// The relay connection closed.
    pub fn connection_lost(&mut self, now: u64) {
        if self.state != ConnectionState::Connected {
            return;
        }
        if self.config.reconnect {
            self.set(ConnectionState::Reconnecting);
            self.redial_at = Some(now + self.backoff_ms);
        } else {
            self.finish();
        }
    }

    /// The app called `disconnect()`: from any state, through `Disconnecting` to
    /// `Disconnected`; waiting particles are refused.
    pub fn disconnect(&mut self, _now: u64) {
        if self.state == ConnectionState::Disconnected {
            return;
        }
        let was_connecting = self.state == ConnectionState::Connecting;
        self.set(ConnectionState::Disconnecting);
        if was_connecting {
            self.actions.push_back(Action::ConnectFailed(
                "disconnected while connecting".into(),
            ));
        }
        self.actions.push_back(Action::Close);
        self.finish();
    }

    /// The engine wants `particle` sent: at once when connected, else it waits.
    pub fn send(&mut self, now: u64, particle: Particle, token: SendToken) {
        match self.state {
            ConnectionState::Connected => self.actions.push_back(Action::Send { particle, token }),
            ConnectionState::Disconnecting | ConnectionState::Disconnected => {
                self.actions.push_back(Action::Refused {
                    token,
                    reason: "the client is disconnected".into(),
                })
            }
            ConnectionState::Connecting | ConnectionState::Reconnecting => {
                let deadline = particle.deadline().unwrap_or(0);
                if deadline <= now {
                    return; // the engine rejects its caller at the deadline
                }
                if self.waiting.len() >= self.config.max_waiting {
                    self.actions.push_back(Action::Refused {
                        token,
                        reason: format!(
                            "{} particles already wait for the relay connection",
                            self.config.max_waiting
                        ),
                    });
                    return;
                }
                self.waiting.push_back((deadline, token, particle));
            }
        }
    }

    /// The earliest instant at which [`Session::handle_timeout`] has work.
    pub fn poll_timeout(&self) -> Option<u64> {
        let oldest = self.waiting.iter().map(|(d, _, _)| *d).min();
        [self.dial_deadline, self.redial_at, oldest]
            .into_iter()
            .flatten()
            .min()
    }

    /// Advances time: dial timeouts, redials, waiting particles past their deadline.
    pub fn handle_timeout(&mut self, now: u64) {
        if self.dial_deadline.is_some_and(|d| d <= now) {
            let msg = format!("no connection within {} ms", self.config.dial_timeout_ms);
            self.failed_attempt(now, &msg);
        }
        if self.redial_at.is_some_and(|d| d <= now) {
            self.redial_at = None;
            self.dial(now);
        }
        self.waiting.retain(|(deadline, _, _)| *deadline > now);
    }

    /// The next thing to do, if any.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    fn dial(&mut self, now: u64) {
        self.dial_deadline = Some(now + self.config.dial_timeout_ms);
        self.actions.push_back(Action::Dial);
    }

    fn failed_attempt(&mut self, now: u64, error: &str) {
        self.dial_deadline = None;
        self.failures_in_a_row += 1;
        match self.state {
            ConnectionState::Connecting => {
                self.actions
                    .push_back(Action::ConnectFailed(error.to_string()));
                self.finish();
            }
            ConnectionState::Reconnecting => {
                self.redial_at = Some(now + self.backoff_ms);
                self.backoff_ms = (self.backoff_ms * 2).min(self.config.backoff_max_ms);
            }
            _ => {}
        }
    }

    /// To `Disconnected` for good: nothing more is dialed and waiting particles are refused.
    fn finish(&mut self) {
        self.dial_deadline = None;
        self.redial_at = None;
        for (_, token, _) in std::mem::take(&mut self.waiting) {
            self.actions.push_back(Action::Refused {
                token,
                reason: "the client is disconnected".into(),
            });
        }
        self.set(ConnectionState::Disconnected);
    }

    fn set(&mut self, state: ConnectionState) {
        if self.state != state {
            self.state = state;
            self.actions.push_back(Action::StateChanged(state));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyPair;

    const T0: u64 = 1_700_000_000_000;

    fn particle(id: &str, now: u64, ttl: u32) -> Particle {
        Particle::new_signed(
            &KeyPair::from_seed([7; 32]),
            id.into(),
            "(null)".into(),
            now,
            ttl,
        )
    }

    fn drain(s: &mut Session) -> Vec<Action> {
        std::iter::from_fn(|| s.poll_action()).collect()
    }

    fn states(actions: &[Action]) -> Vec<ConnectionState> {
        actions
            .iter()
            .filter_map(|a| match a {
                Action::StateChanged(s) => Some(*s),
                _ => None,
            })
            .collect()
    }

    fn sent(actions: &[Action]) -> Vec<String> {
        actions
            .iter()
            .filter_map(|a| match a {
                Action::Send { particle, .. } => Some(particle.id.clone()),
                _ => None,
            })
            .collect()
    }

    /// A session started at `now`, its first dial under way (the actions so far drained).
    fn dialing(config: SessionConfig, now: u64) -> Session {
        let mut s = Session::new(config);
        s.start(now);
        drain(&mut s);
        s
    }

    fn connected_session(now: u64) -> Session {
        let mut s = dialing(SessionConfig::default(), now);
        s.connected(now + 5);
        drain(&mut s);
        s
    }

    #[test]
    fn first_dial_connects_and_particles_pass_through() {
        let mut s = Session::new(SessionConfig::default());
        assert_eq!(s.state(), ConnectionState::Connecting);
        s.start(T0);
        assert_eq!(drain(&mut s), vec![Action::Dial]);
        assert_eq!(s.poll_timeout(), Some(T0 + 10_000));
        // A particle made before the connection is up waits for it.
        s.send(T0 + 1, particle("early", T0, 7000), SendToken(1));
        assert!(drain(&mut s).is_empty());
        assert_eq!(s.waiting(), 1);
        s.connected(T0 + 20);
        let a = drain(&mut s);
        assert_eq!(a[0], Action::Ready);
        assert_eq!(states(&a), vec![ConnectionState::Connected]);
        assert_eq!(sent(&a), vec!["early"]);
        assert_eq!(s.poll_timeout(), None, "no dial deadline once connected");
        s.send(T0 + 30, particle("now", T0 + 30, 7000), SendToken(2));
        assert_eq!(sent(&drain(&mut s)), vec!["now"]);
    }

    #[test]
    fn a_relay_that_never_answers_fails_the_first_connect_at_the_dial_timeout() {
        let mut s = dialing(
            SessionConfig {
                dial_timeout_ms: 3000,
                ..Default::default()
            },
            T0,
        );
        s.send(T0, particle("p", T0, 60_000), SendToken(9));
        s.handle_timeout(T0 + 2999);
        assert!(drain(&mut s).is_empty());
        s.handle_timeout(T0 + 3000);
        let a = drain(&mut s);
        assert!(matches!(&a[0], Action::ConnectFailed(m) if m.contains("3000 ms")));
        assert!(a.contains(&Action::Refused {
            token: SendToken(9),
            reason: "the client is disconnected".into()
        }));
        assert_eq!(states(&a), vec![ConnectionState::Disconnected]);
        assert_eq!(
            s.poll_timeout(),
            None,
            "nothing is retried before connect resolved"
        );
        // A late report of the abandoned dial changes nothing.
        s.dial_failed(T0 + 4000, "refused");
        assert!(drain(&mut s).is_empty());
    }

    #[test]
    fn a_refused_first_dial_fails_connect_at_once() {
        let mut s = dialing(SessionConfig::default(), T0);
        s.dial_failed(T0 + 3, "connection refused");
        let a = drain(&mut s);
        assert_eq!(a[0], Action::ConnectFailed("connection refused".into()));
        assert_eq!(s.state(), ConnectionState::Disconnected);
    }

    #[test]
    fn a_relay_that_restarts_is_redialed_and_waiting_particles_are_released_in_order() {
        let mut s = connected_session(T0);
        s.connection_lost(T0 + 100);
        let a = drain(&mut s);
        assert_eq!(states(&a), vec![ConnectionState::Reconnecting]);
        assert_eq!(s.poll_timeout(), Some(T0 + 600), "first redial after 0.5 s");
        for (i, id) in ["a", "b", "c"].iter().enumerate() {
            s.send(T0 + 110, particle(id, T0 + 110, 7000), SendToken(i as u64));
        }
        assert!(drain(&mut s).is_empty());
        s.handle_timeout(T0 + 600);
        assert_eq!(drain(&mut s), vec![Action::Dial]);
        // The relay is still down: the dial is refused; the next wait is 1 s.
        s.dial_failed(T0 + 602, "refused");
        assert_eq!(s.poll_timeout(), Some(T0 + 1102));
        s.handle_timeout(T0 + 1102);
        assert_eq!(drain(&mut s), vec![Action::Dial]);
        // It is back.
        s.connected(T0 + 1200);
        let a = drain(&mut s);
        assert_eq!(states(&a), vec![ConnectionState::Connected]);
        assert!(!a.contains(&Action::Ready), "connect() resolved long ago");
        assert_eq!(sent(&a), vec!["a", "b", "c"]);
        assert_eq!(s.backoff_ms(), 500, "backoff resets on success");
        assert_eq!(s.failures_in_a_row(), 0);
    }

    #[test]
    fn dial_errors_in_a_row_back_off_exponentially_up_to_the_cap() {
        let mut s = connected_session(T0);
        s.connection_lost(T0);
        drain(&mut s);
        let mut now = T0;
        let mut waits = Vec::new();
        for _ in 0..8 {
            let at = s.poll_timeout().expect("a redial is due");
            waits.push(at - now);
            now = at;
            s.handle_timeout(now);
            assert_eq!(drain(&mut s), vec![Action::Dial]);
            s.dial_failed(now, "refused");
            assert!(drain(&mut s).is_empty(), "no state change while retrying");
            assert_eq!(s.state(), ConnectionState::Reconnecting);
        }
        assert_eq!(
            waits,
            vec![500, 500, 1000, 2000, 4000, 8000, 10_000, 10_000],
            "0.5 s after the loss, then doubling to 10 s"
        );
        assert_eq!(s.failures_in_a_row(), 8);
    }

    #[test]
    fn a_redial_that_hangs_counts_as_failed_at_the_dial_timeout() {
        let mut s = dialing(
            SessionConfig {
                dial_timeout_ms: 2000,
                ..Default::default()
            },
            T0,
        );
        s.connected(T0);
        drain(&mut s);
        s.connection_lost(T0);
        s.handle_timeout(T0 + 500);
        assert_eq!(states(&drain(&mut s)), vec![ConnectionState::Reconnecting]);
        // The dial never answers.
        assert_eq!(s.poll_timeout(), Some(T0 + 2500));
        s.handle_timeout(T0 + 2500);
        assert!(drain(&mut s).is_empty());
        assert_eq!(s.failures_in_a_row(), 1);
        assert_eq!(
            s.poll_timeout(),
            Some(T0 + 3000),
            "then backoff, then a new dial"
        );
        s.handle_timeout(T0 + 3000);
        assert_eq!(drain(&mut s), vec![Action::Dial]);
        // The first, abandoned dial finally succeeds: taken.
        s.connected(T0 + 3001);
        assert_eq!(s.state(), ConnectionState::Connected);
    }

    #[test]
    fn waiting_particles_are_dropped_at_their_ttl() {
        let mut s = connected_session(T0);
        s.connection_lost(T0);
        drain(&mut s);
        s.send(T0, particle("short", T0, 300), SendToken(1));
        s.send(T0, particle("long", T0, 60_000), SendToken(2));
        s.send(T0, particle("dead", T0 - 10_000, 100), SendToken(3));
        assert_eq!(s.waiting(), 2, "an expired particle never waits");
        assert_eq!(
            s.poll_timeout(),
            Some(T0 + 300),
            "the earliest deadline wakes the host"
        );
        s.handle_timeout(T0 + 300);
        assert_eq!(s.waiting(), 1);
        s.handle_timeout(T0 + 500);
        drain(&mut s);
        s.connected(T0 + 600);
        assert_eq!(sent(&drain(&mut s)), vec!["long"]);
    }

    #[test]
    fn the_waiting_queue_is_bounded() {
        let mut s = dialing(
            SessionConfig {
                max_waiting: 2,
                ..Default::default()
            },
            T0,
        );
        for i in 0..3 {
            s.send(T0, particle(&format!("p{i}"), T0, 7000), SendToken(i));
        }
        let a = drain(&mut s);
        assert!(
            matches!(&a[..], [Action::Refused { token: SendToken(2), reason }] if reason.contains("2 particles"))
        );
    }

    #[test]
    fn disconnect_during_the_first_dial() {
        let mut s = dialing(SessionConfig::default(), T0);
        s.send(T0, particle("p", T0, 7000), SendToken(4));
        s.disconnect(T0 + 10);
        let a = drain(&mut s);
        assert_eq!(
            states(&a),
            vec![
                ConnectionState::Disconnecting,
                ConnectionState::Disconnected
            ]
        );
        assert!(a.contains(&Action::ConnectFailed(
            "disconnected while connecting".into()
        )));
        assert!(a.contains(&Action::Close));
        assert!(a.iter().any(|x| matches!(
            x,
            Action::Refused {
                token: SendToken(4),
                ..
            }
        )));
        assert_eq!(s.poll_timeout(), None);
        // The dial completes after all: closed again, state stays.
        s.connected(T0 + 20);
        assert_eq!(drain(&mut s), vec![Action::Close]);
        assert_eq!(s.state(), ConnectionState::Disconnected);
        s.send(T0 + 30, particle("late", T0 + 30, 7000), SendToken(5));
        assert!(matches!(&drain(&mut s)[..], [Action::Refused { .. }]));
    }

    #[test]
    fn disconnect_while_reconnecting_stops_redialing() {
        let mut s = connected_session(T0);
        s.connection_lost(T0);
        drain(&mut s);
        s.disconnect(T0 + 100);
        let a = drain(&mut s);
        assert_eq!(
            states(&a),
            vec![
                ConnectionState::Disconnecting,
                ConnectionState::Disconnected
            ]
        );
        assert!(!a.iter().any(|x| matches!(x, Action::ConnectFailed(_))));
        assert_eq!(s.poll_timeout(), None, "no redial after disconnect()");
        s.handle_timeout(T0 + 60_000);
        assert!(drain(&mut s).is_empty());
        s.disconnect(T0 + 60_001);
        assert!(drain(&mut s).is_empty(), "a second disconnect() is a no-op");
    }

    #[test]
    fn without_reconnect_a_lost_connection_ends_the_session() {
        let mut s = dialing(
            SessionConfig {
                reconnect: false,
                ..Default::default()
            },
            T0,
        );
        s.connected(T0);
        drain(&mut s);
        s.connection_lost(T0 + 5);
        assert_eq!(states(&drain(&mut s)), vec![ConnectionState::Disconnected]);
        assert_eq!(s.poll_timeout(), None);
    }

    #[test]
    fn state_strings() {
        let all = [
            ConnectionState::Connecting,
            ConnectionState::Connected,
            ConnectionState::Reconnecting,
            ConnectionState::Disconnecting,
            ConnectionState::Disconnected,
        ];
        let s: Vec<_> = all.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            s,
            [
                "connecting",
                "connected",
                "reconnecting",
                "disconnecting",
                "disconnected"
            ]
        );
    }
}
