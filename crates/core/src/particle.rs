//! Particles, their signature and expiry (spec §3, §5.6) and the wire codec (spec §2).
//!
//! A frame is `uvarint(len) ‖ 0x81 0x04 ‖ msgpack map` with named fields. We send
//! `signature` and `data` as msgpack `bin` (as nox does) and accept both `bin` and
//! arrays of integers (as js-client sends them).

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{DecodeError, KeyError};
use crate::keys::{self, KeyPair, SIGNATURE_LEN};

/// `unsigned-varint(0x0201)`: the multicodec of MessagePack.
pub const MSGPACK_MULTICODEC: [u8; 2] = [0x81, 0x04];
const MSGPACK_CODE: u64 = 0x0201;

/// nox's maximum frame payload (100 MiB).
pub const NOX_MAX_FRAME: usize = 100 * 1024 * 1024;
/// js-client's maximum inbound frame payload (4 MiB).
pub const JS_MAX_FRAME: usize = 4 * 1024 * 1024;

/// A Fluence particle.
///
/// `id`, `timestamp`, `ttl` and `script` are signed by `init_peer_id`; `data` is the
/// AquaVM interpreter data and changes at every hop.
#[derive(Clone, PartialEq, Eq)]
pub struct Particle {
    /// Particle id (a UUID v4 when we create it).
    pub id: String,
    /// PeerId of the peer that created and signed the particle.
    pub init_peer_id: String,
    /// Creation time, Unix milliseconds.
    pub timestamp: u64,
    /// Time to live in milliseconds.
    pub ttl: u32,
    /// AIR script.
    pub script: String,
    /// Ed25519 signature (64 bytes) of [`Particle::signed_bytes`].
    pub signature: Vec<u8>,
    /// AquaVM interpreter data.
    pub data: Vec<u8>,
}

impl fmt::Debug for Particle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Particle")
            .field("id", &self.id)
            .field("init_peer_id", &self.init_peer_id)
            .field("timestamp", &self.timestamp)
            .field("ttl", &self.ttl)
            .field("script_len", &self.script.len())
            .field("data_len", &self.data.len())
            .finish()
    }
}

impl Particle {
    /// Creates and signs a new particle with empty data.
    pub fn new_signed(
        key: &KeyPair,
        id: String,
        script: String,
        timestamp: u64,
        ttl: u32,
    ) -> Particle {
        let mut p = Particle {
            id,
            init_peer_id: key.peer_id().to_string(),
            timestamp,
            ttl,
            script,
            signature: Vec::new(),
            data: Vec::new(),
        };
        p.signature = key.sign(&p.signed_bytes()).to_vec();
        p
    }

