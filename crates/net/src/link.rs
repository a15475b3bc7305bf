//! A client's link to its relay: the core's sans-IO [`Session`] (the connection policy)
//! acted upon with the swarm.
//!
//! The connection counts as up when the relay's identify arrives, not when our side of
//! the connection is established: the relay sends identify once *its* side is established
//! (a busy relay's libp2p pool takes up new connections only when its established ones are
//! quiet, so particles sent earlier could wait seconds), and identify is where the relay says
//! it speaks the particle protocol. A relay that never identifies itself fails the dial at
//! the dial timeout. Every client host (native, browser page, worker) uses it the
//! same way: [`RelayLink::start`] once, [`RelayLink::on_swarm_event`] for each swarm event,
//! [`RelayLink::send`] for each particle the engine wants sent, [`RelayLink::wake_at`] /
//! [`RelayLink::on_wake`] for time, [`RelayLink::disconnect`]; after each, the host hands
//! what the app must hear of (`connect`'s outcome, state changes) on with
//! [`RelayLink::settle`].

use std::collections::VecDeque;

use fluence_core::{ConnectionState, Particle, SendToken, Session, SessionAction, SessionConfig};
use libp2p::swarm::SwarmEvent;
use libp2p::{identify, ping, Multiaddr, PeerId};
use tracing::{info, warn};

use crate::driver::{send_to, Host, Io};
use crate::{ClientBehaviour, ClientBehaviourEvent, PROTOCOL};

/// What the app must hear of.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The connection state changed.
    State(ConnectionState),
    /// The first connection is up (`connect` resolves).
    Ready,
    /// The first dial failed (`connect` rejects with this message).
    ConnectFailed(String),
}

/// The relay connection of a client. See the module documentation.
pub struct RelayLink {
    session: Session,
    relay: PeerId,
    addr: Multiaddr,
    notices: VecDeque<Notice>,
    /// When the dial in progress started (for the log line).
    dialed_at: Option<u64>,
    /// Our side of a relay connection is established; its identify has not come yet.
    awaiting_identify: bool,
    /// [`crate::ParticleProtocol::frames_from`] the relay at its last ping result (0 at
    /// each new connection, as that count).
    frames_at_ping: u64,
}

impl RelayLink {
    /// A link to the relay `relay` at `addr` (not dialed yet).
    pub fn new(addr: Multiaddr, relay: PeerId, config: SessionConfig) -> Self {
        RelayLink {
            session: Session::new(config),
            relay,
            addr,
            notices: VecDeque::new(),
            dialed_at: None,
            awaiting_identify: false,
            frames_at_ping: 0,
        }
    }

    /// The relay's PeerId.
    pub fn relay(&self) -> PeerId {
        self.relay
    }

    /// The relay's address.
    pub fn addr(&self) -> &Multiaddr {
        &self.addr
    }

    /// The current state.
    pub fn state(&self) -> ConnectionState {
        self.session.state()
    }

    /// Dials for the first time.
    pub fn start<H: Host<Behaviour = ClientBehaviour>>(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
    ) {
        self.session.start(io.now);
        self.apply::<H>(io);
    }

    /// Sends `particle` to the relay now, or when the connection is back.
    pub fn send<H: Host<Behaviour = ClientBehaviour>>(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
        particle: Particle,
        token: SendToken,
    ) {
        self.session.send(io.now, particle, token);
        self.apply::<H>(io);
    }

    /// Disconnects for good.
    pub fn disconnect<H: Host<Behaviour = ClientBehaviour>>(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
    ) {
        self.session.disconnect(io.now);
        self.apply::<H>(io);
    }

    /// The session's next deadline.
    pub fn wake_at(&self) -> Option<u64> {
        self.session.poll_timeout()
    }

    /// Time advanced.
    pub fn on_wake<H: Host<Behaviour = ClientBehaviour>>(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
    ) {
        self.session.handle_timeout(io.now);
        self.apply::<H>(io);
    }

