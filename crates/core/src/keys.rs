//! Ed25519 identities (spec §3 and §4).
//!
//! One key serves as the libp2p identity, the particle signing key and the AquaVM
//! data-signing key. The secret is a 32-byte Ed25519 seed (RFC 8032); it leaves this
//! module only as the AquaVM `secret_key_bytes` parameter and through the explicit
//! [`KeyPair::to_seed`] (an app persisting its identity), never in `Debug` or logs.

use base64::Engine as _;
use libp2p_identity::{ed25519, PeerId, PublicKey};

use crate::error::KeyError;

/// Length of an Ed25519 signature in bytes.
pub const SIGNATURE_LEN: usize = 64;

/// An Ed25519 key pair with its derived PeerId.
#[derive(Clone)]
pub struct KeyPair {
    inner: ed25519::Keypair,
    peer_id: PeerId,
    peer_id_str: String,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print secret material.
        f.debug_struct("KeyPair")
            .field("peer_id", &self.peer_id_str)
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// A fresh random key pair (randomness from the platform: the OS natively,
    /// `crypto.getRandomValues` in the browser).
    pub fn random() -> Result<Self, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Self::from_seed(seed))
    }

    /// The key pair of a 32-byte Ed25519 seed (the form js-client's `fromEd25519SK` takes).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        let mut seed = seed;
        let secret = ed25519::SecretKey::try_from_bytes(&mut seed)
            .expect("any 32 bytes are a valid ed25519 seed");
        Self::from_inner(ed25519::Keypair::from(secret))
    }

    /// The key pair of a seed given as a byte slice; it must be exactly 32 bytes.
    pub fn from_seed_slice(seed: &[u8]) -> Result<Self, KeyError> {
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| KeyError::SeedLength(seed.len()))?;
        Ok(Self::from_seed(seed))
    }

    /// The key pair of a base64 (standard alphabet, padded or not) 32-byte seed.
    pub fn from_base64_sk(s: &str) -> Result<Self, KeyError> {
        let s = s.trim();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(s)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(s))
            .map_err(|e| KeyError::Base64(e.to_string()))?;
        Self::from_seed_slice(&bytes)
    }

    /// The key pair of a base58btc (Bitcoin alphabet) 32-byte seed.
    pub fn from_base58_sk(s: &str) -> Result<Self, KeyError> {
        let bytes = bs58::decode(s.trim())
            .into_vec()
            .map_err(|e| KeyError::Base58(e.to_string()))?;
        Self::from_seed_slice(&bytes)
    }

    fn from_inner(inner: ed25519::Keypair) -> Self {
        let peer_id = PublicKey::from(inner.public()).to_peer_id();
        Self {
            peer_id_str: peer_id.to_base58(),
            peer_id,
            inner,
        }
    }

    /// The PeerId string, `12D3KooW…`.
    pub fn peer_id(&self) -> &str {
        &self.peer_id_str
    }

    /// The PeerId as a libp2p type.
    pub fn libp2p_peer_id(&self) -> PeerId {
        self.peer_id
    }

    /// The 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.inner.public().to_bytes()
    }

    /// Ed25519 signature (64 bytes) of `msg`.
    pub fn sign(&self, msg: &[u8]) -> [u8; SIGNATURE_LEN] {
        self.inner
            .sign(msg)
            .try_into()
            .expect("ed25519 signatures are 64 bytes")
    }

    /// Checks a signature made by this key.
    pub fn verify(&self, msg: &[u8], signature: &[u8]) -> bool {
        self.inner.public().verify(msg, signature)
    }

    /// The public key in libp2p's protobuf encoding (36 bytes for Ed25519): what
    /// js-client's `KeyPair.getPublicKey()` returns and `verifyWithPublicKey` takes.
    pub fn public_key_protobuf(&self) -> Vec<u8> {
        PublicKey::from(self.inner.public()).encode_protobuf()
    }

    /// The 32-byte seed: the secret itself. Only for an app that persists its identity
    /// on purpose (js-client's `toEd25519PrivateKey()`); nothing in the project logs it.
    pub fn to_seed(&self) -> [u8; 32] {
        let mut seed = [0u8; 32];
        seed.copy_from_slice(self.inner.secret().as_ref());
        seed
    }

    /// The libp2p identity keypair for the transport (noise). Same key.
    pub fn to_libp2p(&self) -> libp2p_identity::Keypair {
        libp2p_identity::Keypair::from(self.inner.clone())
    }

    /// The 32-byte seed, as AquaVM's `secret_key_bytes`. Crate-private on purpose.
    pub(crate) fn secret_seed(&self) -> Vec<u8> {
        self.inner.secret().as_ref().to_vec()
    }
}

