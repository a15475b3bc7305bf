//! The particle protocol as a libp2p `NetworkBehaviour` (spec §1.3, §13), with the frame
//! I/O inside the connection handler.
//!
//! Inbound: the handler reads the one frame of every negotiated `/fluence/particle/2.0.0`
//! substream itself and reports its payload as [`Event::Received`]. Outbound:
//! [`ParticleProtocol::send`] picks a connection of the peer; its handler opens a substream,
//! writes the frame, closes it and reports [`Event::Sent`] or [`Event::SendFailed`] with the
//! [`SendToken`] it was given — so a host hands a failure back to the engine without
//! decoding anything. A particle queued on a connection that closes fails with it.
//!
//! Bounded, per connection ([`Limits`]): the frame size (checked on the length prefix,
//! before a payload byte is buffered), the particle streams being read at once, the
//! particles being written or waiting for a substream, and the time one stream may take.
//! Whatever goes over a bound is dropped with [`Event::InboundFailed`] or
//! [`Event::SendFailed`] naming the reason; the connection keeps working. When the inbound
//! streams are all taken, the oldest one that has not sent a byte gives way to the new one
//! (a flood of silent streams cannot starve the particles behind it); only when every one
//! is sending is the new stream dropped.
//!
//! Backpressure: a handler hands the behaviour at most [`Limits::max_inbound_streams`]
//! payloads before it stops reading; a host that stops polling the swarm while its engine is
//! behind stops the reads of every connection (and so, through yamux, the senders).

use std::collections::{HashMap, VecDeque};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use fluence_core::particle::{JS_MAX_FRAME, NOX_MAX_FRAME};
use fluence_core::SendToken;
use futures::{AsyncRead, FutureExt};
use futures_bounded::{Delay, FuturesMap};
use libp2p::core::transport::PortUse;
use libp2p::core::upgrade::ReadyUpgrade;
use libp2p::core::Endpoint;
use libp2p::swarm::handler::{
    ConnectionEvent, DialUpgradeError, FullyNegotiatedInbound, FullyNegotiatedOutbound,
    ListenUpgradeError,
};
use libp2p::swarm::{
    ConnectionClosed, ConnectionDenied, ConnectionHandler, ConnectionHandlerEvent, ConnectionId,
    FromSwarm, NetworkBehaviour, NotifyHandler, SubstreamProtocol, THandler, THandlerInEvent,
    THandlerOutEvent, ToSwarm,
};
use libp2p::{Multiaddr, PeerId};

use crate::wire::{self, PROTOCOL};

/// A particle to send: its frame and the token to report it by.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// Reported back in [`Event::Sent`] / [`Event::SendFailed`].
    pub token: SendToken,
    /// Particle id (for logs).
    pub particle_id: String,
    /// The complete frame (`uvarint(len) ‖ payload`), written as it is.
    pub frame: Vec<u8>,
}

/// What the behaviour asks a connection's handler to do.
#[derive(Debug)]
pub enum HandlerIn {
    /// Write a particle's frame and close the substream.
    Send(Outgoing),
    /// Write these bytes and keep the substream open, never finishing it (a hostile
    /// peer's move, for tests of the other side's bounds). It ends at the I/O timeout,
    /// reported as a failed send.
    SendUnfinished(Outgoing),
}

/// Particles written at once on one connection, by either side's default limits. yamux
/// (0.13) closes a whole connection once more than 512 streams are open on it (closing
/// streams count until both sides have closed them); with both sides writing at most this
/// many, plus those still closing, ping and identify, a connection stays well below it.
///
/// The bound holds because a particle substream is negotiated with multistream-select V1
/// (the swarm's default, not V1Lazy): its frame is written only after the other side has
/// taken the stream and confirmed the protocol. With V1Lazy a write ends at its own close,
/// with nothing heard back, so a burst (1,000 calls in flight; 300 on a loaded machine) put
/// more new streams on the receiver than libp2p-yamux buffers (256) and it dropped the rest.
/// An end of stream from the receiver cannot stand in for the confirmation: js-client never
/// closes its side of a particle stream.
pub const MAX_OUTBOUND_STREAMS: usize = 128;