    /// The signed message: `id ‖ u64_le(timestamp) ‖ u32_le(ttl) ‖ script` (spec §3.1).
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut msg = Vec::with_capacity(self.id.len() + 12 + self.script.len());
        msg.extend_from_slice(self.id.as_bytes());
        msg.extend_from_slice(&self.timestamp.to_le_bytes());
        msg.extend_from_slice(&self.ttl.to_le_bytes());
        msg.extend_from_slice(self.script.as_bytes());
        msg
    }

    /// Whether `other` has the same signature over the same signed fields and signer (so
    /// that it verifies exactly when this one does); `data` may differ.
    pub fn same_signed_fields(&self, other: &Particle) -> bool {
        self.signature == other.signature
            && self.id == other.id
            && self.init_peer_id == other.init_peer_id
            && self.timestamp == other.timestamp
            && self.ttl == other.ttl
            && self.script == other.script
    }

    /// Verifies the signature with the key embedded in `init_peer_id`.
    pub fn verify(&self) -> Result<(), KeyError> {
        keys::verify_with_peer_id(&self.init_peer_id, &self.signed_bytes(), &self.signature)
    }

    /// `timestamp + ttl`, or `None` when it overflows (such a particle counts as expired).
    pub fn deadline(&self) -> Option<u64> {
        self.timestamp.checked_add(u64::from(self.ttl))
    }

    /// Expired when `timestamp + ttl − now ≤ 0` (js-client's rule) or on overflow (nox's).
    pub fn is_expired(&self, now_ms: u64) -> bool {
        self.deadline().is_none_or(|d| d <= now_ms)
    }

    /// Milliseconds left before expiry (0 when expired).
    pub fn time_left(&self, now_ms: u64) -> u64 {
        self.deadline().map_or(0, |d| d.saturating_sub(now_ms))
    }

    /// The msgpack payload with its multicodec prefix (no length prefix).
    pub fn to_payload(&self) -> Vec<u8> {
        let wire = WireOut {
            action: "Particle",
            id: &self.id,
            init_peer_id: &self.init_peer_id,
            timestamp: self.timestamp,
            ttl: self.ttl,
            script: &self.script,
            signature: serde_bytes::Bytes::new(&self.signature),
            data: serde_bytes::Bytes::new(&self.data),
        };
        let mut out = Vec::with_capacity(128 + self.script.len() + self.data.len());
        out.extend_from_slice(&MSGPACK_MULTICODEC);
        rmp_serde::encode::write_named(&mut out, &wire)
            .expect("writing msgpack to a Vec cannot fail");
        out
    }

    /// The complete frame: `uvarint(len) ‖ payload`.
    pub fn to_frame(&self) -> Vec<u8> {
        frame(&self.to_payload())
    }

    /// Decodes a payload (multicodec + msgpack map) and validates it: `action`, PeerId,
    /// signature length, `ttl > 0`, no `timestamp + ttl` overflow. The signature itself
    /// is checked by [`Particle::verify`].
    pub fn from_payload(payload: &[u8]) -> Result<Particle, DecodeError> {
        let (code, rest) = unsigned_varint::decode::u64(payload).map_err(|e| match e {
            unsigned_varint::decode::Error::Insufficient => DecodeError::Truncated { needed: 1 },
            other => DecodeError::BadLength(format!("multicodec prefix: {other}")),
        })?;
        if code != MSGPACK_CODE {
            return Err(DecodeError::WrongMulticodec(code));
        }
        let wire: WireIn =
            rmp_serde::from_slice(rest).map_err(|e| DecodeError::Msgpack(e.to_string()))?;
        if wire.action != "Particle" {
            return Err(DecodeError::UnsupportedAction(wire.action));
        }
        let f = |name: &'static str| DecodeError::Msgpack(format!("missing field `{name}`"));
        let p = Particle {
            id: wire.id.ok_or_else(|| f("id"))?,
            init_peer_id: wire.init_peer_id.ok_or_else(|| f("init_peer_id"))?,
            timestamp: wire.timestamp.ok_or_else(|| f("timestamp"))?,
            ttl: wire.ttl.ok_or_else(|| f("ttl"))?,
            script: wire.script.ok_or_else(|| f("script"))?,
            signature: wire.signature.ok_or_else(|| f("signature"))?.0,
            data: wire.data.ok_or_else(|| f("data"))?.0,
        };
        keys::validate_peer_id(&p.init_peer_id).map_err(|e| match e {
            KeyError::InvalidPeerId(m) => DecodeError::InvalidPeerId(m),
            other => DecodeError::InvalidPeerId(other.to_string()),
        })?;
        if p.signature.len() != SIGNATURE_LEN {
            return Err(DecodeError::SignatureLength(p.signature.len()));
        }
        if p.ttl == 0 {
            return Err(DecodeError::ZeroTtl);
        }
        if p.deadline().is_none() {
            return Err(DecodeError::TimestampOverflow {
                timestamp: p.timestamp,
                ttl: p.ttl,
            });
        }
        Ok(p)
    }

    /// Decodes exactly one complete frame; trailing bytes are an error.
    pub fn from_frame(frame: &[u8], max_payload: usize) -> Result<Particle, DecodeError> {
        match decode_frame(frame, max_payload)? {
            None => Err(DecodeError::Truncated {
                needed: missing_bytes(frame),
            }),
            Some((p, used)) if used == frame.len() => Ok(p),
            Some((_, used)) => Err(DecodeError::TrailingBytes(frame.len() - used)),
        }
    }
}

/// A frame's length prefix announcing `len` payload bytes (`uvarint(len)`).
pub fn length_prefix(len: u64) -> Vec<u8> {
    let mut buf = unsigned_varint::encode::u64_buffer();
    unsigned_varint::encode::u64(len, &mut buf).to_vec()
}

