//! Typed errors of the core. Every decoder and every input of the engine reports
//! failures through these types; nothing in the core panics on bad input.

use serde_json::Value;

/// Errors about keys, PeerIds and signatures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The platform random source failed.
    #[error("random source failed: {0}")]
    Random(String),
    /// A secret key that is not a 32-byte Ed25519 seed.
    #[error("an Ed25519 secret key must be a 32-byte seed, got {0} bytes")]
    SeedLength(usize),
    /// Invalid base64 text.
    #[error("invalid base64 secret key: {0}")]
    Base64(String),
    /// Invalid base58 text.
    #[error("invalid base58 secret key: {0}")]
    Base58(String),
    /// A string that is not a PeerId.
    #[error("invalid PeerId {0}")]
    InvalidPeerId(String),
    /// A PeerId that does not embed an Ed25519 public key (not `12D3KooW…`).
    #[error("PeerId {0} does not embed an Ed25519 public key")]
    NoPublicKey(String),
    /// A signature that is not 64 bytes.
    #[error("an Ed25519 signature is 64 bytes, got {0}")]
    SignatureLength(usize),
    /// A signature that does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// Bytes that are not a public key in libp2p's protobuf encoding.
    #[error("invalid public key (libp2p protobuf encoding expected): {0}")]
    InvalidPublicKey(String),
}

/// Errors decoding a particle frame or payload (spec §2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended before the frame was complete.
    #[error("truncated frame: need {needed} more bytes")]
    Truncated {
        /// Bytes still missing (at least).
        needed: usize,
    },
    /// The length prefix is not a valid unsigned varint.
    #[error("invalid length prefix: {0}")]
    BadLength(String),
    /// The announced payload is larger than allowed.
    #[error("frame of {len} bytes exceeds the maximum of {max}")]
    TooLarge {
        /// Announced length.
        len: u64,
        /// Configured maximum.
        max: usize,
    },
    /// Bytes after a complete frame where exactly one frame was expected.
    #[error("{0} unexpected bytes after the frame")]
    TrailingBytes(usize),
    /// The payload does not start with the msgpack multicodec `0x81 0x04`.
    #[error("wrong multicodec {0:#x}, expected messagepack 0x201")]
    WrongMulticodec(u64),
    /// The payload is not a valid particle message.
    #[error("invalid particle message: {0}")]
    Msgpack(String),
    /// A protocol message other than `Particle` (nox's unused `Upgrade`).
    #[error("unsupported protocol message action {0:?}")]
    UnsupportedAction(String),
    /// `init_peer_id` is not a PeerId.
    #[error("invalid init_peer_id: {0}")]
    InvalidPeerId(String),
    /// `signature` is not 64 bytes.
    #[error("signature must be 64 bytes, got {0}")]
    SignatureLength(usize),
    /// `ttl` is zero.
    #[error("ttl must be greater than zero")]
    ZeroTtl,
    /// `timestamp + ttl` does not fit in u64.
    #[error("timestamp {timestamp} + ttl {ttl} overflows")]
    TimestampOverflow {
        /// The particle's timestamp.
        timestamp: u64,
        /// The particle's ttl.
        ttl: u32,
    },
}