    /// Takes what concerns the relay connection out of a swarm event; returns whether it
    /// did (identify events of the relay are looked at and still returned as not taken).
    pub fn on_swarm_event<H: Host<Behaviour = ClientBehaviour>>(
        &mut self,
        io: &mut Io<'_, ClientBehaviour>,
        event: &SwarmEvent<ClientBehaviourEvent>,
    ) -> bool {
        match event {
            SwarmEvent::ConnectionEstablished { peer_id, .. } if *peer_id == self.relay => {
                self.awaiting_identify = true;
                self.frames_at_ping = 0;
                return true;
            }
            SwarmEvent::Behaviour(ClientBehaviourEvent::Identify(identify::Event::Received {
                peer_id,
                info,
                ..
            })) if *peer_id == self.relay => {
                if !info.protocols.contains(&PROTOCOL) {
                    warn!(target: "network", "the relay {} does not advertise {PROTOCOL}", self.addr);
                }
                if !std::mem::take(&mut self.awaiting_identify) {
                    return false; // a later identify (a push) of a connection already up
                }
                match self.dialed_at.take() {
                    Some(t) => info!(
                        target: "network",
                        "connected to the relay {} (dial took {} ms)",
                        self.addr,
                        io.now.saturating_sub(t)
                    ),
                    None => info!(target: "network", "connected to the relay {}", self.addr),
                }
                self.session.connected(io.now);
                self.apply::<H>(io);
                return false;
            }
            SwarmEvent::ConnectionClosed {
                peer_id,
                num_established: 0,
                cause,
                ..
            } if *peer_id == self.relay => {
                match cause {
                    Some(cause) => {
                        warn!(target: "network", "relay connection closed: {}", deepest(cause))
                    }
                    None => info!(target: "network", "relay connection closed"),
                }
                if std::mem::take(&mut self.awaiting_identify) {
                    let msg = format!(
                        "the relay {} closed the connection before identifying itself",
                        self.addr
                    );
                    self.session.dial_failed(io.now, &msg);
                } else {
                    self.session.connection_lost(io.now);
                }
            }
            SwarmEvent::Behaviour(ClientBehaviourEvent::Ping(ping::Event {
                peer,
                connection,
                result,
            })) if *peer == self.relay => {
                // libp2p's ping reports a failure and leaves the connection open; a relay
                // that stops answering would hold every particle until its TTL. Closing it
                // makes the session re-dial (ConnectionClosed above). A ping can also fail
                // on a connection busy with particles: if the relay's frames kept coming
                // since the last ping, it is alive, and the connection stays.
                let frames = io.swarm.behaviour().particles.frames_from(peer);
                let heard = frames > std::mem::replace(&mut self.frames_at_ping, frames);
                if let Err(e) = result {
                    if heard {
                        info!(
                            target: "network",
                            "a ping of the relay failed ({e}), but its particles keep coming"
                        );
                    } else {
                        warn!(
                            target: "network",
                            "the relay {} did not answer a ping ({e}) and sent nothing since the \
                             last one; closing the connection",
                            self.addr
                        );
                        io.swarm.close_connection(*connection);
                    }
                }
                return true;
            }
            SwarmEvent::OutgoingConnectionError { peer_id, error, .. }
                if peer_id.is_none_or(|p| p == self.relay) =>
            {
                let msg = format!("cannot connect to {}: {error}", self.addr);
                info!(target: "network", "{msg}");
                self.session.dial_failed(io.now, &msg);
            }
            _ => return false,
        }
        self.apply::<H>(io);
        true
    }

    /// Hands every pending notice to a client host: `connect`'s outcome once to `ready`
    /// (an error made by `failed` from the message and the relay's address), each state
    /// change to `on_state`.
    /// Returns whether the link has ended for good (the first dial failed, or the state
    /// reached `disconnected`), so the host can stop its loop.
    pub fn settle<E>(
        &mut self,
        ready: &mut Option<futures::channel::oneshot::Sender<Result<(), E>>>,
        failed: impl Fn(&str, &Multiaddr) -> E,
        mut on_state: impl FnMut(ConnectionState),
    ) -> bool {
        let mut ended = false;
        while let Some(n) = self.notices.pop_front() {
            match n {
                Notice::Ready => {
                    if let Some(r) = ready.take() {
                        let _ = r.send(Ok(()));
                    }
                }
                Notice::ConnectFailed(msg) => {
                    if let Some(r) = ready.take() {
                        let _ = r.send(Err(failed(&msg, &self.addr)));
                    }
                    ended = true;
                }
                Notice::State(s) => {
                    ended |= s == ConnectionState::Disconnected;
                    on_state(s);
                }
            }
        }
        ended
    }

    fn apply<H: Host<Behaviour = ClientBehaviour>>(&mut self, io: &mut Io<'_, ClientBehaviour>) {
        while let Some(action) = self.session.poll_action() {
            match action {
                SessionAction::Dial => {
                    self.dialed_at = Some(io.now);
                    if let Err(e) = io.swarm.dial(self.addr.clone()) {
                        let msg = format!("cannot dial {}: {e}", self.addr);
                        self.session.dial_failed(io.now, &msg);
                    }
                }
                SessionAction::Close => {
                    let _ = io.swarm.disconnect_peer_id(self.relay);
                }
                SessionAction::Send { particle, token } => {
                    send_to::<H>(io, self.relay, &particle, token)
                }
                SessionAction::Refused { token, reason } => io.engine.send_failed(token, &reason),
                SessionAction::StateChanged(s) => self.notices.push_back(Notice::State(s)),
                SessionAction::Ready => self.notices.push_back(Notice::Ready),
                SessionAction::ConnectFailed(m) => self.notices.push_back(Notice::ConnectFailed(m)),
            }
        }
    }
}

/// The innermost message of an error chain: what went wrong, without the layers'
/// wrappers ("Connection error: I/O error: …").
fn deepest(e: &(dyn std::error::Error + 'static)) -> String {
    let mut e = e;
    while let Some(source) = e.source() {
        e = source;
    }
    e.to_string()
}