/// Any payload framed: `uvarint(len) ‖ payload` (a particle's is [`Particle::to_frame`]).
pub fn frame(payload: &[u8]) -> Vec<u8> {
    let mut out = length_prefix(payload.len() as u64);
    out.extend_from_slice(payload);
    out
}

/// Reads the length prefix of a frame in `buf`.
///
/// `Ok(None)`: the prefix itself is incomplete. `Ok(Some((header_len, payload_len)))` otherwise.
pub fn frame_header(buf: &[u8], max_payload: usize) -> Result<Option<(usize, usize)>, DecodeError> {
    match unsigned_varint::decode::u64(buf) {
        Ok((len, rest)) => {
            if len > max_payload as u64 {
                return Err(DecodeError::TooLarge {
                    len,
                    max: max_payload,
                });
            }
            Ok(Some((buf.len() - rest.len(), len as usize)))
        }
        Err(unsigned_varint::decode::Error::Insufficient) => Ok(None),
        Err(e) => Err(DecodeError::BadLength(e.to_string())),
    }
}

/// Decodes the first frame in `buf`, if it is complete.
///
/// Returns `Ok(None)` when more bytes are needed, else the particle and the number of
/// bytes it used. The length is checked against `max_payload` before anything else, so a
/// huge announced length fails at once without buffering.
pub fn decode_frame(
    buf: &[u8],
    max_payload: usize,
) -> Result<Option<(Particle, usize)>, DecodeError> {
    let Some((hlen, plen)) = frame_header(buf, max_payload)? else {
        return Ok(None);
    };
    if buf.len() - hlen < plen {
        return Ok(None);
    }
    let p = Particle::from_payload(&buf[hlen..hlen + plen])?;
    Ok(Some((p, hlen + plen)))
}

fn missing_bytes(buf: &[u8]) -> usize {
    match frame_header(buf, usize::MAX) {
        Ok(Some((h, p))) => (h + p).saturating_sub(buf.len()).max(1),
        _ => 1,
    }
}

#[derive(Serialize)]
struct WireOut<'a> {
    action: &'static str,
    id: &'a str,
    init_peer_id: &'a str,
    timestamp: u64,
    ttl: u32,
    script: &'a str,
    signature: &'a serde_bytes::Bytes,
    data: &'a serde_bytes::Bytes,
}

#[derive(Deserialize)]
struct WireIn {
    action: String,
    id: Option<String>,
    init_peer_id: Option<String>,
    timestamp: Option<u64>,
    ttl: Option<u32>,
    script: Option<String>,
    signature: Option<BinOrInts>,
    data: Option<BinOrInts>,
}

/// Bytes encoded either as msgpack `bin` or as an array of integers 0..=255.
struct BinOrInts(Vec<u8>);