/// Why the engine refused a particle from the network (logged and dropped).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RejectReason {
    /// `timestamp + ttl ≤ now`.
    #[error("particle {particle_id} expired at {deadline} (now {now})")]
    Expired {
        /// Particle id.
        particle_id: String,
        /// `timestamp + ttl`.
        deadline: u64,
        /// The time the engine was given.
        now: u64,
    },
    /// The timestamp is further ahead of this peer's clock than it allows.
    #[error(
        "particle {particle_id} is stamped {} ms in the future (timestamp {timestamp}, now {now}; \
         the allowance is {allowance_ms} ms): the sender's clock is ahead",
        timestamp - now
    )]
    FromTheFuture {
        /// Particle id.
        particle_id: String,
        /// The particle's timestamp.
        timestamp: u64,
        /// The time the engine was given.
        now: u64,
        /// [`crate::EngineConfig::max_future_ms`].
        allowance_ms: u64,
    },
    /// A particle this peer did not sign reuses the id of one of this peer's calls.
    #[error(
        "particle {particle_id} from {init_peer_id} reuses the id of a call of this peer's \
         with another signature"
    )]
    IdReuse {
        /// Particle id.
        particle_id: String,
        /// Who the reusing particle says it is from.
        init_peer_id: String,
    },
    /// The signature does not verify against `init_peer_id`.
    #[error("particle {particle_id} has a bad signature: {source}")]
    BadSignature {
        /// Particle id.
        particle_id: String,
        /// What failed.
        source: KeyError,
    },
    /// The engine holds as many particles as it is configured to.
    #[error("particle {particle_id} dropped: {limit} particles already in flight")]
    TooManyParticles {
        /// Particle id.
        particle_id: String,
        /// The configured limit.
        limit: usize,
    },
    /// Too many copies of one particle wait to be interpreted.
    #[error("particle {particle_id} dropped: {limit} copies already wait to be interpreted")]
    Backlog {
        /// Particle id.
        particle_id: String,
        /// The configured limit.
        limit: usize,
    },
}

/// The error a caller of an AIR script gets. Each carries the particle id where one exists.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    /// The particle's TTL ran out before the result arrived.
    #[error("Particle expired after ttl of {ttl}ms (particle id: {particle_id})")]
    TtlExpired {
        /// Particle id.
        particle_id: String,
        /// The particle's TTL in ms.
        ttl: u32,
    },
    /// AquaVM failed to interpret the script (non-zero `ret_code`).
    #[error(
        "Script interpretation failed: {message} (particle id: {particle_id}, ret_code {ret_code})"
    )]
    Interpreter {
        /// Particle id.
        particle_id: String,
        /// AquaVM's `ret_code`.
        ret_code: i64,
        /// AquaVM's `error_message`.
        message: String,
    },
    /// The script reported an error through `errorHandlingSrv.error` (an Aqua-level failure,
    /// possibly raised on a remote peer).
    #[error("{message} (particle id: {particle_id})")]
    Aqua {
        /// Particle id.
        particle_id: String,
        /// The error's message (the `message` field of the error object, or its JSON text).
        message: String,
        /// The error object as AquaVM produced it.
        error: Value,
    },
    /// The particle could not be handed to the network.
    #[error("Could not send particle: {message} (particle id: {particle_id})")]
    Send {
        /// Particle id.
        particle_id: String,
        /// What failed.
        message: String,
    },
    /// The engine was shut down before the call finished.
    #[error("Call cancelled: {message} (particle id: {particle_id})")]
    Cancelled {
        /// Particle id.
        particle_id: String,
        /// Why.
        message: String,
    },
    /// The call could not start: bad script arguments or configuration.
    #[error("Invalid argument: {0}")]
    InvalidArgument(String),
}

impl CallError {
    /// A stable machine-readable code (`TTL_EXPIRED`, `INTERPRETER`, `AQUA`, `SEND`,
    /// `CANCELLED`, `INVALID_ARGUMENT`), the `code` of `FluenceError` in JS.
    pub fn code(&self) -> &'static str {
        match self {
            CallError::TtlExpired { .. } => "TTL_EXPIRED",
            CallError::Interpreter { .. } => "INTERPRETER",
            CallError::Aqua { .. } => "AQUA",
            CallError::Send { .. } => "SEND",
            CallError::Cancelled { .. } => "CANCELLED",
            CallError::InvalidArgument(_) => "INVALID_ARGUMENT",
        }
    }

    /// The particle id, where the error concerns a particle.
    pub fn particle_id(&self) -> Option<&str> {
        match self {
            CallError::TtlExpired { particle_id, .. }
            | CallError::Interpreter { particle_id, .. }
            | CallError::Aqua { particle_id, .. }
            | CallError::Send { particle_id, .. }
            | CallError::Cancelled { particle_id, .. } => Some(particle_id),
            CallError::InvalidArgument(_) => None,
        }
    }
}