/// The bounds of one connection's particle streams.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest frame payload read.
    pub max_frame: usize,
    /// Particle streams being read at once; one more is dropped.
    pub max_inbound_streams: usize,
    /// Particles being written at once (each on its own substream).
    pub max_outbound_streams: usize,
    /// Particles waiting for a substream; one more fails at once.
    pub max_queued_sends: usize,
    /// How long reading or writing one stream may take.
    pub io_timeout: Duration,
    /// Whether the connection stays open while idle (a client keeps its relay
    /// connection; a relay leaves idle closing to the swarm).
    pub keep_alive: bool,
}

impl Limits {
    /// A client's: js-client's frame limit (4 MiB), keep-alive.
    pub fn client() -> Self {
        Limits {
            max_frame: JS_MAX_FRAME,
            max_inbound_streams: 256,
            max_outbound_streams: MAX_OUTBOUND_STREAMS,
            max_queued_sends: 4096,
            io_timeout: Duration::from_secs(10),
            keep_alive: true,
        }
    }

    /// A relay's: nox's frame limit (100 MiB), no keep-alive.
    pub fn relay() -> Self {
        Limits {
            max_frame: NOX_MAX_FRAME,
            max_inbound_streams: 256,
            max_outbound_streams: MAX_OUTBOUND_STREAMS,
            max_queued_sends: 256,
            io_timeout: Duration::from_secs(10),
            keep_alive: false,
        }
    }
}

/// What the behaviour reports.
#[derive(Debug)]
pub enum Event {
    /// A frame arrived: its payload (the particle, not yet decoded).
    Received {
        /// The remote peer.
        peer: PeerId,
        /// The frame payload.
        payload: Vec<u8>,
    },
    /// An inbound particle stream was dropped before a frame was read from it.
    InboundFailed {
        /// The remote peer.
        peer: PeerId,
        /// Why (read error, oversized frame, timeout, too many streams).
        error: String,
    },
    /// The particle was written and its substream closed.
    Sent {
        /// The remote peer.
        peer: PeerId,
        /// The token it was sent with.
        token: SendToken,
    },
    /// The particle could not be sent.
    SendFailed {
        /// The remote peer.
        peer: PeerId,
        /// The token it was sent with.
        token: SendToken,
        /// Why.
        error: String,
    },
}

/// The particle protocol behaviour.
pub struct ParticleProtocol {
    limits: Limits,
    events: VecDeque<ToSwarm<Event, HandlerIn>>,
    /// Established connections per peer, oldest first.
    connections: HashMap<PeerId, Vec<ConnectionId>>,
    /// Frames received from each peer so far (a sign of life beside ping).
    frames_from: HashMap<PeerId, u64>,
    /// Tokens handed to each connection and not reported yet, with how many times (a
    /// particle may be sent more than once on a connection).
    in_flight: HashMap<ConnectionId, HashMap<SendToken, u32>>,
    waker: Option<Waker>,
}

impl ParticleProtocol {
    /// A behaviour whose connections have `limits`.
    pub fn new(limits: Limits) -> Self {
        ParticleProtocol {
            limits,
            events: VecDeque::new(),
            connections: HashMap::new(),
            frames_from: HashMap::new(),
            in_flight: HashMap::new(),
            waker: None,
        }
    }

    /// How many frames have arrived from `peer` since it connected (0 again once its last
    /// connection closes): a peer whose frames keep coming is alive even when a ping of it
    /// fails under load.
    pub fn frames_from(&self, peer: &PeerId) -> u64 {
        self.frames_from.get(peer).copied().unwrap_or(0)
    }

    /// Whether `peer` has an established connection.
    pub fn is_connected(&self, peer: &PeerId) -> bool {
        self.connections.get(peer).is_some_and(|c| !c.is_empty())
    }

    /// Sends `outgoing` to `peer` on its newest connection; [`Event::Sent`] or
    /// [`Event::SendFailed`] follows. A peer that is not connected fails at once.
    pub fn send(&mut self, peer: PeerId, outgoing: Outgoing) {
        self.notify_handler(peer, outgoing, HandlerIn::Send);
    }

    /// Opens a particle stream to `peer`, writes `outgoing.frame` (any bytes) and never
    /// finishes the stream: a hostile peer's move, for tests of the other side's bounds.
    /// [`Event::SendFailed`] follows at the I/O timeout.
    pub fn send_unfinished(&mut self, peer: PeerId, outgoing: Outgoing) {
        self.notify_handler(peer, outgoing, HandlerIn::SendUnfinished);
    }

