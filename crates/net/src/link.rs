//! A client's link to its relay: the core's sans-IO [`Session`] (the connection policy)
//! acted upon with the swarm. Every client host (native, browser page, worker) uses it the
//! same way: [`RelayLink::start`] once, [`RelayLink::on_swarm_event`] for each swarm event,
//! [`RelayLink::send`] for each particle the engine wants sent, [`RelayLink::wake_at`] /
//! [`RelayLink::on_wake`] for time, [`RelayLink::disconnect`]; after each, the host takes
//! the [`Notice`]s with [`RelayLink::poll_notice`].

use std::collections::VecDeque;

use fluence_core::{ConnectionState, Particle, SendToken, Session, SessionAction, SessionConfig};
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{Multiaddr, PeerId};
use tracing::{info, warn};

use crate::driver::{send_to, Host, Io};

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
    pub fn start<H: Host>(&mut self, io: &mut Io<'_, H::Behaviour>) {
        self.session.start(io.now);
        self.apply::<H>(io);
    }

    /// Sends `particle` to the relay now, or when the connection is back.
    pub fn send<H: Host>(
        &mut self,
        io: &mut Io<'_, H::Behaviour>,
        particle: Particle,
        token: SendToken,
    ) {
        self.session.send(io.now, particle, token);
        self.apply::<H>(io);
    }

    /// Disconnects for good.
    pub fn disconnect<H: Host>(&mut self, io: &mut Io<'_, H::Behaviour>) {
        self.session.disconnect(io.now);
        self.apply::<H>(io);
    }

    /// The session's next deadline.
    pub fn wake_at(&self) -> Option<u64> {
        self.session.poll_timeout()
    }

    /// Time advanced.
    pub fn on_wake<H: Host>(&mut self, io: &mut Io<'_, H::Behaviour>) {
        self.session.handle_timeout(io.now);
        self.apply::<H>(io);
    }

    /// Takes what concerns the relay connection out of a swarm event; returns whether it
    /// did.
    pub fn on_swarm_event<H: Host>(
        &mut self,
        io: &mut Io<'_, H::Behaviour>,
        event: &SwarmEvent<<H::Behaviour as NetworkBehaviour>::ToSwarm>,
    ) -> bool {
        match event {
            SwarmEvent::ConnectionEstablished { peer_id, .. } if *peer_id == self.relay => {
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
            }
            SwarmEvent::ConnectionClosed {
                peer_id,
                num_established: 0,
                cause,
                ..
            } if *peer_id == self.relay => {
                warn!(target: "network", "relay connection closed: {cause:?}");
                self.session.connection_lost(io.now);
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

    /// The next notice for the app.
    pub fn poll_notice(&mut self) -> Option<Notice> {
        self.notices.pop_front()
    }

    fn apply<H: Host>(&mut self, io: &mut Io<'_, H::Behaviour>) {
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
