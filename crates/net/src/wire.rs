//! The particle protocol on a libp2p stream (spec §1.3): one frame per substream,
//! `uvarint(len) ‖ payload`, then close.

use std::io;

use fluence_core::particle::frame_header;
use fluence_core::DecodeError;
use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use libp2p::multiaddr::Protocol;
use libp2p::{Multiaddr, PeerId, StreamProtocol};

/// `/fluence/particle/2.0.0`.
pub const PROTOCOL: StreamProtocol = StreamProtocol::new("/fluence/particle/2.0.0");

/// Why reading a frame failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The stream failed or ended early.
    #[error("stream error: {0}")]
    Io(#[from] io::Error),
    /// The length prefix is invalid or too large.
    #[error("{0}")]
    Decode(#[from] DecodeError),
}

/// The payload buffer a frame starts with; it grows with the bytes that arrive, so a peer
/// that announces a large frame and sends little costs little memory.
const FIRST_CAPACITY: usize = 64 * 1024;

/// Reads one length-prefixed frame payload. The announced length is checked against
/// `max_payload` before any payload byte is buffered, and the buffer grows with the bytes
/// that arrive, not with the announced length.
pub async fn read_frame<S: AsyncRead + Unpin>(
    stream: &mut S,
    max_payload: usize,
) -> Result<Vec<u8>, ReadError> {
    let mut header = Vec::with_capacity(10);
    let mut byte = [0u8; 1];
    let len = loop {
        stream.read_exact(&mut byte).await?;
        header.push(byte[0]);
        if let Some((_, len)) = frame_header(&header, max_payload)? {
            break len;
        }
    };
    let mut payload = Vec::with_capacity(len.min(FIRST_CAPACITY));
    stream.take(len as u64).read_to_end(&mut payload).await?;
    if payload.len() < len {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!(
                "the stream ended after {} of {len} payload bytes",
                payload.len()
            ),
        )
        .into());
    }
    Ok(payload)
}

/// Writes one complete frame and closes the write side.
pub(crate) async fn write_frame<S: AsyncWrite + Unpin>(
    stream: &mut S,
    frame: &[u8],
) -> io::Result<()> {
    stream.write_all(frame).await?;
    stream.flush().await?;
    stream.close().await
}

/// The WebSocket URL of a multiaddr: `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>/ws|wss|tls/ws`,
/// an optional `/p2p/<id>` after it.
pub fn websocket_url(addr: &Multiaddr) -> Option<String> {
    let mut it = addr.iter();
    let host = match it.next()? {
        Protocol::Ip4(ip) => ip.to_string(),
        Protocol::Ip6(ip) => format!("[{ip}]"),
        Protocol::Dns(h) | Protocol::Dns4(h) | Protocol::Dns6(h) => h.to_string(),
        _ => return None,
    };
    let port = match it.next()? {
        Protocol::Tcp(p) => p,
        _ => return None,
    };
    let (scheme, path) = match it.next()? {
        Protocol::Ws(path) => ("ws", path.to_string()),
        Protocol::Wss(path) => ("wss", path.to_string()),
        Protocol::Tls => match it.next()? {
            Protocol::Ws(path) => ("wss", path.to_string()),
            _ => return None,
        },
        _ => return None,
    };
    match it.next() {
        None | Some(Protocol::P2p(_)) => {}
        _ => return None,
    }
    if it.next().is_some() {
        return None;
    }
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    Some(format!("{scheme}://{host}:{port}{path}"))
}

/// Parses a relay address as a client's config gives it: a multiaddr (surrounding white
/// space ignored) ending with `/p2p/<peer id>`. The error says what is wrong with `s`.
pub fn relay_address(s: &str) -> Result<(Multiaddr, PeerId), String> {
    let addr: Multiaddr = s
        .trim()
        .parse()
        .map_err(|e| format!("invalid relay multiaddr {s:?}: {e}"))?;
    match addr.iter().last() {
        Some(Protocol::P2p(peer)) => Ok((addr, peer)),
        _ => Err(format!(
            "relay multiaddr {s:?} is missing its /p2p/<peer id>"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_of_multiaddrs() {
        let url = |s: &str| websocket_url(&s.parse().unwrap());
        assert_eq!(
            url("/ip4/127.0.0.1/tcp/9990/ws").as_deref(),
            Some("ws://127.0.0.1:9990/")
        );
        assert_eq!(
            url("/ip4/127.0.0.1/tcp/9990/ws/p2p/12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5").as_deref(),
            Some("ws://127.0.0.1:9990/")
        );
        assert_eq!(
            url("/dns4/kras-00.fluence.dev/tcp/9000/wss").as_deref(),
            Some("wss://kras-00.fluence.dev:9000/")
        );
        assert_eq!(
            url("/dns/a.b/tcp/443/tls/ws").as_deref(),
            Some("wss://a.b:443/")
        );
        assert_eq!(url("/ip6/::1/tcp/1/ws").as_deref(), Some("ws://[::1]:1/"));
        assert_eq!(url("/ip4/127.0.0.1/tcp/9990"), None);
        assert_eq!(url("/ip4/127.0.0.1/udp/9990/ws"), None);
        assert_eq!(url("/ip4/127.0.0.1/tcp/1/ws/ws"), None);
    }

    #[test]
    fn relay_addresses_need_their_peer_id() {
        let id = "12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5";
        let (addr, peer) =
            relay_address(&format!(" /ip4/127.0.0.1/tcp/9990/ws/p2p/{id}\n")).unwrap();
        assert_eq!(peer.to_string(), id);
        assert_eq!(
            addr.to_string(),
            format!("/ip4/127.0.0.1/tcp/9990/ws/p2p/{id}")
        );
        let e = relay_address("/ip4/127.0.0.1/tcp/9990/ws").unwrap_err();
        assert!(e.contains("missing its /p2p/<peer id>"), "{e}");
        let e = relay_address("/ip4/1.2.3/tcp/1").unwrap_err();
        assert!(e.starts_with("invalid relay multiaddr"), "{e}");
        assert!(relay_address("").is_err());
    }

    use fluence_core::particle::{Particle, JS_MAX_FRAME};
    use fluence_core::KeyPair;

    #[test]
    fn reads_a_frame_and_refuses_oversized_ones() {
        futures::executor::block_on(async {
            let p =
                Particle::new_signed(&KeyPair::from_seed([1; 32]), "i".into(), "s".into(), 1, 2);
            let frame = p.to_frame();
            let mut r = futures::io::Cursor::new(frame.clone());
            let payload = read_frame(&mut r, JS_MAX_FRAME).await.unwrap();
            assert_eq!(Particle::from_payload(&payload).unwrap(), p);
            let mut r = futures::io::Cursor::new(frame.clone());
            assert!(matches!(
                read_frame(&mut r, 10).await,
                Err(ReadError::Decode(DecodeError::TooLarge { .. }))
            ));
            let mut r = futures::io::Cursor::new(frame[..20].to_vec());
            assert!(matches!(
                read_frame(&mut r, JS_MAX_FRAME).await,
                Err(ReadError::Io(_))
            ));
        });
    }
}