    fn notify_handler(
        &mut self,
        peer: PeerId,
        outgoing: Outgoing,
        wrap: fn(Outgoing) -> HandlerIn,
    ) {
        let conn = self.connections.get(&peer).and_then(|c| c.last().copied());
        match conn {
            Some(conn) => {
                *self
                    .in_flight
                    .entry(conn)
                    .or_default()
                    .entry(outgoing.token)
                    .or_default() += 1;
                self.events.push_back(ToSwarm::NotifyHandler {
                    peer_id: peer,
                    handler: NotifyHandler::One(conn),
                    event: wrap(outgoing),
                });
            }
            None => self
                .events
                .push_back(ToSwarm::GenerateEvent(Event::SendFailed {
                    peer,
                    token: outgoing.token,
                    error: "peer not connected".into(),
                })),
        }
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }

    fn handler(&self) -> Handler {
        Handler::new(self.limits.clone())
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
        Ok(self.handler())
    }

    fn handle_established_outbound_connection(
        &mut self,
        _: ConnectionId,
        _: PeerId,
        _: &Multiaddr,
        _: Endpoint,
        _: PortUse,
    ) -> Result<THandler<Self>, ConnectionDenied> {
        Ok(self.handler())
    }

    fn on_swarm_event(&mut self, event: FromSwarm) {
        match event {
            FromSwarm::ConnectionEstablished(c) => {
                self.connections
                    .entry(c.peer_id)
                    .or_default()
                    .push(c.connection_id);
            }
            FromSwarm::ConnectionClosed(ConnectionClosed {
                peer_id,
                connection_id,
                ..
            }) => {
                if let Some(list) = self.connections.get_mut(&peer_id) {
                    list.retain(|c| *c != connection_id);
                    if list.is_empty() {
                        self.connections.remove(&peer_id);
                        self.frames_from.remove(&peer_id);
                    }
                }
                // What the closed connection still held fails with it.
                let mut lost: Vec<_> = self
                    .in_flight
                    .remove(&connection_id)
                    .unwrap_or_default()
                    .into_iter()
                    .flat_map(|(token, n)| std::iter::repeat_n(token, n as usize))
                    .collect();
                lost.sort();
                for token in lost {
                    self.events
                        .push_back(ToSwarm::GenerateEvent(Event::SendFailed {
                            peer: peer_id,
                            token,
                            error: "connection closed".into(),
                        }));
                }
            }
            _ => {}
        }
    }

    fn on_connection_handler_event(
        &mut self,
        peer: PeerId,
        conn: ConnectionId,
        event: THandlerOutEvent<Self>,
    ) {
        let done = |s: &mut Self, token: &SendToken| {
            let Some(tokens) = s.in_flight.get_mut(&conn) else {
                return false;
            };
            match tokens.get_mut(token) {
                Some(n) if *n > 1 => *n -= 1,
                Some(_) => {
                    tokens.remove(token);
                }
                None => return false,
            }
            true
        };
        let ev = match event {
            HandlerEvent::Received(payload) => {
                *self.frames_from.entry(peer).or_default() += 1;
                Event::Received { peer, payload }
            }
            HandlerEvent::InboundFailed(error) => Event::InboundFailed { peer, error },
            HandlerEvent::Sent(token) => {
                if !done(self, &token) {
                    return;
                }
                Event::Sent { peer, token }
            }
            HandlerEvent::SendFailed(token, error) => {
                if !done(self, &token) {
                    return;
                }
                Event::SendFailed { peer, token, error }
            }
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
    /// A frame's payload.
    Received(Vec<u8>),
    /// An inbound stream was dropped.
    InboundFailed(String),
    /// A particle was written.
    Sent(SendToken),
    /// A particle was not written.
    SendFailed(SendToken, String),
}

type ReadResult = Result<Vec<u8>, wire::ReadError>;

/// An inbound stream that records whether it has delivered a byte yet.
struct Watched<S> {
    inner: S,
    started: Arc<AtomicBool>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.started.store(true, Ordering::Relaxed);
        }
        r
    }
}