impl<'de> Deserialize<'de> for BinOrInts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BinOrInts;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("bytes (msgpack bin or an array of integers 0..=255)")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<BinOrInts, E> {
                Ok(BinOrInts(v.to_vec()))
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<BinOrInts, E> {
                Ok(BinOrInts(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<BinOrInts, A::Error> {
                // Cap the pre-allocation: the announced length is untrusted.
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(BinOrInts(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

    fn spec_key() -> KeyPair {
        KeyPair::from_base64_sk("7h48PQ/f1rS9TxacmgODxbD42Il9B3KC117jvOPppPE=").unwrap()
    }

    fn spec_particle() -> Particle {
        Particle::new_signed(
            &spec_key(),
            "2883f959-e9e7-4843-8c37-205d393ca372".into(),
            "abc".into(),
            1696934545662,
            7000,
        )
    }

    /// The §2.3 (a) nox-encoded frame, assembled from its documented parts.
    fn spec_frame() -> Vec<u8> {
        let mut v = hex::decode("f701810488").unwrap();
        let s = |v: &mut Vec<u8>, hdr: &[u8], t: &str| {
            v.extend_from_slice(hdr);
            v.extend_from_slice(t.as_bytes());
        };
        s(&mut v, &[0xa6], "action");
        s(&mut v, &[0xa8], "Particle");
        s(&mut v, &[0xa2], "id");
        s(
            &mut v,
            &[0xd9, 0x24],
            "2883f959-e9e7-4843-8c37-205d393ca372",
        );
        s(&mut v, &[0xac], "init_peer_id");
        s(
            &mut v,
            &[0xd9, 0x34],
            "12D3KooWANqfCDrV79MZdMnMqTvDdqSAPSxdgFY1L6DCq2DVGB4D",
        );
        s(&mut v, &[0xa9], "timestamp");
        v.extend_from_slice(&hex::decode("cf0000018b192e48fe").unwrap());
        s(&mut v, &[0xa3], "ttl");
        v.extend_from_slice(&[0xcd, 0x1b, 0x58]);
        s(&mut v, &[0xa6], "script");
        s(&mut v, &[0xa3], "abc");
        s(&mut v, &[0xa9], "signature");
        v.extend_from_slice(&[0xc4, 0x40]);
        v.extend_from_slice(&hex::decode("29c7970e739fa9ed1d3a7031883b3258122f52ae961e84f481ef953075ce66c8d9bc2347effd74a2e7dd9587dc3e899fbf6f0e9fa13ced984370718165c6fb07").unwrap());
        s(&mut v, &[0xa4], "data");
        v.extend_from_slice(&[0xc4, 0x00]);
        v
    }

    /// A JS-style payload: alphabetical keys, int arrays, `cf` timestamp (§2.3 b).
    fn js_style_payload(p: &Particle) -> Vec<u8> {
        use rmp::encode::*;
        let mut v = MSGPACK_MULTICODEC.to_vec();
        write_map_len(&mut v, 8).unwrap();
        write_str(&mut v, "action").unwrap();
        write_str(&mut v, "Particle").unwrap();
        write_str(&mut v, "data").unwrap();
        write_array_len(&mut v, p.data.len() as u32).unwrap();
        for b in &p.data {
            write_uint(&mut v, u64::from(*b)).unwrap();
        }
        write_str(&mut v, "id").unwrap();
        write_str(&mut v, &p.id).unwrap();
        write_str(&mut v, "init_peer_id").unwrap();
        write_str(&mut v, &p.init_peer_id).unwrap();
        write_str(&mut v, "script").unwrap();
        write_str(&mut v, &p.script).unwrap();
        write_str(&mut v, "signature").unwrap();
        v.extend_from_slice(&[0xdc, 0x00, 0x40]);
        for b in &p.signature {
            write_uint(&mut v, u64::from(*b)).unwrap();
        }
        write_str(&mut v, "timestamp").unwrap();
        write_u64(&mut v, p.timestamp).unwrap();
        write_str(&mut v, "ttl").unwrap();
        write_uint(&mut v, u64::from(p.ttl)).unwrap();
        v
    }

    fn framed(payload: &[u8]) -> Vec<u8> {
        let mut buf = unsigned_varint::encode::usize_buffer();
        let mut v = unsigned_varint::encode::usize(payload.len(), &mut buf).to_vec();
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn signed_bytes_and_signature_match_spec_3_4() {
        let p = spec_particle();
        assert_eq!(
            B64.encode(p.signed_bytes()),
            "Mjg4M2Y5NTktZTllNy00ODQzLThjMzctMjA1ZDM5M2NhMzcy/kguGYsBAABYGwAAYWJj"
        );
        assert_eq!(
            B64.encode(&p.signature),
            "KceXDnOfqe0dOnAxiDsyWBIvUq6WHoT0ge+VMHXOZsjZvCNH7/10oufdlYfcPomfv28On6E87ZhDcHGBZcb7Bw=="
        );
        p.verify().unwrap();
    }

    #[test]
    fn encoding_equals_nox_vector_byte_for_byte() {
        let frame = spec_particle().to_frame();
        assert_eq!(frame.len(), 249);
        assert_eq!(hex::encode(&frame), hex::encode(spec_frame()));
        let back = Particle::from_frame(&frame, NOX_MAX_FRAME).unwrap();
        assert_eq!(back, spec_particle());
    }

    #[test]
    fn js_style_frame_decodes() {
        let mut p = spec_particle();
        p.data = (0..=255).collect();
        let frame = framed(&js_style_payload(&p));
        let back = Particle::from_frame(&frame, NOX_MAX_FRAME).unwrap();
        assert_eq!(back, p);
        back.verify().unwrap();
        // Re-encoded the nox way: bin fields.
        let again = back.to_payload();
        assert!(again.windows(2).any(|w| w == [0xc4, 0x40]));
    }

    #[test]
    fn frame_decoder_is_incremental() {
        let frame = spec_particle().to_frame();
        let mut two = frame.clone();
        two.extend_from_slice(&frame);
        for cut in 0..frame.len() {
            assert_eq!(
                decode_frame(&frame[..cut], NOX_MAX_FRAME).unwrap(),
                None,
                "cut {cut}"
            );
        }
        let (p, used) = decode_frame(&two, NOX_MAX_FRAME).unwrap().unwrap();
        assert_eq!(used, frame.len());
        assert_eq!(p, spec_particle());
        assert_eq!(
            Particle::from_frame(&two, NOX_MAX_FRAME),
            Err(DecodeError::TrailingBytes(frame.len()))
        );
    }

    #[test]
    fn truncated_frames_are_errors() {
        let frame = spec_particle().to_frame();
        assert!(matches!(
            Particle::from_frame(&frame[..100], NOX_MAX_FRAME),
            Err(DecodeError::Truncated { needed: 149 })
        ));
        assert!(matches!(
            Particle::from_frame(&[], NOX_MAX_FRAME),
            Err(DecodeError::Truncated { .. })
        ));
        // A payload cut short but framed as complete: a msgpack error.
        let short = framed(&frame[2..120]);
        assert!(matches!(
            Particle::from_frame(&short, NOX_MAX_FRAME),
            Err(DecodeError::Msgpack(_))
        ));
        assert!(matches!(
            Particle::from_payload(&[0x81]),
            Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn garbage_is_an_error_never_a_panic() {
        // Fixed garbage, then a deterministic pseudo-random sweep.
        for g in [
            &[
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            ][..],
            &[0x03, 0x81, 0x04, 0x6a],
            &[0x02, 0x81, 0x04],
            &[0x05, 0x81, 0x04, 0x81, 0xa6, b'a'],
        ] {
            assert!(Particle::from_frame(g, NOX_MAX_FRAME).is_err(), "{g:?}");
        }
        let good = spec_particle().to_frame();
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for i in 0..4000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut f = good.clone();
            // Flip a few bytes past the header, or build pure noise.
            if i % 2 == 0 {
                for k in 0..4 {
                    let pos = 3 + ((x >> (k * 16)) as usize % (f.len() - 3));
                    f[pos] ^= (x >> (k * 8)) as u8 | 1;
                }
            } else {
                f = (0..(x % 300) as usize)
                    .map(|j| (x.rotate_left(j as u32) ^ j as u64) as u8)
                    .collect();
            }
            let _ = Particle::from_frame(&f, NOX_MAX_FRAME);
            let _ = decode_frame(&f, NOX_MAX_FRAME);
        }
        // Non-map msgpack, as nox's log shows it.
        assert!(matches!(
            Particle::from_frame(&framed(&[0x81, 0x04, 0x6a]), NOX_MAX_FRAME),
            Err(DecodeError::Msgpack(_))
        ));
    }

    #[test]
    fn wrong_multicodec_is_an_error() {
        let mut payload = spec_particle().to_payload();
        payload[0] = 0x80; // JSON, 0x0200
        assert_eq!(
            Particle::from_frame(&framed(&payload), NOX_MAX_FRAME),
            Err(DecodeError::WrongMulticodec(0x200))
        );
    }

    #[test]
    fn oversized_frame_fails_before_buffering() {
        let mut buf = unsigned_varint::encode::u64_buffer();
        let hdr = unsigned_varint::encode::u64(5 * 1024 * 1024, &mut buf);
        assert_eq!(
            decode_frame(hdr, JS_MAX_FRAME),
            Err(DecodeError::TooLarge {
                len: 5 * 1024 * 1024,
                max: JS_MAX_FRAME
            })
        );
        // An 11-byte varint is invalid.
        assert!(matches!(
            decode_frame(&[0xff; 11], NOX_MAX_FRAME),
            Err(DecodeError::BadLength(_))
        ));
    }

    fn with<F: FnOnce(&mut Particle)>(f: F) -> Vec<u8> {
        let mut p = spec_particle();
        f(&mut p);
        framed(&js_style_payload(&p))
    }

    #[test]
    fn invalid_peer_id_is_an_error() {
        let f = with(|p| p.init_peer_id = "12D3KooWnot-a-peer".into());
        assert!(matches!(
            Particle::from_frame(&f, NOX_MAX_FRAME),
            Err(DecodeError::InvalidPeerId(_))
        ));
    }

    #[test]
    fn wrong_signature_length_is_an_error() {
        let f = with(|p| p.signature.truncate(63));
        // js_style_payload writes the array header 0xdc 0x00 0x40 (64); fix it up to 63.
        let mut f = f;
        let pos = f.windows(3).position(|w| w == [0xdc, 0x00, 0x40]).unwrap();
        f[pos + 2] = 63;
        let f = framed(&f[2..]); // re-frame with the right length
        assert_eq!(
            Particle::from_frame(&f, NOX_MAX_FRAME),
            Err(DecodeError::SignatureLength(63))
        );
        let mut p = spec_particle();
        p.signature = vec![1; 65];
        assert_eq!(
            Particle::from_frame(&p.to_frame(), NOX_MAX_FRAME),
            Err(DecodeError::SignatureLength(65))
        );
    }

    #[test]
    fn zero_ttl_is_an_error() {
        let f = with(|p| p.ttl = 0);
        assert_eq!(
            Particle::from_frame(&f, NOX_MAX_FRAME),
            Err(DecodeError::ZeroTtl)
        );
    }

    #[test]
    fn timestamp_overflow_is_an_error() {
        let f = with(|p| p.timestamp = u64::MAX - 10);
        assert_eq!(
            Particle::from_frame(&f, NOX_MAX_FRAME),
            Err(DecodeError::TimestampOverflow {
                timestamp: u64::MAX - 10,
                ttl: 7000
            })
        );
    }

    #[test]
    fn upgrade_action_and_missing_fields_are_errors() {
        let mut v = MSGPACK_MULTICODEC.to_vec();
        rmp::encode::write_map_len(&mut v, 1).unwrap();
        rmp::encode::write_str(&mut v, "action").unwrap();
        rmp::encode::write_str(&mut v, "Upgrade").unwrap();
        assert_eq!(
            Particle::from_payload(&v),
            Err(DecodeError::UnsupportedAction("Upgrade".into()))
        );
        let mut v = MSGPACK_MULTICODEC.to_vec();
        rmp::encode::write_map_len(&mut v, 1).unwrap();
        rmp::encode::write_str(&mut v, "action").unwrap();
        rmp::encode::write_str(&mut v, "Particle").unwrap();
        assert!(matches!(
            Particle::from_payload(&v),
            Err(DecodeError::Msgpack(m)) if m.contains("id")
        ));
        // Int arrays with values over 255 are not bytes.
        let mut f = with(|_| {});
        let pos = f.windows(3).position(|w| w == [0xdc, 0x00, 0x40]).unwrap();
        f[pos + 3] = 0xcd; // first element becomes a u16 marker...
        assert!(Particle::from_frame(&f, NOX_MAX_FRAME).is_err());
    }

    #[test]
    fn expiry_rules() {
        let p = spec_particle();
        let d = 1696934545662 + 7000;
        assert_eq!(p.deadline(), Some(d));
        assert!(!p.is_expired(d - 1));
        assert!(p.is_expired(d));
        assert_eq!(p.time_left(d - 5), 5);
        assert_eq!(p.time_left(d + 5), 0);
        let mut q = p.clone();
        q.timestamp = u64::MAX;
        assert!(q.is_expired(0));
    }

    #[test]
    fn tampered_particle_fails_verification() {
        let mut p = spec_particle();
        p.script.push(' ');
        assert_eq!(p.verify(), Err(KeyError::BadSignature));
        let mut p = spec_particle();
        p.init_peer_id = KeyPair::from_seed([1; 32]).peer_id().into();
        assert_eq!(p.verify(), Err(KeyError::BadSignature));
    }
}