/// Parses a PeerId string and returns the Ed25519 public key embedded in it.
///
/// Only identity-multihash PeerIds of Ed25519 keys (`12D3KooW…`) carry their key;
/// any other PeerId is an error, as in js-client and nox.
pub fn public_key_of(peer_id: &str) -> Result<ed25519::PublicKey, KeyError> {
    let pid: PeerId = peer_id
        .parse()
        .map_err(|e| KeyError::InvalidPeerId(format!("{peer_id:?}: {e}")))?;
    let mh = pid.as_ref();
    if mh.code() != 0x00 {
        return Err(KeyError::NoPublicKey(peer_id.to_string()));
    }
    let pk = PublicKey::try_decode_protobuf(mh.digest())
        .map_err(|e| KeyError::InvalidPeerId(format!("{peer_id:?}: {e}")))?;
    pk.try_into_ed25519()
        .map_err(|_| KeyError::NoPublicKey(peer_id.to_string()))
}

/// Verifies `signature` over `msg` with a public key in libp2p's protobuf encoding (the
/// form of [`KeyPair::public_key_protobuf`]). `Ok(false)` for a wrong signature; an error
/// when the key cannot be decoded or is not Ed25519.
pub fn verify_with_public_key(
    public_key: &[u8],
    msg: &[u8],
    signature: &[u8],
) -> Result<bool, KeyError> {
    let pk = PublicKey::try_decode_protobuf(public_key)
        .map_err(|e| KeyError::InvalidPublicKey(e.to_string()))?;
    Ok(pk.verify(msg, signature))
}

/// Checks that a string is a valid PeerId.
pub fn validate_peer_id(peer_id: &str) -> Result<(), KeyError> {
    peer_id
        .parse::<PeerId>()
        .map(|_| ())
        .map_err(|e| KeyError::InvalidPeerId(format!("{peer_id:?}: {e}")))
}