/// The per-connection handler: opens, reads and writes the particle streams.
pub struct Handler {
    limits: Limits,
    /// Frames being read, by a sequence number.
    reads: FuturesMap<u64, ReadResult>,
    /// The reads in the order they began, each with whether its stream has sent a byte
    /// yet: when the reads are full, the oldest silent one makes room for a new stream.
    read_order: VecDeque<(u64, Arc<AtomicBool>)>,
    next_read: u64,
    /// Frames being written, by a sequence number.
    writes: FuturesMap<u64, std::io::Result<()>>,
    write_tokens: HashMap<u64, SendToken>,
    next_write: u64,
    /// Particles waiting for a substream request (the flag: leave it unfinished).
    queued: VecDeque<(Outgoing, bool)>,
    /// Substreams requested, not negotiated yet.
    opening: usize,
    events: VecDeque<HandlerEvent>,
    waker: Option<Waker>,
}

impl Handler {
    fn new(limits: Limits) -> Self {
        let t = limits.io_timeout;
        Handler {
            // Twice the bound: a read removed to make room (below) stays in the map, cancelled,
            // until the map is next polled; the bound is kept on `read_order`, the live reads.
            reads: FuturesMap::new(
                move || Delay::futures_timer(t),
                2 * limits.max_inbound_streams.max(1),
            ),
            read_order: VecDeque::new(),
            next_read: 0,
            writes: FuturesMap::new(
                move || Delay::futures_timer(t),
                limits.max_outbound_streams.max(1),
            ),
            write_tokens: HashMap::new(),
            next_write: 0,
            queued: VecDeque::new(),
            opening: 0,
            events: VecDeque::new(),
            waker: None,
            limits,
        }
    }

    fn wake(&mut self) {
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }
}

impl ConnectionHandler for Handler {
    type FromBehaviour = HandlerIn;
    type ToBehaviour = HandlerEvent;
    type InboundProtocol = ReadyUpgrade<libp2p::StreamProtocol>;
    type OutboundProtocol = ReadyUpgrade<libp2p::StreamProtocol>;
    type InboundOpenInfo = ();
    type OutboundOpenInfo = (Outgoing, bool);

    fn listen_protocol(&self) -> SubstreamProtocol<Self::InboundProtocol, ()> {
        SubstreamProtocol::new(ReadyUpgrade::new(PROTOCOL), ()).with_timeout(self.limits.io_timeout)
    }

    fn connection_keep_alive(&self) -> bool {
        self.limits.keep_alive
            || !self.queued.is_empty()
            || self.opening > 0
            || !self.reads.is_empty()
            || !self.writes.is_empty()
            || !self.events.is_empty()
    }

