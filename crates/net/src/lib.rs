//! # fluence-net
//!
//! The Fluence particle protocol (`/fluence/particle/2.0.0`) on rust-libp2p and the one
//! event loop of every peer:
//! - [`protocol`]: the `NetworkBehaviour` whose connection handler reads and writes the
//!   frames itself, bounded (frame size, streams, time), reporting payloads and send results;
//! - [`wire`]: the frame I/O on one substream (used by the handler only);
//! - [`driver`]: the loop that owns the engine and the swarm, generic over a [`Runtime`]
//!   (tokio, wasm-bindgen-futures) and a [`Host`] (relay server, native client, browser);
//! - [`link`]: a client's relay connection, the core's sans-IO session acted upon.
//!
//! Runtime-agnostic (futures only), so the native relay and client (tokio) and the browser
//! client (wasm32) share it.

#![deny(missing_docs)]

pub mod driver;
pub mod droplog;
pub mod link;
pub mod protocol;
pub mod wire;

pub use driver::{Driver, Flow, Host, Io, ParticleBehaviour, Runtime};
pub use link::{Notice, RelayLink};
pub use protocol::{Event, Limits, Outgoing, ParticleProtocol};
pub use wire::{relay_address, websocket_url, PROTOCOL};

pub use behaviour::{ClientBehaviour, ClientBehaviourEvent};

mod behaviour {
    // The derive generates `ClientBehaviourEvent`, whose variants carry no docs.
    #![allow(missing_docs)]

    use crate::driver::ParticleBehaviour;
    use crate::{protocol, ParticleProtocol, PROTOCOL};
    use libp2p::swarm::NetworkBehaviour;
    use libp2p::{identify, identity, ping};

    /// What a client runs on its relay connection: identify advertising the particle protocol
    /// (nox disconnects peers that do not), ping, and the particle protocol with keep-alive.
    #[derive(NetworkBehaviour)]
    pub struct ClientBehaviour {
        /// `/ipfs/id/1.0.0`, protocol version `/fluence/particle/2.0.0`.
        pub identify: identify::Behaviour,
        /// `/ipfs/ping/1.0.0`.
        pub ping: ping::Behaviour,
        /// `/fluence/particle/2.0.0`.
        pub particles: ParticleProtocol,
    }

    impl ParticleBehaviour for ClientBehaviour {
        fn particles(&mut self) -> &mut ParticleProtocol {
            &mut self.particles
        }

        fn particle_event(
            ev: ClientBehaviourEvent,
        ) -> Result<protocol::Event, ClientBehaviourEvent> {
            match ev {
                ClientBehaviourEvent::Particles(p) => Ok(p),
                other => Err(other),
            }
        }
    }

    impl ClientBehaviour {
        /// The behaviour of a client with public key `key`.
        pub fn new(key: identity::PublicKey) -> Self {
            ClientBehaviour {
                identify: identify::Behaviour::new(identify::Config::new(
                    PROTOCOL.to_string(),
                    key,
                )),
                // A ping every 10 s that must be answered within 10 s: a relay that stops
                // answering is noticed (and the connection closed, see `link`) in ~20 s.
                ping: ping::Behaviour::new(
                    ping::Config::new()
                        .with_interval(std::time::Duration::from_secs(10))
                        .with_timeout(std::time::Duration::from_secs(10)),
                ),
                particles: ParticleProtocol::new(crate::Limits::client()),
            }
        }
    }
}