/// Verifies `signature` over `msg` with the key embedded in `peer_id`.
pub fn verify_with_peer_id(peer_id: &str, msg: &[u8], signature: &[u8]) -> Result<(), KeyError> {
    if signature.len() != SIGNATURE_LEN {
        return Err(KeyError::SignatureLength(signature.len()));
    }
    let pk = public_key_of(peer_id)?;
    if pk.verify(msg, signature) {
        Ok(())
    } else {
        Err(KeyError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

    #[test]
    fn seed_public_key_and_verification_by_public_key() {
        let kp = KeyPair::from_seed([7; 32]);
        assert_eq!(kp.to_seed(), [7; 32]);
        assert_eq!(KeyPair::from_seed(kp.to_seed()).peer_id(), kp.peer_id());
        let pk = kp.public_key_protobuf();
        assert_eq!(&pk[..4], &[0x08, 0x01, 0x12, 0x20]);
        assert_eq!(&pk[4..], &kp.public_key());
        let sig = kp.sign(b"data");
        assert_eq!(verify_with_public_key(&pk, b"data", &sig), Ok(true));
        assert_eq!(verify_with_public_key(&pk, b"other", &sig), Ok(false));
        assert_eq!(verify_with_public_key(&pk, b"data", &sig[..10]), Ok(false));
        assert!(matches!(
            verify_with_public_key(&pk[..10], b"data", &sig),
            Err(KeyError::InvalidPublicKey(_))
        ));
    }

    #[test]
    fn spec_3_4_vector() {
        let kp = KeyPair::from_base64_sk("7h48PQ/f1rS9TxacmgODxbD42Il9B3KC117jvOPppPE=").unwrap();
        assert_eq!(
            kp.peer_id(),
            "12D3KooWANqfCDrV79MZdMnMqTvDdqSAPSxdgFY1L6DCq2DVGB4D"
        );
        let sig = kp.sign(b"message");
        assert_eq!(
            B64.encode(sig),
            "sBW7H6/1fwAwF86ldwVm9BDu0YH3w30oFQjTWX0Tiu9yTVZHmxkV2OX4GL5jn0Iz0CrasGcOfozzkZwtJBPMBg=="
        );
        assert!(kp.verify(b"message", &sig));
        assert!(!kp.verify(b"messagf", &sig));
        verify_with_peer_id(kp.peer_id(), b"message", &sig).unwrap();
    }

    #[test]
    fn spec_4_vectors() {
        assert_eq!(
            KeyPair::from_seed([1; 32]).peer_id(),
            "12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5"
        );
        assert_eq!(
            KeyPair::from_base58_sk("jDaxLJzYtzgwTMrELJCAqavtmx85ktQNfB2rLcK7MhH")
                .unwrap()
                .peer_id(),
            "12D3KooWH1W3VznVZ87JH4FwABK4mkntcspTVWJDta6c2xg9Pzbp"
        );
    }

    #[test]
    fn random_keys_differ_and_start_with_12d3koow() {
        let a = KeyPair::random().unwrap();
        let b = KeyPair::random().unwrap();
        assert_ne!(a.peer_id(), b.peer_id());
        assert!(a.peer_id().starts_with("12D3KooW"));
        assert_eq!(a.to_libp2p().public().to_peer_id(), a.libp2p_peer_id());
    }

    #[test]
    fn seed_round_trips_through_secret() {
        let kp = KeyPair::from_seed([7; 32]);
        assert_eq!(kp.secret_seed(), vec![7; 32]);
        assert!(!format!("{kp:?}").contains("secret"));
    }

    #[test]
    fn bad_secrets_are_typed_errors() {
        assert!(matches!(
            KeyPair::from_base64_sk("AAAA"),
            Err(KeyError::SeedLength(3))
        ));
        assert!(matches!(
            KeyPair::from_base64_sk("not base64!!"),
            Err(KeyError::Base64(_))
        ));
        assert!(matches!(
            KeyPair::from_base58_sk("0OIl"),
            Err(KeyError::Base58(_))
        ));
        assert!(matches!(
            KeyPair::from_seed_slice(&[0; 64]),
            Err(KeyError::SeedLength(64))
        ));
    }

    #[test]
    fn bad_peer_ids_are_typed_errors() {
        assert!(matches!(
            public_key_of("not-a-peer-id"),
            Err(KeyError::InvalidPeerId(_))
        ));
        assert!(matches!(
            validate_peer_id(""),
            Err(KeyError::InvalidPeerId(_))
        ));
        // A sha256-multihash PeerId (RSA-style "Qm…") is valid but carries no key.
        let qm = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
        validate_peer_id(qm).unwrap();
        assert!(matches!(public_key_of(qm), Err(KeyError::NoPublicKey(_))));
        let kp = KeyPair::from_seed([1; 32]);
        assert!(matches!(
            verify_with_peer_id(kp.peer_id(), b"m", &[0; 63]),
            Err(KeyError::SignatureLength(63))
        ));
        assert!(matches!(
            verify_with_peer_id(kp.peer_id(), b"m", &[0; 64]),
            Err(KeyError::BadSignature)
        ));
    }
}