    fn poll(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<ConnectionHandlerEvent<Self::OutboundProtocol, (Outgoing, bool), HandlerEvent>> {
        loop {
            if let Some(e) = self.events.pop_front() {
                return Poll::Ready(ConnectionHandlerEvent::NotifyBehaviour(e));
            }
            let mut progressed = false;
            if let Poll::Ready((seq, r)) = self.reads.poll_unpin(cx) {
                progressed = true;
                self.read_order.retain(|(s, _)| *s != seq);
                self.events.push_back(match r {
                    Ok(Ok(payload)) => HandlerEvent::Received(payload),
                    Ok(Err(e)) => HandlerEvent::InboundFailed(e.to_string()),
                    Err(timeout) => {
                        HandlerEvent::InboundFailed(format!("no complete frame: {timeout}"))
                    }
                });
            }
            if let Poll::Ready((seq, r)) = self.writes.poll_unpin(cx) {
                progressed = true;
                if let Some(token) = self.write_tokens.remove(&seq) {
                    self.events.push_back(match r {
                        Ok(Ok(())) => HandlerEvent::Sent(token),
                        Ok(Err(e)) => HandlerEvent::SendFailed(token, e.to_string()),
                        Err(timeout) => {
                            HandlerEvent::SendFailed(token, format!("write: {timeout}"))
                        }
                    });
                }
            }
            if !progressed {
                break;
            }
        }
        if self.opening + self.writes.len() < self.limits.max_outbound_streams {
            if let Some(o) = self.queued.pop_front() {
                self.opening += 1;
                return Poll::Ready(ConnectionHandlerEvent::OutboundSubstreamRequest {
                    protocol: SubstreamProtocol::new(ReadyUpgrade::new(PROTOCOL), o)
                        .with_timeout(self.limits.io_timeout),
                });
            }
        }
        self.waker = Some(cx.waker().clone());
        Poll::Pending
    }

    fn on_behaviour_event(&mut self, msg: HandlerIn) {
        let (o, unfinished) = match msg {
            HandlerIn::Send(o) => (o, false),
            HandlerIn::SendUnfinished(o) => (o, true),
        };
        if self.queued.len() >= self.limits.max_queued_sends {
            let reason = format!(
                "send queue full ({} particles wait on this connection)",
                self.limits.max_queued_sends
            );
            self.events
                .push_back(HandlerEvent::SendFailed(o.token, reason));
        } else {
            self.queued.push_back((o, unfinished));
        }
        self.wake();
    }

    fn on_connection_event(
        &mut self,
        event: ConnectionEvent<Self::InboundProtocol, Self::OutboundProtocol, (), (Outgoing, bool)>,
    ) {
        match event {
            ConnectionEvent::FullyNegotiatedInbound(FullyNegotiatedInbound {
                protocol: stream,
                ..
            }) => {
                let max = self.limits.max_frame;
                let started = Arc::new(AtomicBool::new(false));
                let mut stream = Watched {
                    inner: stream,
                    started: started.clone(),
                };
                // Nothing is written on an inbound stream: its write side is closed first, so
                // the close goes out with the protocol confirmation (one WebSocket message
                // per particle received, not two).
                let read = async move {
                    futures::AsyncWriteExt::close(&mut stream.inner).await?;
                    wire::read_frame(&mut stream, max).await
                }
                .boxed();
                if self.read_order.len() >= self.limits.max_inbound_streams {
                    // Full: a stream that has sent nothing yet gives way (a flood of silent
                    // streams must not starve the particles behind it); else the new one.
                    let silent = self
                        .read_order
                        .iter()
                        .position(|(_, started)| !started.load(Ordering::Relaxed));
                    let Some(i) = silent else {
                        self.events.push_back(HandlerEvent::InboundFailed(format!(
                            "{} particle streams already being read on this connection",
                            self.limits.max_inbound_streams
                        )));
                        return self.wake();
                    };
                    if let Some((old, _)) = self.read_order.remove(i) {
                        self.reads.remove(old);
                    }
                    self.events.push_back(HandlerEvent::InboundFailed(format!(
                        "a stream that sent nothing gave way to a new one ({} particle streams \
                         already being read on this connection)",
                        self.limits.max_inbound_streams
                    )));
                }
                self.next_read += 1;
                let seq = self.next_read;
                match self.reads.try_push(seq, read) {
                    Ok(()) => self.read_order.push_back((seq, started)),
                    // Only when more reads were removed since the map was last polled than
                    // the bound: there is room (checked, or made, above) for the live ones.
                    Err(_) => self.events.push_back(HandlerEvent::InboundFailed(format!(
                        "{} particle streams already being read on this connection",
                        self.limits.max_inbound_streams
                    ))),
                }
            }
            ConnectionEvent::FullyNegotiatedOutbound(FullyNegotiatedOutbound {
                protocol: mut stream,
                info: (info, unfinished),
            }) => {
                self.opening = self.opening.saturating_sub(1);
                self.next_write += 1;
                let seq = self.next_write;
                let frame = info.frame;
                let write = if unfinished {
                    async move {
                        futures::AsyncWriteExt::write_all(&mut stream, &frame).await?;
                        futures::AsyncWriteExt::flush(&mut stream).await?;
                        futures::future::pending::<()>().await;
                        Ok(())
                    }
                    .boxed()
                } else {
                    async move { wire::write_frame(&mut stream, &frame).await }.boxed()
                };
                // Cannot be full: substreams are requested only below the bound.
                match self.writes.try_push(seq, write) {
                    Ok(()) => {
                        self.write_tokens.insert(seq, info.token);
                    }
                    Err(_) => self.events.push_back(HandlerEvent::SendFailed(
                        info.token,
                        "too many particles being written".into(),
                    )),
                }
            }
            ConnectionEvent::DialUpgradeError(DialUpgradeError {
                info: (info, _),
                error,
            }) => {
                self.opening = self.opening.saturating_sub(1);
                self.events
                    .push_back(HandlerEvent::SendFailed(info.token, error.to_string()));
            }
            ConnectionEvent::ListenUpgradeError(ListenUpgradeError { error, .. }) => {
                self.events.push_back(HandlerEvent::InboundFailed(format!(
                    "substream negotiation: {error:?}"
                )));
            }
            _ => {}
        }
        self.wake();
    }
}
