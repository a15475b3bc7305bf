//! The particle protocol as a libp2p `NetworkBehaviour` (spec §1.3, §13).
//!
//! Inbound: every negotiated `/fluence/particle/2.0.0` substream is handed to the owner
//! of the swarm as an [`Event::Inbound`] — none is ever dropped for lack of a reader (the
//! owner decides, with its own bounds). Outbound: [`ParticleProtocol::send`] asks a
//! connection of the peer for a new substream and returns it with the frame to write as
//! [`Event::Outbound`]. The handler's listen protocol is the particle protocol, so identify
//! advertises it from the first exchange (nox drops peers that do not).

use std::collections::VecDeque;
use std::task::{Context, Poll, Waker};

use libp2p::core::transport::PortUse;
use libp2p::core::upgrade::ReadyUpgrade;
use libp2p::core::Endpoint;
use libp2p::swarm::handler::{
    ConnectionEvent, DialUpgradeError, FullyNegotiatedInbound, FullyNegotiatedOutbound,
};
use libp2p::swarm::{
    ConnectionDenied, ConnectionHandler, ConnectionHandlerEvent, ConnectionId, FromSwarm,
    NetworkBehaviour, NotifyHandler, Stream, SubstreamProtocol, THandler, THandlerInEvent,
    THandlerOutEvent, ToSwarm,
};
use libp2p::{Multiaddr, PeerId};

use crate::wire::PROTOCOL;

/// A particle to send: an id for logs and the complete frame.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// Particle id (for logs).
    pub particle_id: String,
    /// The frame to write.
    pub frame: Vec<u8>,
}

/// What the behaviour reports.
#[derive(Debug)]
pub enum Event {
    /// A peer opened a particle substream: read one frame from it.
    Inbound {
        /// The remote peer.
        peer: PeerId,
        /// The substream.
        stream: Stream,
    },
    /// A substream for `outgoing` is open: write its frame.
    Outbound {
        /// The remote peer.
        peer: PeerId,
        /// The substream.
        stream: Stream,
        /// What to write.
        outgoing: Outgoing,
    },
    /// No substream could be opened for `outgoing`.
    OutboundFailed {
        /// The remote peer.
        peer: PeerId,
        /// The particle.
        outgoing: Outgoing,
        /// Why.
        error: String,
    },
}

/// The particle protocol behaviour.
pub struct ParticleProtocol {
    events: VecDeque<ToSwarm<Event, Outgoing>>,
    keep_alive: bool,
    waker: Option<Waker>,
}

impl ParticleProtocol {
    /// `keep_alive`: whether connections stay open while idle (a client keeps its relay
    /// connection; a relay leaves idle closing to the swarm's idle timeout).
    pub fn new(keep_alive: bool) -> Self {
        ParticleProtocol {
            events: VecDeque::new(),
            keep_alive,
            waker: None,
        }
    }

    /// Opens a substream to `peer` for `outgoing` on any of its connections. The peer
    /// must be connected; otherwise the swarm drops the request.
    pub fn send(&mut self, peer: PeerId, outgoing: Outgoing) {
        self.events.push_back(ToSwarm::NotifyHandler {
            peer_id: peer,
            handler: NotifyHandler::Any,
            event: outgoing,
        });
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }
}

impl NetworkBehaviour for ParticleProtocol {
    type ConnectionHandler = Handler;
    type ToSwarm = Event;

    fn handle_established_inbound_connection(
        &mut self,
        _: ConnectionId,
        _: PeerId,
        _: &Multiaddr,
        _: &Multiaddr,
    ) -> Result<THandler<Self>, ConnectionDenied> {
        Ok(Handler::new(self.keep_alive))
    }

    fn handle_established_outbound_connection(
        &mut self,
        _: ConnectionId,
        _: PeerId,
        _: &Multiaddr,
        _: Endpoint,
        _: PortUse,
    ) -> Result<THandler<Self>, ConnectionDenied> {
        Ok(Handler::new(self.keep_alive))
    }

    fn on_swarm_event(&mut self, _: FromSwarm) {}

    fn on_connection_handler_event(
        &mut self,
        peer: PeerId,
        _: ConnectionId,
        event: THandlerOutEvent<Self>,
    ) {
        let ev = match event {
            HandlerEvent::Inbound(stream) => Event::Inbound { peer, stream },
            HandlerEvent::Outbound(stream, outgoing) => Event::Outbound {
                peer,
                stream,
                outgoing,
            },
            HandlerEvent::OutboundFailed(outgoing, error) => Event::OutboundFailed {
                peer,
                outgoing,
                error,
            },
        };
        self.events.push_back(ToSwarm::GenerateEvent(ev));
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<ToSwarm<Event, THandlerInEvent<Self>>> {
        match self.events.pop_front() {
            Some(e) => Poll::Ready(e),
            None => {
                self.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Events from a connection's handler to the behaviour.
#[derive(Debug)]
pub enum HandlerEvent {
    /// An inbound particle substream.
    Inbound(Stream),
    /// An outbound substream for a particle.
    Outbound(Stream, Outgoing),
    /// Opening an outbound substream failed.
    OutboundFailed(Outgoing, String),
}

/// The per-connection handler.
pub struct Handler {
    keep_alive: bool,
    to_open: VecDeque<Outgoing>,
    events: VecDeque<HandlerEvent>,
    waker: Option<Waker>,
}

impl Handler {
    fn new(keep_alive: bool) -> Self {
        Handler {
            keep_alive,
            to_open: VecDeque::new(),
            events: VecDeque::new(),
            waker: None,
        }
    }
}

impl ConnectionHandler for Handler {
    type FromBehaviour = Outgoing;
    type ToBehaviour = HandlerEvent;
    type InboundProtocol = ReadyUpgrade<libp2p::StreamProtocol>;
    type OutboundProtocol = ReadyUpgrade<libp2p::StreamProtocol>;
    type InboundOpenInfo = ();
    type OutboundOpenInfo = Outgoing;

    fn listen_protocol(&self) -> SubstreamProtocol<Self::InboundProtocol, ()> {
        SubstreamProtocol::new(ReadyUpgrade::new(PROTOCOL), ())
    }

    fn connection_keep_alive(&self) -> bool {
        self.keep_alive || !self.to_open.is_empty() || !self.events.is_empty()
    }

    fn poll(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<ConnectionHandlerEvent<Self::OutboundProtocol, Outgoing, HandlerEvent>> {
        if let Some(e) = self.events.pop_front() {
            return Poll::Ready(ConnectionHandlerEvent::NotifyBehaviour(e));
        }
        if let Some(o) = self.to_open.pop_front() {
            return Poll::Ready(ConnectionHandlerEvent::OutboundSubstreamRequest {
                protocol: SubstreamProtocol::new(ReadyUpgrade::new(PROTOCOL), o),
            });
        }
        self.waker = Some(cx.waker().clone());
        Poll::Pending
    }

    fn on_behaviour_event(&mut self, o: Outgoing) {
        self.to_open.push_back(o);
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }

    fn on_connection_event(
        &mut self,
        event: ConnectionEvent<Self::InboundProtocol, Self::OutboundProtocol, (), Outgoing>,
    ) {
        match event {
            ConnectionEvent::FullyNegotiatedInbound(FullyNegotiatedInbound {
                protocol: stream,
                ..
            }) => self.events.push_back(HandlerEvent::Inbound(stream)),
            ConnectionEvent::FullyNegotiatedOutbound(FullyNegotiatedOutbound {
                protocol: stream,
                info,
            }) => self.events.push_back(HandlerEvent::Outbound(stream, info)),
            ConnectionEvent::DialUpgradeError(DialUpgradeError { info, error }) => self
                .events
                .push_back(HandlerEvent::OutboundFailed(info, error.to_string())),
            _ => {}
        }
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }
}
